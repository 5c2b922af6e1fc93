"""Complaints (信访举报) for staff, through services_complaints, services_identity and the
policy's scope.

Missing and out-of-scope complaints answer 404 alike (a group: another group's); a write the
role may not make 403; bad input 422 naming the fields. No GET returns the informant's name or
contact: only POST /{id}/identity does, for a holder of a granted access, counted and audited.
Attachments are sent and downloaded through the pages (multipart), not here.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router, Status

from xuncha.access.policy import VIEW, PermissionDenied, can_any
from xuncha.api.common import not_visible, page
from xuncha.api.complaints_schemas import (
    ComplaintDetail,
    ComplaintFilters,
    ComplaintIn,
    ComplaintPage,
    ComplaintPatch,
    DecisionIn,
    HandlingIn,
    IdentityAccessOut,
    IdentityOut,
    IdentityRequestIn,
    MessageIn,
    MessageOut,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.intake import services_complaints as services
from xuncha.intake import services_identity
from xuncha.intake.models import Complaint
from xuncha.intake.selectors import complaints as selectors
from xuncha.intake.selectors import identity as identity_selectors

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _detail(user, pk: int) -> Complaint:
    complaint = selectors.complaint_details(user).filter(pk=pk).first()
    if complaint is None:
        raise Http404
    complaint.repeat_ids = list(selectors.repeats(user, complaint).values_list("pk", flat=True))
    complaint.repeats = len(complaint.repeat_ids)
    complaint.duplicate_ids = list(selectors.duplicates(user, complaint).values_list("pk", flat=True))
    return complaint


def _pick(qs, pk: int | None, field: str, *, zero_clears: bool = False):
    """The record `pk` among `qs` (what the user may use); None for no id (or 0 to clear)."""
    if pk is None or (zero_clears and pk == 0):
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise not_visible(field)
    return found


@router.get("", response={200: ComplaintPage, 403: ErrorOut}, summary="List complaints (the register)")
def complaint_list(request, filters: Query[ComplaintFilters]):
    user = request.auth
    if not can_any(user, VIEW, Complaint):
        raise PermissionDenied("view Complaint")
    return page(selectors.register(user, filters.register_filters()), filters)


@router.post("", response={201: ComplaintDetail, **WRITE_ERRORS},
             summary="Register a complaint received by letter, call, visit or online")
def complaint_create(request, payload: ComplaintIn):
    user = request.auth
    group = _pick(selectors.groups_to_register_for(user), payload.group_id, "group_id")
    committee = selectors.register_committee(user, group)
    if committee is None:
        raise PermissionDenied("create Complaint")
    complaint = services.register(
        actor=user, committee=committee, group=group,
        round=_pick(selectors.round_choices(user), payload.round_id, "round_id"),
        channel=payload.channel, received_on=payload.received_on,
        organization=_pick(selectors.organization_choices(user), payload.organization_id, "organization_id"),
        concerns=payload.concerns, subject=payload.subject, content=payload.content,
        category=_pick(selectors.category_choices(user), payload.category_id, "category_id"),
        name=payload.name, contact=payload.contact)
    return Status(201, _detail(user, complaint.pk))


@router.get("/{int:complaint_id}", response={200: ComplaintDetail, 404: ErrorOut},
            summary="One complaint with its handling steps, messages, attachments and links (never the informant)")
def complaint_detail(request, complaint_id: int):
    return _detail(request.auth, complaint_id)


@router.patch("/{int:complaint_id}", response={200: ComplaintDetail, **WRITE_ERRORS},
              summary="Correct subject, content, whom it concerns, category or organization until concluded")
def complaint_update(request, complaint_id: int, payload: ComplaintPatch):
    user = request.auth
    complaint = _detail(user, complaint_id)
    fields = payload.dict(exclude_unset=True)
    kwargs = {k: fields[k] for k in ("subject", "content", "concerns") if k in fields}
    if "category_id" in fields:
        kwargs["category"] = _pick(selectors.category_choices(user), fields["category_id"], "category_id",
                                   zero_clears=True)
    if "organization_id" in fields:
        kwargs["organization"] = _pick(selectors.organization_choices(user), fields["organization_id"],
                                       "organization_id", zero_clears=True)
    services.edit(actor=user, complaint=complaint, **kwargs)
    return _detail(user, complaint_id)


@router.post("/{int:complaint_id}/handling", response={200: ComplaintDetail, **WRITE_ERRORS},
             summary="Pass to a group or a department, rule outside the scope, conclude or reopen")
def complaint_handle(request, complaint_id: int, payload: HandlingIn):
    user = request.auth
    complaint = _detail(user, complaint_id)
    group = _pick(selectors.group_choices(user), payload.group_id, "group_id")
    services.handle(actor=user, complaint=complaint, action=payload.action, group=group, passed_to=payload.passed_to,
                    outcome=payload.outcome, comment=payload.comment, on=payload.on)
    return _detail(user, complaint_id)


@router.post("/{int:complaint_id}/messages", response={201: MessageOut, **WRITE_ERRORS},
             summary="Reply to the online filer (read with the receipt code)")
def complaint_reply(request, complaint_id: int, payload: MessageIn):
    user = request.auth
    message = services.reply(actor=user, complaint=_detail(user, complaint_id), text=payload.text)
    return Status(201, message)


@router.post("/{int:complaint_id}/identity-requests", response={201: IdentityAccessOut, **WRITE_ERRORS},
             summary="Ask to see the informant's identity, giving the reason")
def identity_request(request, complaint_id: int, payload: IdentityRequestIn):
    user = request.auth
    access = services_identity.request_access(actor=user, complaint=_detail(user, complaint_id),
                                              reason=payload.reason)
    return Status(201, identity_selectors.get_access_for_user(user, access.pk))


@router.post("/identity-requests/{int:access_id}/decision", response={200: IdentityAccessOut, **WRITE_ERRORS},
             summary="Grant (until a date) or refuse a request to see an informant (office head, leading group)")
def identity_decide(request, access_id: int, payload: DecisionIn):
    user = request.auth
    access = identity_selectors.get_access_for_user(user, access_id)
    services_identity.decide(actor=user, access=access, grant=payload.grant, comment=payload.comment,
                             expires_on=payload.expires_on)
    return identity_selectors.get_access_for_user(user, access_id)


@router.post("/{int:complaint_id}/identity", response={200: IdentityOut, **WRITE_ERRORS},
             summary="The informant's name and contact, with granted access (each viewing audited)")
def identity_view(request, complaint_id: int):
    user = request.auth
    name, contact = services_identity.view_identity(actor=user, complaint=_detail(user, complaint_id))
    return {"name": name, "contact": contact}
