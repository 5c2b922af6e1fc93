"""Problems made from signed working papers, and a search over papers and problems, through
services_problems and the policy's scope.

Missing and out-of-scope records answer 404 alike (a paper or classification named in a
payload that the user may not see: 422 on that field); a write the role may not make 403;
bad input 422 naming the fields.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from ninja import Query, Router, Status

from xuncha.access.policy import VIEW, PermissionDenied, can_any, scope
from xuncha.api.common import not_visible, page
from xuncha.api.problems_schemas import (
    MergeIn,
    ProblemDetail,
    ProblemFilters,
    ProblemIn,
    ProblemPage,
    ProblemPatch,
    SearchOut,
    SearchParams,
    SplitIn,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.checklist.models import Item
from xuncha.findings import services_problems as services
from xuncha.findings.models import Problem, WorkingPaper
from xuncha.findings.selectors import problems as selectors
from xuncha.findings.selectors.search_results import search_papers, search_problems
from xuncha.text.search import query_terms

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
LIST_RELATED = ("group__round__term", "organization", "classification__parent__parent")


def _detail(user, pk: int) -> Problem:
    papers = scope(user, WorkingPaper, VIEW).order_by("seq")
    problem = (scope(user, Problem, VIEW).select_related(*LIST_RELATED)
               .prefetch_related(Prefetch("papers", queryset=papers, to_attr="shown_papers"))
               .filter(pk=pk).first())
    if problem is None:
        raise Http404
    return problem


def _papers(user, ids: list[int], field: str = "papers") -> list[WorkingPaper]:
    papers = selectors.papers_by_ids(user, ids)
    if len(papers) != len(set(ids)):
        raise not_visible(field)
    return papers


def _classification(user, pk: int | None, field: str = "classification") -> Item | None:
    if pk is None:
        return None
    item = scope(user, Item, VIEW).select_related("parent__parent").filter(pk=pk).first()
    if item is None:
        raise not_visible(field)
    return item


def _readers_only(user) -> None:
    """The inspectorate's API: whoever reads working papers (a liaison reads its fed-back
    problems through the feedback API)."""
    if not can_any(user, VIEW, WorkingPaper):
        raise PermissionDenied("view WorkingPaper")


@router.get("", response={200: ProblemPage, 403: ErrorOut}, summary="List problems")
def problem_list(request, filters: Query[ProblemFilters]):
    user = request.auth
    _readers_only(user)
    qs = selectors.problems_for(user, selectors.ProblemFilters(
        round=filters.round, group=filters.group, assignment=filters.assignment, kind=filters.kind,
        severity=filters.severity, focus=filters.focus, q=filters.q))
    return page(qs, filters)


@router.get("/search", response={200: SearchOut, 403: ErrorOut},
            summary="Search the papers and problems the user may see")
def search(request, params: Query[SearchParams]):
    user = request.auth
    sees_papers, sees_problems = can_any(user, VIEW, WorkingPaper), can_any(user, VIEW, Problem)
    if not sees_papers:
        raise PermissionDenied("view WorkingPaper")
    terms = query_terms(params.q)
    empty = {"count": 0, "items": []}
    papers = page(search_papers(user, params.q), params) if terms and sees_papers else empty
    problems = page(search_problems(user, params.q).select_related("classification__parent__parent"), params) \
        if terms and sees_problems else empty
    return {"terms": list(terms), "papers": papers, "problems": problems}


@router.get("/{int:problem_id}", response={200: ProblemDetail, 404: ErrorOut}, summary="One problem with its papers")
def problem_detail(request, problem_id: int):
    return _detail(request.auth, problem_id)


@router.post("", response={201: ProblemDetail, **WRITE_ERRORS}, summary="Make a problem from signed papers")
def problem_create(request, payload: ProblemIn):
    user = request.auth
    papers = _papers(user, payload.papers)
    problem = services.problem_create(
        actor=user, papers=papers, title=payload.title, description=payload.description,
        classification=_classification(user, payload.classification), kind=payload.kind,
        severity=payload.severity, amount=payload.amount)
    return Status(201, _detail(user, problem.pk))


@router.patch("/{int:problem_id}", response={200: ProblemDetail, **WRITE_ERRORS}, summary="Change a problem")
def problem_update(request, problem_id: int, payload: ProblemPatch):
    user = request.auth
    problem = _detail(user, problem_id)
    changes = payload.dict(exclude_unset=True)
    if "classification" in changes:
        changes["classification"] = _classification(user, changes["classification"])
    services.problem_update(actor=user, problem=problem, **changes)
    return _detail(user, problem_id)


@router.delete("/{int:problem_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a problem")
def problem_delete(request, problem_id: int):
    user = request.auth
    services.problem_delete(actor=user, problem=_detail(user, problem_id))
    return Status(204, None)


@router.post("/merge", response={200: ProblemDetail, **WRITE_ERRORS},
             summary="Merge problems of one target into the first")
def problem_merge(request, payload: MergeIn):
    user = request.auth
    problems = selectors.problems_by_ids(user, payload.problems)
    if len(problems) != len(set(payload.problems)):
        raise not_visible("problems")
    merged = services.problem_merge(actor=user, problems=problems, title=payload.title,
                                    description=payload.description, severity=payload.severity)
    return _detail(user, merged.pk)


@router.post("/{int:problem_id}/split", response={201: list[ProblemDetail], **WRITE_ERRORS},
             summary="Split a problem by its papers")
def problem_split(request, problem_id: int, payload: SplitIn):
    user = request.auth
    problem = _detail(user, problem_id)
    parts = [part.dict() for part in payload.parts]
    results = services.problem_split(actor=user, problem=problem, parts=parts)
    return Status(201, [_detail(user, p.pk) for p in results])
