"""Builders for the pool and draw tests: inspectors, memberships, a round being planned."""

from __future__ import annotations

from datetime import date

from xuncha.registry.models import Person
from xuncha.rounds.models import Assignment, Group, GroupMember, InspectorProfile, Round

# Surnames with distinct stroke counts, so stroke order is easy to check.
SURNAMES = "丁王石刘李张陈周赵胡钱高曹梁彭董蒋韩谢蔡潘薛戴魏瞿"


def inspector(world, name: str, skills=("finance",), *, available: bool = True,
              organization=None) -> InspectorProfile:
    person = Person.objects.create(committee=world.county, name=name, organization=organization,
                                   post="干部")
    return InspectorProfile.objects.create(committee=world.county, person=person, skills=list(skills),
                                           available=available, approved_on=date(2024, 1, 2))


def serve(group: Group, profile: InspectorProfile, role: str = GroupMember.Role.MEMBER) -> GroupMember:
    return GroupMember.objects.create(group=group, person=profile.person, role=role)


def next_round(world, *, state: str = Round.State.PLANNED) -> Round:
    """Round 2 of the world's term: world.round (round 1) is its previous round."""
    return Round.objects.create(term=world.term, number=2, planned_entry=date(2024, 6, 1),
                                planned_exit=date(2024, 7, 31), state=state)


def planned_group(world, *, target=None) -> Group:
    group = Group.objects.create(round=next_round(world), number=1)
    if target is not None:
        Assignment.objects.create(group=group, organization=target)
    return group
