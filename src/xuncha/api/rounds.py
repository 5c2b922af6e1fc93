"""Terms, rounds, groups, targets and coverage, through the rounds services and the policy's scope.

Missing and out-of-scope records answer 404 alike; a write the role may not make answers 403;
an illegal state change 409 with the reason; bad input 422 naming the fields (a recusal
refusal names each conflict on the "organization" field).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xuncha.access.policy import CHANGE, VIEW, require, scope
from xuncha.api.common import References, invalid, not_visible, page
from xuncha.api.rounds_schemas import (
    AssignmentFilters,
    AssignmentIn,
    AssignmentOut,
    AssignmentPage,
    CoverageFilters,
    CoverageOut,
    GroupIn,
    GroupOut,
    RoundDetail,
    RoundFilters,
    RoundIn,
    RoundPage,
    RoundPatch,
    TermFilters,
    TermIn,
    TermOut,
    TermPage,
    TransitionIn,
    UncoveredFilters,
    UncoveredPage,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.rounds import services
from xuncha.rounds.models import Assignment, Group, GroupMember, Round, RoundTransition, Term
from xuncha.rounds.recusal import RecusalConflict
from xuncha.rounds.selectors import coverage as coverage_selectors
from xuncha.rounds.transitions import BY_ACTION

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _one(qs, pk: int):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _terms(user):
    return scope(user, Term, VIEW).select_related("committee")


def _rounds(user):
    return scope(user, Round, VIEW).select_related("term")


def _groups(user):
    return scope(user, Group, VIEW).select_related("round__term")


def _assignments(user):
    return scope(user, Assignment, VIEW).select_related("group", "organization__kind")


def _referenced(qs, pk: int, field: str):
    """A record the payload names, among those the user may see; else 422 on that field."""
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise not_visible(field)
    return obj


# -- terms -----------------------------------------------------------------------------------

@router.get("/terms", response=TermPage, summary="List terms")
def term_list(request, filters: Query[TermFilters]):
    qs = _terms(request.auth).order_by("committee__path", "-number", "pk")
    if filters.committee:
        qs = qs.filter(committee_id=filters.committee)
    return page(qs, filters)


@router.get("/terms/{int:term_id}", response={200: TermOut, 404: ErrorOut}, summary="One term")
def term_detail(request, term_id: int):
    return _one(_terms(request.auth), term_id)


@router.post("/terms", response={201: TermOut, **WRITE_ERRORS}, summary="Open a term")
def term_create(request, payload: TermIn):
    user = request.auth
    committee = References(user).committee(payload.committee)
    term = services.term_create(actor=user, committee=committee, number=payload.number, name=payload.name,
                                start_date=payload.start_date, end_date=payload.end_date,
                                planned_rounds=payload.planned_rounds)
    return Status(201, _one(_terms(user), term.pk))


# -- rounds ----------------------------------------------------------------------------------

@router.get("/rounds", response=RoundPage, summary="List rounds")
def round_list(request, filters: Query[RoundFilters]):
    qs = _rounds(request.auth).order_by("-term__start_date", "term_id", "-number", "pk")
    if filters.term:
        qs = qs.filter(term_id=filters.term)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return page(qs, filters)


def _round_detail(user, round_id: int) -> Round:
    """The round with the groups the user may see (a group's members: their own) and its history."""
    groups = scope(user, Group, VIEW).order_by("number")
    history = scope(user, RoundTransition, VIEW).select_related("actor").order_by("at", "pk")
    rnd = _one(_rounds(user).prefetch_related(Prefetch("groups", queryset=groups, to_attr="shown_groups"),
                                              Prefetch("transitions", queryset=history,
                                                       to_attr="shown_transitions")), round_id)
    for group in rnd.shown_groups:
        group.round = rnd
    return rnd


@router.get("/rounds/{int:round_id}", response={200: RoundDetail, 404: ErrorOut},
            summary="One round, with its groups and history")
def round_detail(request, round_id: int):
    return _round_detail(request.auth, round_id)


@router.post("/rounds", response={201: RoundDetail, **WRITE_ERRORS}, summary="Plan a round")
def round_create(request, payload: RoundIn):
    user = request.auth
    term = _referenced(_terms(user), payload.term, "term")
    rnd = services.round_create(actor=user, term=term, kind=payload.kind, planned_entry=payload.planned_entry,
                                planned_exit=payload.planned_exit, title=payload.title, theme=payload.theme,
                                number=payload.number)
    return Status(201, _round_detail(user, rnd.pk))


@router.patch("/rounds/{int:round_id}", response={200: RoundDetail, **WRITE_ERRORS},
              summary="Change a round's plan")
def round_update(request, round_id: int, payload: RoundPatch):
    user = request.auth
    rnd = _one(_rounds(user), round_id)
    require(user, CHANGE, rnd)  # before looking at the payload
    changes = payload.dict(exclude_unset=True)
    for field in ("planned_entry", "planned_exit", "kind"):
        if field in changes and not changes[field]:
            raise invalid(field, _("This field is required."))
    services.round_update(actor=user, round=rnd, **changes)
    return _round_detail(user, rnd.pk)


@router.post("/rounds/{int:round_id}/transitions",
             response={200: RoundDetail, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
             summary="Move a round along its state machine")
def round_transition(request, round_id: int, payload: TransitionIn):
    user = request.auth
    rnd = _one(_rounds(user), round_id)
    if payload.action not in BY_ACTION:
        raise invalid("action", _("Unknown action."))
    try:
        services.round_transition(actor=user, round=rnd, action=payload.action, comment=payload.comment)
    except services.TransitionRefused as exc:
        return Status(409, {"detail": str(exc)})
    return _round_detail(user, rnd.pk)


# -- groups ----------------------------------------------------------------------------------

def _group_detail(user, group_id: int) -> Group:
    members = (scope(user, GroupMember, VIEW).select_related("person", "user")
               .order_by("role", "person__stroke_key", "person__name", "pk"))
    targets = (scope(user, Assignment, VIEW).select_related("group", "organization__kind")
               .order_by("organization__kind__sort_order", "organization__pinyin", "pk"))
    return _one(_groups(user).prefetch_related(
        Prefetch("members", queryset=members, to_attr="shown_members"),
        Prefetch("assignments", queryset=targets, to_attr="shown_targets")), group_id)


@router.get("/groups/{int:group_id}", response={200: GroupOut, 404: ErrorOut},
            summary="One group, with its members and targets")
def group_detail(request, group_id: int):
    return _group_detail(request.auth, group_id)


@router.post("/rounds/{int:round_id}/groups", response={201: GroupOut, **WRITE_ERRORS},
             summary="Add a group to a round")
def group_create(request, round_id: int, payload: GroupIn):
    user = request.auth
    rnd = _one(_rounds(user), round_id)
    group = services.group_create(actor=user, round=rnd, number=payload.number)
    return Status(201, _group_detail(user, group.pk))


# -- targets ---------------------------------------------------------------------------------

@router.get("/assignments", response=AssignmentPage, summary="List inspection targets")
def assignment_list(request, filters: Query[AssignmentFilters]):
    qs = _assignments(request.auth).order_by("round_id", "group__number", "organization__kind__sort_order",
                                             "organization__pinyin", "pk")
    if filters.round:
        qs = qs.filter(round_id=filters.round)
    if filters.group:
        qs = qs.filter(group_id=filters.group)
    if filters.organization:
        qs = qs.filter(organization_id=filters.organization)
    return page(qs, filters)


@router.post("/assignments", response={201: AssignmentOut, **WRITE_ERRORS},
             summary="Assign an organization to a group")
def assignment_create(request, payload: AssignmentIn):
    user = request.auth
    group = _referenced(_groups(user), payload.group, "group")
    organization = References(user).organization(payload.organization, "organization")
    try:
        target = services.assignment_add(actor=user, group=group, organization=organization, mode=payload.mode,
                                         override_reason=payload.override_reason)
    except RecusalConflict as exc:
        return Status(422, {"detail": [{"field": "organization", "message": c.sentence} for c in exc.conflicts]})
    return Status(201, _one(_assignments(user), target.pk))


# -- coverage --------------------------------------------------------------------------------

def _row(row) -> dict:
    return {"key": row.key, "label": row.label, "total": row.total, "covered": row.covered,
            "uncovered": row.uncovered, "rate": row.rate}


@router.get("/coverage", response={200: CoverageOut, 404: ErrorOut, 422: ValidationErrorOut},
            summary="A term's coverage (全覆盖)")
def coverage(request, filters: Query[CoverageFilters]):
    user = request.auth
    term = coverage_selectors.get_term_for_user(user, filters.term)
    figures = coverage_selectors.coverage_for(user, term)
    outlook = figures.forecast
    return {
        "term": term.pk, "total": figures.total.total, "covered": figures.total.covered,
        "uncovered": figures.total.uncovered, "rate": figures.rate,
        "by_kind": [_row(r) for r in figures.kinds], "by_township": [_row(r) for r in figures.townships],
        "forecast": {
            "planned_rounds": term.planned_rounds, "created_rounds": figures.rounds.created,
            "rounds_with_targets": figures.rounds.with_targets, "targets": figures.rounds.targets,
            "remaining_rounds": outlook.remaining,
            "average_targets": None if outlook.average is None else round(float(outlook.average), 2),
            "capacity": outlook.capacity, "short": outlook.short,
            "warning": coverage_selectors.warning(outlook),
        },
    }


@router.get("/coverage/uncovered", response={200: UncoveredPage, 404: ErrorOut, 422: ValidationErrorOut},
            summary="Organizations a term has not yet covered")
def coverage_uncovered(request, filters: Query[UncoveredFilters]):
    user = request.auth
    term = coverage_selectors.get_term_for_user(user, filters.term)
    return page(coverage_selectors.uncovered(user, term, kind=filters.kind, township=filters.township), filters)
