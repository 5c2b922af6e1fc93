"""The rows behind each figure of the statistics (analytics:drilldown?figure=<key>&<filters>).

`drilldown(user, filters, key, params)` returns the queryset a figure counts, from the same
sources (statistics_sources) through the same reader, so the list's length is the figure (for
the sums over transfers: the transfers that contributed to the sum). Breakdown rows narrow it
with `params`: focus / point / item (titles), problem_kind, mode and level (the level of the
organizations' committees), organization (addressees), category
(a complaint category: its focus title, an id, or "none"). An unknown figure, or one over a model the user cannot
read, answers 404.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xuncha.analytics import statistics_sources as sources
from xuncha.analytics.filters import Filters
from xuncha.analytics.models import Campaign, Recommendation, RecommendationAddressee, SystemOutcome
from xuncha.analytics.statistics import FIGURES, covers
from xuncha.findings.models import Problem
from xuncha.intake.models import Complaint
from xuncha.intake.selectors.complaints import category_q
from xuncha.rectification.models import Task, Transfer
from xuncha.registry.models import Organization
from xuncha.rounds.models import Assignment, Round


@dataclass(frozen=True)
class Listing:
    model: type  # what the reader must be able to read
    rows: str  # the kind of rows, for the page's columns (drilldown_rows)
    source: Callable[[sources.Reader, Filters, Mapping, date], QuerySet]


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _organizations(reader, f, params, today):
    qs = sources.inspected(reader, f, mode=params.get("mode", ""), level=params.get("level", ""))
    return qs.select_related("kind", "parent").order_by("kind__sort_order", "pinyin", "pk")


def _coverage(reader, f, params, today):
    if not covers(reader, f):
        raise Http404("coverage is a figure of a term")
    return (sources.required(reader, f.term).filter(f.organization_q()).select_related("kind", "parent")
            .order_by("is_covered", "kind__sort_order", "pinyin", "pk"))


def _problems(extra: Callable[[sources.Reader], Q] | None = None):
    def source(reader, f, params, today):
        qs = sources.problems(reader, f)
        if extra is not None:
            qs = qs.filter(extra(reader))
        if params.get("focus"):
            qs = qs.filter(classification__parent__parent__title=params["focus"])
        if params.get("point"):
            qs = qs.filter(classification__parent__title=params["point"])
        if params.get("item"):
            qs = qs.filter(classification__title=params["item"])
        if params.get("problem_kind"):
            qs = qs.filter(kind=params["problem_kind"])
        return (qs.select_related("round__term", "group", "organization", "classification")
                .order_by("-round__planned_entry", "round_id", "group__number", "seq"))
    return source


def _overdue(reader, f, params, today):
    return (sources.overdue_tasks(reader, f, today).select_related("plan__organization", "plan__round__term", "problem")
            .order_by("due", "pk"))


def _transfers(field: str | None = None):
    def source(reader, f, params, today):
        qs = sources.transfers(reader, f)
        if field is not None:
            qs = qs.filter(**{f"{field}__gt": 0})
        return qs.select_related("receiver", "problem__organization", "round__term").order_by("-transferred_on", "-pk")
    return source


def _recommendations(reader, f, params, today):
    return sources.recommendations(reader, f).select_related("term").order_by("-year", "-seq", "pk")


def _addressees(reader, f, params, today):
    qs = sources.addressees(reader, f)
    organization = _int(params.get("organization"))
    if params.get("organization"):
        qs = qs.filter(organization_id=organization) if organization is not None else qs.none()
    return qs.select_related("recommendation", "organization").order_by("-recommendation__year",
                                                                        "-recommendation__seq", "pk")


def _outcomes(reader, f, params, today):
    return (sources.outcomes(reader, f).select_related("addressee__organization", "addressee__recommendation")
            .order_by("-adopted_on", "pk"))


def _campaigns(reader, f, params, today):
    return sources.campaigns(reader, f).select_related("lead_department").order_by("-started_on", "pk")


def _complaints(reader, f, params, today):
    qs = sources.complaints(reader, f)
    category = params.get("category")
    if category:
        qs = qs.filter(category_q(category))
    return qs.select_related("category", "organization").order_by("-received_on", "-pk")


LISTINGS: dict[str, Listing] = {
    "rounds": Listing(Round, "round", lambda reader, f, params, today: sources.rounds(reader, f)
                      .select_related("term", "committee").order_by("committee__path", "-planned_entry", "pk")),
    "organizations": Listing(Assignment, "organization", _organizations),
    "coverage": Listing(Organization, "coverage", _coverage),
    "complaints": Listing(Complaint, "complaint", _complaints),
    "problems": Listing(Problem, "problem", _problems()),
    "leads": Listing(Problem, "problem", _problems(lambda reader: Q(kind=sources.LEAD))),
    "fed_back": Listing(Task, "problem", _problems(lambda reader: Q(fed_back=True))),
    "rectified": Listing(Task, "problem", _problems(sources.rectified_q)),
    "rectification_rate": Listing(Task, "problem", _problems(sources.rectified_q)),
    "overdue": Listing(Task, "task", _overdue),
    "transfers": Listing(Transfer, "transfer", _transfers()),
    "people_disciplined": Listing(Transfer, "transfer", _transfers("people_disciplined")),
    "people_handled": Listing(Transfer, "transfer", _transfers("people_handled")),
    "money_recovered": Listing(Transfer, "transfer", _transfers("money_recovered")),
    "systems_transfers": Listing(Transfer, "transfer", _transfers("systems_established")),
    "recommendations": Listing(Recommendation, "recommendation", _recommendations),
    "addressees": Listing(RecommendationAddressee, "addressee", _addressees),
    "systems_outcomes": Listing(SystemOutcome, "outcome", _outcomes),
    "campaigns": Listing(Campaign, "campaign", _campaigns),
}
assert set(LISTINGS) == set(FIGURES), "every figure has its list"


def listing(user, key: str) -> Listing:
    found = LISTINGS.get(key)
    if found is None or not sources.reader_for(user).reads(found.model):
        raise Http404(f"no figure {key!r}")
    return found


def drilldown(user, filters: Filters, key: str, params: Mapping | None = None, *,
              today: date | None = None) -> QuerySet:
    """The rows behind figure `key` (404 for an unknown key or one the user cannot read)."""
    found = listing(user, key)
    return found.source(sources.reader_for(user), filters, params or {}, today or timezone.localdate())
