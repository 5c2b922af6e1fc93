"""Evidence of working papers: the paper's files, download and removal."""

from django.urls import path

from xuncha.findings.views import evidence as views

urlpatterns = [
    path("papers/<int:paper_id>/evidence/", views.paper_evidence, name="paper_evidence"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
