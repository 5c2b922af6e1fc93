"""Recurring, common and systemic problems, through the same selectors and services as the pages.

Read by the office, the leading group and the superior office; other roles get 403 on the lists
and 404 on one record, like a record outside the user's scope. Running the detector is the
office's (a full run the administrator's), the mapping the office's: a write the role may not
make is 403, bad input 422 naming the field.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router, Status

from xuncha.access.policy import CREATE, DELETE, PermissionDenied, can
from xuncha.analytics import filters, services_detection
from xuncha.analytics.detection_explain import explain_problems
from xuncha.analytics.models import DepartmentMapping
from xuncha.analytics.selectors import clusters as selectors
from xuncha.api.analytics_clusters_schemas import (
    ClusterDetail,
    ClusterFilters,
    ClusterPage,
    MappingFilters,
    MappingIn,
    MappingOut,
    MappingPage,
    MatchFilters,
    MatchPage,
    RunIn,
    RunOut,
)
from xuncha.api.common import References, invalid, page
from xuncha.api.schemas import ErrorOut, ValidationErrorOut

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _require_reader(user) -> None:
    if not selectors.reads(user) or user.system_role:
        raise PermissionDenied("view Cluster")


def _committee(user, pk: int | None, field: str = "committee"):
    if pk is None:
        committee = filters.home_committee(user)
        if committee is None:
            raise invalid(field, "No committee.")
        return committee
    return References(user).committee(pk, field)


@router.get("", response={200: ClusterPage, 403: ErrorOut, 404: ErrorOut},
            summary="Recurring pairs, or common or systemic clusters, of the filtered committees and term")
def cluster_list(request, params: Query[ClusterFilters]):
    user = request.auth
    _require_reader(user)
    if params.tab not in selectors.TABS:
        raise invalid("tab", "recurring, common or systemic.")
    chosen = filters.parse(user, params.as_query())
    body = {"tab": params.tab, "min_organizations": selectors.min_organizations(chosen.committee)}
    if params.tab == "recurring":
        result = page(selectors.recurring(user, chosen), params)
        return {**body, "count": result["count"], "pairs": result["items"]}
    result = page(selectors.clusters(user, chosen, tab=params.tab), params)
    departments = selectors.departments_of(result["items"])
    for cluster in result["items"]:
        cluster.departments = departments.get(cluster.pk, [])
    return {**body, "count": result["count"], "clusters": result["items"]}


@router.get("/matches", response={200: MatchPage, 403: ErrorOut, 404: ErrorOut},
            summary="One problem's near-duplicates, the most similar first")
def match_list(request, params: Query[MatchFilters]):
    user = request.auth
    _require_reader(user)
    problem = selectors.get_problem_for_user(user, params.problem)
    return page(selectors.problem_matches(user, problem), params)


@router.post("/run", response={200: RunOut, **WRITE_ERRORS},
             summary="Run the detector: match new and edited problems (or every problem: full) and rebuild clusters")
def run(request, payload: RunIn):
    user = request.auth
    committee = _committee(user, payload.committee)
    result = services_detection.run_detection(actor=user, committee=committee, full=payload.full)
    return {**result.as_dict(), "committee": result.committee_id, "seconds": round(result.seconds, 3)}


@router.get("/mapping", response={200: MappingPage, 403: ErrorOut},
            summary="Supervision points mapped to the functional departments responsible for them")
def mapping_list(request, params: Query[MappingFilters]):
    user = request.auth
    if not selectors.reads(user) or user.system_role:
        raise PermissionDenied("view DepartmentMapping")
    qs = selectors.mappings(user)
    if params.committee is not None:
        qs = qs.filter(committee_id=params.committee)
    return page(qs, params)


@router.post("/mapping", response={201: MappingOut, **WRITE_ERRORS},
             summary="Make a department responsible for a supervision point")
def mapping_create(request, payload: MappingIn):
    user = request.auth
    committee = _committee(user, payload.committee)
    if not can(user, CREATE, DepartmentMapping(committee=committee)):
        raise PermissionDenied("create DepartmentMapping")
    mapping = services_detection.map_point(
        actor=user, committee=committee, point=selectors.get_point_for_user(user, committee, payload.point),
        department=selectors.get_organization_for_user(user, payload.department))
    return Status(201, selectors.get_mapping_for_user(user, mapping.pk))


@router.delete("/mapping/{int:mapping_id}", response={204: None, **WRITE_ERRORS},
               summary="The department is no longer responsible for the point")
def mapping_delete(request, mapping_id: int):
    user = request.auth
    mapping = selectors.get_mapping_for_user(user, mapping_id)
    if not can(user, DELETE, mapping):
        raise PermissionDenied("delete DepartmentMapping")
    services_detection.unmap_point(actor=user, mapping=mapping)
    return Status(204, None)


@router.get("/{int:cluster_id}", response={200: ClusterDetail, 403: ErrorOut, 404: ErrorOut},
            summary="One cluster with its members, each with its similarity and shared phrases")
def cluster_detail(request, cluster_id: int):
    user = request.auth
    if user.system_role:
        raise Http404
    cluster = selectors.get_cluster_for_user(user, cluster_id)
    problems = selectors.cluster_problems(user, cluster)
    named = selectors.representative(cluster, problems)
    members = []
    for problem in problems:
        explained = explain_problems(named, problem) if named is not None and problem != named else None
        members.append({"problem": problem, "named_after": problem == named,
                        "similarity": round(explained.similarity, 4) if explained else None,
                        "phrases": explained.phrases if explained else []})
    cluster.departments = selectors.departments_of([cluster]).get(cluster.pk, [])
    cluster.member_rows = members
    return cluster
