"""Staffing through the services: recusal refusals and overrides, access that membership grants."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from xuncha.access import policy
from xuncha.access.models import AuditEvent, RoleAssignment
from xuncha.access.roles import Role
from xuncha.registry.models import Person
from xuncha.rounds import services
from xuncha.rounds.models import (
    Assignment,
    ConflictDeclaration,
    Group,
    GroupMember,
    MemberDeclaration,
    RecusalOverride,
    Round,
)
from xuncha.rounds.recusal import RecusalConflict


def person(world, name, organization=None):
    return Person.objects.create(committee=world.county, name=name, organization=organization or world.department)


@pytest.fixture
def group(world):
    return world.group1


def test_a_conflicting_member_is_refused_with_the_conflict_named(world, group):
    services.assignment_add(actor=world.office_admin, group=group, organization=world.village)
    villager = person(world, "孙立平", world.village)
    with pytest.raises(RecusalConflict) as refused:
        services.member_add(actor=world.office_admin, group=group, person=villager, role=GroupMember.Role.MEMBER)
    [conflict] = refused.value.conflicts
    assert conflict.kind == "own"
    assert "孙立平" in conflict.sentence and "东门村" in conflict.sentence
    assert not GroupMember.objects.filter(person=villager).exists()
    assert not RecusalOverride.objects.exists()


def test_an_office_admin_overrides_with_a_written_reason(world, group):
    services.assignment_add(actor=world.office_admin, group=group, organization=world.village)
    villager = person(world, "孙立平", world.village)
    member = services.member_add(actor=world.office_admin, group=group, person=villager,
                                 role=GroupMember.Role.MEMBER, override_reason="  熟悉村情，仅负责资料整理  ")
    override = RecusalOverride.objects.get()
    assert (override.group, override.person, override.organization) == (group, villager, world.village)
    assert override.reason == "熟悉村情，仅负责资料整理"
    assert override.decided_by == world.office_admin
    assert "孙立平" in override.conflicts[0]
    event = AuditEvent.objects.get(action="recusal.override")
    assert event.detail["reason"] == "熟悉村情，仅负责资料整理"
    assert event.actor_id == world.office_admin.pk
    assert member.pk


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_needs_a_reason(world, group, reason):
    services.assignment_add(actor=world.office_admin, group=group, organization=world.village)
    villager = person(world, "孙立平", world.village)
    with pytest.raises(RecusalConflict):
        services.member_add(actor=world.office_admin, group=group, person=villager,
                            role=GroupMember.Role.MEMBER, override_reason=reason)
    assert not RecusalOverride.objects.exists()


def test_office_staff_may_not_override(world, group):
    services.assignment_add(actor=world.office_staff, group=group, organization=world.village)
    villager = person(world, "孙立平", world.village)
    with pytest.raises(policy.PermissionDenied):
        services.member_add(actor=world.office_staff, group=group, person=villager,
                            role=GroupMember.Role.MEMBER, override_reason="理由")
    assert not GroupMember.objects.filter(person=villager).exists()
    assert not RecusalOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="recusal.override").exists()


def test_a_conflicting_target_is_refused_naming_every_conflicting_member(world, group):
    first = services.member_add(actor=world.office_admin, group=group, person=person(world, "孙立平", world.village),
                                role=GroupMember.Role.LEADER)
    second = services.member_add(actor=world.office_admin, group=group, person=person(world, "周建", world.township),
                                 role=GroupMember.Role.MEMBER)
    services.member_add(actor=world.office_admin, group=group, person=person(world, "吴敏"), role=GroupMember.Role.MEMBER)
    with pytest.raises(RecusalConflict) as refused:
        services.assignment_add(actor=world.office_admin, group=group, organization=world.village)
    sentences = [c.sentence for c in refused.value.conflicts]
    assert len(sentences) == 2
    assert any(first.person.name in s for s in sentences) and any(second.person.name in s for s in sentences)
    assert not Assignment.objects.exists()


def test_a_target_override_records_one_override_per_conflicting_member(world, group):
    services.member_add(actor=world.office_admin, group=group, person=person(world, "孙立平", world.village),
                        role=GroupMember.Role.LEADER)
    services.member_add(actor=world.office_admin, group=group, person=person(world, "周建", world.township),
                        role=GroupMember.Role.MEMBER)
    target = services.assignment_add(actor=world.office_admin, group=group, organization=world.village,
                                      override_reason="全县交叉调配后仍无法回避")
    assert target.round_id == world.round.pk
    assert RecusalOverride.objects.filter(organization=world.village).count() == 2
    assert AuditEvent.objects.filter(action="recusal.override").count() == 2


def test_office_staff_may_not_override_a_target(world, group):
    services.member_add(actor=world.office_staff, group=group, person=person(world, "孙立平", world.village),
                        role=GroupMember.Role.LEADER)
    with pytest.raises(policy.PermissionDenied):
        services.assignment_add(actor=world.office_staff, group=group, organization=world.village,
                                override_reason="理由")
    with pytest.raises(RecusalConflict):
        services.assignment_add(actor=world.office_admin, group=group, organization=world.village)
    assert not Assignment.objects.exists()


def test_membership_grants_the_group_role_and_removal_ends_it(world, group, make_user):
    account = make_user("sun")
    member = services.member_add(actor=world.office_admin, group=group, person=person(world, "孙立平"),
                                 role=GroupMember.Role.DEPUTY, user=account)
    grant = RoleAssignment.objects.get(user=account)
    assert (grant.role, grant.group_id, grant.revoked_at) == (Role.GROUP_DEPUTY, group.pk, None)
    assert member.access == grant
    policy.forget(account)
    assert policy.can(account, "view", group)
    assert not policy.can(account, "view", world.group2)

    member_pk = member.pk
    services.member_remove(actor=world.office_admin, member=member)
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    policy.forget(account)
    assert not policy.can(account, "view", group)
    assert AuditEvent.objects.get(action="group.member.remove").object_id == str(member_pk)


def test_a_liaison_officer_holds_the_member_role(world, group, make_user):
    account = make_user("sun")
    services.member_add(actor=world.office_admin, group=group, person=person(world, "孙立平"),
                        role=GroupMember.Role.LIAISON, user=account)
    assert RoleAssignment.objects.get(user=account).role == Role.GROUP_MEMBER


def test_a_person_serves_in_one_group_of_a_round(world):
    inspector = person(world, "孙立平")
    services.member_add(actor=world.office_admin, group=world.group1, person=inspector, role=GroupMember.Role.MEMBER)
    with pytest.raises(ValidationError) as refused:
        services.member_add(actor=world.office_admin, group=world.group2, person=inspector,
                            role=GroupMember.Role.MEMBER)
    assert "孙立平" in refused.value.message_dict["person"][0]
    other_round = Round.objects.create(term=world.term, number=2, planned_entry=date(2024, 9, 1),
                                       planned_exit=date(2024, 10, 31))
    other_group = Group.objects.create(round=other_round, number=1)
    services.member_add(actor=world.office_admin, group=other_group, person=inspector, role=GroupMember.Role.MEMBER)


def test_an_account_serves_in_one_group_of_a_round(world, make_user):
    account = make_user("sun")
    services.member_add(actor=world.office_admin, group=world.group1, person=person(world, "孙立平"),
                        role=GroupMember.Role.MEMBER, user=account)
    with pytest.raises(ValidationError) as refused:
        services.member_add(actor=world.office_admin, group=world.group2, person=person(world, "孙立"),
                            role=GroupMember.Role.MEMBER, user=account)
    assert "user" in refused.value.message_dict


def test_a_system_account_gets_no_group_role(world):
    with pytest.raises(ValidationError) as refused:
        services.member_add(actor=world.office_admin, group=world.group1, person=person(world, "孙立平"),
                            role=GroupMember.Role.MEMBER, user=world.sysadmin)
    assert "user" in refused.value.message_dict
    assert not GroupMember.objects.exists()


def test_a_group_has_one_leader(world, group):
    services.member_add(actor=world.office_admin, group=group, person=person(world, "孙立平"), role=GroupMember.Role.LEADER)
    with pytest.raises(ValidationError) as refused:
        services.member_add(actor=world.office_admin, group=group, person=person(world, "周建"),
                            role=GroupMember.Role.LEADER)
    assert "role" in refused.value.message_dict


@pytest.mark.parametrize("name", ["group_leader", "leader", "supervisor", "unit_liaison"])
def test_only_the_office_staffs_groups(world, group, name):
    with pytest.raises(policy.PermissionDenied):
        services.member_add(actor=getattr(world, name), group=group, person=person(world, "孙立平"),
                            role=GroupMember.Role.MEMBER)
    with pytest.raises(policy.PermissionDenied):
        services.assignment_add(actor=getattr(world, name), group=group, organization=world.department)


def test_staffing_stops_when_the_fieldwork_ended(world, group):
    Round.objects.filter(pk=world.round.pk).update(state=Round.State.REPORTING)
    group.round.refresh_from_db()
    with pytest.raises(ValidationError):
        services.member_add(actor=world.office_admin, group=group, person=person(world, "孙立平"),
                            role=GroupMember.Role.MEMBER)
    with pytest.raises(ValidationError):
        services.assignment_add(actor=world.office_admin, group=group, organization=world.department)


def test_a_target_is_inspected_by_one_group_of_a_round(world):
    services.assignment_add(actor=world.office_admin, group=world.group1, organization=world.department)
    with pytest.raises(ValidationError) as refused:
        services.assignment_add(actor=world.office_admin, group=world.group2, organization=world.department)
    assert "第一巡察组" in refused.value.message_dict["organization"][0]


def test_a_removed_target_is_audited(world):
    target = services.assignment_add(actor=world.office_admin, group=world.group1, organization=world.department)
    target_pk = target.pk
    services.assignment_remove(actor=world.office_admin, assignment=target)
    assert not Assignment.objects.exists()
    assert AuditEvent.objects.get(action="group.target.remove").object_id == str(target_pk)


def test_declarations_are_filed_once_per_kind(world, group):
    member = services.member_add(actor=world.office_admin, group=group, person=person(world, "孙立平"),
                                 role=GroupMember.Role.MEMBER)
    services.member_declaration_record(actor=world.group_leader, member=member, kind=MemberDeclaration.Kind.RECUSAL,
                                       signed_on=date(2024, 3, 1), content="本人无应回避情形")
    with pytest.raises(ValidationError):
        services.member_declaration_record(actor=world.office_staff, member=member,
                                           kind=MemberDeclaration.Kind.RECUSAL, signed_on=date(2024, 3, 2))
    with pytest.raises(policy.PermissionDenied):  # another group's member
        services.member_declaration_record(actor=world.group_member, member=member,
                                           kind=MemberDeclaration.Kind.CONFIDENTIALITY, signed_on=date(2024, 3, 2))


def test_a_declared_conflict_refuses_the_target(world, group):
    inspector = person(world, "孙立平", world.township)
    services.member_add(actor=world.office_admin, group=group, person=inspector, role=GroupMember.Role.MEMBER)
    services.conflict_declare(actor=world.office_staff, person=inspector, organization=world.department,
                              reason="配偶曾在该局任职", declared_on=date(2024, 2, 1))
    assert ConflictDeclaration.objects.get().reason == "配偶曾在该局任职"
    with pytest.raises(RecusalConflict) as refused:
        services.assignment_add(actor=world.office_admin, group=group, organization=world.department)
    assert "配偶曾在该局任职" in refused.value.conflicts[0].sentence


def test_a_declared_conflict_needs_a_reason_and_an_organization_of_the_committee(world):
    inspector = person(world, "孙立平")
    with pytest.raises(ValidationError) as refused:
        services.conflict_declare(actor=world.office_staff, person=inspector, organization=world.department,
                                  reason=" ", declared_on=date(2024, 2, 1))
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.conflict_declare(actor=world.office_staff, person=inspector, organization=world.other_township,
                                  reason="曾任职", declared_on=date(2024, 2, 1))
    assert "organization" in refused.value.message_dict
    with pytest.raises(policy.PermissionDenied):
        services.conflict_declare(actor=world.group_leader, person=inspector, organization=world.department,
                                  reason="曾任职", declared_on=date(2024, 2, 1))
