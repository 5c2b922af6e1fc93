"""A planned round staffed through the services, for the plan tests."""

from __future__ import annotations

from datetime import date

from xuncha.access import policy
from xuncha.registry.models import Organization, Person
from xuncha.rounds import services
from xuncha.rounds.models import Assignment, GroupMember, Round

CONSOLE = policy.CONSOLE


def person(world, name: str, organization=None) -> Person:
    return Person.objects.create(committee=world.county, name=name,
                                 organization=organization or world.department)


def planned_round(world, *, number: int = 2, kind: str = Round.Kind.ROUTINE, theme: str = "") -> Round:
    return services.round_create(actor=CONSOLE, term=world.term, number=number, kind=kind, theme=theme,
                                 planned_entry=date(2024, 9, 2), planned_exit=date(2024, 10, 31))


def staff(world, rnd: Round, *, leader: bool = True, target: bool = True, inspectors=None):
    """One group with a leader (unless told not to), a deputy, members and a target."""
    group = services.group_create(actor=CONSOLE, round=rnd)
    roles = [("deputy", GroupMember.Role.DEPUTY), ("member", GroupMember.Role.MEMBER)]
    if leader:
        roles.insert(0, ("leader", GroupMember.Role.LEADER))
    names = inspectors or {"leader": ["张三"], "deputy": ["李四"], "member": ["王五", "丁一"]}
    for key, role in roles:
        for name in names.get(key, []):
            services.member_add(actor=CONSOLE, group=group, person=person(world, name), role=role)
    if target:
        org = Organization.objects.create(committee=world.county, name=f"南山村{rnd.number}{group.number}",
                                          kind=world.kinds["village"], parent=world.township)
        services.assignment_add(actor=CONSOLE, group=group, organization=org, mode=Assignment.Mode.DIRECT)
    return group
