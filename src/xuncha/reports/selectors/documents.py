"""Reads of the documents area, every one through the policy's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from xuncha.access.policy import VIEW, scope
from xuncha.reports.models import DocType, DocumentTemplate, Feedback, GeneratedDocument, Report
from xuncha.rounds.models import Assignment, Round


def documents_for_user(user, *, round_id=None, doc_type: str = "", organization_id=None) -> QuerySet:
    qs = scope(user, GeneratedDocument, VIEW).select_related("round__term", "group", "organization", "created_by")
    if round_id:
        qs = qs.filter(round_id=round_id)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if organization_id:
        qs = qs.filter(organization_id=organization_id)
    return qs.order_by("-created_at", "-id")


def get_document_for_user(user, pk) -> GeneratedDocument:
    document = documents_for_user(user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def get_round_for_user(user, round_id) -> Round:
    """The round, if the user reads it or any of its documents (a liaison sees only its documents)."""
    visible = Q(pk__in=scope(user, Round, VIEW).values("pk")) | Q(
        pk__in=scope(user, GeneratedDocument, VIEW).values("round_id"))
    round_ = Round.objects.filter(visible, pk=round_id).select_related("term", "committee").first()
    if round_ is None:
        raise Http404
    return round_


def generate_targets(user, round_: Round) -> dict:
    """What the user could generate in the round: reports, feedback, targets (problem lists)."""
    reports = (scope(user, Report, VIEW).filter(assignment__round=round_)
               .select_related("assignment__organization", "assignment__group").order_by("assignment__group__number",
                                                                                         "assignment_id", "kind"))
    feedbacks = (scope(user, Feedback, VIEW).filter(assignment__round=round_)
                 .select_related("assignment__organization", "assignment__group"))
    assignments = (scope(user, Assignment, VIEW).filter(round=round_)
                   .select_related("organization", "group").order_by("group__number", "id"))
    return {"reports": reports, "feedbacks": feedbacks, "assignments": assignments}


def resolve_target(user, doc_type: str, object_id) -> object:
    """The object a document is made from, within the user's scope; 404 otherwise."""
    if doc_type in (DocType.REPORT, DocType.LEADS):
        target = scope(user, Report, VIEW).filter(pk=object_id, kind=doc_type).select_related(
            "assignment__round__committee", "assignment__group", "assignment__organization").first()
    elif doc_type == DocType.FEEDBACK:
        target = scope(user, Feedback, VIEW).filter(pk=object_id).first()
    elif doc_type == DocType.PROBLEM_LIST:
        target = scope(user, Assignment, VIEW).filter(pk=object_id).select_related(
            "round__committee", "group", "organization").first()
    elif doc_type == DocType.LEDGER:
        target = scope(user, Round, VIEW).filter(pk=object_id).select_related("committee", "term").first()
    else:
        target = None
    if target is None:
        raise Http404
    return target


def templates_for_user(user) -> QuerySet:
    return scope(user, DocumentTemplate, VIEW).select_related("committee", "uploaded_by").order_by(
        "committee_id", "doc_type", "-uploaded_at")


def get_template_for_user(user, pk) -> DocumentTemplate:
    template = templates_for_user(user).filter(pk=pk).first()
    if template is None:
        raise Http404
    return template
