"""Term statistics (DESIGN §2): the figures a committee reports upward, computed by the database.

`compute(user, filters)` counts what the user may read (`access.policy.scope` on every model),
narrowed by the shared filters (committee with its subtree, term, round, kind of organization,
township): a superior office counts its whole subtree (never a lead), an inspection group member
only its own group's targets and problems, and a figure of a model the user cannot read at all
is left out (a group reads no transfer, a superior office no complaint). The console command
passes `statistics_sources.CONSOLE_READER` instead of a user (see there). A fixed number of
queries whatever the size of the data (aggregate/annotate, never a loop over rows).

Definitions (the tests check exactly these):
- rounds held: rounds that have started (state neither planned nor approved); with a kind or a
  township, those that inspected such an organization;
- organizations inspected: distinct organizations of the targets of those rounds; by kind and
  mode (an organization inspected in two modes counts in both cells, once in the total);
- coverage: for a term (and no round), the share of the organizations the term must cover that
  it has covered (rounds.selectors.coverage), narrowed to the kind or township when chosen;
- problems found: problems of every kind (general, lead, cadre selection); leads: kind lead;
  by focus (监督重点, the classification's level 1), by point (监督要点, level 2; the top
  `TOP_POINTS`), by kind;
- fed back: problems fed back to their organization; rectified: fed-back problems that have
  rectification tasks, every one of them closed (销号); rate: rectified / fed back, in percent
  with one decimal;
- overdue: tasks of approved plans past their deadline and not closed (warnings.TASK, red);
- transferred: transfers (移交) of problems and leads; people disciplined (党纪政务处分), people
  given organizational handling (组织处理), money recovered (yuan), systems established: sums
  over the transfers' reported results;
- recommendations issued: 巡察建议书 issued or closed, in the period (own term, or dated within
  the term in lower committees; a round: those of the round); addressees: the departments they
  were sent to (one per letter and department), by department;
- systems established or improved: SystemOutcome rows of those addressees (after
  recommendations) and, separately, the transfers' `systems_established` (after transfers);
- campaigns started: special campaigns started in the period (a round: those its
  recommendations started);
- complaints received: complaints of the period (a round: received in it), by category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xuncha.access.policy import VIEW, can_any
from xuncha.access.roles import GROUP_ROLES, Role
from xuncha.analytics import statistics_sources as sources
from xuncha.analytics.filters import Filters
from xuncha.analytics.models import Campaign, Recommendation, RecommendationAddressee, SystemOutcome
from xuncha.findings.models import Problem
from xuncha.findings.models.papers import Kind as ProblemKind
from xuncha.intake.models import Complaint
from xuncha.rectification.models import Task, Transfer
from xuncha.registry.models import Committee, Organization
from xuncha.rounds import coverage
from xuncha.rounds.models import Assignment, Round

READERS = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER, Role.SUPERVISOR, *GROUP_ROLES)
TOP_POINTS = 10
NO_CATEGORY = "none"

# key → (label, unit), in the order of the table.
FIGURES: dict[str, tuple[Promise, Promise | str]] = {
    "rounds": (_("Rounds held"), pgettext_lazy("unit", "rounds")),
    "organizations": (_("Organizations inspected"), pgettext_lazy("unit", "organizations")),
    "coverage": (_("Coverage of the term"), "%"),
    "complaints": (_("Complaints received"), pgettext_lazy("unit", "items")),
    "problems": (_("Problems found"), pgettext_lazy("unit", "problems")),
    "leads": (_("Leads among them"), pgettext_lazy("unit", "leads")),
    "fed_back": (_("Problems fed back"), pgettext_lazy("unit", "problems")),
    "rectified": (_("Problems rectified"), pgettext_lazy("unit", "problems")),
    "rectification_rate": (_("Rectification rate"), "%"),
    "overdue": (_("Rectification tasks overdue"), pgettext_lazy("unit", "tasks")),
    "transfers": (_("Problems and leads transferred"), pgettext_lazy("unit", "items")),
    "people_disciplined": (_("People given party or government sanctions"), pgettext_lazy("unit", "people")),
    "people_handled": (_("People given organizational handling"), pgettext_lazy("unit", "people")),
    "money_recovered": (_("Money recovered"), _("yuan")),
    "recommendations": (_("Recommendations issued"), pgettext_lazy("unit", "letters")),
    "addressees": (_("Departments addressed"), pgettext_lazy("unit", "departments")),
    "systems_outcomes": (_("Systems established or improved after recommendations"), pgettext_lazy("unit", "systems")),
    "systems_transfers": (_("Systems established or improved after transfers"), pgettext_lazy("unit", "systems")),
    "campaigns": (_("Special campaigns started"), pgettext_lazy("unit", "campaigns")),
}


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise | str
    value: int | float | Decimal | None  # None: a rate with nothing to divide by
    unit: Promise | str
    link: str | None


@dataclass(frozen=True)
class Row:
    """A line of a breakdown: `key` is the drill-down parameter's value; `kind` and `kind_name`
    the organization's kind, `level` its committee's level, where the row is an organization
    (addressees)."""

    key: str
    label: str
    value: int
    link: str | None
    kind: str = ""
    kind_name: str = ""
    level: str = ""  # the level of the organization's committee (county, city …)


@dataclass(frozen=True)
class InspectedRow:
    """Organizations of a kind inspected in a mode, under committees of one level (a superior
    office's subtree holds county and city departments alike)."""

    kind_id: int
    kind_code: str
    kind_name: str
    mode: str
    mode_label: str
    value: int
    link: str | None
    level: str = ""
    level_label: str = ""


@dataclass
class Statistics:
    filters: Filters
    today: date
    figures: dict[str, Figure] = field(default_factory=dict)
    by_focus: list[Row] = field(default_factory=list)
    by_point: list[Row] = field(default_factory=list)
    by_problem_kind: list[Row] = field(default_factory=list)
    inspected: list[InspectedRow] = field(default_factory=list)
    addressees: list[Row] = field(default_factory=list)
    complaints_by_category: list[Row] = field(default_factory=list)

    def value(self, key: str):
        """The figure's value; 0 when it is absent (not readable) or has no value."""
        figure = self.figures.get(key)
        return 0 if figure is None or figure.value is None else figure.value

    @property
    def systems(self) -> int:
        return self.value("systems_outcomes") + self.value("systems_transfers")


def may_read(user) -> bool:
    """Who reads statistics: the office, the leading group, the superior office and the groups —
    whoever reads problems or rounds through one of those roles (never the liaison, who reads its
    own fed-back problems but not the committee's figures, nor the 三员)."""
    if not getattr(user, "is_authenticated", False) or user.system_role:
        return False
    return can_any(user, VIEW, Problem, roles=READERS) or can_any(user, VIEW, Round, roles=READERS)


class _Links:
    def __init__(self, filters: Filters):
        self.base = reverse("analytics:drilldown")
        self.filters = filters

    def __call__(self, figure: str, **extra) -> str:
        return f"{self.base}?{self.filters.query(figure=figure, **extra)}"


def _money(name: str):
    return Coalesce(Sum(name), Value(Decimal("0")), output_field=DecimalField(max_digits=18, decimal_places=2))


def _sum(name: str):
    return Coalesce(Sum(name), Value(0), output_field=IntegerField())


def covers(reader, f: Filters) -> bool:
    """Coverage is a figure of a term: shown for a term, not for one round."""
    return f.term is not None and f.round is None and reader.reads(Organization)


def _coverage(reader, f: Filters) -> float | None | bool:
    """The coverage rate of the term (False when not applicable)."""
    if not covers(reader, f):
        return False
    counts = sources.required(reader, f.term).filter(f.organization_q()).aggregate(total=Count("pk"),
                                                            covered=Count("pk", filter=Q(is_covered=True)))
    return coverage.rate(counts["covered"], counts["total"])


def compute(user, filters: Filters, *, today: date | None = None) -> Statistics:
    """The statistics `user` (or a statistics_sources reader) sees under `filters`."""
    reader = sources.reader_for(user)
    f = filters
    today = today or timezone.localdate()
    link = _Links(f)
    stats = Statistics(filters=f, today=today)
    values: dict[str, object] = {}

    if reader.reads(Round):
        values["rounds"] = sources.rounds(reader, f).count()
    if reader.reads(Assignment):
        targets = sources.targets(reader, f)
        values["organizations"] = targets.aggregate(n=Count("organization", distinct=True))["n"]
        modes = dict(Assignment.Mode.choices)
        cells = (targets.order_by()
                 .values("mode", kind_id=F("organization__kind_id"), kind_code=F("organization__kind__code"),
                         kind_name=F("organization__kind__name"), kind_order=F("organization__kind__sort_order"),
                         level=F("organization__committee__level"))
                 .annotate(n=Count("organization", distinct=True))
                 .order_by("kind_order", "kind_code", "level", "mode"))
        levels = dict(Committee.Level.choices)
        stats.inspected = [InspectedRow(c["kind_id"], c["kind_code"], c["kind_name"], c["mode"],
                                        str(modes.get(c["mode"], c["mode"])), c["n"],
                                        link("organizations", kind=c["kind_id"], mode=c["mode"], level=c["level"]),
                                        c["level"], str(levels.get(c["level"], c["level"]))) for c in cells]
    rate = _coverage(reader, f)
    if rate is not False:
        values["coverage"] = rate
    if reader.reads(Complaint):
        categories = (sources.complaints(reader, f).order_by()
                      .values(focus=F("category__title")).annotate(n=Count("pk"))
                      .order_by("-n", "focus"))
        stats.complaints_by_category = [
            Row(c["focus"] or NO_CATEGORY, c["focus"] or str(_("Not categorized")), c["n"],
                link("complaints", category=c["focus"] or NO_CATEGORY)) for c in categories]
        values["complaints"] = sum(r.value for r in stats.complaints_by_category)

    if reader.reads(Problem):
        _problems(reader, f, stats, values, link)
    if reader.reads(Task):
        values["overdue"] = sources.overdue_tasks(reader, f, today).count()
    if reader.reads(Transfer):
        totals = sources.transfers(reader, f).aggregate(
            transfers=Count("pk"), people_disciplined=_sum("people_disciplined"),
            people_handled=_sum("people_handled"), money_recovered=_money("money_recovered"),
            systems_transfers=_sum("systems_established"))
        values.update(totals)
    if reader.reads(Recommendation):
        values["recommendations"] = sources.recommendations(reader, f).count()
    if reader.reads(RecommendationAddressee):
        rows = (sources.addressees(reader, f).order_by()
                .values("organization_id", name=F("organization__name"), kind=F("organization__kind__code"),
                        kind_name=F("organization__kind__name"), level=F("organization__committee__level"),
                        pinyin=F("organization__pinyin"))
                .annotate(n=Count("pk")).order_by("-n", "pinyin", "organization_id"))
        stats.addressees = [Row(str(r["organization_id"]), r["name"], r["n"],
                                link("addressees", organization=r["organization_id"]), kind=r["kind"], kind_name=r["kind_name"],
                                level=r["level"])
                           for r in rows]
        values["addressees"] = sum(r.value for r in stats.addressees)
    if reader.reads(SystemOutcome):
        values["systems_outcomes"] = sources.outcomes(reader, f).count()
    if reader.reads(Campaign):
        values["campaigns"] = sources.campaigns(reader, f).count()

    for key, (label, unit) in FIGURES.items():
        if key in values:
            stats.figures[key] = Figure(key, label, values[key], unit, link(key))
    return stats


def _problems(reader, f: Filters, stats: Statistics, values: dict, link) -> None:
    """Problems: totals and kinds in one query (rectified when tasks are readable), then by focus
    and by point."""
    qs = sources.problems(reader, f)
    # Aggregate names must not be field names (fed_back is one): all prefixed with n_.
    figures = {"n_problems": Count("pk"), "n_leads": Count("pk", filter=Q(kind=sources.LEAD))}
    figures.update({f"n_kind_{kind}": Count("pk", filter=Q(kind=kind)) for kind in ProblemKind.values})
    reads_tasks = reader.reads(Task)
    if reads_tasks:
        figures["n_fed_back"] = Count("pk", filter=Q(fed_back=True))
        figures["n_rectified"] = Count("pk", filter=sources.rectified_q(reader))
    counts = {key.removeprefix("n_"): value for key, value in qs.aggregate(**figures).items()}
    values["problems"], values["leads"] = counts["problems"], counts["leads"]
    if reads_tasks:
        values["fed_back"], values["rectified"] = counts["fed_back"], counts["rectified"]
        values["rectification_rate"] = coverage.rate(counts["rectified"], counts["fed_back"])
    stats.by_problem_kind = [Row(kind, str(label), counts[f"kind_{kind}"], link("problems", problem_kind=kind))
                             for kind, label in ProblemKind.choices if counts[f"kind_{kind}"]]
    focus = (qs.order_by().values(heading=F("classification__parent__parent__title"))
             .annotate(n=Count("pk")).order_by("-n", "heading"))
    stats.by_focus = [Row(r["heading"], r["heading"], r["n"], link("problems", focus=r["heading"])) for r in focus]
    point = (qs.order_by().values(heading=F("classification__parent__title"))
             .annotate(n=Count("pk")).order_by("-n", "heading")[:TOP_POINTS])
    stats.by_point = [Row(r["heading"], r["heading"], r["n"], link("problems", point=r["heading"])) for r in point]
