"""Reads of problems and of the papers they are made from, always within the policy's scope.
A problem or paper outside the user's scope is a 404, like a missing one; leads are hidden
from the superior office by the policy itself (hidden_from)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from xuncha.access.policy import VIEW, scope
from xuncha.findings.models import Problem, WorkingPaper
from xuncha.findings.selectors.search import matching
from xuncha.rounds.models import Assignment, Group, Round

USABLE_STATES = (WorkingPaper.State.SIGNED, WorkingPaper.State.REGISTERED)


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _ids(values: Iterable) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return ids


@dataclass(frozen=True)
class ProblemFilters:
    round: int | None = None
    group: int | None = None
    assignment: int | None = None
    kind: str = ""
    severity: str = ""
    focus: str = ""  # the key of a supervision focus (level 1), stable across versions
    q: str = ""


# Counted per row shown (a correlated subquery), not by grouping every problem in scope.
_paper_count = (Problem.papers.through.objects.filter(problem_id=OuterRef("pk")).order_by()
                .values("problem_id").annotate(n=Count("*")).values("n"))


def problems_for(user, filters: ProblemFilters | None = None) -> QuerySet[Problem]:
    """The problems the user sees, filtered, with what a list row shows joined in."""
    f = filters or ProblemFilters()
    qs = scope(user, Problem, VIEW)
    if f.round:
        qs = qs.filter(round_id=f.round)
    if f.group:
        qs = qs.filter(group_id=f.group)
    if f.assignment:
        qs = qs.filter(assignment_id=f.assignment)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.focus:
        qs = qs.filter(classification__parent__parent__key=f.focus)
    qs = matching(qs, f.q)
    return (qs.select_related("group__round__term", "organization", "classification__parent__parent")
            .annotate(n_papers=Coalesce(Subquery(_paper_count, output_field=IntegerField()), 0))
            .order_by("-round__term__start_date", "-round__number", "group__number", "seq", "id"))


def _detail_qs(user) -> QuerySet[Problem]:
    papers = scope(user, WorkingPaper, VIEW).order_by("seq")
    return (scope(user, Problem, VIEW)
            .select_related("group__round__term", "assignment__organization__kind", "organization",
                            "classification__parent__parent", "split_from", "created_by")
            .prefetch_related(Prefetch("papers", queryset=papers, to_attr="shown_papers"),
                              Prefetch("split_into", queryset=scope(user, Problem, VIEW).order_by("seq"),
                                       to_attr="shown_split_into")))


def get_problem_for_user(user, pk) -> Problem:
    problem = _get(_detail_qs(user), pk)
    for paper in problem.shown_papers:
        paper.group = problem.group
    return problem


def problems_by_ids(user, ids: Iterable) -> list[Problem]:
    """The problems named in a request, among those the user sees, in number order."""
    return list(scope(user, Problem, VIEW).filter(pk__in=_ids(ids))
                .select_related("group__round__term", "organization", "classification").order_by("seq"))


def papers_by_ids(user, ids: Iterable) -> list[WorkingPaper]:
    """The papers named in a request (e.g. ?papers=3&papers=5), among those the user sees."""
    return list(scope(user, WorkingPaper, VIEW).filter(pk__in=_ids(ids))
                .select_related("group__round__term", "assignment__organization__kind", "assignment__group",
                                "assignment__round__committee", "classification__parent__parent")
                .order_by("seq"))


def papers_without_problem(user, *, group: int | None = None, assignment: int | None = None) -> QuerySet[WorkingPaper]:
    """Signed or registered papers the user sees that are in no problem yet."""
    qs = scope(user, WorkingPaper, VIEW).filter(state__in=USABLE_STATES, problems__isnull=True)
    if group:
        qs = qs.filter(group_id=group)
    if assignment:
        qs = qs.filter(assignment_id=assignment)
    return (qs.select_related("group__round__term", "assignment__organization", "classification")
            .order_by("-round__term__start_date", "-round__number", "group__number", "assignment_id", "seq"))


# -- choices of the filters -----------------------------------------------------------------

def round_choices(user) -> QuerySet[Round]:
    return scope(user, Round, VIEW).select_related("term").order_by("-term__start_date", "-number")


def group_choices(user, round_id: int | None = None) -> QuerySet[Group]:
    qs = scope(user, Group, VIEW).select_related("round__term").order_by("-round__term__start_date",
                                                                          "-round__number", "number")
    return qs.filter(round_id=round_id) if round_id else qs


def target_choices(user, *, round_id: int | None = None, group_id: int | None = None) -> QuerySet[Assignment]:
    qs = scope(user, Assignment, VIEW).select_related("organization", "group")
    if round_id:
        qs = qs.filter(round_id=round_id)
    if group_id:
        qs = qs.filter(group_id=group_id)
    return qs.order_by("group__number", "organization__pinyin", "id")


def focus_choices(user) -> list[tuple[str, str]]:
    """The supervision focuses the user's problems are classified under, by key (one query)."""
    rows = (scope(user, Problem, VIEW).order_by()
            .values_list("classification__parent__parent__key", "classification__parent__parent__title")
            .distinct())
    seen: dict[str, str] = {}
    for key, title in sorted(rows, key=lambda r: (r[0] or "", r[1] or "")):
        if key:
            seen.setdefault(key, title)
    return list(seen.items())
