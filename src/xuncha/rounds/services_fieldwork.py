"""Writes for fieldwork: a group's own logs (interviews, document requests, on-the-spot fixes),
its public announcement, and the leading group's mid-term guidance with its prescriptions.

Every function checks the policy (group roles write only their own group's logs, and only
while the round is open), runs in one transaction and leaves an audit event. Interview
contents are confidential: their audit events name the fields changed, never the text.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit, policy
from xuncha.access.policy import CHANGE, CREATE, require
from xuncha.registry.models import Organization
from xuncha.registry.services import _apply
from xuncha.rounds.models import (
    Announcement,
    DocumentRequest,
    Group,
    GuidanceVisit,
    Interview,
    OnTheSpotFix,
    Prescription,
)
from xuncha.rounds.selectors.fieldwork import serves_in_group

INTERVIEW_FIELDS = {"interviewee", "post", "held_at", "place", "interviewers", "recorder", "summary"}
DOCUMENT_FIELDS = {"item", "copies", "medium", "original", "requested_on", "due", "provided_on", "returned_on"}
SPOT_FIX_FIELDS = {"item", "organization", "fixed_on", "measure"}
ANNOUNCEMENT_FIELDS = {"scope", "phone", "mailbox", "email", "period_start", "period_end", "published"}
VISIT_FIELDS = {"visited_on", "leaders", "diagnoses"}

# A prescription's life: the group answers (and may improve its answer until it is closed);
# the leading group or the office closes it.
PRESCRIPTION_TRANSITIONS = {
    "answer": ({Prescription.Status.OPEN, Prescription.Status.ANSWERED}, Prescription.Status.ANSWERED),
    "close": ({Prescription.Status.OPEN, Prescription.Status.ANSWERED}, Prescription.Status.CLOSED),
}


def _strip(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _required(values: dict[str, Any], *names: str) -> None:
    missing = {name: [_("This field is required.")] for name in names if not values.get(name)}
    if missing:
        raise ValidationError(missing)


# -- interviews ------------------------------------------------------------------------------

def _check_interview(interview: Interview) -> None:
    _required(vars(interview), "interviewee", "interviewers", "summary", "held_at")


@transaction.atomic
def interview_create(*, actor, group: Group, interviewee: str, held_at: datetime, interviewers: str,
                     summary: str, post: str = "", place: str = "", recorder: str = "") -> Interview:
    """Record an individual talk of the group (its own members, while the round is open)."""
    values = _strip({"interviewee": interviewee, "post": post, "held_at": held_at, "place": place,
                     "interviewers": interviewers, "recorder": recorder, "summary": summary})
    interview = Interview(group=group, recorded_by=_account(actor), **values)
    require(actor, CREATE, interview)
    _check_interview(interview)
    interview.save()
    audit.record(actor=actor, action="interview.create", obj=interview, summary=str(group.full_name))
    return interview


@transaction.atomic
def interview_update(*, actor, interview: Interview, **changes: Any) -> Interview:
    require(actor, CHANGE, interview)
    interview = Interview.objects.select_for_update().select_related("group__round").get(pk=interview.pk)
    require(actor, CHANGE, interview)
    diff = _apply(interview, _strip(changes), INTERVIEW_FIELDS)
    if diff:
        _check_interview(interview)
        interview.save(update_fields=list(diff))
        audit.record(actor=actor, action="interview.update", obj=interview,
                     summary=str(interview.group.full_name), detail={"fields": sorted(diff)})
    return interview


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


# -- document requests -----------------------------------------------------------------------

def _check_document_request(doc: DocumentRequest) -> None:
    errors: dict[str, list[str]] = {}
    if not doc.item:
        errors["item"] = [_("This field is required.")]
    if not doc.copies or doc.copies < 1:
        errors["copies"] = [_("At least one copy.")]
    if doc.medium not in DocumentRequest.Medium.values:
        errors["medium"] = [_("Choose paper or electronic.")]
    if doc.due and doc.due < doc.requested_on:
        errors["due"] = [_("The return is due before the request was made.")]
    if doc.provided_on and doc.provided_on < doc.requested_on:
        errors["provided_on"] = [_("The documents were provided before they were requested.")]
    if doc.returned_on and not doc.provided_on:
        errors["returned_on"] = [_("Documents not yet provided cannot be returned.")]
    elif doc.returned_on and doc.returned_on < doc.provided_on:
        errors["returned_on"] = [_("The documents were returned before they were provided.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_request_create(*, actor, group: Group, item: str, requested_on: date, copies: int = 1,
                            medium: str = DocumentRequest.Medium.PAPER, original: bool = False,
                            due: date | None = None, provided_on: date | None = None,
                            returned_on: date | None = None) -> DocumentRequest:
    """Record a request for documents (调阅资料) made by the group."""
    doc = DocumentRequest(group=group, item=item.strip(), copies=copies, medium=medium, original=original,
                          requested_on=requested_on, due=due, provided_on=provided_on, returned_on=returned_on)
    require(actor, CREATE, doc)
    _check_document_request(doc)
    doc.save()
    audit.record(actor=actor, action="document_request.create", obj=doc, summary=doc.item,
                 detail={"group": group.pk, "due": due})
    return doc


def _locked_document(actor, doc: DocumentRequest) -> DocumentRequest:
    require(actor, CHANGE, doc)
    doc = DocumentRequest.objects.select_for_update().select_related("group__round").get(pk=doc.pk)
    require(actor, CHANGE, doc)
    return doc


@transaction.atomic
def document_request_update(*, actor, document_request: DocumentRequest, **changes: Any) -> DocumentRequest:
    doc = _locked_document(actor, document_request)
    diff = _apply(doc, _strip(changes), DOCUMENT_FIELDS)
    if diff:
        _check_document_request(doc)
        doc.save(update_fields=list(diff))
        audit.record(actor=actor, action="document_request.update", obj=doc, summary=doc.item,
                     detail={"changes": diff})
    return doc


@transaction.atomic
def document_request_mark_provided(*, actor, document_request: DocumentRequest,
                                   on: date | None = None) -> DocumentRequest:
    """The organization handed the documents over (today unless said otherwise)."""
    doc = _locked_document(actor, document_request)
    if doc.provided_on:
        raise ValidationError(_("These documents are already marked as provided."))
    doc.provided_on = on or timezone.localdate()
    _check_document_request(doc)
    doc.save(update_fields=["provided_on"])
    audit.record(actor=actor, action="document_request.provided", obj=doc, summary=doc.item,
                 detail={"on": doc.provided_on})
    return doc


@transaction.atomic
def document_request_mark_returned(*, actor, document_request: DocumentRequest,
                                   on: date | None = None) -> DocumentRequest:
    """The group gave the documents back (today unless said otherwise)."""
    doc = _locked_document(actor, document_request)
    if doc.returned_on:
        raise ValidationError(_("These documents are already marked as returned."))
    doc.returned_on = on or timezone.localdate()
    _check_document_request(doc)
    doc.save(update_fields=["returned_on"])
    audit.record(actor=actor, action="document_request.returned", obj=doc, summary=doc.item,
                 detail={"on": doc.returned_on})
    return doc


# -- on-the-spot fixes -----------------------------------------------------------------------

def _check_spot_fix(fix: OnTheSpotFix) -> None:
    _required(vars(fix), "item", "fixed_on", "measure")
    if fix.organization_id is not None and not fix.group.assignments.filter(
            organization_id=fix.organization_id).exists():
        raise ValidationError({"organization": [_("Choose one of the organizations this group inspects.")]})


@transaction.atomic
def spot_fix_create(*, actor, group: Group, item: str, fixed_on: date, measure: str,
                    organization: Organization | None = None) -> OnTheSpotFix:
    """Record a matter the inspected organization fixed on the spot (立行立改)."""
    fix = OnTheSpotFix(group=group, organization=organization, item=item.strip(), fixed_on=fixed_on,
                       measure=measure.strip())
    require(actor, CREATE, fix)
    _check_spot_fix(fix)
    fix.save()
    audit.record(actor=actor, action="spot_fix.create", obj=fix, summary=fix.item,
                 detail={"group": group.pk, "organization": organization.pk if organization else None})
    return fix


@transaction.atomic
def spot_fix_update(*, actor, spot_fix: OnTheSpotFix, **changes: Any) -> OnTheSpotFix:
    require(actor, CHANGE, spot_fix)
    fix = OnTheSpotFix.objects.select_for_update().select_related("group__round").get(pk=spot_fix.pk)
    require(actor, CHANGE, fix)
    diff = _apply(fix, _strip(changes), SPOT_FIX_FIELDS)
    if diff:
        _check_spot_fix(fix)
        fix.save(update_fields=list(diff))
        audit.record(actor=actor, action="spot_fix.update", obj=fix, summary=fix.item, detail={"changes": diff})
    return fix


# -- the announcement ------------------------------------------------------------------------

def _check_announcement(ann: Announcement) -> None:
    _required(vars(ann), "scope", "phone", "period_start", "period_end")
    if ann.period_start and ann.period_end and ann.period_end < ann.period_start:
        raise ValidationError({"period_end": [_("The period ends before it starts.")]})


@transaction.atomic
def announcement_save(*, actor, group: Group, **values: Any) -> Announcement:
    """Create the group's announcement or change it (office roles, or the group's leader
    while the round is open). It is meant for the public: only what it shows is in it."""
    unknown = set(values) - ANNOUNCEMENT_FIELDS
    if unknown:
        raise TypeError(f"fields that cannot be changed here: {sorted(unknown)}")
    values = _strip(values)
    existing = Announcement.objects.select_for_update().filter(group=group).first()
    if existing is None:
        ann = Announcement(group=group, **values)
        require(actor, CREATE, ann)
        _check_announcement(ann)
        ann.save()
        audit.record(actor=actor, action="announcement.create", obj=ann, summary=group.full_name)
        return ann
    require(actor, CHANGE, existing)
    diff = _apply(existing, values, ANNOUNCEMENT_FIELDS)
    if diff:
        _check_announcement(existing)
        existing.save(update_fields=list(diff))
        audit.record(actor=actor, action="announcement.update", obj=existing, summary=group.full_name,
                     detail={"changes": diff})
    return existing


# -- mid-term guidance -----------------------------------------------------------------------

def _check_visit(visit: GuidanceVisit) -> None:
    _required(vars(visit), "visited_on", "leaders", "diagnoses")


@transaction.atomic
def guidance_visit_create(*, actor, group: Group, visited_on: date, leaders: str,
                          diagnoses: str) -> GuidanceVisit:
    """Record a visit of the leading group to a group on site, with its diagnoses (把脉)."""
    visit = GuidanceVisit(group=group, visited_on=visited_on, leaders=leaders.strip(),
                          diagnoses=diagnoses.strip(), recorded_by=_account(actor))
    require(actor, CREATE, visit)
    _check_visit(visit)
    visit.save()
    audit.record(actor=actor, action="guidance_visit.create", obj=visit, summary=group.full_name,
                 detail={"on": visited_on})
    return visit


@transaction.atomic
def guidance_visit_update(*, actor, visit: GuidanceVisit, **changes: Any) -> GuidanceVisit:
    require(actor, CHANGE, visit)
    visit = GuidanceVisit.objects.select_for_update().select_related("group__round").get(pk=visit.pk)
    diff = _apply(visit, _strip(changes), VISIT_FIELDS)
    if diff:
        _check_visit(visit)
        visit.save(update_fields=list(diff))
        audit.record(actor=actor, action="guidance_visit.update", obj=visit, summary=visit.group.full_name,
                     detail={"changes": diff})
    return visit


def _check_prescription(p: Prescription) -> None:
    _required(vars(p), "content", "owner", "due")


@transaction.atomic
def prescription_create(*, actor, visit: GuidanceVisit, content: str, owner: str, due: date) -> Prescription:
    """Add a prescription (药方) to a visit: a follow-up item the group is to answer."""
    require(actor, CHANGE, visit)
    p = Prescription(visit=visit, content=content.strip(), owner=owner.strip(), due=due)
    require(actor, CREATE, p)
    _check_prescription(p)
    p.save()
    audit.record(actor=actor, action="prescription.create", obj=p, summary=p.content[:80],
                 detail={"visit": visit.pk, "due": due})
    return p


def _locked_prescription(actor, prescription: Prescription, action: str) -> Prescription:
    require(actor, CHANGE, prescription)
    p = Prescription.objects.select_for_update().select_related("visit__group__round").get(pk=prescription.pk)
    require(actor, CHANGE, p)
    sources, _target = PRESCRIPTION_TRANSITIONS[action]
    if p.status not in sources:
        raise ValidationError(_("This prescription is %(status)s and can no longer change.")
                              % {"status": p.get_status_display()})
    return p


@transaction.atomic
def prescription_answer(*, actor, prescription: Prescription, answer: str) -> Prescription:
    """The group says what it did about a prescription; only the group's own members answer."""
    p = _locked_prescription(actor, prescription, "answer")
    if not serves_in_group(actor, p.visit.group_id):
        raise policy.PermissionDenied("answer Prescription")
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": [_("Say what the group did about this prescription.")]})
    p.answer = answer
    p.status = PRESCRIPTION_TRANSITIONS["answer"][1]
    p.answered_at = timezone.now()
    p.save(update_fields=["answer", "status", "answered_at"])
    audit.record(actor=actor, action="prescription.answer", obj=p, summary=p.content[:80])
    return p


@transaction.atomic
def prescription_close(*, actor, prescription: Prescription) -> Prescription:
    """The leading group or the office closes a prescription (answered or not)."""
    p = _locked_prescription(actor, prescription, "close")
    require(actor, CHANGE, p.visit)
    old = p.status
    p.status = PRESCRIPTION_TRANSITIONS["close"][1]
    p.save(update_fields=["status"])
    audit.record(actor=actor, action="prescription.close", obj=p, summary=p.content[:80],
                 detail={"from": old})
    return p
