"""The random draw (随机抽取): the pure algorithm and the service around it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.rounds.pool_helpers import inspector, planned_group, serve
from xuncha.access import policy
from xuncha.access.models import AuditEvent
from xuncha.rounds import services_pool
from xuncha.rounds.draw import Candidate, draw
from xuncha.rounds.models import DrawRecord, GroupMember

# -- the pure function -----------------------------------------------------------------------


def _pool(n: int = 30, skills=("finance", "discipline", "engineering")) -> list[Candidate]:
    return [Candidate(pk, frozenset({skills[pk % len(skills)]})) for pk in range(1, n + 1)]


MIX = {"finance": 1, "discipline": 1, "engineering": 1}


def test_it_gives_the_same_roster_for_the_same_seed():
    assert draw(_pool(), MIX, 42) == draw(_pool(), MIX, 42)


def test_it_does_not_depend_on_the_order_of_the_candidates():
    assert draw(list(reversed(_pool())), MIX, 7) == draw(_pool(), MIX, 7)


def test_it_gives_different_rosters_for_different_seeds():
    rosters = {tuple(draw(_pool(), MIX, seed).person_ids) for seed in range(20)}
    assert len(rosters) > 10


def test_it_fills_the_requested_skill_mix():
    result = draw(_pool(), {"finance": 2, "discipline": 1, "engineering": 3}, 1)
    by_skill: dict[str, int] = {}
    skills = {c.person_id: c.skills for c in _pool()}
    for pick in result.picks:
        assert pick.skill in skills[pick.person_id]
        by_skill[pick.skill] = by_skill.get(pick.skill, 0) + 1
    assert by_skill == {"finance": 2, "discipline": 1, "engineering": 3}
    assert result.shortfall == {}


def test_a_person_fills_at_most_one_slot():
    everyone = [Candidate(pk, frozenset({"finance", "law"})) for pk in (1, 2, 3)]
    result = draw(everyone, {"finance": 2, "law": 2}, 3)
    assert len(result.person_ids) == len(set(result.person_ids)) == 3
    assert sum(result.shortfall.values()) == 1


def test_it_reports_the_shortfall_per_skill():
    result = draw(_pool(6), {"finance": 5, "audit": 1}, 9)
    assert result.shortfall == {"finance": 3, "audit": 1}
    assert len(result.picks) == 2


def test_it_fills_the_scarce_skill_before_a_versatile_person_is_spent():
    # Only person 1 knows law; whatever the seed, law must not go short because 1 took finance.
    pool = [Candidate(1, frozenset({"finance", "law"})), Candidate(2, frozenset({"finance"})),
            Candidate(3, frozenset({"finance"}))]
    for seed in range(30):
        result = draw(pool, {"finance": 1, "law": 1}, seed)
        assert result.shortfall == {}
        assert {p.skill: p.person_id for p in result.picks}["law"] == 1


@pytest.mark.parametrize("seed", range(10))
def test_it_uses_previous_round_people_only_when_nobody_else_has_the_skill(seed):
    pool = [Candidate(1, frozenset({"finance"}), previous=True), Candidate(2, frozenset({"finance"})),
            Candidate(3, frozenset({"law"}), previous=True)]
    result = draw(pool, {"finance": 1, "law": 1}, seed)
    assert sorted(result.person_ids) == [2, 3]
    assert [p.previous for p in result.picks if p.skill == "law"] == [True]


def test_it_refuses_negative_counts():
    with pytest.raises(ValueError):
        draw(_pool(), {"finance": -1}, 1)


# -- the service -----------------------------------------------------------------------------


@pytest.fixture
def pool(world):
    """Ten inspectors of each of finance, discipline and engineering."""
    return [inspector(world, f"{surname}{skill[:2]}", (skill,))
            for skill in ("finance", "discipline", "engineering")
            for surname in "丁王石刘李张陈周赵胡"]


def _draw(world, group, seed=None, requested=None, actor=None):
    return services_pool.draw_roster(actor=actor or world.office_staff, group=group,
                                     requested=dict(MIX) if requested is None else requested, seed=seed)


def test_it_records_and_audits_the_draw(world, pool):
    group = planned_group(world)
    outcome = _draw(world, group, seed=12345)
    record = DrawRecord.objects.get()
    assert record == outcome.record
    assert (record.group, record.seed, record.drawn_by) == (group, 12345, world.office_staff)
    assert record.requested == MIX
    assert len(record.result) == 3 and record.shortfall == {}
    event = AuditEvent.objects.get(action="group.draw")
    assert event.object_id == str(record.pk)
    assert event.detail["seed"] == 12345 and event.detail["result"] == record.result
    assert not GroupMember.objects.filter(group=group).exists()  # the draw only proposes


def test_the_same_seed_gives_the_same_roster(world, pool):
    group = planned_group(world)
    assert _draw(world, group, seed=99).record.result == _draw(world, group, seed=99).record.result
    results = {tuple(_draw(world, group, seed=s).record.result) for s in range(8)}
    assert len(results) > 1


def test_it_records_a_random_seed_when_none_is_given(world, pool):
    record = _draw(world, planned_group(world)).record
    assert 0 <= record.seed < 2**31
    assert _draw(world, record.group, seed=record.seed).record.result == record.result


def test_it_satisfies_the_skill_mix(world, pool):
    outcome = _draw(world, planned_group(world), seed=5, requested={"finance": 2, "engineering": 3})
    skills = {p.person_id: p.skills for p in pool}
    drawn = [skills[pid] for pid in outcome.record.result]
    assert sorted(s[0] for s in drawn) == ["engineering"] * 3 + ["finance"] * 2


def test_it_never_draws_a_conflicting_person(world):
    # The only finance inspector besides one works in the target: never drawn, whatever the seed.
    conflicted = inspector(world, "王村干", ("finance",), organization=world.village)
    clean = inspector(world, "丁财务", ("finance",), organization=world.department)
    group = planned_group(world, target=world.village)
    for seed in range(15):
        outcome = _draw(world, group, seed=seed, requested={"finance": 2})
        assert outcome.record.result == [clean.person_id]
        assert outcome.record.shortfall == {"finance": 1}
        assert outcome.skipped.conflicts == 1
    assert conflicted.person_id not in {pid for r in DrawRecord.objects.all() for pid in r.result}


def test_it_skips_the_unavailable_and_those_already_serving(world):
    away = inspector(world, "丁休假", ("law",), available=False)
    busy = inspector(world, "王在组", ("law",))
    free = inspector(world, "石空闲", ("law",))
    group = planned_group(world)
    other = group.round.groups.create(number=2)
    serve(other, busy)
    outcome = _draw(world, group, seed=1, requested={"law": 3})
    assert outcome.record.result == [free.person_id]
    assert outcome.record.shortfall == {"law": 2}
    assert (outcome.skipped.unavailable, outcome.skipped.serving) == (1, 1)
    assert away.person_id not in outcome.record.result


def test_previous_round_people_are_avoided_when_possible(world):
    served = inspector(world, "丁上轮", ("audit",))
    drawn_before = inspector(world, "王上抽", ("audit",))
    fresh = inspector(world, "石新人", ("audit",))
    serve(world.group1, served)
    DrawRecord.objects.create(group=world.group2, requested={"audit": 1}, seed=1, result=[drawn_before.person_id])
    group = planned_group(world)
    for seed in range(10):
        outcome = _draw(world, group, seed=seed, requested={"audit": 1})
        assert outcome.record.result == [fresh.person_id]
        assert outcome.skipped.previous == 2


def test_previous_round_people_are_used_when_necessary(world):
    served = inspector(world, "丁上轮", ("audit",))
    inspector(world, "石新人", ("audit",))
    serve(world.group1, served)
    outcome = _draw(world, planned_group(world), seed=3, requested={"audit": 2})
    assert sorted(outcome.record.result) == sorted(p.person_id for p in outcome.record.group.round.committee.inspectors.all())
    assert [p.previous for p in outcome.picks].count(True) == 1
    assert outcome.record.shortfall == {}


def test_a_later_round_of_another_term_has_no_previous_round(world):
    from xuncha.rounds.services_pool import previous_round

    group = planned_group(world)
    assert previous_round(group.round) == world.round
    assert previous_round(world.round) is None


@pytest.mark.parametrize("role", ["leader", "group_leader", "group_deputy", "group_member", "unit_liaison",
                                  "receiver", "supervisor", "outsider"])
def test_only_the_office_draws(world, pool, role):
    with pytest.raises(policy.PermissionDenied):
        _draw(world, planned_group(world), actor=world.users[role])
    assert not DrawRecord.objects.exists()


@pytest.mark.parametrize("requested, field", [({}, "__all__"), ({"finance": 0}, "__all__"),
                                               ({"finance": 99}, "finance"), ({"magic": 1}, "__all__")])
def test_it_refuses_a_bad_request(world, pool, requested, field):
    with pytest.raises(ValidationError) as exc:
        _draw(world, planned_group(world), requested=requested)
    assert field in exc.value.update_error_dict({})
    assert not DrawRecord.objects.exists()


def test_it_refuses_a_bad_seed(world, pool):
    with pytest.raises(ValidationError):
        _draw(world, planned_group(world), seed=-1)


def test_it_refuses_to_draw_after_the_fieldwork(world, pool):
    world.round.state = "reporting"
    world.round.save()
    with pytest.raises(ValidationError):
        _draw(world, world.group1)


def test_accepting_adds_everyone_as_members_and_checks_recusal_again(world, pool):
    group = planned_group(world)
    record = _draw(world, group, seed=8).record
    added = services_pool.draw_accept(actor=world.office_admin, record=record)
    assert sorted(m.person_id for m in added) == sorted(record.result)
    assert {m.role for m in group.members.all()} == {GroupMember.Role.MEMBER}
    assert services_pool.draw_accept(actor=world.office_admin, record=record) == []


def test_accepting_is_all_or_nothing_when_a_conflict_appeared_since(world, pool):
    from xuncha.rounds.recusal import RecusalConflict

    group = planned_group(world)
    record = _draw(world, group, seed=8).record
    first = group.round.committee.inspectors.get(person_id=record.result[0]).person
    first.organization = world.village
    first.save()
    group.assignments.create(organization=world.village)
    with pytest.raises(RecusalConflict):
        services_pool.draw_accept(actor=world.office_admin, record=record)
    assert not group.members.exists()


def test_accepting_is_refused_to_the_leading_group(world, pool):
    record = _draw(world, planned_group(world), seed=8).record
    with pytest.raises(policy.PermissionDenied):
        services_pool.draw_accept(actor=world.leader, record=record)
