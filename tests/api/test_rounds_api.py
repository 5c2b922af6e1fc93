"""/api/v1 terms, rounds, groups, assignments and coverage: scoping, writes through the
services, refusals (403, 404, 409, 422) and query counts on the lists."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from xuncha.access import policy
from xuncha.registry.models import Organization
from xuncha.rounds import services
from xuncha.rounds.models import Assignment, Group, Round, RoundTransition, Term

API = "/api/v1"


def _post(client, url, body):
    return client.post(f"{API}{url}", body, content_type="application/json")


def _patch(client, url, body):
    return client.patch(f"{API}{url}", body, content_type="application/json")


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["detail"]]


@pytest.fixture
def planned(world):
    """A second round of the term, still planned, with one group."""
    rnd = Round.objects.create(term=world.term, number=2, planned_entry=date(2024, 6, 1),
                               planned_exit=date(2024, 7, 15))
    Group.objects.create(round=rnd, number=1)
    return rnd


# -- terms -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role, count", [
    ("office_admin", 1), ("leader", 1), ("group_member", 1), ("supervisor", 2),
    ("unit_liaison", 0), ("receiver", 0), ("outsider", 0),
])
def test_it_lists_the_terms_in_scope(world, api_client, role, count):
    Term.objects.create(committee=world.other, number=1, name="邻县第一届", start_date=date(2024, 1, 1))
    response = api_client(world.users[role]).get(f"{API}/terms")
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_a_term_out_of_scope_is_not_found(world, api_client):
    other = Term.objects.create(committee=world.other, number=1, name="邻县第一届", start_date=date(2024, 1, 1))
    assert api_client(world.office_admin).get(f"{API}/terms/{other.pk}").status_code == 404
    assert api_client(world.unit_liaison).get(f"{API}/terms/{world.term.pk}").status_code == 404
    assert api_client(world.supervisor).get(f"{API}/terms/{other.pk}").status_code == 200


def test_the_office_opens_a_term(world, api_client):
    body = {"committee": world.county.pk, "number": 2, "start_date": "2029-01-01", "planned_rounds": 8}
    response = _post(api_client(world.office_admin), "/terms", body)
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "第2届"
    assert response.json()["planned_rounds"] == 8
    again = _post(api_client(world.office_admin), "/terms", body)
    assert again.status_code == 422
    assert _fields(again) == ["number"]


def test_opening_a_term_is_refused_to_the_leader_and_to_outsiders(world, api_client):
    body = {"committee": world.county.pk, "number": 2, "start_date": "2029-01-01"}
    assert _post(api_client(world.leader), "/terms", body).status_code == 403
    response = _post(api_client(world.unit_liaison), "/terms", body)
    assert response.status_code == 422  # the committee is not one it may see
    assert _fields(response) == ["committee"]
    assert not Term.objects.filter(number=2).exists()


def test_a_term_needs_its_dates_in_order(world, api_client):
    body = {"committee": world.county.pk, "number": 2, "start_date": "2029-01-01", "end_date": "2028-01-01"}
    response = _post(api_client(world.office_admin), "/terms", body)
    assert response.status_code == 422
    assert _fields(response) == ["end_date"]
    response = _post(api_client(world.office_admin), "/terms", {"committee": world.county.pk})
    assert response.status_code == 422
    assert set(_fields(response)) == {"number", "start_date"}


# -- rounds ----------------------------------------------------------------------------------

def test_it_lists_and_filters_rounds(world, api_client, planned):
    client = api_client(world.office_admin)
    assert client.get(f"{API}/rounds").json()["count"] == 2
    assert [r["number"] for r in client.get(f"{API}/rounds", {"state": "planned"}).json()["items"]] == [2]
    assert client.get(f"{API}/rounds", {"kind": "special"}).json()["count"] == 0
    assert client.get(f"{API}/rounds", {"term": world.term.pk}).json()["count"] == 2
    assert api_client(world.unit_liaison).get(f"{API}/rounds").json()["count"] == 0


def test_a_group_member_sees_only_its_own_group_in_the_round(world, api_client):
    body = api_client(world.group_member).get(f"{API}/rounds/{world.round.pk}").json()
    assert [g["id"] for g in body["groups"]] == [world.group2.pk]
    body = api_client(world.office_admin).get(f"{API}/rounds/{world.round.pk}").json()
    assert [g["name"] for g in body["groups"]] == ["第一巡察组", "第二巡察组"]


def test_the_office_plans_and_changes_a_round(world, api_client):
    client = api_client(world.office_admin)
    body = {"term": world.term.pk, "kind": "special", "theme": "农村集体“三资”", "planned_entry": "2024-09-01",
            "planned_exit": "2024-10-31"}
    response = _post(client, "/rounds", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["number"], created["state"], created["label"]) == (2, "planned", "第一届第二轮")
    response = _patch(client, f"/rounds/{created['id']}", {"title": "专项巡察", "planned_exit": "2024-11-15"})
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["planned_exit"]) == ("专项巡察", "2024-11-15")


@pytest.mark.parametrize("changes, field", [
    ({"kind": "special", "theme": ""}, "theme"),
    ({"planned_entry": "2024-09-01", "planned_exit": "2024-08-01"}, "planned_exit"),
    ({"number": 1}, "number"),
    ({"kind": "weekly"}, "kind"),
    ({"term": 999999}, "term"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_round_is_refused_naming_the_field(world, api_client, changes, field):
    body = {"term": world.term.pk, "planned_entry": "2024-09-01", "planned_exit": "2024-10-31", **changes}
    response = _post(api_client(world.office_admin), "/rounds", body)
    assert response.status_code == 422
    assert field in _fields(response)
    assert Round.objects.count() == 1


def test_only_the_office_plans_rounds(world, api_client, planned):
    body = {"term": world.term.pk, "planned_entry": "2024-09-01", "planned_exit": "2024-10-31"}
    assert _post(api_client(world.leader), "/rounds", body).status_code == 403
    assert _post(api_client(world.group_leader), "/rounds", body).status_code == 403
    assert _patch(api_client(world.group_leader), f"/rounds/{planned.pk}", {"title": "x"}).status_code == 403
    assert _patch(api_client(world.unit_liaison), f"/rounds/{planned.pk}", {"title": "x"}).status_code == 404


def test_transitions_follow_the_state_machine(world, api_client, planned):
    office, leader = api_client(world.office_admin), api_client(world.leader)
    url = f"/rounds/{planned.pk}/transitions"
    refused = _post(office, url, {"action": "enter"})
    assert refused.status_code == 409  # 进驻 before 已审批
    with translation.override("zh-hans"):
        assert str(Round.State.APPROVED.label) in refused.json()["detail"]
    assert _post(office, url, {"action": "approve"}).status_code == 403  # the leading group approves
    response = _post(leader, url, {"action": "approve", "comment": "同意"})
    assert response.status_code == 200
    assert response.json()["state"] == "approved"
    assert [t["action"] for t in response.json()["transitions"]] == ["approve"]
    # the group has no leader and no target yet: entry is refused with the reasons
    refused = _post(office, url, {"action": "enter"})
    assert refused.status_code == 409
    assert "第一巡察组" in refused.json()["detail"]
    assert _post(leader, url, {"action": "return"}).status_code == 409  # a return needs its reason
    assert _post(office, url, {"action": "fly"}).status_code == 422
    planned.refresh_from_db()
    assert planned.state == Round.State.APPROVED
    assert RoundTransition.objects.filter(round=planned).count() == 1


def test_transitions_of_a_round_out_of_scope_are_not_found(world, api_client, planned):
    response = _post(api_client(world.unit_liaison), f"/rounds/{planned.pk}/transitions", {"action": "approve"})
    assert response.status_code == 404


# -- groups ----------------------------------------------------------------------------------

def test_a_group_shows_its_members_and_targets(world, api_client):
    services.member_add(actor=world.office_admin, group=world.group1, person=world.villager, role="leader")
    Assignment.objects.create(group=world.group1, organization=world.department)
    body = api_client(world.group_leader).get(f"{API}/groups/{world.group1.pk}").json()
    assert body["full_name"] == "第一届第一轮第一巡察组"
    assert [(m["name"], m["role"]) for m in body["members"]] == [("王建国", "leader")]
    assert [t["organization_name"] for t in body["targets"]] == ["县财政局"]


@pytest.mark.parametrize("role, status", [
    ("group_member", 404),  # serves in group 2: group 1 is not its to see
    ("group_leader", 200), ("office_staff", 200), ("leader", 200), ("supervisor", 200),
    ("unit_liaison", 404), ("outsider", 404),
])
def test_a_group_is_seen_only_by_those_who_may(world, api_client, role, status):
    assert api_client(world.users[role]).get(f"{API}/groups/{world.group1.pk}").status_code == status


def test_the_office_adds_a_group(world, api_client, planned):
    response = _post(api_client(world.office_admin), f"/rounds/{planned.pk}/groups", {})
    assert response.status_code == 201
    assert response.json()["name"] == "第二巡察组"
    response = _post(api_client(world.office_admin), f"/rounds/{planned.pk}/groups", {"number": 1})
    assert response.status_code == 422
    assert _fields(response) == ["number"]
    assert _post(api_client(world.leader), f"/rounds/{planned.pk}/groups", {}).status_code == 403
    assert _post(api_client(world.unit_liaison), f"/rounds/{planned.pk}/groups", {}).status_code == 404


# -- assignments -----------------------------------------------------------------------------

def test_the_office_assigns_a_target(world, api_client):
    body = {"group": world.group1.pk, "organization": world.department.pk, "mode": "direct"}
    response = _post(api_client(world.office_admin), "/assignments", body)
    assert response.status_code == 201, response.content
    assert response.json()["group_name"] == "第一巡察组"
    again = _post(api_client(world.office_admin), "/assignments", {**body, "group": world.group2.pk})
    assert again.status_code == 422
    assert _fields(again) == ["organization"]


def test_a_recusal_conflict_is_refused_naming_each_conflict(world, api_client):
    # 王建国 works in 东门村 and in group 1: 东门村 cannot be group 1's target without an override.
    services.member_add(actor=world.office_admin, group=world.group1, person=world.villager, role="member")
    body = {"group": world.group1.pk, "organization": world.village.pk}
    response = _post(api_client(world.office_admin), "/assignments", body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail and all(e["field"] == "organization" for e in detail)
    assert any("王建国" in e["message"] for e in detail)
    assert not Assignment.objects.exists()
    # the office staff cannot override; an office administrator can, with a reason
    staff = _post(api_client(world.office_staff), "/assignments", {**body, "override_reason": "无其他人选"})
    assert staff.status_code == 403
    response = _post(api_client(world.office_admin), "/assignments", {**body, "override_reason": "无其他人选"})
    assert response.status_code == 201


def test_assigning_is_refused_to_groups_and_outsiders(world, api_client):
    body = {"group": world.group1.pk, "organization": world.department.pk}
    assert _post(api_client(world.group_leader), "/assignments", body).status_code == 403
    response = _post(api_client(world.group_member), "/assignments", body)
    assert response.status_code == 422 and _fields(response) == ["group"]  # not its group to see
    response = _post(api_client(world.office_admin), "/assignments",
                     {**body, "organization": world.other_township.pk})
    assert response.status_code == 422 and _fields(response) == ["organization"]


def test_assignments_are_scoped_and_filtered(world, api_client):
    Assignment.objects.create(group=world.group1, organization=world.department)
    Assignment.objects.create(group=world.group2, organization=world.township)
    office = api_client(world.office_admin)
    assert office.get(f"{API}/assignments").json()["count"] == 2
    assert office.get(f"{API}/assignments", {"group": world.group2.pk}).json()["count"] == 1
    assert office.get(f"{API}/assignments", {"organization": world.department.pk}).json()["count"] == 1
    assert office.get(f"{API}/assignments", {"round": world.round.pk}).json()["count"] == 2
    mine = api_client(world.group_member).get(f"{API}/assignments").json()
    assert [a["organization_name"] for a in mine["items"]] == ["城关镇"]
    assert api_client(world.unit_liaison).get(f"{API}/assignments").json()["count"] == 0


# -- coverage --------------------------------------------------------------------------------

def test_it_reports_coverage(world, api_client):
    Assignment.objects.create(group=world.group1, organization=world.village)
    body = api_client(world.leader).get(f"{API}/coverage", {"term": world.term.pk}).json()
    assert (body["total"], body["covered"], body["uncovered"], body["rate"]) == (3, 1, 2, 33.3)
    assert [r["key"] for r in body["by_kind"]] == ["township", "department", "village"]
    assert body["by_township"][0] == {"key": str(world.township.pk), "label": "城关镇", "total": 2, "covered": 1,
                                      "uncovered": 1, "rate": 50.0}
    assert body["forecast"]["remaining_rounds"] == 8 and body["forecast"]["short"] is False
    missing = api_client(world.leader).get(f"{API}/coverage/uncovered", {"term": world.term.pk}).json()
    assert {o["name"] for o in missing["items"]} == {"城关镇", "县财政局"}


def test_coverage_warns_through_the_api(world, api_client):
    Assignment.objects.create(group=world.group1, organization=world.village)
    Term.objects.filter(pk=world.term.pk).update(planned_rounds=2)
    forecast = api_client(world.office_admin).get(f"{API}/coverage", {"term": world.term.pk}).json()["forecast"]
    assert (forecast["remaining_rounds"], forecast["capacity"], forecast["short"]) == (1, 1, True)
    assert forecast["warning"]


def test_coverage_out_of_scope_is_not_found(world, api_client):
    assert api_client(world.unit_liaison).get(f"{API}/coverage", {"term": world.term.pk}).status_code == 404
    assert api_client(world.office_admin).get(f"{API}/coverage", {"term": 999999}).status_code == 404
    response = api_client(world.office_admin).get(f"{API}/coverage")
    assert response.status_code == 422 and _fields(response) == ["term"]


# -- query counts ----------------------------------------------------------------------------

@pytest.fixture
def busy(world):
    """Many rounds, groups and targets in the term."""
    for n in range(2, 12):
        rnd = Round.objects.create(term=world.term, number=n, planned_entry=date(2024, 5, 1),
                                   planned_exit=date(2024, 6, 1), state=Round.State.COMPLETED)
        group = Group.objects.create(round=rnd, number=1)
        for i in range(3):
            org = Organization.objects.create(committee=world.county, name=f"{n}轮{i}村", kind=world.kinds["village"],
                                              parent=world.township)
            Assignment.objects.create(group=group, organization=org)
    for i in range(30):
        org = Organization.objects.create(committee=world.county, name=f"一组{i}单位", kind=world.kinds["school"])
        Assignment.objects.create(group=world.group1, organization=org)
    services.member_add(actor=policy.CONSOLE, group=world.group1, person=world.villager, role="leader")


@pytest.mark.parametrize("url, count", [
    ("/terms", 1), ("/rounds", 11), ("/assignments", 60),
])
def test_lists_take_a_fixed_number_of_queries(world, api_client, busy, django_assert_max_num_queries, url, count):
    client = api_client(world.office_admin)
    # token, token last-used, role assignments, count, page
    with django_assert_max_num_queries(5):
        response = client.get(f"{API}{url}", {"limit": 500})
    assert response.json()["count"] == count


def test_details_take_a_fixed_number_of_queries(world, api_client, busy, django_assert_max_num_queries):
    client = api_client(world.office_admin)
    # token ×2, role assignments; the round, its groups, its history
    with django_assert_max_num_queries(6):
        assert client.get(f"{API}/rounds/{world.round.pk}").status_code == 200
    # token ×2, role assignments; the group, its members, its targets
    with django_assert_max_num_queries(6):
        body = client.get(f"{API}/groups/{world.group1.pk}").json()
    assert len(body["targets"]) == 30
    # token ×2, role assignments; the term; covered kinds, by kind, by township, rounds
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}/coverage", {"term": world.term.pk}).json()["covered"] == 60
