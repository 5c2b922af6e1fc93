"""The rules library: list, regulation, version with its articles, one article, import, search."""

from django.urls import path

from xuncha.regulations.views import library as views

urlpatterns = [
    path("", views.library, name="library"),
    path("search/", views.search, name="search"),
    path("new/", views.regulation_create, name="regulation_create"),
    path("documents/<int:pk>/", views.regulation_detail, name="regulation"),
    path("documents/<int:pk>/edit/", views.regulation_edit, name="regulation_edit"),
    path("documents/<int:pk>/delete/", views.regulation_delete, name="regulation_delete"),
    path("documents/<int:pk>/import/", views.version_import, name="version_import"),
    path("<int:pk>/", views.version_detail, name="version"),
    path("<int:pk>/delete/", views.version_delete, name="version_delete"),
    path("<int:pk>/articles/<str:ref>/", views.article_detail, name="article"),
]
