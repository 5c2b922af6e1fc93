"""Transfers of problems and leads to receivers, through services_transfers and the policy's scope.

Missing and out-of-scope transfers answer 404 alike (for a receiver: any transfer to another
organization; for the superior office: a transferred lead); a write the role may not make 403
(the office does not sign for a transfer, a receiver does not hand over); bad input 422 naming
the fields. The problem behind a transfer is given only to those who may read it through the
Problem scope — never to a receiver.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router, Status

from xuncha.access.policy import CREATE, VIEW, PermissionDenied, can_any, scope
from xuncha.api.common import References, not_visible, page
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.api.transfers_schemas import (
    ActionIn,
    ActionOut,
    ReceiptIn,
    ResultsIn,
    TransferDetail,
    TransferFilters,
    TransferIn,
    TransferOut,
    TransferPage,
    TransferPatch,
)
from xuncha.findings.models import Problem
from xuncha.rectification import services_transfers as services
from xuncha.rectification.models import Transfer
from xuncha.rectification.selectors import transfers as selectors

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _decorate(user, transfers: list[Transfer]) -> list[Transfer]:
    """Each transfer with its deadline standing today and the problem the user may read."""
    on = selectors.today()
    problems = selectors.visible_problems(user, transfers)
    for transfer in transfers:
        transfer.deadline = selectors.deadline(transfer, on)
        transfer.shown_problem = problems.get(transfer.problem_id)
    return transfers


def _detail(user, pk: int) -> Transfer:
    transfer = selectors.transfer_details(user).filter(pk=pk).first()
    if transfer is None:
        raise Http404
    return _decorate(user, [transfer])[0]


@router.get("", response={200: TransferPage, 403: ErrorOut}, summary="List transfers")
def transfer_list(request, filters: Query[TransferFilters]):
    user = request.auth
    if not can_any(user, VIEW, Transfer):
        raise PermissionDenied("view Transfer")
    result = page(selectors.transfers_for(user, filters.ledger_filters()), filters)
    result["items"] = _decorate(user, result["items"])
    return result


@router.post("", response={201: list[TransferOut], **WRITE_ERRORS},
             summary="Hand problems or leads to a receiver: one transfer each, all or none")
def transfer_create(request, payload: TransferIn):
    user = request.auth
    if not can_any(user, CREATE, Transfer):
        raise PermissionDenied("create Transfer")
    ids = set(payload.problem_ids)
    problems = list(scope(user, Problem, VIEW).filter(pk__in=ids))
    if len(problems) != len(ids):
        raise not_visible("problem_ids")
    receiver = References(user).organization(payload.receiver_id, "receiver_id")
    made = services.transfer_create(actor=user, problems=problems, receiver=receiver,
                                    transferred_on=payload.transferred_on, summary=payload.summary,
                                    number=payload.number)
    found = {t.pk: t for t in selectors.transfers_for(user, selectors.LedgerFilters())
             .filter(pk__in=[t.pk for t in made])}
    return Status(201, _decorate(user, [found[t.pk] for t in made]))


@router.get("/{int:transfer_id}", response={200: TransferDetail, 404: ErrorOut},
            summary="One transfer with its handling steps and results")
def transfer_detail(request, transfer_id: int):
    return _detail(request.auth, transfer_id)


@router.patch("/{int:transfer_id}", response={200: TransferDetail, **WRITE_ERRORS},
              summary="Correct what was handed over and the reference number, until the receiver signs")
def transfer_update(request, transfer_id: int, payload: TransferPatch):
    user = request.auth
    services.transfer_update(actor=user, transfer=_detail(user, transfer_id), summary=payload.summary,
                             number=payload.number)
    return _detail(user, transfer_id)


@router.post("/{int:transfer_id}/receipt", response={200: TransferDetail, **WRITE_ERRORS},
             summary="The receiver signs for the transfer")
def transfer_receive(request, transfer_id: int, payload: ReceiptIn):
    user = request.auth
    services.transfer_receive(actor=user, transfer=_detail(user, transfer_id), received_on=payload.received_on,
                              receiver_handler=payload.receiver_handler)
    return _detail(user, transfer_id)


@router.post("/{int:transfer_id}/actions", response={201: ActionOut, **WRITE_ERRORS},
             summary="Record a handling step (talk or written inquiry, preliminary verification, case …)")
def transfer_action_add(request, transfer_id: int, payload: ActionIn):
    user = request.auth
    action = services.action_add(actor=user, transfer=_detail(user, transfer_id), on=payload.on,
                                 method=payload.method, note=payload.note)
    return Status(201, action)


@router.post("/{int:transfer_id}/results", response={200: TransferDetail, **WRITE_ERRORS},
             summary="Report back the results, or correct them")
def transfer_answer(request, transfer_id: int, payload: ResultsIn):
    user = request.auth
    services.transfer_answer(actor=user, transfer=_detail(user, transfer_id), **payload.dict())
    return _detail(user, transfer_id)
