"""Writes for planning: terms, rounds and their transitions, groups, members and targets.

Adding a member or a target runs the recusal checks; a conflict refuses the change unless an
office administrator overrides it with a written reason, which is kept and audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit, policy
from xuncha.access import services as access_services
from xuncha.access.policy import CHANGE, CREATE, DELETE, require
from xuncha.access.roles import Role
from xuncha.registry.models import Committee, Organization, Person
from xuncha.registry.services import _apply
from xuncha.rounds.models import (
    Assignment,
    ConflictDeclaration,
    Group,
    GroupMember,
    MemberDeclaration,
    RecusalOverride,
    Round,
    RoundTransition,
    Term,
)
from xuncha.rounds.recusal import RecusalConflict, conflicts_between, lookback_years
from xuncha.rounds.transitions import BY_ACTION, PLAN_OPEN

ROLE_OF_MEMBER = {
    GroupMember.Role.LEADER: Role.GROUP_LEADER,
    GroupMember.Role.DEPUTY: Role.GROUP_DEPUTY,
    GroupMember.Role.MEMBER: Role.GROUP_MEMBER,
    GroupMember.Role.LIAISON: Role.GROUP_MEMBER,
}


class TransitionRefused(Exception):
    """An illegal or unauthorised state change; the message says why."""


# -- terms and rounds ------------------------------------------------------------------------

@transaction.atomic
def term_create(*, actor, committee: Committee, number: int, name: str = "", start_date: date,
                end_date: date | None = None, planned_rounds: int = 9) -> Term:
    term = Term(committee=committee, number=number, name=name.strip() or f"第{number}届",
                start_date=start_date, end_date=end_date, planned_rounds=planned_rounds)
    require(actor, CREATE, term)
    if Term.objects.filter(committee=committee, number=number).exists():
        raise ValidationError({"number": [_("This committee already has a term with this number.")]})
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": [_("The end date is before the start date.")]})
    term.save()
    audit.record(actor=actor, action="term.create", obj=term, summary=term.name)
    return term


def _check_dates(entry: date, exit_: date) -> None:
    if exit_ < entry:
        raise ValidationError({"planned_exit": [_("The exit date is before the entry date.")]})


@transaction.atomic
def round_create(*, actor, term: Term, kind: str, planned_entry: date, planned_exit: date,
                 title: str = "", theme: str = "", number: int | None = None) -> Round:
    """Plan a round; its number is the next in the term unless given."""
    if number is None:
        number = (term.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    rnd = Round(term=term, committee_id=term.committee_id, number=number, kind=kind,
                planned_entry=planned_entry, planned_exit=planned_exit, title=title.strip(),
                theme=theme.strip())
    require(actor, CREATE, rnd)
    if kind not in Round.Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of round.")]})
    if kind == Round.Kind.SPECIAL and not rnd.theme:
        raise ValidationError({"theme": [_("A special round needs its theme.")]})
    if Round.objects.filter(term=term, number=number).exists():
        raise ValidationError({"number": [_("This term already has a round with this number.")]})
    _check_dates(planned_entry, planned_exit)
    rnd.save()
    audit.record(actor=actor, action="round.create", obj=rnd, summary=rnd.label,
                 detail={"kind": kind, "entry": planned_entry, "exit": planned_exit})
    return rnd


@transaction.atomic
def round_update(*, actor, round: Round, **changes: Any) -> Round:
    require(actor, CHANGE, round)
    rnd = Round.objects.select_for_update().select_related("term").get(pk=round.pk)
    if rnd.state not in PLAN_OPEN:
        raise ValidationError(_("The plan of a round cannot change after its fieldwork ended."))
    diff = _apply(rnd, changes, {"kind", "title", "theme", "planned_entry", "planned_exit"})
    if diff:
        _check_dates(rnd.planned_entry, rnd.planned_exit)
        if rnd.kind == Round.Kind.SPECIAL and not rnd.theme:
            raise ValidationError({"theme": [_("A special round needs its theme.")]})
        rnd.save()
        audit.record(actor=actor, action="round.update", obj=rnd, summary=rnd.label, detail={"changes": diff})
    return rnd


def _acting_roles(actor, rnd: Round) -> set[str]:
    if actor is policy.CONSOLE:
        return {t for tr in BY_ACTION.values() for t in tr.roles}
    return {a.role for a in policy.assignments(actor) if a.committee_id == rnd.committee_id and a.group_id is None}


def _entry_problems(rnd: Round) -> list[str]:
    problems = []
    groups = list(rnd.groups.prefetch_related("members", "assignments"))
    if not groups:
        problems.append(_("The round has no inspection group."))
    for group in groups:
        if not any(m.role == GroupMember.Role.LEADER for m in group.members.all()):
            problems.append(_("%(group)s has no group leader.") % {"group": group.name})
        if not group.assignments.all():
            problems.append(_("%(group)s has no organization to inspect.") % {"group": group.name})
    return problems


@transaction.atomic
def round_transition(*, actor, round: Round, action: str, comment: str = "") -> Round:
    """Move a round along its state machine; records who, when and why."""
    rnd = Round.objects.select_for_update().select_related("term").get(pk=round.pk)
    transition = BY_ACTION.get(action)
    if transition is None:
        raise TransitionRefused(_("Unknown action."))
    if rnd.state != transition.source:
        raise TransitionRefused(
            _("%(action)s is possible only when the round is %(needed)s; it is %(state)s.") % {
                "action": transition.label, "needed": Round.State(transition.source).label,
                "state": rnd.get_state_display()})
    if not (_acting_roles(actor, rnd) & transition.roles):
        raise policy.PermissionDenied(f"{action} round")
    if action == "enter":
        problems = _entry_problems(rnd)
        if problems:
            raise TransitionRefused(_("The round cannot enter yet: %(problems)s") % {"problems": " ".join(problems)})
    if action == "return" and not comment.strip():
        raise TransitionRefused(_("Say why the plan is returned."))
    old = rnd.state
    rnd.state = transition.target
    rnd.save(update_fields=["state"])
    RoundTransition.objects.create(round=rnd, action=action, from_state=old, to_state=rnd.state,
                                   actor=actor if getattr(actor, "pk", None) else None,
                                   at=timezone.now(), comment=comment.strip())
    audit.record(actor=actor, action=f"round.{action}", obj=rnd, summary=rnd.label,
                 detail={"from": old, "to": rnd.state, "comment": comment.strip()})
    return rnd


# -- groups, members, targets ----------------------------------------------------------------

def _require_plan_open(rnd: Round) -> None:
    if rnd.state not in PLAN_OPEN:
        raise ValidationError(_("Groups and targets cannot change after the fieldwork ended."))


@transaction.atomic
def group_create(*, actor, round: Round, number: int | None = None) -> Group:
    if number is None:
        number = (round.groups.aggregate(n=Max("number"))["n"] or 0) + 1
    group = Group(round=round, number=number)
    require(actor, CREATE, group)
    _require_plan_open(round)
    if Group.objects.filter(round=round, number=number).exists():
        raise ValidationError({"number": [_("This round already has a group with this number.")]})
    group.save()
    audit.record(actor=actor, action="group.create", obj=group, summary=group.full_name)
    return group


def _check_pairs(*, actor, group: Group, pairs, override_reason: str) -> None:
    """Run the recusal checks on (person, organization) pairs. Every conflict is gathered
    before refusing, so the refusal names them all; an override (office administrator,
    written reason) records one RecusalOverride per conflicting pair."""
    today = timezone.localdate()
    years = lookback_years(group.round.committee_id)
    found = []
    for person, organization in pairs:
        conflicts = conflicts_between(person, organization, on=today, years=years)
        if conflicts:
            found.append((person, organization, conflicts))
    if not found:
        return
    reason = override_reason.strip()
    if not reason:
        raise RecusalConflict([c for _p, _o, conflicts in found for c in conflicts])
    for person, organization, conflicts in found:
        override = RecusalOverride(group=group, person=person, organization=organization,
                                   conflicts=[c.sentence for c in conflicts], reason=reason,
                                   decided_by=actor if getattr(actor, "pk", None) else None)
        require(actor, CREATE, override)
        if override.decided_by is None:  # the console: overrides are decided in the application
            raise ValidationError(_("Overrides are decided by an office administrator in the application."))
        override.save()
        audit.record(actor=actor, action="recusal.override", obj=override,
                     summary=f"{person.name} – {organization.name}",
                     detail={"conflicts": override.conflicts, "reason": reason})


@transaction.atomic
def member_add(*, actor, group: Group, person: Person, role: str, user=None,
               override_reason: str = "") -> GroupMember:
    """Add a person to a group. Their account, if any, gets the group's access role."""
    member = GroupMember(group=group, person=person, role=role, user=user)
    require(actor, CREATE, member)
    _require_plan_open(group.round)
    if role not in GroupMember.Role.values:
        raise ValidationError({"role": [_("Unknown role in the group.")]})
    if person.committee_id != group.round.committee_id:
        raise ValidationError({"person": [_("The person belongs to another committee.")]})
    if GroupMember.objects.filter(group__round=group.round, person=person).exists():
        raise ValidationError({"person": [_("%(name)s already serves in a group of this round.") % {"name": person.name}]})
    if role == GroupMember.Role.LEADER and group.members.filter(role=GroupMember.Role.LEADER).exists():
        raise ValidationError({"role": [_("The group already has a leader.")]})
    if user is not None:
        if not user.is_active or user.system_role:
            raise ValidationError({"user": [_("This account cannot be given a group role.")]})
        if GroupMember.objects.filter(group__round=group.round, user=user).exists():
            raise ValidationError({"user": [_("This account already serves in a group of this round.")]})
    targets = [a.organization for a in group.assignments.select_related("organization")]
    _check_pairs(actor=actor, group=group, pairs=[(person, t) for t in targets], override_reason=override_reason)
    member.save()
    if user is not None:
        member.access = access_services.group_role_grant(actor=actor, user=user, role=ROLE_OF_MEMBER[role],
                                                         group=group)
        member.save(update_fields=["access"])
    audit.record(actor=actor, action="group.member.add", obj=member,
                 summary=f"{group.full_name} {person.name} {role}")
    return member


@transaction.atomic
def member_remove(*, actor, member: GroupMember) -> None:
    require(actor, DELETE, member)
    _require_plan_open(member.group.round)
    if member.access_id:
        access_services.group_role_end(actor=actor, assignment=member.access)
    summary = f"{member.group.full_name} {member.person.name}"
    pk = member.pk  # delete() clears it
    member.delete()
    audit.record(actor=actor, action="group.member.remove", obj=None, object_type="rounds.GroupMember",
                 object_id=str(pk), summary=summary)


@transaction.atomic
def assignment_add(*, actor, group: Group, organization: Organization, mode: str = Assignment.Mode.DIRECT,
                   override_reason: str = "") -> Assignment:
    """Assign an organization to a group; every member is checked for recusal against it."""
    target = Assignment(group=group, round_id=group.round_id, organization=organization, mode=mode)
    require(actor, CREATE, target)
    _require_plan_open(group.round)
    if mode not in Assignment.Mode.values:
        raise ValidationError({"mode": [_("Unknown mode of inspection.")]})
    if organization.committee_id != group.round.committee_id:
        raise ValidationError({"organization": [_("The organization belongs to another committee.")]})
    if not organization.active:
        raise ValidationError({"organization": [_("The organization is no longer active.")]})
    taken = Assignment.objects.filter(round_id=group.round_id, organization=organization).select_related("group").first()
    if taken is not None:
        raise ValidationError({"organization": [_("%(org)s is already inspected by %(group)s in this round.")
                                                % {"org": organization.name, "group": taken.group.name}]})
    members = [m.person for m in group.members.select_related("person__organization")]
    _check_pairs(actor=actor, group=group, pairs=[(p, organization) for p in members],
                 override_reason=override_reason)
    target.save()
    audit.record(actor=actor, action="group.target.add", obj=target,
                 summary=f"{group.full_name} {organization.name} {mode}")
    return target


@transaction.atomic
def assignment_remove(*, actor, assignment: Assignment) -> None:
    require(actor, DELETE, assignment)
    _require_plan_open(assignment.round)
    summary = f"{assignment.group.full_name} {assignment.organization.name}"
    pk = assignment.pk
    assignment.delete()
    audit.record(actor=actor, action="group.target.remove", obj=None, object_type="rounds.Assignment",
                 object_id=str(pk), summary=summary)


# -- declarations ----------------------------------------------------------------------------

@transaction.atomic
def conflict_declare(*, actor, person: Person, organization: Organization, reason: str,
                     declared_on: date) -> ConflictDeclaration:
    declaration = ConflictDeclaration(person=person, organization=organization, reason=reason.strip(),
                                      declared_on=declared_on)
    require(actor, CREATE, declaration)
    if not declaration.reason:
        raise ValidationError({"reason": [_("Give the reason for the conflict.")]})
    if organization.committee_id != person.committee_id:
        raise ValidationError({"organization": [_("The organization belongs to another committee.")]})
    declaration.save()
    audit.record(actor=actor, action="recusal.declare", obj=declaration,
                 summary=f"{person.name} – {organization.name}")
    return declaration


@transaction.atomic
def member_declaration_record(*, actor, member: GroupMember, kind: str, signed_on: date,
                              content: str = "") -> MemberDeclaration:
    """File a member's recusal statement or confidentiality pledge for the round."""
    declaration = MemberDeclaration(member=member, kind=kind, signed_on=signed_on, content=content.strip(),
                                    recorded_by=actor if getattr(actor, "pk", None) else None)
    require(actor, CREATE, declaration)
    if kind not in MemberDeclaration.Kind.values:
        raise ValidationError({"kind": [_("Unknown kind of declaration.")]})
    if MemberDeclaration.objects.filter(member=member, kind=kind).exists():
        raise ValidationError({"kind": [_("This declaration is already on file.")]})
    declaration.save()
    audit.record(actor=actor, action="group.member.declaration", obj=declaration,
                 summary=f"{member.person.name} {kind}")
    return declaration


# -- plan pages (term edit, plan export) -----------------------------------------------------

@transaction.atomic
def term_update(*, actor, term: Term, **changes: Any) -> Term:
    """Change a term's name, dates or planned number of rounds (its number stays)."""
    require(actor, CHANGE, term)
    term = Term.objects.select_for_update().get(pk=term.pk)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip() or term.name
    diff = _apply(term, changes, {"name", "start_date", "end_date", "planned_rounds"})
    if diff:
        if term.end_date and term.end_date < term.start_date:
            raise ValidationError({"end_date": [_("The end date is before the start date.")]})
        term.save()
        audit.record(actor=actor, action="term.update", obj=term, summary=term.name, detail={"changes": diff})
    return term


def round_export_record(*, actor, round: Round, fmt: str) -> None:
    """Check that the actor may export the round's plan and put the export in the audit log."""
    require(actor, policy.EXPORT, round)
    audit.record(actor=actor, action="round.export", obj=round, summary=round.label, detail={"format": fmt})
