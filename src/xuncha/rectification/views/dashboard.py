"""The rectification dashboard (整改工作看板) and the overdue list, for the office, the leading
group and the superior office. Every figure links to the list behind it: the overdue list
filtered, or the other areas' pages (plans, closure requests, transfers, feedback) by their URL
names with round, term, organization and state as query parameters.

Roles that read no plan get the 403 page; the organization's liaison, who reads its own plans,
gets it too (these pages are the committee's view, not the organization's).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from xuncha.rectification.models import Plan
from xuncha.rectification.selectors import dashboard as selectors
from xuncha.rectification.selectors import overdue as overdue_selectors
from xuncha.rectification.selectors.dashboard import COLUMNS, Figures, Filters
from xuncha.rectification.selectors.overdue import Kind
from xuncha.rectification.warnings import CSS, Level
from xuncha.registry.selectors import organizations_for
from xuncha.workbench.pages import service_page

PER_PAGE = 50
LEVELS = (Level.RED, Level.YELLOW, Level.GREEN)

dashboard_page = service_page(refuse_system_roles=True, readable=Plan)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def try_reverse(name: str, *args) -> str | None:
    """The URL of a page of another area, None while that page does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _require_reader(user) -> None:
    if not selectors.may_read(user):
        raise PermissionDenied


def _filters(request, rounds) -> Filters:
    """Round and term from the query, among those the user sees (anything else is ignored)."""
    round_id, term_id = _int(request.GET.get("round")), _int(request.GET.get("term"))
    return Filters(round_id=round_id if any(r.pk == round_id for r in rounds) else None,
                   term_id=term_id if any(r.term_id == term_id for r in rounds) else None)


def _terms(rounds) -> list:
    seen: dict[int, object] = {}
    for r in rounds:
        seen.setdefault(r.term_id, r.term)
    return list(seen.values())


# -- the dashboard ---------------------------------------------------------------------------

# Where each figure leads: (URL name, fixed query parameters, how the page takes an organization:
# its id, its name, or not at all). The overdue list is this area's; the others are the other
# areas' pages by their agreed names, with the filters they read (round, state, overdue).
OVERDUE = "rectification:overdue"
TARGETS: dict[str, tuple[str, dict[str, str], str | None]] = {
    "feedbacks": ("reports:feedback_list", {}, None),
    "plans_none": ("reports:feedback_list", {}, None),
    **{f"plans_{state}": ("rectification:plan_list", {"state": state}, "name") for state in selectors.PLAN_STATES},
    "tasks": ("rectification:plan_list", {"state": Plan.State.APPROVED.value}, "name"),
    "tasks_closed": ("rectification:plan_list", {"state": Plan.State.APPROVED.value}, "name"),
    "tasks_requested": ("rectification:closure_queue", {}, None),
    "tasks_red": (OVERDUE, {"kind": Kind.TASK.value}, "id"),
    "tasks_yellow": (OVERDUE, {"kind": Kind.TASK.value, "level": Level.YELLOW.value}, "id"),
    "tasks_green": (OVERDUE, {"kind": Kind.TASK.value, "level": Level.GREEN.value}, "id"),
    "reports_overdue": (OVERDUE, {"kind": Kind.REPORT.value}, "id"),
    "disclosures_overdue": (OVERDUE, {"kind": Kind.DISCLOSURE.value}, "id"),
    "transfers": ("rectification:transfer_list", {}, None),
    "transfers_overdue": (OVERDUE, {"kind": Kind.TRANSFER.value}, "id"),
}
EMPHASIS = {"tasks_red": "text-danger fw-semibold", "reports_overdue": "text-danger fw-semibold",
            "disclosures_overdue": "text-danger fw-semibold", "transfers_overdue": "text-danger fw-semibold",
            "tasks_yellow": "text-warning-emphasis fw-semibold", "tasks_green": "text-success"}


@dataclass(frozen=True)
class Cell:
    column: str
    value: int
    url: str | None
    css: str


@dataclass(frozen=True)
class Row:
    label: str
    figures: Figures
    cells: list[Cell]
    key: str  # for data-testid
    closure_url: str | None


class Links:
    """The figures' links, with each URL name reversed once per page."""

    def __init__(self, filters: Filters):
        self.bases = {target[0]: try_reverse(target[0]) for target in TARGETS.values()}
        self.common = {"round": filters.round_id, "term": filters.term_id}

    def url(self, column: str, *, round_id: int | None = None, organization=None) -> str | None:
        name, fixed, by = TARGETS[column]
        base = self.bases[name]
        if base is None:
            return None
        params = {**self.common, **fixed}
        if round_id is not None:
            params["round"] = round_id
        if organization is not None and by is not None:
            params["organization"] = organization.id if by == "id" else organization.name
        query = urlencode({k: v for k, v in params.items() if v is not None})
        return f"{base}?{query}" if query else base

    def row(self, label: str, figures: Figures, key: str, **where) -> Row:
        values = [(column, getattr(figures, column)) for column in COLUMNS]
        cells = [Cell(column, value, self.url(column, **where) if value else None,
                      EMPHASIS.get(column, "") if value else "")
                 for column, value in values]
        return Row(label=label, figures=figures, cells=cells, key=key,
                   closure_url=self.url("tasks_closed", **where) if figures.tasks else None)


@require_GET
@dashboard_page
def dashboard(request):
    user = request.user
    _require_reader(user)
    rounds = list(selectors.round_choices(user))
    filters = _filters(request, rounds)
    shown = [r for r in rounds if filters.round_id in (None, r.pk) and filters.term_id in (None, r.term_id)]
    data = selectors.dashboard(user, filters, timezone.localdate(), shown)
    links = Links(filters)
    page = Paginator(data.organizations, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rectification/dashboard/dashboard.html", {
        "rounds": rounds, "terms": _terms(rounds), "filters": filters,
        "total": links.row("", data.total, "total"),
        "round_rows": [links.row(r.round.label, r.figures, f"round-{r.round.pk}", round_id=r.round.pk)
                       for r in data.rounds],
        "page": page,
        "organization_rows": [links.row(o.name, o.figures, f"organization-{o.id}", organization=o)
                              for o in page.object_list],
        "overdue_url": reverse("rectification:overdue"),
    })


# -- the overdue list ------------------------------------------------------------------------

@dataclass(frozen=True)
class OverdueRow:
    item: overdue_selectors.Item
    round_label: str
    url: str | None


def item_url(item: overdue_selectors.Item) -> str | None:
    """The page of the thing overdue (its area's page; the feedback while no report is started)."""
    if item.kind == Kind.TASK:
        return try_reverse("rectification:task_detail", item.pk)
    if item.kind == Kind.REPORT:
        if item.report_id is not None:
            return try_reverse("rectification:report_detail", item.report_id)
        return try_reverse("reports:feedback_detail", item.pk)
    if item.kind == Kind.DISCLOSURE:
        return try_reverse("rectification:report_detail", item.pk)
    return try_reverse("rectification:transfer_detail", item.pk)


@require_GET
@dashboard_page
def overdue(request):
    user = request.user
    _require_reader(user)
    today = timezone.localdate()
    rounds = list(selectors.round_choices(user))
    filters = _filters(request, rounds)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    level = request.GET.get("level", "")
    level = Level(level) if level in LEVELS else Level.RED
    organization_id = _int(request.GET.get("organization"))
    organization = (organizations_for(user).filter(pk=organization_id).first()
                    if organization_id is not None else None)
    qs = overdue_selectors.merged(overdue_selectors.scoped(user), today=today, kinds=[kind] if kind else list(Kind),
                                  levels=[level], round_id=filters.round_id, term_id=filters.term_id,
                                  organization_id=organization.pk if organization else None)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    labels = {r.pk: r.label for r in rounds}
    rows = [OverdueRow(item, labels.get(item.round_id, ""), item_url(item))
            for item in overdue_selectors.items(page.object_list, today)]
    return render(request, "rectification/dashboard/overdue.html", {
        "rounds": rounds, "terms": _terms(rounds), "filters": filters, "kinds": Kind.choices, "kind": kind,
        "levels": [(lv.value, lv.label) for lv in LEVELS], "level": level, "css": CSS[level],
        "organization": organization, "page": page, "rows": rows, "today": today,
    })
