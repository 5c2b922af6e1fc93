"""Recommendations (巡察建议书) at /api/v1/recommendations, through services_recommendations and
the policy's scope: the ledger and one letter (office, leading group, superior office), drafting,
editing and the numbered items, the transitions, and the addressed department's side — its
letters (/received), receipt, response and systems established or improved.

Missing and out-of-scope records answer 404 alike (a receiver never reaches a letter that is not
issued to its own organization); a write the role may not make 403 (the office approving, the
leading group issuing, a department answering for another); bad input 422 naming the field.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router, Status

from xuncha.access.policy import CREATE, VIEW, PermissionDenied, can_any, scope
from xuncha.analytics import recommendation_word as documents
from xuncha.analytics import services_recommendations as services
from xuncha.analytics.models import Recommendation, RecommendationAddressee
from xuncha.analytics.selectors import recommendations as selectors
from xuncha.api.common import not_visible, page
from xuncha.api.recommendations_schemas import (
    AddresseeOut,
    CommentIn,
    DraftIn,
    IssueIn,
    ItemsIn,
    OutcomeIn,
    OutcomeOut,
    ReceiptIn,
    ReceivedPage,
    RecommendationDetail,
    RecommendationFilters,
    RecommendationPage,
    RecommendationPatch,
    ResponseIn,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.registry.models import Organization
from xuncha.rounds.models import Round, Term

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _outcome(o) -> dict:
    return {"id": o.pk, "title": o.title, "adopted_on": o.adopted_on, "kind": o.kind, "document_name": o.document_name}


def _addressee(a: RecommendationAddressee) -> dict:
    return {"id": a.pk, "organization": a.organization_id, "organization_name": a.organization.name,
            "received_on": a.received_on, "responded_on": a.responded_on, "response": a.response,
            "response_file_name": a.response_file_name, "outcomes": [_outcome(o) for o in a.outcomes.all()]}


def _letter(rec: Recommendation, on) -> dict:
    status = selectors.status(rec, on)
    addressees = list(rec.addressees.all())
    outcome_count = getattr(rec, "outcome_count", None)
    if outcome_count is None:
        outcome_count = sum(len(a.outcomes.all()) for a in addressees)
    return {"id": rec.pk, "number": rec.number, "doc_number": documents.doc_number(rec), "title": rec.title,
            "committee": rec.committee_id, "term": rec.term_id, "state": rec.state, "issued_on": rec.issued_on,
            "response_due": rec.response_due, "responded": status["responded"], "overdue": status["overdue"],
            "outcome_count": outcome_count, "addressees": [_addressee(a) for a in addressees]}


def _detail(user, pk: int) -> dict:
    rec = selectors.get_recommendation_for_user(user, pk)
    data = _letter(rec, selectors.today())
    data.update({
        "symptoms": rec.symptoms, "causes": rec.causes, "cluster": rec.cluster_id, "round": rec.round_id,
        "items": [{"seq": i.seq, "text": i.text} for i in rec.items.all()],
        "steps": [{"action": s.action, "from_state": s.from_state, "to_state": s.to_state,
                   "actor": s.actor.get_username() if s.actor else "", "at": s.at, "comment": s.comment}
                  for s in rec.steps.all()],
        "problems": [{"id": p.pk, "number": p.number, "title": p.title, "organization_name": p.organization.name}
                     for p in selectors.visible_problems(user, rec)],
    })
    return data


def _organizations(user, ids, field: str) -> list[Organization]:
    wanted = set(ids)
    found = list(scope(user, Organization, VIEW).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise not_visible(field)
    return found


def _one(qs, pk, field: str):
    if pk is None:
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise not_visible(field)
    return found


# -- the ledger and one letter ---------------------------------------------------------------

@router.get("", response={200: RecommendationPage, 403: ErrorOut}, summary="List recommendations (the ledger)")
def recommendation_list(request, filters: Query[RecommendationFilters]):
    user = request.auth
    if not selectors.reads_ledger(user):
        raise PermissionDenied("view Recommendation")
    on = selectors.today()
    qs = selectors.ledger(user, selectors.LedgerFilters(term=filters.term, state=filters.state,
                                                        overdue=filters.overdue), on=on)
    result = page(qs, filters)
    result["items"] = [_letter(r, on) for r in result["items"]]
    return result


@router.post("", response={201: RecommendationDetail, **WRITE_ERRORS},
             summary="Draft a letter from a cluster or problems (the symptoms are written from them)")
def recommendation_create(request, payload: DraftIn):
    user = request.auth
    if not can_any(user, CREATE, Recommendation):
        raise PermissionDenied("create Recommendation")
    term = _one(scope(user, Term, VIEW), payload.term_id, "term_id")
    cluster = None
    if payload.cluster_id is not None:
        try:
            cluster = selectors.cluster_for_user(user, payload.cluster_id)
        except Http404:
            raise not_visible("cluster_id") from None
    rnd = _one(scope(user, Round, VIEW), payload.round_id, "round_id")
    rec = services.draft(actor=user, committee=term.committee, term=term, title=payload.title, cluster=cluster,
                         problems=payload.problem_ids, addressees=_organizations(user, payload.addressee_ids,
                                                                                  "addressee_ids"), round=rnd)
    return Status(201, _detail(user, rec.pk))


@router.get("/received", response={200: ReceivedPage, 403: ErrorOut},
            summary="The letters addressed to the receiver's own organization")
def received_list(request, params: Query[RecommendationFilters]):
    user = request.auth
    if not selectors.is_receiver(user):
        raise PermissionDenied("view RecommendationAddressee")
    on = selectors.today()
    result = page(selectors.received(user).prefetch_related("recommendation__items"), params)
    items = []
    for a in result["items"]:
        rec = a.recommendation
        items.append({**_addressee(a), "overdue": selectors.addressee_deadline(a, on)["overdue"], "recommendation": {
            "id": rec.pk, "number": rec.number, "doc_number": documents.doc_number(rec), "title": rec.title,
            "state": rec.state, "symptoms": rec.symptoms, "causes": rec.causes, "issued_on": rec.issued_on,
            "response_due": rec.response_due, "items": [{"seq": i.seq, "text": i.text} for i in rec.items.all()]}})
    result["items"] = items
    return result


@router.get("/{int:recommendation_id}", response={200: RecommendationDetail, 404: ErrorOut},
            summary="One letter with its items, history, addressees and source problems")
def recommendation_detail(request, recommendation_id: int):
    return _detail(request.auth, recommendation_id)


@router.patch("/{int:recommendation_id}", response={200: RecommendationDetail, **WRITE_ERRORS},
              summary="Edit a draft or returned letter")
def recommendation_update(request, recommendation_id: int, payload: RecommendationPatch):
    user = request.auth
    rec = selectors.get_recommendation_for_user(user, recommendation_id)
    addressees = (None if payload.addressee_ids is None
                  else _organizations(user, payload.addressee_ids, "addressee_ids"))
    services.update(actor=user, rec=rec, title=payload.title, symptoms=payload.symptoms, causes=payload.causes,
                    addressees=addressees, problems=payload.problem_ids, refill_symptoms=payload.refill_symptoms)
    return _detail(user, recommendation_id)


@router.put("/{int:recommendation_id}/items", response={200: RecommendationDetail, **WRITE_ERRORS},
            summary="Replace the numbered recommendations")
def recommendation_items(request, recommendation_id: int, payload: ItemsIn):
    user = request.auth
    services.set_items(actor=user, rec=selectors.get_recommendation_for_user(user, recommendation_id),
                       texts=payload.items)
    return _detail(user, recommendation_id)


def _transition(request, recommendation_id: int, call) -> dict:
    user = request.auth
    call(user, selectors.get_recommendation_for_user(user, recommendation_id))
    return _detail(user, recommendation_id)


@router.post("/{int:recommendation_id}/submit", response={200: RecommendationDetail, **WRITE_ERRORS},
             summary="The office submits the letter to the leading group")
def recommendation_submit(request, recommendation_id: int, payload: CommentIn):
    return _transition(request, recommendation_id,
                       lambda u, r: services.submit(actor=u, rec=r, comment=payload.comment))


@router.post("/{int:recommendation_id}/approve", response={200: RecommendationDetail, **WRITE_ERRORS},
             summary="The leading group approves the letter")
def recommendation_approve(request, recommendation_id: int, payload: CommentIn):
    return _transition(request, recommendation_id,
                       lambda u, r: services.approve(actor=u, rec=r, comment=payload.comment))


@router.post("/{int:recommendation_id}/return", response={200: RecommendationDetail, **WRITE_ERRORS},
             summary="The leading group returns the letter with a comment")
def recommendation_return(request, recommendation_id: int, payload: CommentIn):
    return _transition(request, recommendation_id,
                       lambda u, r: services.return_(actor=u, rec=r, comment=payload.comment))


@router.post("/{int:recommendation_id}/issue", response={200: RecommendationDetail, **WRITE_ERRORS},
             summary="The office issues the letter; the response deadline comes from the policy in force")
def recommendation_issue(request, recommendation_id: int, payload: IssueIn):
    return _transition(request, recommendation_id,
                       lambda u, r: services.issue(actor=u, rec=r, issued_on=payload.issued_on,
                                                   comment=payload.comment))


@router.post("/{int:recommendation_id}/close", response={200: RecommendationDetail, **WRITE_ERRORS},
             summary="The office closes the letter once every addressee has responded")
def recommendation_close(request, recommendation_id: int, payload: CommentIn):
    return _transition(request, recommendation_id,
                       lambda u, r: services.close(actor=u, rec=r, comment=payload.comment))


# -- the addressed department ----------------------------------------------------------------

def _addressee_of(user, recommendation_id: int, addressee_id: int) -> RecommendationAddressee:
    addressee = selectors.get_addressee_for_user(user, addressee_id)
    if addressee.recommendation_id != recommendation_id:
        raise Http404
    return addressee


def _addressee_answer(user, addressee_id: int) -> dict:
    return _addressee(selectors.get_addressee_for_user(user, addressee_id))


@router.post("/{int:recommendation_id}/addressees/{int:addressee_id}/receipt",
             response={200: AddresseeOut, **WRITE_ERRORS},
             summary="The department signs for the letter")
def addressee_receipt(request, recommendation_id: int, addressee_id: int, payload: ReceiptIn):
    user = request.auth
    services.acknowledge(actor=user, addressee=_addressee_of(user, recommendation_id, addressee_id),
                         received_on=payload.received_on)
    return _addressee_answer(user, addressee_id)


@router.post("/{int:recommendation_id}/addressees/{int:addressee_id}/response",
             response={200: AddresseeOut, **WRITE_ERRORS},
             summary="The department's response (or the office recording it for the department)")
def addressee_response(request, recommendation_id: int, addressee_id: int, payload: ResponseIn):
    user = request.auth
    services.respond(actor=user, addressee=_addressee_of(user, recommendation_id, addressee_id),
                     responded_on=payload.responded_on, response=payload.response)
    return _addressee_answer(user, addressee_id)


@router.post("/{int:recommendation_id}/addressees/{int:addressee_id}/outcomes",
             response={201: OutcomeOut, **WRITE_ERRORS},
             summary="Record a system established or improved in response")
def outcome_create(request, recommendation_id: int, addressee_id: int, payload: OutcomeIn):
    user = request.auth
    outcome = services.outcome_add(actor=user, addressee=_addressee_of(user, recommendation_id, addressee_id),
                                   title=payload.title, adopted_on=payload.adopted_on, kind=payload.kind)
    return Status(201, _outcome(outcome))
