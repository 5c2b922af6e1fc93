"""Group material belongs to its group, and a completed round ends the group's writes."""

from datetime import datetime

import pytest
from django.utils import timezone

from xuncha.access import policy
from xuncha.rounds.models import Interview, Round


@pytest.fixture
def interview(world):
    return Interview.objects.create(group=world.group1, interviewee="赵六", summary="了解情况", interviewers="甲",
                                    held_at=timezone.make_aware(datetime(2024, 3, 6, 10)))


def test_it_lets_the_group_write_while_the_round_is_open(world, interview):
    assert policy.can(world.group_leader, "change", interview)
    assert policy.can(world.group_leader, "create", Interview(group=world.group1))


def test_it_ends_the_groups_writes_when_the_round_is_completed(world, interview):
    Round.objects.filter(pk=world.round.pk).update(state=Round.State.COMPLETED)
    interview.refresh_from_db()
    leader = world.group_leader
    assert not policy.can(leader, "change", interview)
    assert not policy.scope(leader, Interview, "change").exists()
    assert policy.can(leader, "view", interview)
    assert policy.scope(leader, Interview).filter(pk=interview.pk).exists()


def test_other_groups_and_units_never_reach_it(world, interview):
    for name in ("group_member", "unit_liaison", "receiver", "outsider", "sysadmin", "auditor"):
        user = getattr(world, name)
        assert not policy.can(user, "view", interview), name
        assert not policy.scope(user, Interview).exists(), name


def test_a_group_role_without_a_group_reaches_no_group_material(world, interview, make_user):
    from xuncha.access.roles import Role

    loose = make_user("loose_member", role=Role.GROUP_MEMBER, committee=world.county)
    assert not policy.scope(loose, Interview).exists()
    assert policy.scope(loose, Round).filter(pk=world.round.pk).exists()  # the plan is not group material
