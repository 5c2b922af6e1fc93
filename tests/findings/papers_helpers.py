"""Helpers of the papers tests: extra group members so that every group role exists in both
groups, and the members' accounts by name."""

from __future__ import annotations

from xuncha.access import policy, services
from xuncha.access.roles import Role
from xuncha.registry.models import Person
from xuncha.rounds.models import GroupMember

ROLE_OF = {Role.GROUP_LEADER: GroupMember.Role.LEADER, Role.GROUP_DEPUTY: GroupMember.Role.DEPUTY,
           Role.GROUP_MEMBER: GroupMember.Role.MEMBER}


def add_member(world, make_user, username: str, name: str, group, role: str) -> GroupMember:
    """An account holding `role` in `group`, with its GroupMember row."""
    user = make_user(username)
    services.group_role_grant(actor=policy.CONSOLE, user=user, role=role, group=group)
    person = Person.objects.create(committee=world.county, name=name)
    return GroupMember.objects.create(group=group, person=person, role=ROLE_OF[role], user=user)


def both_groups(world, findings, make_user) -> dict[str, object]:
    """Accounts for every group role in group 1 ("g1_…") and group 2 ("g2_…")."""
    users = {
        "g1_group_leader": world.group_leader, "g1_group_deputy": world.group_deputy,
        "g2_group_member": world.group_member,
    }
    for key, name, group, role in (
        ("g1_group_member", "周平", world.group1, Role.GROUP_MEMBER),
        ("g2_group_leader", "吴强", world.group2, Role.GROUP_LEADER),
        ("g2_group_deputy", "郑洁", world.group2, Role.GROUP_DEPUTY),
    ):
        users[key] = add_member(world, make_user, key, name, group, role).user
    return users
