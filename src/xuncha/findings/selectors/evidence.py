"""Reads of evidence files: a paper's files, and one file, always through the policy.
A paper or file outside the user's scope is a 404, like a missing one."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from xuncha.access.policy import VIEW, can, scope
from xuncha.findings.models import Evidence, WorkingPaper


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_paper_for_evidence(user, paper_id) -> WorkingPaper:
    """The paper, if the user sees it and may read its evidence; 404 otherwise (the superior
    office reads papers but not the files behind them)."""
    paper = _get(scope(user, WorkingPaper, VIEW).select_related("group__round__term", "assignment__organization"),
                 paper_id)
    if not can(user, VIEW, Evidence(paper=paper)):
        raise Http404
    return paper


def evidence_of(user, paper: WorkingPaper) -> QuerySet[Evidence]:
    return scope(user, Evidence, VIEW).filter(paper=paper).select_related("uploaded_by").order_by("uploaded_at", "id")


def get_evidence_for_user(user, pk) -> Evidence:
    return _get(scope(user, Evidence, VIEW).select_related("paper__group__round__term"), pk)
