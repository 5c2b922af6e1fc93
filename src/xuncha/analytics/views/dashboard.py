"""The dashboard (巡察工作看板): the filter bar, then one card per chart — drawn by ECharts from
the data embedded in the page, with the same numbers as a table rendered on the server (the page
is complete without JavaScript) — and the export of the tables to Excel (all, or ?chart=<key>).

Roles that read no problem get the 403 page; so does the inspected organization's liaison, who
reads its own problems but not the committee's figures. A filter value outside the user's scope
is a 404 (analytics.filters).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from xuncha.analytics import charts as chart_data
from xuncha.analytics import dashboard_export, filters
from xuncha.findings.models import Problem
from xuncha.workbench.pages import service_page

dashboard_page = service_page(refuse_system_roles=True, readable=Problem)


def _require_reader(user) -> None:
    if not chart_data.may_read(user):
        raise PermissionDenied


@require_GET
@dashboard_page
def dashboard(request):
    user = request.user
    _require_reader(user)
    chosen = filters.parse(user, request.GET)
    charts = chart_data.dashboard(user, chosen, timezone.localdate())
    export = reverse("analytics:dashboard_export")
    query = chosen.query()
    return render(request, "analytics/dashboard.html", {
        "filters": chosen, "choices": filters.choices(user, chosen),
        "cards": [{"chart": chart, "data": chart.as_json(), "data_id": f"chart-data-{chart.key}",
                   "download": f"{export}?{chosen.query(chart=chart.key)}"} for chart in charts],
        "export_url": f"{export}?{query}",
    })


@require_GET
@dashboard_page
def export(request):
    user = request.user
    _require_reader(user)
    chosen = filters.parse(user, request.GET)
    only = request.GET.get("chart") or None
    if only is not None and only not in chart_data.KEYS:
        raise Http404("no such chart")
    charts = chart_data.dashboard(user, chosen, timezone.localdate(), only=only)
    if not charts:
        raise Http404("no such chart")
    content = dashboard_export.dashboard_xlsx(actor=user, filters=chosen, charts=charts, only=only)
    response = HttpResponse(content, content_type=dashboard_export.XLSX)
    name = dashboard_export.filename(chosen, charts[0] if only else None)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response
