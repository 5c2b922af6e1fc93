"""Reads of feedback, always within the policy's scope. A feedback outside the user's scope is a
404 like a missing one; the liaison's scope holds only issued feedback of its own organization
(the policy hides drafts from it), and the problems it reaches are its organization's fed-back
non-lead problems (findings.policy)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from xuncha.access.policy import VIEW, scope
from xuncha.findings.models import Kind, Problem
from xuncha.registry.selectors import organizations_for
from xuncha.reports.models import (
    DocKind,
    DocType,
    Feedback,
    FeedbackCopy,
    GeneratedDocument,
    Report,
)
from xuncha.rounds.models import Assignment, Round

ISSUED = Feedback.State.ISSUED
# The documents area's download page for one generated file (a name in the "reports" namespace).
DOCUMENT_DOWNLOAD_URL = "reports:document_download"


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _problems(user) -> QuerySet[Problem]:
    return (scope(user, Problem, VIEW).exclude(kind=Kind.LEAD)
            .select_related("classification__parent__parent", "group__round__term").order_by("seq"))


# -- the list of a round ---------------------------------------------------------------------

def round_choices(user) -> QuerySet[Round]:
    return scope(user, Round, VIEW).select_related("term").order_by("-term__start_date", "-number")


def _first(qs: QuerySet, field: str):
    return Subquery(qs.values(field)[:1])


def targets_of_round(user, round_id: int) -> QuerySet[Assignment]:
    """The round's targets the user sees, each with its inspection report's state and its
    feedback (state, date, deadlines, acknowledgement) joined in: one query per page."""
    report = scope(user, Report, VIEW).filter(assignment=OuterRef("pk"), kind=DocKind.REPORT)
    feedback = scope(user, Feedback, VIEW).filter(assignment=OuterRef("pk"))
    return (scope(user, Assignment, VIEW).filter(round_id=round_id)
            .select_related("organization", "group")
            .annotate(report_state=_first(report, "state"),
                      report_approved=Exists(report.filter(state=Report.State.APPROVED,
                                                           approved_version__isnull=False)),
                      feedback_id=_first(feedback, "pk"), feedback_state=_first(feedback, "state"),
                      fed_back_on=_first(feedback, "fed_back_on"),
                      rectification_due=_first(feedback, "rectification_due"),
                      progress_report_due=_first(feedback, "progress_report_due"),
                      acknowledged_at=_first(feedback, "acknowledged_at"))
            .order_by("group__number", "organization__pinyin", "id"))


# -- one feedback ----------------------------------------------------------------------------

def feedback_details(user) -> QuerySet[Feedback]:
    """The feedback the user sees, with what its page shows joined in (problems: those the
    user sees, never leads)."""
    copies = scope(user, FeedbackCopy, VIEW).select_related("organization").order_by("role", "id")
    return (scope(user, Feedback, VIEW)
            .select_related("assignment__organization", "assignment__group__round__term",
                            "assignment__round__committee", "report", "policy", "issued_by", "acknowledged_by",
                            "meeting")
            .prefetch_related(Prefetch("problems", queryset=_problems(user), to_attr="shown_problems"),
                              Prefetch("copies", queryset=copies, to_attr="shown_copies")))


def get_feedback_for_user(user, pk) -> Feedback:
    return _get(feedback_details(user), pk)


def get_target_for_user(user, pk) -> Assignment:
    return _get(scope(user, Assignment, VIEW).select_related("organization", "group__round__term",
                                                             "round__committee"), pk)


def candidate_problems(user, feedback: Feedback) -> QuerySet[Problem]:
    """The target's problems the user sees that may be fed back (never leads)."""
    return _problems(user).filter(assignment_id=feedback.assignment_id)


def get_copy_for_user(user, feedback: Feedback, pk) -> FeedbackCopy:
    return _get(scope(user, FeedbackCopy, VIEW).filter(feedback=feedback).select_related("organization"), pk)


def copy_organizations(user, feedback: Feedback):
    """Organizations of the committee a copy may go to (not the inspected organization)."""
    return (organizations_for(user, committee=feedback.assignment.round.committee_id, active=True)
            .exclude(pk=feedback.assignment.organization_id).order_by("kind__sort_order", "pinyin"))


@dataclass(frozen=True)
class DocumentRow:
    document: GeneratedDocument
    url: str | None


def _download_url(document: GeneratedDocument) -> str | None:
    try:
        return reverse(DOCUMENT_DOWNLOAD_URL, args=[document.pk])
    except NoReverseMatch:
        return None


def documents_for(user, feedback: Feedback, *, doc_types=(DocType.FEEDBACK, DocType.PROBLEM_LIST)) -> list[DocumentRow]:
    """The generated documents of this feedback's target the user may see (for the liaison,
    the policy keeps only those for the organization, never a confidential one)."""
    qs = (scope(user, GeneratedDocument, VIEW)
          .filter(round_id=feedback.assignment.round_id, organization_id=feedback.assignment.organization_id,
                  doc_type__in=list(doc_types))
          .order_by("-created_at", "-id"))
    return [DocumentRow(d, _download_url(d)) for d in qs]


# -- the organization's workspace ------------------------------------------------------------

# Counted per row shown, like the problem list's paper counts.
_problem_count = (Feedback.problems.through.objects.filter(feedback_id=OuterRef("pk")).order_by()
                  .values("feedback_id").annotate(n=Count("*")).values("n"))


def unit_feedback(user) -> QuerySet[Feedback]:
    """The issued feedback of the user's organization(s), newest first."""
    return (scope(user, Feedback, VIEW).filter(state=ISSUED)
            .select_related("assignment__organization", "assignment__group__round__term", "policy")
            .annotate(n_problems=Coalesce(Subquery(_problem_count, output_field=IntegerField()), 0))
            .order_by("-fed_back_on", "-id"))


def get_unit_feedback(user, pk) -> Feedback:
    """One issued feedback of the user's organization, with the problems the user sees in it."""
    return _get(feedback_details(user).filter(state=ISSUED), pk)


# -- to-dos ----------------------------------------------------------------------------------

def awaiting_acknowledgement(user) -> QuerySet[Feedback]:
    return scope(user, Feedback, VIEW).filter(state=ISSUED, acknowledged_at__isnull=True)


def approved_reports_not_fed_back(user) -> QuerySet[Report]:
    """Approved inspection reports the user sees whose feedback is not issued yet (the to-do
    is shown to those who make feedback: the group leader, the office)."""
    issued = Feedback.objects.filter(assignment=OuterRef("assignment"), state=ISSUED)
    return (scope(user, Report, VIEW).filter(kind=DocKind.REPORT, state=Report.State.APPROVED,
                                             approved_version__isnull=False)
            .exclude(Exists(issued)))
