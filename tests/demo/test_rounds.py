"""The demo county's rounds as built by `xuncha demo`."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from xuncha.access import policy
from xuncha.access.models import RoleAssignment, User
from xuncha.demo import DEFAULT_SEED, make_plan
from xuncha.demo.plan import COUNTY
from xuncha.demo.rounds import CURRENT_ROUND, GROUP_ACCOUNTS
from xuncha.registry.models import Committee, Organization, Relative, WorkHistory
from xuncha.rounds.models import (
    Assignment,
    ConflictDeclaration,
    DocumentRequest,
    Group,
    GroupMember,
    GuidanceVisit,
    InspectorEvaluation,
    InspectorProfile,
    MemberDeclaration,
    Round,
    RoundsPolicy,
    Term,
)
from xuncha.rounds.recusal import CLOSE_RELATIONS, conflicts_between
from xuncha.rounds.services import ROLE_OF_MEMBER
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


def test_it_builds_the_terms_rounds_and_coverage(built, plan):
    assert "rounds: 2 terms, 12 rounds" in built and "2 terms with 12 rounds" in built
    committee = Committee.objects.get(name="青崖县委")
    rounds_policy = RoundsPolicy.objects.get(committee=committee)
    assert rounds_policy.recusal_years == 5
    assert set(rounds_policy.covered_kinds.values_list("name", flat=True)) == {
        "乡镇/街道", "县级部门", "村/社区", "国有企业", "学校", "医院"}
    assert list(Term.objects.order_by("number").values_list("name", flat=True)) == ["十三届", "十四届"]
    current = Round.objects.filter(term__name="十四届").order_by("number")
    assert list(current.values_list("state", flat=True)) == STATES
    assert all(r.committee_id == committee.pk for r in current)
    villages = Organization.objects.filter(committee=committee, kind__code="village")
    covered = villages.filter(assignments__round__term__name="十四届").distinct()
    assert villages.count() == covered.count() == 108
    assert Assignment.objects.count() == sum(len(g.targets) for r in plan.rounds.rounds for g in r.groups)
    assert GroupMember.objects.count() == sum(len(g.members) for r in plan.rounds.rounds for g in r.groups)
    assert InspectorProfile.objects.count() == len(plan.rounds.inspectors)
    assert Group.objects.filter(round__in=current).count() == sum(len(r.groups) for r in _current(plan))

def test_no_member_conflicts_with_a_target_of_their_group(built):
    members = list(GroupMember.objects.select_related("person__organization", "group__round"))
    targets: dict[int, list[Organization]] = {}
    for a in Assignment.objects.select_related("organization"):
        targets.setdefault(a.group_id, []).append(a.organization)
    # Every pair, by the rules in bulk (any year counts) …
    pairs = {(m.person_id, t.pk) for m in members for t in targets[m.group_id]}
    near = {(m.person_id, t.pk) for m in members for t in targets[m.group_id]
            if t.pk in (m.person.organization_id, m.person.organization.parent_id)
            or t.parent_id == m.person.organization_id}
    worked = set(WorkHistory.objects.values_list("person_id", "organization_id"))
    related = set(Relative.objects.filter(relation__in=CLOSE_RELATIONS).values_list("person_id", "organization_id"))
    declared = set(ConflictDeclaration.objects.values_list("person_id", "organization_id"))
    assert not pairs & (near | worked | related | declared)
    # … and the running round's through the recusal check itself, on entry and today.
    for member in (m for m in members if m.group.round.state == "stationed"):
        for on in (member.group.round.planned_entry, timezone.localdate()):
            for target in targets[member.group_id]:
                assert not conflicts_between(member.person, target, on=on, years=5), (member, target)

def test_each_group_account_holds_its_role_for_its_group(built, plan):
    running = Round.objects.get(term__name="十四届", number=CURRENT_ROUND)
    for username, (number, role) in GROUP_ACCOUNTS.items():
        user = User.objects.get(username=username)
        member = GroupMember.objects.select_related("person", "group").get(user=user)
        assert (member.group.round_id, member.group.number, member.role) == (running.pk, number, role)
        assert member.person.name == user.full_name
        held = policy.assignments(user)
        assert [(a.role, a.group_id) for a in held] == [(ROLE_OF_MEMBER[role], member.group_id)]
        assert member.access_id == held[0].pk
    # No group role is held for the whole committee any more.
    assert not RoleAssignment.objects.filter(role__startswith="group_", group__isnull=True).exists()

def test_the_history_of_each_round_matches_its_state(built):
    roles = {a.user.username: a.role for a in RoleAssignment.objects.select_related("user")}
    for rnd in Round.objects.prefetch_related("transitions__actor"):
        state = "planned"
        for t in rnd.transitions.all():
            assert t.from_state == state and BY_ACTION[t.action].target == t.to_state
            assert roles[t.actor.username] in BY_ACTION[t.action].roles
            state = t.to_state
        assert state == rnd.state, rnd.label

def test_the_groups_recorded_their_fieldwork(built):
    running = Round.objects.get(term__name="十四届", number=CURRENT_ROUND)
    rectifying = Round.objects.get(term__name="十四届", number=CURRENT_ROUND - 1)
    for group in Group.objects.filter(round__in=[running, rectifying]).prefetch_related("guidance_visits"):
        assert group.announcement.published
        assert group.interviews.exists() and group.document_requests.exists() and group.spot_fixes.exists()
        visits = list(group.guidance_visits.all())
        assert len(visits) == 1 and 2 <= visits[0].prescriptions.count() <= 3
    unreturned = DocumentRequest.objects.filter(returned_on__isnull=True)
    assert [d.group.round_id for d in unreturned] == [running.pk]
    assert unreturned.get().due < date(2026, 11, 24)
    assert GuidanceVisit.objects.filter(prescriptions__status="answered").exists()
    members = GroupMember.objects.count()
    both = GroupMember.objects.filter(declarations__kind="confidentiality").filter(
        declarations__kind="recusal").count()
    assert both >= members * 0.9
    finished = GroupMember.objects.filter(group__round__state="completed")
    assert MemberDeclaration.objects.filter(member__in=finished).count() == 2 * finished.count()
    assert set(InspectorEvaluation.objects.values_list("round__state", flat=True)) == {"completed"}
