"""Writes for recommendations (巡察建议书) to functional departments.

The office drafts a letter from a cluster of recurring or common problems or from a selection
of problems of its committee (never a lead: a letter to a department never carries one); the
symptoms (问题症状) are written from the data, the root causes (病情病理) and the numbered
recommendations by the office. The leading group approves it or returns it with a comment;
the office issues it on a date — the response deadline comes from the deadline policy in force
on that date — and closes it once every addressee has responded. Each addressed department
signs for it, responds (text and/or a document) and records the systems it established or
improved; the office may record these on the department's behalf (letters and answers often
travel on paper), and the audit event says so.

The transitions, each checked against this table before it is taken:

    state      action   next state  who
    draft      edit     draft       the office (fields, items, addressees, problems)
    returned   edit     returned    the office
    draft      submit   submitted   the office
    returned   submit   submitted   the office
    submitted  approve  approved    the leading group
    submitted  return   returned    the leading group (a comment is required)
    approved   issue    issued      the office (issued_on; policy and response deadline)
    issued     close    closed      the office, once every addressee has responded

Every transition writes a RecommendationStep (who, when, from, to, comment) and an audit event;
edits write an audit event. Addressees answer while the letter is issued.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, DELETE, can, require
from xuncha.analytics import symptoms as symptoms_text
from xuncha.analytics.models import (
    Cluster,
    Recommendation,
    RecommendationAddressee,
    RecommendationItem,
    RecommendationStep,
    SystemOutcome,
)
from xuncha.analytics.selectors import recommendations as selectors
from xuncha.findings.models import Kind, Problem
from xuncha.findings.uploads import UploadRefused, check_evidence
from xuncha.rectification import deadlines
from xuncha.registry.models import Organization

State = Recommendation.State
DRAFT, SUBMITTED, RETURNED, APPROVED, ISSUED, CLOSED = (State.DRAFT, State.SUBMITTED, State.RETURNED,
                                                       State.APPROVED, State.ISSUED, State.CLOSED)
OFFICE = selectors.OFFICE
LEADER = selectors.LEADER
RECEIVER = selectors.RECEIVER
ANSWERING = (*RECEIVER, *OFFICE)  # who writes an addressee's side: the department, or the office for it

EDIT, SUBMIT, APPROVE, RETURN, ISSUE, CLOSE = "edit", "submit", "approve", "return", "issue", "close"
# (state, action) → (next state, the roles whose grant counts)
TRANSITIONS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    (DRAFT, EDIT): (DRAFT, OFFICE),
    (RETURNED, EDIT): (RETURNED, OFFICE),
    (DRAFT, SUBMIT): (SUBMITTED, OFFICE),
    (RETURNED, SUBMIT): (SUBMITTED, OFFICE),
    (SUBMITTED, APPROVE): (APPROVED, LEADER),
    (SUBMITTED, RETURN): (RETURNED, LEADER),
    (APPROVED, ISSUE): (ISSUED, OFFICE),
    (ISSUED, CLOSE): (CLOSED, OFFICE),
}
ROLES_OF = {EDIT: OFFICE, SUBMIT: OFFICE, APPROVE: LEADER, RETURN: LEADER, ISSUE: OFFICE, CLOSE: OFFICE}
TITLE_MAX = Recommendation._meta.get_field("title").max_length
NAME_MAX = 200


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _text(value: str | None, field: str, errors: dict, *, max_length: int | None = None,
          required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _required()
    elif max_length is not None and len(value) > max_length:
        errors[field] = [_("At most %(n)d characters.") % {"n": max_length}]
    return value


def _date(day: date | None, field: str, errors: dict, *, earliest: date | None = None,
          too_early: str = "") -> None:
    """Required, not in the future, not before `earliest`."""
    if day is None:
        errors[field] = _required()
    elif day > selectors.today():
        errors[field] = [_("The date cannot be in the future.")]
    elif earliest is not None and day < earliest:
        errors[field] = [too_early % {"date": _day(earliest)}]


def allowed(state: str, action: str) -> bool:
    return (state, action) in TRANSITIONS


def refusal(action: str) -> str:
    return {
        EDIT: _("The letter has been submitted; it can be changed only if the leading group returns it."),
        SUBMIT: _("Only a draft or a returned letter can be submitted."),
        APPROVE: _("Only a letter awaiting approval can be approved or returned."),
        RETURN: _("Only a letter awaiting approval can be approved or returned."),
        ISSUE: _("Only an approved letter can be issued."),
        CLOSE: _("Only an issued letter can be closed."),
    }[action]


def _lock(rec: Recommendation) -> Recommendation:
    return (Recommendation.objects.select_for_update(of=("self",))
            .select_related("committee", "term", "policy").get(pk=rec.pk))


def _locked(actor, rec: Recommendation, action: str) -> tuple[Recommendation, str]:
    """The letter, locked and fresh, with the state `action` takes it to, after checking the
    actor's permission and the current state against the table."""
    require(actor, CHANGE, rec, roles=ROLES_OF[action])
    rec = _lock(rec)
    if (rec.state, action) not in TRANSITIONS:
        raise ValidationError({"state": [refusal(action)]})
    next_state, roles = TRANSITIONS[(rec.state, action)]
    require(actor, CHANGE, rec, roles=roles)
    return rec, next_state


def _step(actor, rec: Recommendation, action: str, before: str, comment: str = "") -> RecommendationStep:
    return RecommendationStep.objects.create(recommendation=rec, action=action, from_state=before,
                                             to_state=rec.state, actor=_account(actor), at=timezone.now(),
                                             comment=comment)


# -- what a letter draws on ------------------------------------------------------------------

def _chosen_problems(actor, committee, cluster: Cluster | None, problems: Iterable, errors: dict) -> list[Problem]:
    """The problems of the letter: the selection, or else the cluster's members (its leads left
    out). Each must be of the committee and readable by the actor; a selected lead is refused."""
    ids = {getattr(p, "pk", p) for p in problems}
    from_cluster = not ids and cluster is not None
    if from_cluster:
        ids = set(selectors.cluster_problems(cluster).values_list("pk", flat=True))
    found = list(selectors.choosable_problems(actor, committee, ids)) if ids else []
    if len(found) != len(ids):
        errors["problems"] = [_("Choose problems of this committee that you may read.")]
        return []
    leads = [p for p in found if p.kind == Kind.LEAD]
    if leads:
        errors["problems"] = [_("%(number)s is a problem lead: a recommendation never carries a lead.")
                              % {"number": p.number} for p in sorted(leads, key=lambda p: p.pk)]
        return []
    if not found:
        errors["problems"] = ([_("The cluster holds no problem that may go into a recommendation.")]
                              if from_cluster else [_("Choose at least one problem.")])
    return found


def _chosen_addressees(committee, addressees: Iterable[Organization], errors: dict) -> list[Organization]:
    chosen: dict[int, Organization] = {}
    for org in addressees:
        if org.committee_id != committee.pk:
            errors["addressees"] = [_("%(name)s is not an organization of this committee.") % {"name": org.name}]
        elif not org.active:
            errors["addressees"] = [_("%(name)s is no longer active.") % {"name": org.name}]
        chosen.setdefault(org.pk, org)
    return list(chosen.values())


def _next_seq(committee, year: int) -> int:
    last = Recommendation.objects.filter(committee=committee, year=year).aggregate(m=Max("seq"))["m"]
    return (last or 0) + 1


@transaction.atomic
def draft(*, actor, committee, term, title: str, cluster: Cluster | None = None, problems: Iterable = (),
          addressees: Iterable[Organization] = (), round=None) -> Recommendation:
    """The office drafts a letter of its committee from a cluster (its members, leads left out)
    or a selection of problems; the symptoms are written from them; the number is the next of
    the committee in the year."""
    rec = Recommendation(committee=committee, term=term, round=round, cluster=cluster)
    require(actor, CREATE, rec, roles=OFFICE)
    errors: dict[str, list[str]] = {}
    title = _text(title, "title", errors, max_length=TITLE_MAX)
    if term is None or term.committee_id != committee.pk:
        errors["term"] = [_("Choose a term of this committee.")]
    if round is not None and term is not None and round.term_id != term.pk:
        errors["round"] = [_("Choose a round of the term.")]
    if cluster is not None and cluster.committee_id != committee.pk:
        errors["cluster"] = [_("Choose a cluster of this committee.")]
    chosen = _chosen_problems(actor, committee, cluster, problems, errors)
    orgs = _chosen_addressees(committee, addressees, errors)
    if errors:
        raise ValidationError(errors)
    rec.title, rec.created_by = title, _account(actor)
    rec.symptoms = symptoms_text.describe(chosen)
    rec.year = selectors.today().year
    for attempt in range(5):
        rec.seq = _next_seq(committee, rec.year)
        try:
            with transaction.atomic():
                rec.save()
            break
        except IntegrityError:
            # Another letter took the number at the same moment: take the next one.
            rec.pk = None
            if attempt == 4:
                raise
    rec.problems.set(chosen)
    RecommendationAddressee.objects.bulk_create(
        [RecommendationAddressee(recommendation=rec, organization=org) for org in orgs])
    audit.record(actor=actor, action="recommendation.draft", obj=rec, summary=f"{rec.number} {title}",
                 detail={"number": rec.number, "cluster": cluster.pk if cluster else None,
                         "problems": sorted(p.pk for p in chosen), "addressees": sorted(o.pk for o in orgs),
                         "to": DRAFT})
    return rec


@transaction.atomic
def update(*, actor, rec: Recommendation, title: str | None = None, symptoms: str | None = None,
           causes: str | None = None, addressees: Iterable[Organization] | None = None,
           problems: Iterable | None = None, refill_symptoms: bool = False) -> Recommendation:
    """The office edits a draft or returned letter; what is not given stays. `refill_symptoms`
    writes the symptoms again from the (new) problems."""
    rec, _state = _locked(actor, rec, EDIT)
    errors: dict[str, list[str]] = {}
    changes: dict[str, object] = {}
    if title is not None:
        title = _text(title, "title", errors, max_length=TITLE_MAX)
        if title != rec.title:
            changes["title"] = title
    if causes is not None:
        causes = (causes or "").strip()
        if causes != rec.causes:
            changes["causes"] = causes
    if symptoms is not None:
        symptoms = (symptoms or "").strip()
        if symptoms != rec.symptoms:
            changes["symptoms"] = symptoms
    chosen = _chosen_problems(actor, rec.committee, None, problems, errors) if problems is not None else None
    orgs = _chosen_addressees(rec.committee, addressees, errors) if addressees is not None else None
    if errors:
        raise ValidationError(errors)
    detail: dict[str, object] = {"fields": sorted(changes)}
    if chosen is not None:
        before = set(rec.problems.values_list("pk", flat=True))
        after = {p.pk for p in chosen}
        if before != after:
            rec.problems.set(chosen)
            detail["problems"] = {"old": sorted(before), "new": sorted(after)}
    if refill_symptoms:
        text = symptoms_text.describe(selectors.problems_for_symptoms(rec.problems.values_list("pk", flat=True)))
        if text != rec.symptoms:
            changes["symptoms"] = text
            detail["fields"] = sorted(changes)
    if orgs is not None:
        before = dict(rec.addressees.values_list("organization_id", "pk"))
        after = {o.pk for o in orgs}
        if set(before) != after:
            RecommendationAddressee.objects.filter(pk__in=[pk for org, pk in before.items() if org not in after]).delete()
            RecommendationAddressee.objects.bulk_create(
                [RecommendationAddressee(recommendation=rec, organization=o) for o in orgs if o.pk not in before])
            detail["addressees"] = {"old": sorted(before), "new": sorted(after)}
    for field, value in changes.items():
        setattr(rec, field, value)
    if changes or len(detail) > 1:
        rec.save(update_fields=[*changes, "updated_at"])
        audit.record(actor=actor, action="recommendation.update", obj=rec, summary=f"{rec.number} {rec.title}",
                     detail=detail)
    return rec


@transaction.atomic
def set_items(*, actor, rec: Recommendation, texts: Iterable[str]) -> list[RecommendationItem]:
    """The office replaces the numbered recommendations (一、二、三…) of a draft or returned letter;
    blank texts are left out."""
    rec, _state = _locked(actor, rec, EDIT)
    require(actor, CREATE, RecommendationItem(recommendation=rec))
    cleaned = [t.strip() for t in texts if t and t.strip()]
    before = list(rec.items.order_by("seq").values_list("text", flat=True))
    if cleaned == before:
        return list(rec.items.order_by("seq"))
    rec.items.all().delete()
    items = RecommendationItem.objects.bulk_create(
        [RecommendationItem(recommendation=rec, seq=n, text=text) for n, text in enumerate(cleaned, start=1)])
    rec.save(update_fields=["updated_at"])
    audit.record(actor=actor, action="recommendation.items", obj=rec, summary=f"{rec.number} {rec.title}",
                 detail={"old": len(before), "new": len(cleaned)})
    return items


@transaction.atomic
def delete(*, actor, rec: Recommendation) -> None:
    """The office discards a draft that was never submitted (its number is not reused)."""
    require(actor, DELETE, rec, roles=OFFICE)
    rec = _lock(rec)
    if rec.state != DRAFT or rec.steps.exists():
        raise ValidationError({"state": [_("Only a draft that was never submitted can be deleted.")]})
    audit.record(actor=actor, action="recommendation.delete", obj=rec, summary=f"{rec.number} {rec.title}",
                 detail={"number": rec.number})
    rec.delete()


# -- the transitions -------------------------------------------------------------------------

def _transition(actor, rec: Recommendation, action: str, next_state: str, *, comment: str = "",
                fields: Iterable[str] = (), detail: dict | None = None) -> Recommendation:
    before = rec.state
    rec.state = next_state
    rec.save(update_fields=["state", *fields, "updated_at"])
    _step(actor, rec, action, before, comment)
    audit.record(actor=actor, action=f"recommendation.{action}", obj=rec, summary=f"{rec.number} {rec.title}",
                 detail={"from": before, "to": next_state, "comment": comment, **(detail or {})})
    return rec


@transaction.atomic
def submit(*, actor, rec: Recommendation, comment: str = "") -> Recommendation:
    """The office submits the letter to the leading group: it needs its symptoms, root causes,
    at least one recommendation, one problem and one addressee."""
    rec, next_state = _locked(actor, rec, SUBMIT)
    errors: dict[str, list[str]] = {}
    if not rec.symptoms.strip():
        errors["symptoms"] = [_("Write the symptoms before submitting.")]
    if not rec.causes.strip():
        errors["causes"] = [_("Write the root causes before submitting.")]
    if not rec.items.exists():
        errors["items"] = [_("Write at least one recommendation before submitting.")]
    if not rec.addressees.exists():
        errors["addressees"] = [_("Choose at least one department to address the letter to.")]
    if not rec.problems.exists():
        errors["problems"] = [_("Choose at least one problem.")]
    if errors:
        raise ValidationError(errors)
    return _transition(actor, rec, SUBMIT, next_state, comment=(comment or "").strip())


@transaction.atomic
def approve(*, actor, rec: Recommendation, comment: str = "") -> Recommendation:
    """The leading group approves a submitted letter."""
    rec, next_state = _locked(actor, rec, APPROVE)
    rec.approved_by, rec.approved_at = _account(actor), timezone.now()
    return _transition(actor, rec, APPROVE, next_state, comment=(comment or "").strip(),
                       fields=["approved_by", "approved_at"])


@transaction.atomic
def return_(*, actor, rec: Recommendation, comment: str) -> Recommendation:
    """The leading group returns a submitted letter to the office, saying why."""
    rec, next_state = _locked(actor, rec, RETURN)
    errors: dict[str, list[str]] = {}
    comment = _text(comment, "comment", errors)
    if errors:
        raise ValidationError(errors)
    return _transition(actor, rec, RETURN, next_state, comment=comment)


@transaction.atomic
def issue(*, actor, rec: Recommendation, issued_on: date | None, comment: str = "") -> Recommendation:
    """The office issues an approved letter on a date (not in the future, not before approval):
    the response deadline is the policy's months after it, by the version in force that day."""
    rec, next_state = _locked(actor, rec, ISSUE)
    errors: dict[str, list[str]] = {}
    approved_on = timezone.localdate(rec.approved_at) if rec.approved_at else None
    _date(issued_on, "issued_on", errors, earliest=approved_on,
          too_early=_("The letter was approved on %(date)s; it cannot be issued before."))
    if errors:
        raise ValidationError(errors)
    assert issued_on is not None
    policy = deadlines.in_force(rec.committee, issued_on)
    rec.issued_on, rec.policy = issued_on, policy
    rec.response_due = deadlines.add_months(issued_on, policy.recommendation_response_months)
    return _transition(actor, rec, ISSUE, next_state, comment=(comment or "").strip(),
                       fields=["issued_on", "policy", "response_due"],
                       detail={"issued_on": issued_on.isoformat(), "policy": policy.pk,
                               "policy_effective_from": policy.effective_from.isoformat(),
                               "response_due": rec.response_due.isoformat()})


@transaction.atomic
def close(*, actor, rec: Recommendation, comment: str = "") -> Recommendation:
    """The office closes an issued letter once every addressee has responded."""
    rec, next_state = _locked(actor, rec, CLOSE)
    waiting = [a.organization.name for a in rec.addressees.select_related("organization").order_by("id")
               if a.responded_on is None]
    if waiting:
        raise ValidationError({"state": [_("Waiting for the response of %(names)s.") % {"names": "、".join(waiting)}]})
    return _transition(actor, rec, CLOSE, next_state, comment=(comment or "").strip())


# -- the addressed department ----------------------------------------------------------------

def _lock_addressee(actor, addressee: RecommendationAddressee) -> RecommendationAddressee:
    """The addressee row, locked, after checking that the actor answers for it (its department's
    receiver, or the office) and that the letter is issued."""
    require(actor, CHANGE, addressee, roles=ANSWERING)
    addressee = (RecommendationAddressee.objects.select_for_update(of=("self",))
                 .select_related("recommendation", "organization").get(pk=addressee.pk))
    require(actor, CHANGE, addressee, roles=ANSWERING)
    if addressee.recommendation.state != ISSUED:
        raise ValidationError({"state": [_("Only an issued letter can be answered.")]})
    return addressee


def _on_behalf(actor, addressee: RecommendationAddressee) -> bool:
    return not can(actor, CHANGE, addressee, roles=RECEIVER)


def _clean_name(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    return name[-NAME_MAX:]


def _checked(file: IO[bytes] | None, name: str, field: str, errors: dict):
    if file is None:
        return None, ""
    original = _clean_name(name)
    if not original:
        errors[field] = [_("The file has no name.")]
        return None, ""
    try:
        return check_evidence(file, original), original
    except UploadRefused as refusal:
        errors[field] = [refusal.message]
        return None, ""


def _store(fieldfile, file: IO[bytes], checked) -> str:
    """Store the checked file under a random name; the caller removes it if its row fails to save."""
    file.seek(0)
    fieldfile.save(f"{uuid.uuid4().hex}.{checked.extension}", File(file), save=False)
    return fieldfile.name


@transaction.atomic
def acknowledge(*, actor, addressee: RecommendationAddressee, received_on: date | None) -> RecommendationAddressee:
    """The department signs for the letter on a date (not before it was issued, not in the future)."""
    addressee = _lock_addressee(actor, addressee)
    rec = addressee.recommendation
    errors: dict[str, list[str]] = {}
    if addressee.received_on is not None:
        errors["received_on"] = [_("Receipt of this letter is already recorded.")]
    else:
        _date(received_on, "received_on", errors, earliest=rec.issued_on,
              too_early=_("The letter was issued on %(date)s; it cannot be received before."))
    if errors:
        raise ValidationError(errors)
    addressee.received_on = received_on
    addressee.save(update_fields=["received_on"])
    audit.record(actor=actor, action="recommendation.acknowledge", obj=addressee,
                 summary=f"{rec.number} {addressee.organization.name}",
                 detail={"recommendation": rec.pk, "received_on": received_on.isoformat(),
                         "on_behalf": _on_behalf(actor, addressee)})
    return addressee


@transaction.atomic
def respond(*, actor, addressee: RecommendationAddressee, responded_on: date | None, response: str = "",
            file: IO[bytes] | None = None, file_name: str = "") -> RecommendationAddressee:
    """The department reports how it acted on the letter: a text and/or a document (checked by
    its content), dated between the issue date and today. Responding again corrects the response
    (a new document replaces the old one); the audit event keeps both dates. Signing for the
    letter is implied when it was not recorded."""
    addressee = _lock_addressee(actor, addressee)
    rec = addressee.recommendation
    errors: dict[str, list[str]] = {}
    _date(responded_on, "responded_on", errors, earliest=addressee.received_on or rec.issued_on,
          too_early=_("The letter was received on %(date)s; the response cannot be dated before."))
    response = (response or "").strip()
    checked, original = _checked(file, file_name, "response_file", errors)
    if not response and checked is None and not addressee.response_file and "response_file" not in errors:
        errors["response"] = [_("Write the response or attach the response document.")]
    if errors:
        raise ValidationError(errors)
    assert responded_on is not None
    before = {"responded_on": addressee.responded_on.isoformat() if addressee.responded_on else None,
              "file": addressee.response_file_name}
    old_file = addressee.response_file.name if checked is not None and addressee.response_file else ""
    storage = addressee.response_file.storage
    stored = ""
    if checked is not None:
        stored = _store(addressee.response_file, file, checked)
        addressee.response_file_name = original
    addressee.response, addressee.responded_on, addressee.responded_by = response, responded_on, _account(actor)
    if addressee.received_on is None:
        addressee.received_on = responded_on
    try:
        addressee.save(update_fields=["response", "responded_on", "responded_by", "received_on", "response_file",
                                      "response_file_name"])
        audit.record(actor=actor, action="recommendation.respond" if before["responded_on"] is None
                     else "recommendation.correct_response", obj=addressee,
                     summary=f"{rec.number} {addressee.organization.name}",
                     detail={"recommendation": rec.pk, "before": before,
                             "responded_on": responded_on.isoformat(), "file": addressee.response_file_name,
                             "sha256": checked.sha256 if checked else None, "on_behalf": _on_behalf(actor, addressee)})
    except Exception:
        if stored:
            storage.delete(stored)
        raise
    if old_file:
        transaction.on_commit(lambda: storage.delete(old_file))
    return addressee


@transaction.atomic
def outcome_add(*, actor, addressee: RecommendationAddressee, title: str, adopted_on: date | None,
                kind: str = SystemOutcome.Kind.NEW, file: IO[bytes] | None = None,
                file_name: str = "") -> SystemOutcome:
    """A system the department established or improved in response (title, date adopted, new or
    improved, optionally the document, checked by its content)."""
    require(actor, CREATE, SystemOutcome(addressee=addressee))
    addressee = _lock_addressee(actor, addressee)
    outcome = SystemOutcome(addressee=addressee, kind=kind, created_by=_account(actor))
    require(actor, CREATE, outcome)
    errors: dict[str, list[str]] = {}
    title = _text(title, "title", errors, max_length=SystemOutcome._meta.get_field("title").max_length)
    _date(adopted_on, "adopted_on", errors)
    if kind not in SystemOutcome.Kind.values:
        errors["kind"] = [_("Choose whether the system was established or improved.")]
    checked, original = _checked(file, file_name, "document", errors)
    if errors:
        raise ValidationError(errors)
    outcome.title, outcome.adopted_on = title, adopted_on
    stored = ""
    if checked is not None:
        stored = _store(outcome.document, file, checked)
        outcome.document_name = original
    try:
        outcome.save()
        audit.record(actor=actor, action="recommendation.outcome_add", obj=outcome,
                     summary=f"{addressee.recommendation.number} {addressee.organization.name} {title}",
                     detail={"recommendation": addressee.recommendation_id, "addressee": addressee.pk,
                             "kind": kind, "adopted_on": adopted_on.isoformat() if adopted_on else None,
                             "document": original, "sha256": checked.sha256 if checked else None,
                             "on_behalf": _on_behalf(actor, addressee)})
    except Exception:
        if stored:
            outcome.document.storage.delete(stored)
        raise
    return outcome


@transaction.atomic
def outcome_delete(*, actor, outcome: SystemOutcome) -> None:
    """Remove a system recorded by mistake, while the letter is issued (its document goes once
    the removal commits)."""
    require(actor, DELETE, outcome)
    addressee = _lock_addressee(actor, outcome.addressee)
    storage, stored = outcome.document.storage, outcome.document.name
    audit.record(actor=actor, action="recommendation.outcome_delete", obj=outcome,
                 summary=f"{addressee.recommendation.number} {addressee.organization.name} {outcome.title}",
                 detail={"recommendation": addressee.recommendation_id, "addressee": addressee.pk,
                         "title": outcome.title, "on_behalf": _on_behalf(actor, addressee)})
    outcome.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def record_download(*, actor, obj, name: str) -> None:
    """Every download of a response or system document is in the audit log."""
    audit.record(actor=actor, action="recommendation.download", obj=obj, summary=name)
