"""Reads of reports, their versions and approval history, always within the policy's scope.
A report outside the user's scope is a 404 like a missing one; the superior office never sees a
leads report (the policy hides it), the inspected organization sees no report at all.

For other parts of the work (feedback, documents): `is_approved(report)` and
`approved_sections(report)` read a report already fetched through the user's scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from xuncha.access import policy
from xuncha.access.policy import VIEW, scope
from xuncha.access.roles import GROUP_ROLES
from xuncha.reports import chain
from xuncha.reports.models import ApprovalChain, DocKind, Report, ReportStep, ReportVersion
from xuncha.rounds.models import Assignment, Round

REPORT_RELATED = ("assignment__round__term", "assignment__round__committee", "assignment__group",
                  "assignment__organization")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# -- for other parts of the work --------------------------------------------------------------

def is_approved(report: Report) -> bool:
    """Whether the report went through its whole chain (its approved version is frozen)."""
    return report.state == Report.State.APPROVED and report.approved_version_id is not None


def approved_sections(report: Report) -> list[dict] | None:
    """The sections of the approved version, or None while the report is not approved."""
    if not is_approved(report):
        return None
    return list(ReportVersion.objects.filter(pk=report.approved_version_id).values_list("sections", flat=True))[0]


def report_for(user, assignment, kind: str = DocKind.REPORT) -> Report | None:
    """The target's report of a kind, if the user may see it."""
    return scope(user, Report, VIEW).select_related(*REPORT_RELATED).filter(assignment=assignment, kind=kind).first()


# -- reports ---------------------------------------------------------------------------------

def reports_for(user, *, round_id: int | None = None, assignment_id: int | None = None, state: str = "",
                kind: str = "") -> QuerySet[Report]:
    qs = scope(user, Report, VIEW)
    if round_id:
        qs = qs.filter(assignment__round_id=round_id)
    if assignment_id:
        qs = qs.filter(assignment_id=assignment_id)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related(*REPORT_RELATED).order_by("-assignment__round__term__start_date",
                                                       "-assignment__round__number", "assignment__group__number",
                                                       "assignment__organization__pinyin", "kind", "id")


def get_report_for_user(user, pk) -> Report:
    pk = _int(pk)
    report = scope(user, Report, VIEW).select_related(*REPORT_RELATED, "approved_version").filter(pk=pk).first() \
        if pk is not None else None
    if report is None:
        raise Http404
    return report


def versions_of(user, report: Report) -> list[ReportVersion]:
    return list(scope(user, ReportVersion, VIEW).filter(report=report).select_related("created_by")
                .order_by("-number"))


def version_of(user, report: Report, number) -> ReportVersion:
    number = _int(number)
    version = scope(user, ReportVersion, VIEW).filter(report=report, number=number).first() \
        if number is not None else None
    if version is None:
        raise Http404
    return version


def history_of(user, report: Report) -> list[ReportStep]:
    return list(scope(user, ReportStep, VIEW).filter(report=report).select_related("actor", "version")
                .order_by("at", "id"))


# -- the round's reports ---------------------------------------------------------------------

def rounds_for(user) -> list[Round]:
    """Rounds with targets the user sees, newest first."""
    targets = scope(user, Assignment, VIEW).values("round_id")
    return list(scope(user, Round, VIEW).filter(pk__in=targets).select_related("term")
                .order_by("-term__start_date", "-number"))


def targets_with_reports(user, rnd: Round) -> QuerySet[Assignment]:
    """The round's targets the user sees, each with `shown_reports` (the reports the user sees)."""
    reports = scope(user, Report, VIEW).select_related("approved_version").order_by("kind")
    return (scope(user, Assignment, VIEW).filter(round=rnd)
            .select_related("group", "organization", "round__committee")
            .prefetch_related(Prefetch("reports", queryset=reports, to_attr="shown_reports"))
            .order_by("group__number", "organization__kind__sort_order", "organization__pinyin", "id"))


# -- the approval inbox ----------------------------------------------------------------------

def _held_scopes(user) -> tuple[set[int], set[int]]:
    groups, committees = set(), set()
    for held in policy.assignments(user):
        if held.role in GROUP_ROLES and held.group_id:
            groups.add(held.group_id)
        elif held.role in chain.STEP_ROLES and held.committee_id:
            committees.add(held.committee_id)
    return groups, committees


def inbox(user) -> list[Report]:
    """Reports in approval whose current step the user may decide. The reports in approval are
    read in SQL within the user's groups and committees; which of them wait for one of the
    user's roles is read from each report's copied steps."""
    groups, committees = _held_scopes(user)
    if user.system_role or not (groups or committees):
        return []
    from django.db.models import Q

    qs = (scope(user, Report, VIEW).filter(state=Report.State.IN_REVIEW)
          .filter(Q(assignment__group_id__in=groups) | Q(assignment__round__committee_id__in=committees))
          .select_related(*REPORT_RELATED).order_by("updated_at", "id"))
    mine = []
    for report in qs:
        step = chain.current_step(report)
        if step and chain.acting_role(step.get("roles", ()), chain.roles_for(report, user)):
            if policy.can(user, policy.CHANGE, report):
                mine.append(report)
    return mine


# -- the chain settings ----------------------------------------------------------------------

@dataclass(frozen=True)
class ChainView:
    kind: str
    label: str
    steps: list[dict]
    configured: bool


def chain_committees(user) -> list:
    """The committees whose approval chains the user may read."""
    seen, out = set(), []
    for held in policy.assignments(user):
        committee = held.committee
        if committee is not None and committee.pk not in seen and policy.can(
                user, VIEW, ApprovalChain(committee=committee, kind=DocKind.REPORT)):
            seen.add(committee.pk)
            out.append(committee)
    return out


def chains_of(user, committee) -> list[ChainView]:
    configured = {c.kind: c for c in scope(user, ApprovalChain, VIEW).filter(committee=committee)}
    return [ChainView(kind, str(label), chain.steps_for(committee, kind, chains=configured),
                      bool(configured.get(kind) and configured[kind].steps))
            for kind, label in DocKind.choices]
