"""Writes of working papers: create, edit while a draft, delete a draft, take a sign-off step,
amend a frozen paper.

Every function checks the policy, runs in one transaction and leaves an audit event. After the
group leader signs, the text is frozen: `paper_update` refuses it and every change goes through
`paper_amend`, which records old and new values and the reason.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit, policy
from xuncha.access.policy import CHANGE, CREATE, DELETE, require
from xuncha.access.roles import Role
from xuncha.checklist.models import Item, Version
from xuncha.checklist.selectors import manifestations_for
from xuncha.findings import signoff
from xuncha.findings.models import Kind, PaperAmendment, PaperStep, WorkingPaper
from xuncha.rounds.models import Assignment, Group, GroupMember
from xuncha.text.search import search_key

S = WorkingPaper.State
TEXT_FIELDS = ("title", "source", "facts", "informants", "learned_on", "place", "classification", "basis",
               "amount", "persons_involved", "kind")
EDITABLE = {*TEXT_FIELDS, "authors"}
REQUIRED_TO_SUBMIT = ("title", "facts", "classification")


class StepRefused(Exception):
    """A sign-off step the table does not allow now: `reason` is "state" (not from this state)
    or "role" (not for this user's role); the message says why."""

    def __init__(self, message: str, reason: str = "state"):
        super().__init__(message)
        self.reason = reason


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _refresh_search(paper: WorkingPaper) -> None:
    paper.search_text = search_key(paper.title, paper.facts, paper.basis, paper.persons_involved, paper.number)


def _manifestations(actor, organization):
    if actor is policy.CONSOLE:
        version = (Version.objects.filter(library__committee=organization.committee, library__kind=organization.kind,
                                          state=Version.State.PUBLISHED).order_by("-number").first())
        return Item.objects.filter(version=version, level=Item.Level.MANIFESTATION) if version else Item.objects.none()
    return manifestations_for(actor, organization)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "amount" and value is not None and not isinstance(value, Decimal):
            value = Decimal(str(value))
        cleaned[name] = value
    return cleaned


def _check(actor, paper: WorkingPaper, changed: set[str]) -> None:
    errors: dict[str, list[str]] = {}
    if not paper.title:
        errors["title"] = [_("This field is required.")]
    if paper.source not in WorkingPaper.Source.values:
        errors["source"] = [_("Choose a source from the list.")]
    if paper.kind not in Kind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    if paper.amount is not None and paper.amount < 0:
        errors["amount"] = [_("The amount cannot be negative.")]
    if "classification" in changed and paper.classification_id is not None:
        allowed = _manifestations(actor, paper.assignment.organization).filter(pk=paper.classification_id)
        if not allowed.exists():
            errors["classification"] = [_(
                "Classify the paper by a manifestation of the checklist in force for this kind of organization.")]
    if errors:
        raise ValidationError(errors)


def _check_authors(group: Group, authors) -> list[GroupMember]:
    authors = list(authors)
    if any(member.group_id != group.pk for member in authors):
        raise ValidationError({"authors": [_("Authors must be members of the paper's group.")]})
    return authors


def _apply(paper: WorkingPaper, values: dict[str, Any]) -> dict[str, list]:
    """Set the text fields that differ; {field: [old, new]} in JSON-friendly form."""
    diff: dict[str, list] = {}
    for name, value in values.items():
        if name not in TEXT_FIELDS:
            raise ValidationError({name: [_("This field cannot be changed here.")]})
        attr = "classification" if name == "classification" else name
        old = getattr(paper, attr)
        if name == "amount" and old is not None and value is not None and Decimal(old) == Decimal(value):
            continue
        if old != value:
            diff[name] = [_plain(old), _plain(value)]
            setattr(paper, attr, value)
    return diff


def _plain(value) -> Any:
    if isinstance(value, Item):
        return f"{value.key} {value.title}"
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


# -- create, update, delete ------------------------------------------------------------------

@transaction.atomic
def paper_create(*, actor, assignment: Assignment, title: str, authors=None, **fields: Any) -> WorkingPaper:
    """A new draft paper about one target of a group; numbered next in the group."""
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    group = Group.objects.select_for_update().select_related("round__term").get(pk=assignment.group_id)
    paper = WorkingPaper(group=group, round=group.round, assignment=assignment, created_by=_account(actor))
    require(actor, CREATE, paper)
    _apply(paper, _clean({"title": title, **fields}))
    _check(actor, paper, {"classification"})
    if authors is None:
        mine = GroupMember.objects.filter(group=group, user=_account(actor)).first() if _account(actor) else None
        authors = [mine] if mine else []
    authors = _check_authors(group, authors)
    last = WorkingPaper.objects.filter(group=group).order_by("-seq").values_list("seq", flat=True).first()
    paper.seq = (last or 0) + 1
    paper.number = WorkingPaper.number_for(group, paper.seq)
    _refresh_search(paper)
    paper.save()
    paper.authors.set(authors)
    audit.record(actor=actor, action="paper.create", obj=paper, summary=paper.number,
                 detail={"group": group.pk, "assignment": assignment.pk})
    return paper


def _locked(paper: WorkingPaper) -> WorkingPaper:
    return (WorkingPaper.objects.select_for_update()
            .select_related("group__round__term", "round", "assignment__organization").get(pk=paper.pk))


def _group_roles(actor, paper: WorkingPaper) -> set[str]:
    return signoff.roles_for(paper, actor) if actor is not policy.CONSOLE else {Role.GROUP_LEADER.value}


def _may_edit(actor, paper: WorkingPaper) -> bool:
    """Authors, the deputy and the leader of the paper's group edit it."""
    if actor is policy.CONSOLE:
        return True
    if _group_roles(actor, paper) & signoff.HEADS:
        return True
    return paper.authors.filter(user_id=getattr(actor, "pk", None)).exists()


@transaction.atomic
def paper_update(*, actor, paper: WorkingPaper, **changes: Any) -> WorkingPaper:
    """Change a draft or returned paper that is not frozen (its authors, deputy or leader)."""
    require(actor, CHANGE, paper)
    paper = _locked(paper)
    require(actor, CHANGE, paper)
    if not _may_edit(actor, paper):
        raise policy.PermissionDenied("change paper")
    if paper.is_frozen:
        raise ValidationError(_("The paper was signed and its text is frozen: record an amendment instead."))
    if paper.state not in (S.DRAFT, S.RETURNED):
        raise ValidationError(_("Only a draft or a returned paper can be edited."))
    authors = changes.pop("authors", None)
    diff = _apply(paper, _clean(changes))
    if diff:
        _check(actor, paper, set(diff))
        _refresh_search(paper)
        paper.save()
    if authors is not None:
        authors = _check_authors(paper.group, authors)
        before = set(paper.authors.values_list("pk", flat=True))
        if before != {a.pk for a in authors}:
            paper.authors.set(authors)
            diff["authors"] = [sorted(before), sorted(a.pk for a in authors)]
    if diff:
        audit.record(actor=actor, action="paper.update", obj=paper, summary=paper.number,
                     detail={"fields": sorted(diff)})
    return paper


@transaction.atomic
def paper_delete(*, actor, paper: WorkingPaper) -> None:
    """Delete a draft that never went through a sign-off step."""
    require(actor, DELETE, paper)
    paper = _locked(paper)
    if not _may_edit(actor, paper):
        raise policy.PermissionDenied("delete paper")
    if paper.state != S.DRAFT or paper.steps.exists():
        raise ValidationError(_("Only a draft that was never submitted can be deleted."))
    number = paper.number
    audit.record(actor=actor, action="paper.delete", obj=paper, summary=number)
    paper.delete()


# -- sign-off --------------------------------------------------------------------------------

@transaction.atomic
def paper_step(*, actor, paper: WorkingPaper, action: str, comment: str = "") -> WorkingPaper:
    """Take one step of the sign-off chain (see signoff.TABLE)."""
    require(actor, CHANGE, paper)
    paper = _locked(paper)
    require(actor, CHANGE, paper)
    if action not in signoff.ACTIONS:
        raise StepRefused(_("Unknown action."))
    step = signoff.step_for(paper.state, action)
    if step is None:
        raise StepRefused(_("“%(action)s” is not possible while the paper is “%(state)s”.") % {
            "action": signoff.ACTION_LABELS[action], "state": paper.get_state_display()})
    role = "console" if actor is policy.CONSOLE else signoff.acting_role(step, signoff.roles_for(paper, actor))
    if not role:
        raise StepRefused(_("Your role may not take the step “%(action)s” on this paper.") % {
            "action": step.label}, reason="role")
    comment = (comment or "").strip()
    if step.needs_comment and not comment:
        raise ValidationError({"comment": [_("Say why the paper is returned.")]})
    if action == signoff.SUBMIT:
        missing = {name: [_("Fill this in before submitting.")] for name in REQUIRED_TO_SUBMIT
                   if not getattr(paper, "classification_id" if name == "classification" else name)}
        if missing:
            raise ValidationError(missing)
    now = timezone.now()
    old = paper.state
    paper.state = step.target
    fields = ["state", "updated_at"]
    if action == signoff.SIGN:
        paper.frozen_at = now
        fields.append("frozen_at")
    paper.save(update_fields=fields)
    PaperStep.objects.create(paper=paper, action=action, from_state=old, to_state=step.target,
                             actor=_account(actor), role=role, at=now, comment=comment)
    audit.record(actor=actor, action=f"paper.{action}", obj=paper, summary=paper.number,
                 detail={"from": old, "to": step.target, "role": role, "comment": comment})
    return paper


# -- amendments ------------------------------------------------------------------------------

def _may_amend(actor, paper: WorkingPaper) -> bool:
    """The group leader; the office while registering (the paper signed, not yet registered)."""
    if actor is policy.CONSOLE:
        return True
    roles = signoff.roles_for(paper, actor)
    if Role.GROUP_LEADER in roles:
        return True
    return bool(roles & signoff.OFFICE_ROLES) and paper.state == S.SIGNED


def may_amend(actor, paper: WorkingPaper) -> bool:
    return paper.is_frozen and _may_amend(actor, paper) and policy.can(actor, CHANGE, paper)


def may_edit(actor, paper: WorkingPaper) -> bool:
    return (not paper.is_frozen and paper.state in (S.DRAFT, S.RETURNED) and policy.can(actor, CHANGE, paper)
            and _may_edit(actor, paper))


@transaction.atomic
def paper_amend(*, actor, paper: WorkingPaper, changes: dict[str, Any], reason: str) -> PaperAmendment:
    """Change the text of a frozen paper, recording each field's old and new value and why."""
    require(actor, CHANGE, paper)
    paper = _locked(paper)
    require(actor, CHANGE, paper)
    if not paper.is_frozen:
        raise ValidationError(_("The paper is not frozen yet: edit it instead of amending it."))
    if not _may_amend(actor, paper):
        raise policy.PermissionDenied("amend paper")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the amendment.")]})
    diff = _apply(paper, _clean(changes))
    if not diff:
        raise ValidationError(_("Nothing was changed."))
    _check(actor, paper, set(diff))
    _refresh_search(paper)
    paper.save()
    amendment = PaperAmendment.objects.create(paper=paper, changes=diff, reason=reason, actor=_account(actor),
                                              at=timezone.now())
    audit.record(actor=actor, action="paper.amend", obj=paper, summary=paper.number,
                 detail={"fields": sorted(diff), "reason": reason})
    return amendment
