"""The demo county's rounds: the plan as data for several seeds, then one real build."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from xuncha.access.models import User
from xuncha.demo import DEFAULT_SEED, county, make_plan, rounds_build
from xuncha.demo.plan import COUNTY, _Drawer
from xuncha.demo.rounds import CURRENT_ROUND, GROUP_ACCOUNTS, SKILLS, DeclaredConflictPlan
from xuncha.registry.models import Committee, Person
from xuncha.rounds.models import (
    GroupMember,
    InspectorProfile,
    Term,
)
from xuncha.rounds.transitions import BY_ACTION

STATES = ["completed"] * 7 + ["rectifying", "stationed"]
ACCOUNT_ROLE = {"leader": "leader", "office_admin": "office_admin", "office_staff": "office_staff"}


@pytest.fixture(scope="module")
def plan():
    return make_plan(DEFAULT_SEED)


def _current(plan):
    return plan.rounds.current_rounds()


def _county_orgs(plan, kind):
    return {i for i, o in enumerate(plan.organizations) if o.committee == COUNTY and o.kind == kind}


def _covered(plan, kind):
    return {t.organization for r in _current(plan) for g in r.groups for t in g.targets
            if plan.organizations[t.organization].kind == kind}


# -- the plan, as data ---------------------------------------------------------------------

def test_it_plans_two_terms_and_nine_rounds_at_every_stage(plan):
    terms = plan.rounds.terms
    assert [(t.number, t.name) for t in terms] == [(13, "十三届"), (14, "十四届")]
    assert terms[0].end is not None and terms[1].end is None and terms[1].planned_rounds == 10
    assert {r.state for r in plan.rounds.rounds if r.term == 0} == {"completed"}
    current = _current(plan)
    assert [r.number for r in current] == list(range(1, 10))
    assert [r.state for r in current] == STATES
    kinds = Counter(r.kind for r in current)
    assert kinds == {"routine": 7, "special": 1, "follow_up": 1}
    special = next(r for r in current if r.kind == "special")
    assert "三资" in special.theme and "三资" in special.title
    assert all(r.title for r in current)
    assert current[0].entry.year == 2021 and current[-1].entry.year == 2026
    for before, after in zip(current, current[1:], strict=False):
        assert before.entry <= before.exit < after.entry


@pytest.mark.parametrize("seed", [DEFAULT_SEED, 1, 2, 3])
def test_the_current_term_covers_every_village_and_township_but_not_every_department(seed):
    plan = make_plan(seed)
    assert len(_county_orgs(plan, "village")) == 108
    assert _covered(plan, "village") == _county_orgs(plan, "village")
    assert _covered(plan, "township") == _county_orgs(plan, "township")
    departments = _county_orgs(plan, "department")
    uncovered = departments - _covered(plan, "department")
    assert 3 <= len(uncovered) <= 8
    for kind in ("soe", "school", "hospital"):
        assert _covered(plan, kind) and _covered(plan, kind) < _county_orgs(plan, kind)
    modes = Counter(t.mode for r in _current(plan) for g in r.groups for t in g.targets)
    assert modes.most_common(1)[0][0] == "direct" and modes["sinking"] and modes["extended"]
    for rnd in plan.rounds.rounds:  # an organization is inspected by one group of a round
        targets = [t.organization for g in rnd.groups for t in g.targets]
        assert len(targets) == len(set(targets))


@pytest.mark.parametrize("seed", [DEFAULT_SEED, 4, 5])
def test_groups_are_staffed_from_the_pool_with_every_role(seed):
    plan = make_plan(seed)
    pool = {p.person: p for p in plan.rounds.inspectors}
    assert 55 <= len(pool) <= 65
    assert {s for p in pool.values() for s in p.skills} == set(SKILLS)
    assert 1 <= sum(not p.available for p in pool.values()) <= 6
    for rnd in plan.rounds.rounds:
        assert 3 <= len(rnd.groups) <= 4
        serving = [m.person for g in rnd.groups for m in g.members]
        assert len(serving) == len(set(serving)), "nobody serves twice in a round"
        for group in rnd.groups:
            roles = Counter(m.role for m in group.members)
            assert roles["leader"] == roles["deputy"] == roles["liaison"] == 1
            assert 2 <= roles["member"] <= 4
            for m in group.members:
                assert m.person in pool and pool[m.person].approved_on <= rnd.entry
                assert plan.people[m.person].committee == COUNTY
                if rnd.term == plan.rounds.current_term and rnd.number >= CURRENT_ROUND - 1:
                    assert pool[m.person].available


def test_no_member_is_planned_against_an_organization_they_must_recuse_from(plan):
    orgs, people = plan.organizations, plan.people
    declared = {(d.person, d.organization) for d in plan.rounds.declared_conflicts}
    for rnd in plan.rounds.rounds:
        for group in rnd.groups:
            targets = {t.organization for t in group.targets}
            for m in group.members:
                p = people[m.person]
                near = {p.organization, orgs[p.organization].parent}
                near |= {i for i in targets if orgs[i].parent == p.organization}
                assert not targets & near
                assert not targets & {h.organization for h in p.history}
                assert not targets & {r.organization for r in p.relatives}
                assert not {(m.person, t) for t in targets} & declared


def test_the_group_accounts_serve_in_the_running_round(plan):
    running = _current(plan)[-1]
    people = {a.username: a for a in plan.accounts}
    for username, (number, role) in GROUP_ACCOUNTS.items():
        group = running.groups[number - 1]
        member = next(m for m in group.members if m.account == username)
        assert member.role == role
        assert plan.people[member.person].name == people[username].full_name
        assert people[username].scope == f"十四届第九轮{group.name}"
    assert sum(1 for r in plan.rounds.rounds for g in r.groups for m in g.members if m.account) == 4


def test_transitions_lead_each_round_to_its_state(plan):
    for rnd in plan.rounds.rounds:
        state, at = "planned", None
        for t in rnd.transitions:
            step = BY_ACTION[t.action]
            assert (t.source, t.target) == (step.source, step.target) and t.source == state
            assert ACCOUNT_ROLE[t.actor] in step.roles
            assert at is None or at < t.at
            state, at = t.target, t.at
        assert state == rnd.state
    assert any(t.action == "return" for r in plan.rounds.rounds for t in r.transitions)


def test_the_last_two_rounds_have_fieldwork(plan):
    current = _current(plan)
    for rnd in current[-2:]:
        for group in rnd.groups:
            assert group.announcement is not None and group.interviews and group.documents and group.fixes
            assert group.guidance is not None and 2 <= len(group.guidance.prescriptions) <= 3
            assert all(rnd.entry <= i.held_at.date() <= rnd.exit for i in group.interviews)
    assert all(g.guidance is None and not g.interviews for r in current[:-2] for g in r.groups)
    running = current[-1]
    assert sum(d.returned_on is None for g in running.groups for d in g.documents) == 1
    assert not [d for g in current[-2].groups for d in g.documents if d.returned_on is None]
    statuses = Counter(p.status for g in running.groups for p in g.guidance.prescriptions)
    assert statuses["answered"] and statuses["open"]
    evaluated = {plan.rounds.rounds[e.round].state for e in plan.rounds.evaluations}
    assert plan.rounds.evaluations and evaluated == {"completed"}


def test_the_rounds_are_the_same_for_a_seed_and_differ_between_seeds():
    assert make_plan(11).rounds == make_plan(11).rounds
    one, two = make_plan(11).rounds, make_plan(12).rounds
    assert [m.person for g in one.rounds[-1].groups for m in g.members] != \
        [m.person for g in two.rounds[-1].groups for m in g.members]


def test_the_rounds_leave_the_county_as_it_was(plan):
    """The rounds draw from their own random stream and change nothing in the county."""
    drawer = _Drawer(DEFAULT_SEED)
    drawer.draw()
    assert drawer.people == plan.people and drawer.organizations == plan.organizations


# -- builds of their own (the shared build is in tests/demo) ------------------------------

@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_a_failure_in_the_rounds_leaves_nothing_half_written(db, data_dir, monkeypatch):
    def fail(self):
        raise ValidationError("the fieldwork could not be stored")

    monkeypatch.setattr(rounds_build._Builder, "fieldwork", fail)
    with pytest.raises(CommandError, match="fieldwork could not be stored"):
        _demo("--quiet")
    assert not Committee.objects.exists() and not Person.objects.exists()
    assert not Term.objects.exists() and not InspectorProfile.objects.exists()
    assert not User.objects.exists()
    assert not (data_dir / "demo-accounts.json").exists()


def test_a_member_who_conflicts_is_left_out_and_an_account_is_refused(db, data_dir):
    plan = make_plan(DEFAULT_SEED)
    group = plan.rounds.rounds[-1].groups[2]
    member = group.members[-1]
    assert not member.account
    plan.rounds.declared_conflicts.append(
        DeclaredConflictPlan(member.person, group.targets[0].organization, "测试", date(2026, 1, 5)))
    county.build(plan, data_dir=data_dir)
    assert not GroupMember.objects.filter(person__name=plan.people[member.person].name,
                                          group__round__number=CURRENT_ROUND, group__number=3).exists()
    assert GroupMember.objects.count() == sum(len(g.members) for r in plan.rounds.rounds for g in r.groups) - 1


def test_an_account_that_would_conflict_refuses_the_whole_demo(db, data_dir):
    plan = make_plan(DEFAULT_SEED)
    group = plan.rounds.rounds[-1].groups[0]
    leader = next(m for m in group.members if m.account == "group_leader")
    plan.rounds.declared_conflicts.append(
        DeclaredConflictPlan(leader.person, group.targets[0].organization, "测试", date(2026, 1, 5)))
    with pytest.raises(county.DemoRefused, match="cannot serve in its group"):
        county.build(plan, data_dir=data_dir)
    assert not Committee.objects.exists() and not GroupMember.objects.exists()
    assert not (data_dir / "demo-accounts.json").exists()
