"""Term statistics through the same computation as the statistics page (analytics.statistics).

Readers are the office, the leading group, the superior office and the inspection groups, each
counting what their scope holds; others get 403. A filter value outside the user's scope is 404.
"""

from __future__ import annotations

from decimal import Decimal

from ninja import Query, Router

from xuncha.access.policy import PermissionDenied
from xuncha.analytics import filters, statistics
from xuncha.analytics.summary import summary
from xuncha.api.analytics_stats_schemas import StatisticsFilters, StatisticsOut, SummaryOut
from xuncha.api.schemas import ErrorOut

router = Router()

ERRORS = {403: ErrorOut, 404: ErrorOut}


def _compute(request, params: StatisticsFilters) -> statistics.Statistics:
    user = request.auth
    if not statistics.may_read(user):
        raise PermissionDenied("view statistics")
    return statistics.compute(user, filters.parse(user, params.dict()))


def _value(value):
    return str(value.quantize(Decimal("0.01"))) if isinstance(value, Decimal) else value


def _rows(rows) -> list[dict]:
    return [{"key": r.key, "label": r.label, "value": r.value, "link": r.link} for r in rows]


@router.get("", response={200: StatisticsOut, **ERRORS}, summary="Term statistics: figures and breakdowns")
def statistics_get(request, params: Query[StatisticsFilters]):
    stats = _compute(request, params)
    return {
        **stats.filters.as_dict(),
        "figures": [{"key": f.key, "label": str(f.label), "value": _value(f.value), "unit": str(f.unit),
                     "link": f.link} for f in stats.figures.values()],
        "breakdowns": {
            "by_focus": _rows(stats.by_focus), "by_point": _rows(stats.by_point),
            "by_problem_kind": _rows(stats.by_problem_kind), "addressees": _rows(stats.addressees),
            "complaints_by_category": _rows(stats.complaints_by_category),
            "inspected": [{"kind": r.kind_code, "kind_name": r.kind_name, "level": r.level, "mode": r.mode, "mode_label": r.mode_label,
                           "value": r.value, "link": r.link} for r in stats.inspected],
        },
    }


@router.get("/summary", response={200: SummaryOut, **ERRORS}, summary="The summary paragraph of the statistics")
def statistics_summary(request, params: Query[StatisticsFilters]):
    stats = _compute(request, params)
    return {"text": summary(stats)}
