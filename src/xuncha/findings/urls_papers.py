"""Working papers: the ledger, the editor, one paper with its sign-off, the review inbox."""

from django.urls import path

from xuncha.findings.views import papers as views

urlpatterns = [
    path("papers/", views.paper_ledger, name="papers"),
    path("papers/inbox/", views.paper_inbox, name="paper_inbox"),
    path("papers/new/", views.paper_create, name="paper_create"),
    path("papers/<int:pk>/", views.paper_detail, name="paper_detail"),
    path("papers/<int:pk>/edit/", views.paper_edit, name="paper_edit"),
    path("papers/<int:pk>/delete/", views.paper_delete, name="paper_delete"),
    path("papers/<int:pk>/step/", views.paper_step, name="paper_step"),
    path("papers/<int:pk>/amend/", views.paper_amend, name="paper_amend"),
]
