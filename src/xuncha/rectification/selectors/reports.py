"""Reads of progress reports (集中整改进展情况报告) and their disclosure, always within the policy's
scope; a report outside it is a 404 like a missing one.

The ledger is built on the issued feedback, joined to its progress report when one was
started: a feedback whose report was never started stays visible as "not submitted" with its
due date. Only roles that read progress reports (the office, the leading group, the superior
office, the organization's liaison) reach it, each within its own scope. What is overdue, late
or on time is worked out by the database, on the day given, so that lists, filters, ordering
and to-dos agree:

- a report is overdue when it is not submitted (not started, being written or returned) and its
  due date has passed; it was late when submitted after its due date;
- the disclosure is "pending" (not yet due) while nothing is published and its due date has not
  passed, "overdue" once it has, "on time" when the first publication came on or before the
  due date and "late" when after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from xuncha.access import policy
from xuncha.access.policy import VIEW, scope
from xuncha.access.roles import Role
from xuncha.rectification.models import Disclosure, ProgressReport
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Round

S = ProgressReport.State
NOT_STARTED = "not_started"
NOT_SUBMITTED = (S.DRAFT, S.RETURNED)
OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
LIAISON = (Role.UNIT_LIAISON,)
# The roles that read progress reports (rectification.policy); feedback is read by more
# (the inspection groups), so the ledger narrows the feedback it starts from to these.
REPORT_READERS = (Role.LEADER, *OFFICE, Role.SUPERVISOR, *LIAISON)


class DisclosureState:
    NONE = ""
    PENDING = "pending"
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PUBLISHED = (ON_TIME, LATE)

    LABELS = {PENDING: _("Not yet due"), ON_TIME: _("Published on time"), LATE: _("Published late"),
              OVERDUE: _("Disclosure overdue")}
    CSS = {PENDING: "secondary", ON_TIME: "success", LATE: "warning", OVERDUE: "danger"}


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _day(today: date) -> Value:
    return Value(today, output_field=DateField())


def _with_states(qs: QuerySet, today: date, disclosures: QuerySet, *, report: str, due: str) -> QuerySet:
    """Annotate disclosure_state, report_overdue, submitted_late and overdue (1/0). `report` is the
    lookup prefix of the progress report ("" on reports themselves), `due` the lookup of its due
    date, `disclosures` the row's publications the user sees (correlated with OuterRef).
    The first publication was on time exactly when some publication came on or before the due date."""
    reviewed = Q(**{f"{report}state": S.REVIEWED})
    disclosure_due = f"{report}disclosure_due"
    on_time = Q(Exists(disclosures.filter(published_on__lte=OuterRef(disclosure_due))))
    published = Q(Exists(disclosures))
    disclosure_past = Q(**{f"{disclosure_due}__lt": _day(today)})
    state = Case(
        When(reviewed & on_time, then=Value(DisclosureState.ON_TIME)),
        When(reviewed & published, then=Value(DisclosureState.LATE)),
        When(reviewed & disclosure_past, then=Value(DisclosureState.OVERDUE)),
        When(reviewed, then=Value(DisclosureState.PENDING)),
        default=Value(DisclosureState.NONE), output_field=CharField())
    not_submitted = Q(**{f"{report}state__in": NOT_SUBMITTED})
    if report:
        not_submitted |= Q(**{f"{report[:-2]}__isnull": True})
    report_overdue = not_submitted & Q(**{f"{due}__lt": _day(today)})
    return qs.annotate(
        disclosure_state=state,
        report_overdue=Case(When(report_overdue, then=Value(True)), default=Value(False),
                            output_field=BooleanField()),
        submitted_late=Case(When(**{f"{report}submitted_on__gt": F(due), "then": Value(True)}),
                            default=Value(False), output_field=BooleanField()),
        overdue=Case(When(report_overdue | (reviewed & ~published & disclosure_past), then=Value(1)),
                     default=Value(0), output_field=IntegerField()))


# -- the ledger ------------------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerFilters:
    round: int | None = None
    state: str = ""  # a report state, or NOT_STARTED
    overdue: bool = False


def ledger(user, today: date, filters: LedgerFilters = LedgerFilters()) -> QuerySet[Feedback]:
    """The issued feedback the user sees through a role that reads progress reports, each with
    its progress report (None when not started) and the states above: overdue first, then by
    due date. One query per page."""
    reports = scope(user, ProgressReport, VIEW)
    qs = (scope(user, Feedback, VIEW, roles=REPORT_READERS).filter(state=Feedback.State.ISSUED)
          .filter(Q(progress_report__isnull=True) | Q(progress_report__in=reports))
          .select_related("assignment__organization", "assignment__round__term", "policy",
                          "progress_report__policy")
          .annotate(row_due=Coalesce("progress_report__due", "progress_report_due")))
    disclosures = scope(user, Disclosure, VIEW).filter(report__feedback=OuterRef("pk"))
    qs = _with_states(qs, today, disclosures, report="progress_report__", due="row_due")
    if filters.round:
        qs = qs.filter(assignment__round_id=filters.round)
    if filters.state == NOT_STARTED:
        qs = qs.filter(progress_report__isnull=True)
    elif filters.state:
        qs = qs.filter(progress_report__state=filters.state)
    if filters.overdue:
        qs = qs.filter(overdue=1)
    return qs.order_by("-overdue", "row_due", "assignment__organization__pinyin", "id")


def round_choices(user) -> QuerySet[Round]:
    """Rounds for the ledger's filter (the liaison reads no rounds and gets none)."""
    return scope(user, Round, VIEW).select_related("term").order_by("-term__start_date", "-number")


def reportable_feedback(user) -> QuerySet[Feedback]:
    """The issued feedback the user sees through a role that reads progress reports."""
    return (scope(user, Feedback, VIEW, roles=REPORT_READERS).filter(state=Feedback.State.ISSUED)
            .select_related("assignment__organization", "assignment__round__committee"))


def get_startable_feedback(user, pk) -> Feedback:
    return _get(reportable_feedback(user), pk)


# -- one report ------------------------------------------------------------------------------

def reports(user, today: date) -> QuerySet[ProgressReport]:
    """The progress reports the user sees, with the states above and what their pages show."""
    qs = (scope(user, ProgressReport, VIEW)
          .select_related("organization", "round__term", "round__committee", "feedback__policy", "policy",
                          "submitted_by", "reviewed_by"))
    disclosures = scope(user, Disclosure, VIEW).filter(report=OuterRef("pk"))
    return _with_states(qs, today, disclosures, report="", due="due")


def report_details(user, today: date) -> QuerySet[ProgressReport]:
    disclosures = scope(user, Disclosure, VIEW).select_related("recorded_by").order_by("published_on", "id")
    return reports(user, today).prefetch_related(
        Prefetch("disclosures", queryset=disclosures, to_attr="shown_disclosures"))


def get_report_for_user(user, pk, today: date) -> ProgressReport:
    return _get(report_details(user, today), pk)


def get_disclosure_for_user(user, report: ProgressReport, pk) -> Disclosure:
    return _get(scope(user, Disclosure, VIEW).filter(report=report), pk)


def api_reports(user, today: date, *, round: int | None = None, organization: int | None = None,
                state: str = "", overdue: bool | None = None) -> QuerySet[ProgressReport]:
    qs = reports(user, today)
    if round:
        qs = qs.filter(round_id=round)
    if organization:
        qs = qs.filter(organization_id=organization)
    if state:
        qs = qs.filter(state=state)
    if overdue is not None:
        qs = qs.filter(overdue=1 if overdue else 0)
    return qs.order_by("-overdue", "due", "organization__pinyin", "id")


# -- to-dos ----------------------------------------------------------------------------------

def holds(user, roles) -> bool:
    return not user.system_role and any(a.role in roles for a in policy.assignments(user))


def reports_owed(user) -> QuerySet[Feedback]:
    """For the liaison: its organization's issued feedback whose report is not submitted."""
    return (scope(user, Feedback, VIEW, roles=LIAISON).filter(state=Feedback.State.ISSUED)
            .filter(Q(progress_report__isnull=True) | Q(progress_report__state__in=NOT_SUBMITTED))
            .select_related("policy", "progress_report").order_by("progress_report_due", "id"))


def _unpublished(user, roles) -> QuerySet[ProgressReport]:
    published = scope(user, Disclosure, VIEW, roles=roles).filter(report=OuterRef("pk"))
    return scope(user, ProgressReport, VIEW, roles=roles).filter(state=S.REVIEWED).exclude(Exists(published))


def disclosures_owed(user) -> QuerySet[ProgressReport]:
    """For the liaison: reviewed reports of its organization with nothing published yet."""
    return _unpublished(user, LIAISON)


def to_review(user) -> QuerySet[ProgressReport]:
    return scope(user, ProgressReport, policy.CHANGE, roles=OFFICE).filter(state=S.SUBMITTED)


def disclosures_overdue(user, today: date) -> QuerySet[ProgressReport]:
    return _unpublished(user, OFFICE).filter(disclosure_due__lt=today)
