"""The office's rectification dashboard: figures by round and by inspected organization; and
the reads of the deadline-policy pages.

Each source (issued feedback, plans, tasks of approved plans, progress reports, transfers) is
counted by the database in one GROUP BY (round, organization) query from the user's scope, so
the number of queries is fixed whatever the number of organizations; the rows are then folded
into rounds, organizations and a total. Organizations with overdue items come first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from xuncha.access.policy import VIEW, can_any, scope
from xuncha.access.roles import Role
from xuncha.rectification import warnings
from xuncha.rectification.models import DeadlinePolicy, Plan, ProgressReport, Task, Transfer
from xuncha.rectification.selectors import overdue
from xuncha.registry.models import Committee
from xuncha.registry.selectors import committees_for
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Round

# Who reads the dashboard and the overdue list: the office, the leading group, the superior
# office. The organization's liaison reads plans too (its own), but not these pages.
READERS = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER, Role.SUPERVISOR)
PLAN_STATES = [state.value for state in Plan.State]


def may_read(user) -> bool:
    return not getattr(user, "system_role", "") and can_any(user, VIEW, Plan, roles=READERS)


@dataclass
class Figures:
    feedbacks: int = 0
    plans_none: int = 0
    plans_draft: int = 0
    plans_submitted: int = 0
    plans_returned: int = 0
    plans_approved: int = 0
    tasks: int = 0
    tasks_closed: int = 0
    tasks_requested: int = 0
    tasks_red: int = 0
    tasks_yellow: int = 0
    tasks_green: int = 0
    reports_overdue: int = 0
    disclosures_overdue: int = 0
    transfers: int = 0
    transfers_overdue: int = 0

    def add(self, values: dict) -> None:
        for name, value in values.items():
            setattr(self, name, getattr(self, name) + (value or 0))

    @property
    def closure_rate(self) -> float | None:
        """Closed tasks per task of the approved plans (None without tasks)."""
        return self.tasks_closed / self.tasks if self.tasks else None

    @property
    def overdue(self) -> int:
        return self.tasks_red + self.reports_overdue + self.disclosures_overdue + self.transfers_overdue


@dataclass
class OrganizationRow:
    id: int
    name: str
    pinyin: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class RoundRow:
    round: Round
    figures: Figures = field(default_factory=Figures)


@dataclass
class Dashboard:
    rounds: list[RoundRow]
    organizations: list[OrganizationRow]  # overdue first, then by name
    total: Figures


@dataclass(frozen=True)
class Filters:
    round_id: int | None = None
    term_id: int | None = None

    def q(self, round_path: str) -> Q:
        q = Q()
        if self.round_id is not None:
            q &= Q(**{round_path: self.round_id})
        if self.term_id is not None:
            q &= Q(**{f"{round_path}__term": self.term_id})
        return q


def round_choices(user) -> QuerySet[Round]:
    return scope(user, Round, VIEW).select_related("term", "committee").order_by(
        "committee__path", "-term__start_date", "-term__number", "-number")


def _grouped(qs: QuerySet, round_path: str, organization_path: str, **figures) -> QuerySet:
    return (qs.order_by()
            .values(g_round=F(f"{round_path}_id"), g_organization=F(f"{organization_path}_id"),
                    g_name=F(f"{organization_path}__name"), g_pinyin=F(f"{organization_path}__pinyin"))
            .annotate(**figures).order_by())


def _sources(user, filters: Filters, today: date, pairs) -> list[QuerySet]:
    feedback = scope(user, Feedback, VIEW).filter(filters.q("assignment__round"), state=Feedback.State.ISSUED)
    plans = scope(user, Plan, VIEW).filter(feedback=OuterRef("pk"))
    submitted = scope(user, ProgressReport, VIEW).filter(feedback=OuterRef("pk"), state__in=overdue.SUBMITTED)
    task_levels = warnings.TASK.counts(today, pairs)
    base = overdue.scoped(user)
    return [
        _grouped(feedback, "assignment__round", "assignment__organization",
                 feedbacks=Count("pk"), plans_none=Count("pk", filter=~Q(Exists(plans))),
                 reports_overdue=Count("pk", filter=Q(progress_report_due__lt=today) & ~Q(Exists(submitted)))),
        _grouped(scope(user, Plan, VIEW).filter(filters.q("round")), "round", "organization",
                 **{f"plans_{state}": Count("pk", filter=Q(state=state)) for state in PLAN_STATES}),
        _grouped(scope(user, Task, VIEW).filter(filters.q("plan__round"), plan__state=Plan.State.APPROVED),
                 "plan__round", "plan__organization",
                 tasks=Count("pk"), tasks_closed=Count("pk", filter=Q(state=Task.State.CLOSED)),
                 tasks_requested=Count("pk", filter=Q(state=Task.State.REQUESTED)),
                 tasks_red=task_levels["red"], tasks_yellow=task_levels["yellow"],
                 tasks_green=task_levels["green"]),
        _grouped(overdue.warned(base, overdue.Kind.DISCLOSURE, today=today).filter(filters.q("round")),
                 "round", "organization", disclosures_overdue=Count("pk")),
        _grouped(scope(user, Transfer, VIEW).filter(filters.q("round")), "round", "problem__organization",
                 transfers=Count("pk"),
                 transfers_overdue=Count("pk", filter=warnings.TRANSFER.q(warnings.Level.RED, today))),
    ]


def dashboard(user, filters: Filters, today: date, rounds: list[Round]) -> Dashboard:
    """The figures the user may see under the filters; `rounds` are the user's round choices
    (the round rows follow their order)."""
    pairs = warnings.thresholds()
    by_round: dict[int, Figures] = {}
    by_organization: dict[int, OrganizationRow] = {}
    total = Figures()
    for qs in _sources(user, filters, today, pairs):
        for row in qs:
            values = {k: v for k, v in row.items() if not k.startswith("g_")}
            by_round.setdefault(row["g_round"], Figures()).add(values)
            org = by_organization.get(row["g_organization"])
            if org is None:
                org = by_organization[row["g_organization"]] = OrganizationRow(
                    id=row["g_organization"], name=row["g_name"], pinyin=row["g_pinyin"])
            org.figures.add(values)
            total.add(values)
    organizations = sorted(by_organization.values(), key=lambda o: (-o.figures.overdue, o.pinyin, o.id))
    return Dashboard(rounds=[RoundRow(r, by_round[r.pk]) for r in rounds if r.pk in by_round],
                     organizations=organizations, total=total)


# The figures in the order the tables show them.
COLUMNS = ("feedbacks", "plans_none", *(f"plans_{state}" for state in PLAN_STATES), "tasks", "tasks_closed",
           "tasks_requested", "tasks_red", "tasks_yellow", "tasks_green", "reports_overdue", "disclosures_overdue",
           "transfers", "transfers_overdue")


# -- the deadline policy ---------------------------------------------------------------------

def policy_committees(user) -> list[Committee]:
    """The committees whose deadline policy the user reads (the office: its own; the superior
    office: its subtree), in tree order."""
    if not can_any(user, VIEW, DeadlinePolicy):
        return []
    return list(committees_for(user).order_by("path"))


def _used(qs: QuerySet) -> Subquery:
    counted = qs.filter(policy=OuterRef("pk")).order_by().values("policy").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def policy_versions(user, today: date, committee_id: int | None = None) -> QuerySet[DeadlinePolicy]:
    """The versions the user reads (of one committee, or all), newest first, each with the number
    of feedbacks, progress reports (disclosure deadlines) and transfers whose deadlines it
    produced, and `current_id`: the version of its committee in force on `today`."""
    qs = scope(user, DeadlinePolicy, VIEW)
    if committee_id is not None:
        qs = qs.filter(committee_id=committee_id)
    current = (scope(user, DeadlinePolicy, VIEW).filter(committee=OuterRef("committee"), effective_from__lte=today)
               .order_by("-effective_from").values("pk")[:1])
    return (qs.select_related("created_by")
            .annotate(n_feedbacks=_used(scope(user, Feedback, VIEW)),
                      n_reports=_used(scope(user, ProgressReport, VIEW)),
                      n_transfers=_used(scope(user, Transfer, VIEW)),
                      current_id=Subquery(current))
            .order_by("committee__path", "-effective_from"))


def get_policy_for_user(user, pk, *, action: str = VIEW) -> DeadlinePolicy:
    policy = scope(user, DeadlinePolicy, action).select_related("committee").filter(pk=pk).first()
    if policy is None:
        raise Http404
    return policy
