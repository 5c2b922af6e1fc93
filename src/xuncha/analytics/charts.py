"""The dashboard's charts (巡察工作看板): each a small series object computed by the database.

Every chart counts the rows of analytics.statistics_sources (the statistics' and the
drill-down's own definitions: what `access.scope(user, Model)` allows, narrowed by the shared
filters — committee with its subtree, term, round, kind of organization, township) with
values().annotate(Count …) or aggregate(): one query per chart, whatever the number of rows. So a
supervisor counts its subtree (never a lead) and a group member its own group's problems.

The charts and what they count:
- `rounds`: problems per round (bar), in tree order of the committees, then by date;
- `focus`: problems by supervision focus (level 1 of the checklist; pie), by the focus's title as
  the statistics do (the same focus in two checklist versions is one);
- `funnel`: problems found → fed back → with tasks of an approved plan → rectified (fed back,
  and every task closed: statistics_sources.rectified_q) → rectified on time (every task closed
  on or before its deadline, by the local date). The rectification stages only for roles that
  read tasks (not the groups);
- `coverage`: for a term (the one chosen, the chosen round's, else the committee's latest), the
  organizations to cover and those covered, by kind (rounds.selectors.coverage.required);
- `manifestations`: the ten manifestations (level 3) with most problems, by title;
- `overdue`: the ten organizations with most tasks overdue (statistics_sources.overdue_tasks),
  for roles that read tasks.

Each point carries, per series, the link to the list behind it: the drill-down page
(`analytics:drilldown?figure=…` with the filters) where it lists that figure, the coverage page's
organizations not yet covered, the rectification area's overdue list of one organization.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from xuncha.access.policy import VIEW, can_any
from xuncha.access.roles import Role
from xuncha.analytics import drilldown
from xuncha.analytics import statistics_sources as sources
from xuncha.analytics.filters import Filters
from xuncha.findings.models import Problem
from xuncha.rectification.models import Task
from xuncha.rounds.models import Term
from xuncha.rounds.selectors import coverage as coverage_selectors
from xuncha.text.numerals import to_chinese

TOP = 10
# Who reads the dashboard: whoever reads problems for the committee (office, leading group,
# superior office) or for a group. The inspected organization's liaison reads its own problems
# but not the committee's figures; receivers read no problem.
READERS = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER, Role.SUPERVISOR,
           Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER)

# The chart keys, in the order of the page and of the workbook's sheets.
ROUNDS, FOCUS, FUNNEL, COVERAGE, MANIFESTATIONS, OVERDUE = (
    "rounds", "focus", "funnel", "coverage", "manifestations", "overdue")
KEYS = (ROUNDS, FOCUS, FUNNEL, COVERAGE, MANIFESTATIONS, OVERDUE)

# The drill-down's figure keys (analytics.drilldown) of the funnel's stages.
FUNNEL_FIGURES = {"found": "problems", "fed_back": "fed_back", "planned": "tasks_planned",
                  "rectified": "rectified", "on_time": "rectified_on_time"}


def may_read(user) -> bool:
    return (getattr(user, "is_authenticated", False) and not user.system_role
            and can_any(user, VIEW, Problem, roles=READERS))


@dataclass(frozen=True)
class Point:
    label: str
    values: tuple[int, ...]  # one per series
    links: tuple[str | None, ...]  # the list behind each value


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    type: str  # how dashboard.js draws it: bar, pie, funnel, stack (horizontal stacked bars), hbar
    label_heading: str  # the heading of the table's first column
    series: tuple[str, ...]  # the names of the series (the table's other columns)
    points: list[Point] = field(default_factory=list)
    note: str = ""

    @property
    def empty(self) -> bool:
        return not any(any(p.values) for p in self.points)

    @property
    def has_total(self) -> bool:
        """Whether a total line means something: not for a funnel's stages nor a top ten."""
        return self.type in ("bar", "pie", "stack") and len(self.points) > 1

    def totals(self) -> tuple[int, ...]:
        return tuple(sum(p.values[i] for p in self.points) for i in range(len(self.series)))

    def rows(self) -> list[dict]:
        """The table view: label, (value, link) per series, and for a funnel each stage's share
        of the first (in percent, one decimal)."""
        first = self.points[0].values[0] if self.points else 0
        return [{"label": p.label, "cells": list(zip(p.values, p.links, strict=True)),
                 "share": round(p.values[0] * 100 / first, 1) if self.type == "funnel" and first else None}
                for p in self.points]

    def as_json(self) -> dict:
        """What dashboard.js draws: labels, one list of numbers per series, and the links."""
        return {"key": self.key, "type": self.type, "labels": [p.label for p in self.points],
                "series": [{"name": name, "data": [p.values[i] for p in self.points]}
                           for i, name in enumerate(self.series)],
                "links": [list(p.links) for p in self.points]}


class Links:
    """Drill-down URLs under the filters: only for a figure the drill-down lists and the user
    may read (None otherwise, and while the drill-down page does not exist)."""

    def __init__(self, user, filters: Filters):
        self.reader = sources.reader_for(user)
        self.filters = filters
        try:
            self.base = reverse("analytics:drilldown")
        except NoReverseMatch:
            self.base = None

    def __call__(self, figure: str, **extra) -> str | None:
        listing = drilldown.LISTINGS.get(figure)
        if self.base is None or listing is None or not self.reader.reads(listing.model):
            return None
        return f"{self.base}?{self.filters.query(figure=figure, **extra)}"


def reads_tasks(user) -> bool:
    return can_any(user, VIEW, Task, roles=READERS)


# -- the charts ------------------------------------------------------------------------------

def _round_label(row: dict, filters: Filters) -> str:
    label = f"{row['round__term__name']}第{to_chinese(row['round__number'])}轮"
    if row["round__committee_id"] != filters.committee.pk:
        label = f"{row['round__committee__name']}{label}"
    return label


def problems_by_round(user, filters: Filters, links: Links) -> Chart:
    rows = (sources.problems(links.reader, filters).order_by()
            .values("round_id", "round__number", "round__term__name", "round__committee_id",
                    "round__committee__name", "round__committee__path", "round__planned_entry")
            .annotate(n=Count("pk"))
            .order_by("round__committee__path", "round__planned_entry", "round__number", "round_id"))
    points = [Point(_round_label(r, filters), (r["n"],), (links("problems", round=r["round_id"]),)) for r in rows]
    return Chart(ROUNDS, _("Problems per round"), "bar", _("Round"), (_("Problems"),), points)


def _by_title(user, filters: Filters, links: Links, lookup: str, param: str, *, top: int | None = None):
    """Problems counted by the title of their classification's item at `lookup` (as the
    statistics and the drill-down do: the same focus in two checklist versions is one)."""
    rows = (sources.problems(links.reader, filters).order_by()
            .values(heading=F(lookup)).annotate(n=Count("pk")).order_by("-n", "heading"))
    if top is not None:
        rows = rows[:top]
    return [Point(r["heading"], (r["n"],), (links("problems", **{param: r["heading"]}),)) for r in rows]


def problems_by_focus(user, filters: Filters, links: Links) -> Chart:
    points = _by_title(user, filters, links, "classification__parent__parent__title", "focus")
    return Chart(FOCUS, _("Problems by supervision focus"), "pie", _("Supervision focus"), (_("Problems"),), points)


def top_manifestations(user, filters: Filters, links: Links) -> Chart:
    points = _by_title(user, filters, links, "classification__title", "item", top=TOP)
    return Chart(MANIFESTATIONS, _("Most frequent manifestations of problems"), "hbar",
                 _("Manifestation of problems"), (_("Problems"),), points)


def rectification_funnel(user, filters: Filters, links: Links) -> Chart:
    reader = links.reader
    # Aggregates named apart from the fields they filter on (fed_back).
    figures = {"n_found": Count("pk"), "n_fed_back": Count("pk", filter=Q(fed_back=True))}
    stages = [("found", _("Problems found")), ("fed_back", _("Fed back"))]
    if reads_tasks(user):
        planned = Q(Exists(sources.tasks(reader, filters).filter(problem=OuterRef("pk"))))
        rectified = sources.rectified_q(reader)
        late = (reader.scope(Task).filter(problem=OuterRef("pk"), state=Task.State.CLOSED)
                .annotate(closed_on=TruncDate("closed_at")).filter(closed_on__gt=F("due")))
        figures.update(n_planned=Count("pk", filter=planned), n_rectified=Count("pk", filter=rectified),
                       n_on_time=Count("pk", filter=rectified & ~Q(Exists(late))))
        stages += [("planned", _("With rectification tasks")), ("rectified", _("Rectified")),
                   ("on_time", _("Rectified on time"))]
    counts = sources.problems(reader, filters).order_by().aggregate(**figures)
    points = [Point(label, (counts[f"n_{name}"],), (links(FUNNEL_FIGURES[name]),)) for name, label in stages]
    return Chart(FUNNEL, _("Rectification funnel"), "funnel", _("Stage"), (_("Problems"),), points,
                 note=_("With rectification tasks: of an approved plan. Rectified: fed back, and every task "
                        "closed; on time: each closed on or before its deadline."))


def coverage_term(user, filters: Filters) -> Term | None:
    """The term whose coverage is shown: the one chosen, the chosen round's, else the latest of
    the committee."""
    if filters.term is not None:
        return filters.term
    if filters.round is not None and filters.round.committee_id == filters.committee.pk:
        return filters.round.term
    return coverage_selectors.default_term(user, filters.committee.pk)


def coverage(user, filters: Filters, term: Term | None) -> Chart:
    """The organizations the term must cover and those covered, by kind, narrowed to the kind or
    township chosen (rounds.selectors.coverage.required, as the statistics' coverage figure)."""
    chart = Chart(COVERAGE, _("Inspection coverage"), "stack", _("Kind of organization"),
                  (_("Covered"), _("Not yet covered")))
    if term is None:
        return chart
    rows = (coverage_selectors.required(user, term).filter(filters.organization_q()).order_by()
            .values("kind__code", "kind__name", "kind__sort_order")
            .annotate(total=Count("pk"), covered=Count("pk", filter=Q(is_covered=True)))
            .order_by("kind__sort_order", "kind__code"))
    base = reverse("rounds:coverage")
    township = f"&township={filters.township.pk}" if filters.township is not None else ""

    def uncovered_link(code: str) -> str:
        return f"{base}?term={term.pk}&kind={code}{township}#uncovered"

    points = [Point(r["kind__name"], (r["covered"], r["total"] - r["covered"]),
                    (None, uncovered_link(r["kind__code"]) if r["total"] > r["covered"] else None))
              for r in rows]
    return replace(chart, points=points,
                   note=_("Coverage of %(term)s.") % {"term": f"{term.committee.name}{term.name}"})


def overdue_by_organization(user, filters: Filters, links: Links, today: date) -> Chart:
    """Links lead to the rectification area's overdue list of the organization's tasks."""
    chart = Chart(OVERDUE, _("Overdue tasks by organization"), "hbar", _("Organization"), (_("Tasks overdue"),))
    if not reads_tasks(user):
        return chart
    rows = (sources.overdue_tasks(links.reader, filters, today).order_by()
            .values("plan__organization_id", "plan__organization__name", "plan__organization__pinyin")
            .annotate(n=Count("pk"))
            .order_by("-n", "plan__organization__pinyin", "plan__organization_id")[:TOP])
    base = reverse("rectification:overdue")
    narrowed = {"round": filters.round and filters.round.pk, "term": filters.term and filters.term.pk}

    def link(organization_id: int) -> str:
        params = {"kind": "task", "organization": organization_id, **{k: v for k, v in narrowed.items() if v}}
        return f"{base}?{urlencode(params)}"

    chart.points.extend(Point(r["plan__organization__name"], (r["n"],), (link(r["plan__organization_id"]),))
                        for r in rows)
    return chart


def dashboard(user, filters: Filters, today: date, *, only: str | None = None) -> list[Chart]:
    """The charts the user may read, in page order (or just the one named `only`). Charts of
    rectification are left out for roles that read no task (the groups)."""
    links = Links(user, filters)
    makers = {
        ROUNDS: lambda: problems_by_round(user, filters, links),
        FOCUS: lambda: problems_by_focus(user, filters, links),
        FUNNEL: lambda: rectification_funnel(user, filters, links),
        COVERAGE: lambda: coverage(user, filters, coverage_term(user, filters)),
        MANIFESTATIONS: lambda: top_manifestations(user, filters, links),
        OVERDUE: lambda: overdue_by_organization(user, filters, links, today),
    }
    shown = [key for key in KEYS if key != OVERDUE or reads_tasks(user)]
    if not can_any(user, VIEW, Term):
        shown.remove(COVERAGE)
    if only is not None:
        shown = [key for key in shown if key == only]
    return [makers[key]() for key in shown]
