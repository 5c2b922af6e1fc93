"""Working papers: list (the ledger's filters), one paper with its sign-off history, create,
update while a draft, a sign-off step, an amendment of a frozen paper. Same services as the pages.

Missing and out-of-scope papers answer 404 alike; a write the role may not make 403; a step not
possible in the paper's state 409 with the reason; bad input 422 naming the fields.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xuncha.access.policy import CHANGE, VIEW, PermissionDenied, require, scope
from xuncha.api.common import invalid, not_visible, page
from xuncha.api.papers_schemas import (
    AmendIn,
    PaperDetail,
    PaperFilters,
    PaperIn,
    PaperPage,
    PaperPatch,
    StepIn,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.checklist.models import Item
from xuncha.findings import services_papers as services
from xuncha.findings import signoff
from xuncha.findings.models import WorkingPaper
from xuncha.findings.selectors import papers as selectors
from xuncha.rounds.models import Assignment, GroupMember

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _detail(user, pk: int) -> WorkingPaper:
    paper = selectors.get_paper_for_user(user, pk)
    paper.available_steps = [step.action for step in signoff.available(paper, user)]
    return paper


def _text(user, payload, organization) -> dict:
    """The payload's text fields as the services take them (only those sent)."""
    values = payload.dict(exclude_unset=True, exclude={"assignment", "authors"})
    for name in ("source", "kind", "title"):
        if name in values and values[name] is None:
            raise invalid(name, _("This field is required."))
    for name in ("facts", "informants", "place", "basis", "persons_involved"):
        if name in values and values[name] is None:
            values[name] = ""
    if values.get("classification") is not None:
        item = scope(user, Item).filter(pk=values["classification"], level=Item.Level.MANIFESTATION).first()
        if item is None:
            raise not_visible("classification")
        values["classification"] = item
    return values


def _authors(user, group, ids) -> list[GroupMember] | None:
    if ids is None:
        return None
    members = {m.pk: m for m in scope(user, GroupMember).filter(pk__in=ids)}
    if set(ids) - set(members):
        raise not_visible("authors")
    return [members[i] for i in ids]


@router.get("", response=PaperPage, summary="List working papers")
def paper_list(request, filters: Query[PaperFilters]):
    qs = selectors.papers_for(request.auth)
    if filters.round:
        qs = qs.filter(round_id=filters.round)
    if filters.group:
        qs = qs.filter(group_id=filters.group)
    qs = selectors.filtered(qs, selectors.LedgerFilters(
        state=filters.state, target=filters.target, kind=filters.kind, source=filters.source,
        author=filters.author, q=filters.q))
    return page(qs.order_by("round_id", "group__number", "seq", "pk"), filters)


@router.get("/{int:paper_id}", response={200: PaperDetail, 404: ErrorOut},
            summary="One working paper, with its sign-off history and amendments")
def paper_detail(request, paper_id: int):
    return _detail(request.auth, paper_id)


@router.post("", response={201: PaperDetail, **WRITE_ERRORS}, summary="Write a new working paper (a draft)")
def paper_create(request, payload: PaperIn):
    user = request.auth
    target = (scope(user, Assignment, VIEW).select_related("group__round", "organization")
              .filter(pk=payload.assignment).first())
    if target is None:
        raise not_visible("assignment")
    values = _text(user, payload, target.organization)
    paper = services.paper_create(actor=user, assignment=target, authors=_authors(user, target.group, payload.authors),
                                  **values)
    return Status(201, _detail(user, paper.pk))


@router.patch("/{int:paper_id}", response={200: PaperDetail, **WRITE_ERRORS},
              summary="Change a draft or returned paper")
def paper_update(request, paper_id: int, payload: PaperPatch):
    user = request.auth
    paper = selectors.get_paper_for_user(user, paper_id)
    require(user, CHANGE, paper)
    values = _text(user, payload, paper.assignment.organization)
    services.paper_update(actor=user, paper=paper, authors=_authors(user, paper.group, payload.authors), **values)
    return _detail(user, paper.pk)


@router.post("/{int:paper_id}/steps",
             response={200: PaperDetail, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
             summary="Take a sign-off step (submit, approve, return, sign, register)")
def paper_step(request, paper_id: int, payload: StepIn):
    user = request.auth
    paper = selectors.get_paper_for_user(user, paper_id)
    if payload.action not in signoff.ACTIONS:
        raise invalid("action", _("Unknown action."))
    try:
        services.paper_step(actor=user, paper=paper, action=payload.action, comment=payload.comment)
    except services.StepRefused as exc:
        if exc.reason == "role":
            raise PermissionDenied(str(exc)) from exc
        return Status(409, {"detail": str(exc)})
    return _detail(user, paper.pk)


@router.post("/{int:paper_id}/amendments", response={201: PaperDetail, **WRITE_ERRORS},
             summary="Amend a frozen (signed) paper, with the reason")
def paper_amend(request, paper_id: int, payload: AmendIn):
    user = request.auth
    paper = selectors.get_paper_for_user(user, paper_id)
    require(user, CHANGE, paper)
    changes = _text(user, payload.changes, paper.assignment.organization)
    services.paper_amend(actor=user, paper=paper, changes=changes, reason=payload.reason)
    return Status(201, _detail(user, paper.pk))


