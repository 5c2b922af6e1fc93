"""Recurring and common problems (反复发生、屡禁不止、共性、体制机制问题): the clusters page with its
three tabs, one cluster with its members, one explained pair, and one problem's near-duplicates.

- recurring: pairs of the same organization in an earlier round, grouped by organization, the
  ones that recurred after being rectified (屡禁不止) badged and first;
- common: clusters spanning at least the committee's number of organizations;
- systemic: common clusters whose supervision point a functional department is responsible for.

Read by the office, the leading group and the superior office (analytics.policy); group roles,
the liaison and the receiver get the 403 page, and a pair or cluster outside the user's scope
is a 404. Every page is complete without JavaScript.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from xuncha.access.policy import CREATE, can_any
from xuncha.analytics import filters
from xuncha.analytics.detection_explain import explain_problems
from xuncha.analytics.models import Cluster, ProblemMatch, Recommendation
from xuncha.analytics.selectors import clusters as selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 50
MEMBERS_PER_PAGE = 30
FILTERS_INCLUDE = "analytics/includes/filters.html"

cluster_page = service_page(refuse_system_roles=True, readable=Cluster)
match_page = service_page(refuse_system_roles=True, readable=ProblemMatch)


def _filters_include() -> str | None:
    """The shared filter bar, once the statistics pages provide it; else the page's own term select."""
    try:
        get_template(FILTERS_INCLUDE)
    except TemplateDoesNotExist:
        return None
    return FILTERS_INCLUDE


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _recommendation_url(user, cluster: Cluster) -> str | None:
    if not can_any(user, CREATE, Recommendation):
        return None
    base = _url("analytics:recommendation_create")
    return f"{base}?cluster={cluster.pk}" if base else None


@require_GET
@cluster_page
def clusters(request):
    user = request.user
    tab = request.GET.get("tab") or "recurring"
    if tab not in selectors.TABS:
        tab = "recurring"
    chosen = filters.parse(user, request.GET)
    if tab == "recurring":
        page = Paginator(selectors.recurring(user, chosen), PER_PAGE).get_page(request.GET.get("page"))
        departments = {}
    else:
        page = Paginator(selectors.clusters(user, chosen, tab=tab), PER_PAGE).get_page(request.GET.get("page"))
        departments = selectors.departments_of(page.object_list) if tab == "systemic" else {}
        for cluster in page.object_list:
            cluster.departments = departments.get(cluster.pk, [])
    include = _filters_include()
    return render(request, "analytics/clusters/clusters.html", {
        "tab": tab, "filters": chosen, "page": page,
        "filters_include": include, "filters_hidden": [("tab", tab)],
        "choices": filters.choices(user, chosen) if include else None,
        "terms": None if include else list(selectors.terms(user, chosen.committee)),
        "min_organizations": selectors.min_organizations(chosen.committee),
        "tab_links": [(t, chosen.query(tab=t)) for t in selectors.TABS],
    })


@require_GET
@cluster_page
def cluster_detail(request, pk: int):
    user = request.user
    cluster = selectors.get_cluster_for_user(user, pk)
    problems = selectors.cluster_problems(user, cluster)
    label_member = selectors.representative(cluster, problems)
    page = Paginator(problems, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for problem in page.object_list:
        explained = explain_problems(label_member, problem) if label_member is not None else None
        rows.append({"problem": problem, "explained": explained, "is_label": problem == label_member,
                     "url": _url("findings:problem_detail", problem.pk)})
    departments = selectors.departments_of([cluster]).get(cluster.pk, [])
    return render(request, "analytics/clusters/cluster_detail.html", {
        "cluster": cluster, "page": page, "rows": rows, "label_member": label_member,
        "departments": departments, "recommendation_url": _recommendation_url(user, cluster),
        "common": cluster.organization_count >= selectors.min_organizations(cluster.committee),
    })


@require_GET
@match_page
def match_detail(request, pk: int):
    user = request.user
    match = selectors.get_match_for_user(user, pk)
    explained = explain_problems(match.problem, match.earlier)
    return render(request, "analytics/clusters/match_detail.html", {
        "match": match, "explained": explained,
        "sides": [("earlier", match.earlier, _url("findings:problem_detail", match.earlier_id), explained.b),
                  ("later", match.problem, _url("findings:problem_detail", match.problem_id), explained.a)],
    })


@require_GET
@match_page
def problem_matches(request, pk: int):
    user = request.user
    problem = selectors.get_problem_for_user(user, pk)
    page = Paginator(selectors.problem_matches(user, problem), PER_PAGE).get_page(request.GET.get("page"))
    for match in page.object_list:
        match.other = match.earlier if match.problem_id == problem.pk else match.problem
        match.other_is_earlier = match.problem_id == problem.pk
    return render(request, "analytics/clusters/problem_matches.html", {
        "problem": problem, "page": page, "problem_url": _url("findings:problem_detail", problem.pk),
    })

