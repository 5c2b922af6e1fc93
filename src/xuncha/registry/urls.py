from django.urls import path

from xuncha.registry import views

app_name = "registry"

urlpatterns = [
    path("organizations/", views.organization_tree, name="organization_tree"),
    path("organizations/list/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/work-history/", views.work_history_add, name="work_history_add"),
    path("people/<int:pk>/work-history/<int:entry_pk>/remove/", views.work_history_remove,
         name="work_history_remove"),
    path("people/<int:pk>/relatives/", views.relative_add, name="relative_add"),
    path("people/<int:pk>/relatives/<int:relative_pk>/remove/", views.relative_remove,
         name="relative_remove"),
]
