"""Problems made from signed working papers, and the search over papers and problems."""

from django.urls import path

from xuncha.findings.views import problems as views
from xuncha.findings.views import search

urlpatterns = [
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/papers/", views.problem_candidates, name="problem_candidates"),
    path("problems/merge/", views.problem_merge, name="problem_merge"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/split/", views.problem_split, name="problem_split"),
    path("problems/<int:pk>/delete/", views.problem_delete, name="problem_delete"),
    path("search/", search.search, name="search"),
]
