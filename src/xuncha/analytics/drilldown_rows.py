"""The columns of the drill-down page for each kind of row, and the page each row opens (the
existing detail pages of the other areas, by their agreed URL names; no link while a page does
not exist). Pure formatting over rows already fetched with what they need (drilldown.py's
select_related): no query per row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from xuncha.rounds.models import Round


@dataclass(frozen=True)
class Line:
    cells: list[str]
    url: str | None
    pk: int


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _yuan(value) -> str:
    return f"{value:,.2f}" if value else ""


def _url(name: str, pk) -> str | None:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


def _problem_number(problem) -> str:
    return f"{problem.round.label}{problem.group.name}问题{problem.seq:03d}"


def _round(r: Round) -> Line:
    return Line([r.label, r.committee.name, r.get_kind_display(), _date(r.planned_entry), r.get_state_display()],
                _url("rounds:round_detail", r.pk), r.pk)


def _organization(o) -> Line:
    return Line([o.name, o.kind.name, o.parent.name if o.parent_id else ""],
                _url("registry:organization_detail", o.pk), o.pk)


def _coverage(o) -> Line:
    return Line([o.name, o.kind.name, _("Covered") if o.is_covered else _("Not yet covered")],
                _url("registry:organization_detail", o.pk), o.pk)


def _problem(p) -> Line:
    return Line([_problem_number(p), p.title, p.organization.name, p.get_kind_display(),
                 _("Yes") if p.fed_back else _("No")], _url("findings:problem_detail", p.pk), p.pk)


def _task(t) -> Line:
    return Line([t.plan.organization.name, t.problem.title, _date(t.due), t.plan.round.label],
                _url("rectification:task_detail", t.pk), t.pk)


def _transfer(t) -> Line:
    return Line([_date(t.transferred_on), t.receiver.name, t.problem.organization.name, t.summary[:60],
                 str(t.people_disciplined or ""), str(t.people_handled or ""), _yuan(t.money_recovered),
                 str(t.systems_established or "")],
                _url("rectification:transfer_detail", t.pk), t.pk)


def _recommendation(r) -> Line:
    return Line([r.number, r.title, _date(r.issued_on), r.get_state_display()],
                _url("analytics:recommendation_detail", r.pk), r.pk)


def _addressee(a) -> Line:
    r = a.recommendation
    return Line([r.number, r.title, a.organization.name, _date(a.responded_on)],
                _url("analytics:recommendation_detail", r.pk), a.pk)


def _outcome(o) -> Line:
    r = o.addressee.recommendation
    return Line([o.title, o.get_kind_display(), _date(o.adopted_on), o.addressee.organization.name, r.number],
                _url("analytics:recommendation_detail", r.pk), o.pk)


def _campaign(c) -> Line:
    return Line([c.title, c.lead_department.name if c.lead_department_id else "", _date(c.started_on),
                 c.get_state_display()], _url("analytics:campaign_detail", c.pk), c.pk)


def _complaint(c) -> Line:
    return Line([c.number, _date(c.received_on), c.subject, c.category.title if c.category_id else "",
                 c.organization.name if c.organization_id else c.concerns],
                _url("intake:complaint_detail", c.pk), c.pk)


# Headings are lazy: evaluated in the language of the page.
COLUMNS: dict[str, tuple[list, Callable]] = {
    "round": ([gettext_lazy("Round"), gettext_lazy("Committee"), gettext_lazy("Kind"), gettext_lazy("Planned entry"),
               gettext_lazy("State")], _round),
    "organization": ([gettext_lazy("Organization"), gettext_lazy("Kind"), gettext_lazy("Parent organization")],
                     _organization),
    "coverage": ([gettext_lazy("Organization"), gettext_lazy("Kind"), gettext_lazy("Coverage")], _coverage),
    "problem": ([gettext_lazy("Number"), gettext_lazy("Title"), gettext_lazy("Organization"), gettext_lazy("Kind"),
                 gettext_lazy("Fed back")], _problem),
    "task": ([gettext_lazy("Organization"), gettext_lazy("Problem"), gettext_lazy("Deadline"), gettext_lazy("Round")],
             _task),
    "transfer": ([gettext_lazy("Transferred on"), gettext_lazy("Receiver"), gettext_lazy("Organization"),
                  gettext_lazy("What was handed over"), gettext_lazy("Sanctioned"), gettext_lazy("Organizational handling"),
                  gettext_lazy("Money recovered (yuan)"), gettext_lazy("Systems")], _transfer),
    "recommendation": ([pgettext_lazy("document", "Number"), gettext_lazy("Title"),
                        pgettext_lazy("recommendation", "Issued on"), gettext_lazy("State")], _recommendation),
    "addressee": ([pgettext_lazy("document", "Number"), gettext_lazy("Title"), gettext_lazy("Department"),
                   gettext_lazy("Responded on")], _addressee),
    "outcome": ([gettext_lazy("Title"), gettext_lazy("Kind"), gettext_lazy("Adopted on"), gettext_lazy("Department"),
                 gettext_lazy("Recommendation")], _outcome),
    "campaign": ([gettext_lazy("Title"), gettext_lazy("Lead department"), gettext_lazy("Started on"),
                  gettext_lazy("State")], _campaign),
    "complaint": ([pgettext_lazy("complaint", "Number"), pgettext_lazy("complaint", "Received on"),
                   gettext_lazy("Subject"), gettext_lazy("Category"), gettext_lazy("Organization concerned")],
                  _complaint),
}


def table(rows_kind: str, objects) -> tuple[list, list[Line]]:
    headers, line = COLUMNS[rows_kind]
    return headers, [line(obj) for obj in objects]
