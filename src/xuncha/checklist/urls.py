from django.urls import path

from xuncha.checklist import views

app_name = "checklist"

urlpatterns = [
    path("", views.library_list, name="library_list"),
    path("install/", views.library_install, name="library_install"),
    path("<int:pk>/", views.library_detail, name="library_detail"),
    path("<int:pk>/draft/", views.draft_create, name="draft_create"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/export/", views.version_export, name="version_export"),
    path("versions/<int:pk>/import/", views.draft_import, name="draft_import"),
    path("versions/<int:pk>/publish/", views.draft_publish, name="draft_publish"),
    path("versions/<int:pk>/discard/", views.draft_discard, name="draft_discard"),
    path("versions/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/move/", views.item_move, name="item_move"),
    path("guide/", views.guide_index, name="guide_index"),
    path("guide/<int:assignment_id>/", views.guide, name="guide"),
]
