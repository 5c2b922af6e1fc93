"""The statistics page (figures, breakdowns and the summary paragraph), its Word download, and
the drill-down list behind each figure.

Readers: whoever reads the committee's or a group's problems or rounds through a committee or
group role — the office, the leading group, the superior office, the inspection groups — each
counting what their scope holds. The inspected organization's liaison and receivers get the 403
page, as do the 三员. A filter value outside the user's scope, an unknown figure or one over
records the user cannot read at all is a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from xuncha.analytics import drilldown as drill
from xuncha.analytics import drilldown_rows, filters, statistics, summary_word
from xuncha.analytics.summary import summary
from xuncha.findings.models.papers import Kind as ProblemKind
from xuncha.rounds.models import Assignment
from xuncha.workbench.pages import service_page

PER_PAGE = 50
# What a breakdown row narrows the drill-down by (shown above the list).
NARROWING = ("focus", "point", "item", "problem_kind", "mode", "level", "organization", "category")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

stats_page = service_page(refuse_system_roles=True)


def _require_reader(user) -> None:
    if not statistics.may_read(user):
        raise PermissionDenied


@require_GET
@stats_page
def statistics_page(request):
    user = request.user
    _require_reader(user)
    chosen = filters.parse(user, request.GET)
    stats = statistics.compute(user, chosen)
    return render(request, "analytics/statistics.html", {
        "filters": chosen, "choices": filters.choices(user, chosen), "stats": stats,
        "figures": list(stats.figures.values()), "summary": summary(stats),
        "word_url": f"{reverse('analytics:statistics_word')}?{chosen.query()}",
    })


@require_GET
@stats_page
def statistics_word(request):
    user = request.user
    _require_reader(user)
    chosen = filters.parse(user, request.GET)
    content, name = summary_word.export(actor=user, stats=statistics.compute(user, chosen))
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response


def _narrowing(params: dict) -> list[str]:
    """What a breakdown row narrowed the list by, in words (organizations and categories show in
    the rows themselves)."""
    words = [params[name] for name in ("focus", "point", "item") if name in params]
    if "mode" in params:
        words.append(str(dict(Assignment.Mode.choices).get(params["mode"], params["mode"])))
    if "problem_kind" in params:
        words.append(str(dict(ProblemKind.choices).get(params["problem_kind"], params["problem_kind"])))
    return words


@require_GET
@stats_page
def drilldown(request):
    user = request.user
    _require_reader(user)
    chosen = filters.parse(user, request.GET)
    key = request.GET.get("figure", "")
    listing = drill.listing(user, key)
    params = {name: request.GET[name] for name in NARROWING if request.GET.get(name)}
    page = Paginator(drill.drilldown(user, chosen, key, params), PER_PAGE).get_page(request.GET.get("page"))
    headers, lines = drilldown_rows.table(listing.rows, page.object_list)
    label, _unit = statistics.FIGURES[key]
    return render(request, "analytics/drilldown.html", {
        "filters": chosen, "key": key, "label": label, "narrowing": _narrowing(params), "page": page,
        "headers": headers, "lines": lines,
        "back_url": f"{reverse('analytics:statistics')}?{chosen.query()}",
    })
