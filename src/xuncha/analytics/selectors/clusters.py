"""Reads of the detector's results — near-duplicate pairs, clusters and their members — and of
its settings and point-to-department mapping, always within the policy's scope.

Only the office, the leading group and the superior office read them (analytics.policy); the
superior office never sees a pair or a member that is a lead. Lists are narrowed by the shared
analytics filters (committee with its subtree, term, round, kind of organization, township).

Systemic problems: a common cluster is systemic when its supervision point is mapped to a
department. A mapping names one item of one checklist version; a checklist keeps an item's key
across versions, so a mapping covers the point of that key in the same checklist, whatever
version the problems were classified under.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from xuncha.access.policy import VIEW, scope, scope_q
from xuncha.analytics.filters import Filters
from xuncha.analytics.models import (
    Cluster,
    ClusterMember,
    DepartmentMapping,
    ProblemFingerprint,
    ProblemMatch,
)
from xuncha.analytics.services_detection import DEPARTMENT, current_settings
from xuncha.checklist.models import Item, Library, Version
from xuncha.findings.models import Problem
from xuncha.registry.models import Committee, Organization
from xuncha.rounds.models import Term

RECURRING = (ProblemMatch.Relation.RECURRING, ProblemMatch.Relation.RECURRING_AFTER_CLOSURE)
TABS = ("recurring", "common", "systemic")


def reads(user) -> bool:
    return scope_q(user, Cluster, VIEW) is not None


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def terms(user, committee: Committee) -> QuerySet[Term]:
    return scope(user, Term, VIEW).filter(committee=committee).order_by("-number")


def min_organizations(committee: Committee) -> int:
    return current_settings(committee).common_min_organizations


# -- clusters --------------------------------------------------------------------------------

def _mapped_q() -> Exists:
    return Exists(DepartmentMapping.objects.filter(
        committee_id=OuterRef("committee_id"), point__key=OuterRef("point__key"),
        point__version__library_id=OuterRef("point__version__library_id")))


def clusters(user, filters: Filters, *, tab: str = "common") -> QuerySet[Cluster]:
    """Common clusters (at least the committee's number of organizations) of the filtered
    committees and term; with tab "systemic", those whose point is mapped to a department."""
    qs = scope(user, Cluster, VIEW).filter(committee__path__startswith=filters.committee.path,
                                           organization_count__gte=min_organizations(filters.committee))
    if filters.term is not None:
        qs = qs.filter(term=filters.term)
    member_q = Q()
    if filters.round is not None:
        member_q &= Q(problem__round_id=filters.round.pk)
    organization_q = filters.organization_q("problem__organization__")
    if member_q or organization_q:
        qs = qs.filter(Exists(ClusterMember.objects.filter(member_q & organization_q, cluster_id=OuterRef("pk"))))
    if tab == "systemic":
        qs = qs.filter(_mapped_q())
    return (qs.select_related("committee", "term", "point__parent", "point__version")
            .order_by("-organization_count", "-problem_count", "term_id", "key"))


def departments_of(shown) -> dict[int, list[Organization]]:
    """For each cluster shown, the departments its point is mapped to (one query)."""
    keyed = [c for c in shown if c.point_id]
    if not keyed:
        return {}
    by_key: dict[tuple[int, str], list[Organization]] = defaultdict(list)
    for mapping in (DepartmentMapping.objects
                    .filter(committee_id__in={c.committee_id for c in keyed},
                            point__version__library_id__in={c.point.version.library_id for c in keyed},
                            point__key__in={c.point.key for c in keyed})
                    .select_related("department", "point__version").order_by("department__pinyin", "id")):
        found = by_key[(mapping.point.version.library_id, mapping.point.key)]
        if mapping.department not in found:
            found.append(mapping.department)
    return {c.pk: by_key.get((c.point.version.library_id, c.point.key), []) for c in keyed}


def get_cluster_for_user(user, pk) -> Cluster:
    return _get(scope(user, Cluster, VIEW).select_related("committee", "term", "point__parent__parent",
                                                          "point__version"), pk)


def members(user, cluster: Cluster) -> QuerySet[ClusterMember]:
    return (scope(user, ClusterMember, VIEW).filter(cluster=cluster)
            .select_related("problem__organization", "problem__round__term", "problem__group")
            .order_by("problem__round__planned_entry", "problem__organization__pinyin", "problem_id"))


def representative(cluster: Cluster, shown: list[Problem]) -> Problem | None:
    """The member the cluster is labelled after (its title is the label; the lowest such id),
    else the key member."""
    labelled = [p for p in shown if p.title == cluster.label]
    if labelled:
        return min(labelled, key=lambda p: p.pk)
    return next((p for p in shown if p.pk == cluster.key), shown[0] if shown else None)


def cluster_problems(user, cluster: Cluster) -> list[Problem]:
    return [m.problem for m in members(user, cluster)]


# -- pairs -----------------------------------------------------------------------------------

def _pairs(user) -> QuerySet[ProblemMatch]:
    return (scope(user, ProblemMatch, VIEW)
            .select_related("problem__organization", "problem__round__term", "earlier__organization",
                            "earlier__round__term"))


def recurring(user, filters: Filters) -> QuerySet[ProblemMatch]:
    """Recurring pairs (反复发生, and 屡禁不止 first within each organization) of the filtered
    committees, term, round, kind and township, grouped by organization."""
    qs = _pairs(user).filter(filters.round_q("problem__round__"), relation__in=RECURRING)
    organization_q = filters.organization_q("problem__organization__")
    if organization_q:
        qs = qs.filter(organization_q)
    # "persistent" sorts before "recurring".
    return qs.order_by("problem__organization__pinyin", "problem__organization_id", "relation", "-similarity",
                       "problem_id", "earlier_id")


def get_match_for_user(user, pk) -> ProblemMatch:
    return _get(_pairs(user).select_related("problem__classification", "earlier__classification",
                                            "problem__group", "earlier__group"), pk)


def get_problem_for_user(user, pk) -> Problem:
    return _get(scope(user, Problem, VIEW).select_related("organization", "round__term", "group"), pk)


def problem_matches(user, problem: Problem) -> QuerySet[ProblemMatch]:
    """A problem's near-duplicates, earlier and later ones, the most similar first."""
    return (_pairs(user).filter(Q(problem=problem) | Q(earlier=problem))
            .order_by("-similarity", "problem_id", "earlier_id"))


def sees_matches(user, problem: Problem | None = None) -> bool:
    if scope_q(user, ProblemMatch, VIEW) is None:
        return False
    return problem is None or scope(user, ProblemMatch, VIEW).filter(
        Q(problem=problem) | Q(earlier=problem)).exists()


# -- settings and mapping --------------------------------------------------------------------

def pending(committee: Committee) -> int:
    """Problems of the committee the detector has not fingerprinted (new since the last run, or
    all of them after a threshold change)."""
    return (Problem.objects.filter(round__committee=committee)
            .exclude(Exists(ProblemFingerprint.objects.filter(problem_id=OuterRef("pk")))).count())


@dataclass
class PointRow:
    point: Item
    focus: Item
    library: Library
    mappings: list[DepartmentMapping]


def points_in_force(user, committee: Committee) -> list[PointRow]:
    """The supervision points of the committee's checklists in force (the latest published version
    of each), each with the departments responsible (mappings by the point's key in its checklist)."""
    versions = {}
    for version in (scope(user, Version, VIEW).filter(library__committee=committee, state=Version.State.PUBLISHED)
                    .select_related("library__kind").order_by("library__kind__sort_order", "library_id", "-number")):
        versions.setdefault(version.library_id, version)
    if not versions:
        return []
    points = list(Item.objects.filter(version__in=versions.values(), level=Item.Level.POINT)
                  .select_related("parent", "version__library")
                  .order_by("version__library__kind__sort_order", "version__library_id", "parent__position",
                            "parent_id", "position", "id"))
    by_key: dict[tuple[int, str], list[DepartmentMapping]] = defaultdict(list)
    for mapping in (scope(user, DepartmentMapping, VIEW).filter(committee=committee)
                    .select_related("department", "point__version").order_by("department__name", "id")):
        by_key[(mapping.point.version.library_id, mapping.point.key)].append(mapping)
    return [PointRow(point=p, focus=p.parent, library=p.version.library,
                     mappings=by_key.get((p.version.library_id, p.key), [])) for p in points]


def get_point_for_user(user, committee: Committee, pk) -> Item | None:
    """A supervision point of the committee's checklists the user may read, or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    version_ids = scope(user, Version, VIEW).filter(library__committee=committee).values("pk")
    return (Item.objects.filter(pk=pk, version_id__in=version_ids)
            .select_related("version__library").first())


def departments(user, committee: Committee) -> QuerySet[Organization]:
    return (scope(user, Organization, VIEW)
            .filter(committee=committee, kind__code=DEPARTMENT, active=True).order_by("pinyin", "id"))


def get_organization_for_user(user, pk) -> Organization | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return scope(user, Organization, VIEW).filter(pk=pk).select_related("kind").first()


def mappings(user) -> QuerySet[DepartmentMapping]:
    return (scope(user, DepartmentMapping, VIEW).select_related("point", "department")
            .order_by("committee_id", "point__key", "department__pinyin", "id"))


def get_mapping_for_user(user, pk) -> DepartmentMapping:
    return _get(scope(user, DepartmentMapping, VIEW).select_related("committee", "point", "department"), pk)
