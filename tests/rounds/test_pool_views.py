"""Pool pages: the list, adding and editing inspectors, profiles and evaluations."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.rounds.pool_helpers import SURNAMES, inspector, serve
from xuncha.access.models import AuditEvent
from xuncha.registry.models import Person
from xuncha.rounds.models import Group, InspectorEvaluation, InspectorProfile, Round
from xuncha.text.strokes import stroke_count
from xuncha.workbench.nav import menu_for
from xuncha.workbench.todos import todos_for

HTMX = {"HTTP_HX_REQUEST": "true"}
LIST = "/rounds/pool/"


def _rows(response) -> list[InspectorProfile]:
    return list(response.context["page"].object_list)


def _crowd(world, n: int) -> list[InspectorProfile]:
    """n inspectors who each served in a round or two and were evaluated once."""
    rnd2 = Round.objects.create(term=world.term, number=2, planned_entry=date(2024, 6, 1),
                                planned_exit=date(2024, 7, 1), state=Round.State.COMPLETED)
    group = Group.objects.create(round=rnd2, number=1)
    profiles = []
    for i in range(n):
        profile = inspector(world, f"{SURNAMES[i % len(SURNAMES)]}{i}", ("finance", "law") if i % 2 else ("audit",),
                            available=bool(i % 3))
        serve(world.group1 if i % 2 else world.group2, profile)
        serve(group, profile)
        InspectorEvaluation.objects.create(profile=profile, round=rnd2, grade="competent")
        profiles.append(profile)
    return profiles


def test_the_url_is_where_the_brief_says():
    assert reverse("rounds:pool_list") == LIST
    assert reverse("rounds:group_draw", args=[7]) == "/rounds/pool/draw/7/"


@pytest.mark.parametrize("n", [5, 25])
def test_the_list_query_count_does_not_grow_with_the_pool(client, world, django_assert_max_num_queries, n):
    _crowd(world, n)
    client.force_login(world.office_staff)
    client.get(LIST)  # warm the session and role caches
    with django_assert_max_num_queries(9):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(_rows(response)) == n


def test_the_list_is_in_stroke_order_with_rounds_and_latest_grade(client, world):
    profiles = _crowd(world, 22)
    InspectorEvaluation.objects.create(profile=profiles[0], round=world.round, grade="excellent")
    client.force_login(world.office_admin)
    rows = _rows(client.get(LIST))
    keys = [stroke_count(p.person.name[0]) for p in rows]
    assert keys == sorted(keys)
    first = next(p for p in rows if p.pk == profiles[0].pk)
    assert first.latest_grade_label == "优秀" or str(first.latest_grade_label) == "Excellent"
    assert [r.number for r in first.rounds] == [2, 1]
    body = client.get(LIST).content.decode()
    assert "第一届第二轮" in body and "财务" in body


def test_the_list_filters_by_skill_availability_and_evaluation_due(client, world):
    law = inspector(world, "丁法", ("law",))
    away = inspector(world, "王审", ("audit",), available=False)
    serve(world.group1, away)
    world.round.state = Round.State.REPORTING
    world.round.save()
    client.force_login(world.office_admin)
    assert [p.pk for p in _rows(client.get(LIST, {"skill": "law"}))] == [law.pk]
    assert [p.pk for p in _rows(client.get(LIST, {"available": "0"}))] == [away.pk]
    assert [p.pk for p in _rows(client.get(LIST, {"due": "on"}))] == [away.pk]
    fragment = client.get(LIST, {"skill": "law"}, **HTMX)
    assert b'data-testid="pool-table"' in fragment.content and b"<html" not in fragment.content


def test_the_list_paginates(client, world):
    _crowd(world, 35)
    client.force_login(world.leader)
    page2 = client.get(LIST, {"page": 2})
    assert len(_rows(page2)) == 5


@pytest.mark.parametrize("role, status", [("leader", 200), ("office_staff", 200), ("group_leader", 403),
                                          ("group_member", 403), ("unit_liaison", 403), ("receiver", 403),
                                          ("sysadmin", 403), ("outsider", 403)])
def test_who_sees_the_list(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(LIST).status_code == status


def test_the_menu_shows_the_pool_to_those_who_may_view_it(world):
    def entries(user):
        return [e["url"] for stage in menu_for(user) if stage["stage"] == "plan" for e in stage["items"]]

    assert LIST in entries(world.leader)
    assert LIST in entries(world.office_staff)
    assert LIST not in entries(world.group_member)
    assert LIST not in entries(world.unit_liaison)


def test_it_adds_a_person_to_the_pool(client, world):
    client.force_login(world.office_staff)
    page = client.get(reverse("rounds:pool_add"), {"q": "王建"})
    assert [p.pk for p in page.context["found"]] == [world.villager.pk]
    response = client.post(reverse("rounds:pool_add"), {
        "person": world.villager.pk, "skills": ["finance", "writing"], "available": "on",
        "approved_on": "2024年3月5日", "note": "会计师"})
    profile = InspectorProfile.objects.get(person=world.villager)
    assert response.status_code == 302 and response["Location"] == reverse("rounds:pool_detail", args=[profile.pk])
    assert (profile.skills, profile.approved_on, profile.committee) == (["finance", "writing"], date(2024, 3, 5), world.county)
    assert AuditEvent.objects.filter(action="pool.add", object_id=str(profile.pk)).exists()
    assert world.villager not in client.get(reverse("rounds:pool_add")).context["found"]


def test_adding_names_the_missing_fields(client, world):
    client.force_login(world.office_staff)
    response = client.post(reverse("rounds:pool_add"), {"approved_on": "yesterday"})
    form = response.context["form"]
    assert set(form.errors) == {"person", "skills", "approved_on"}
    assert not InspectorProfile.objects.exists()


def test_one_cannot_add_a_person_of_another_committee(client, world):
    client.force_login(world.office_staff)
    response = client.post(reverse("rounds:pool_add"), {
        "person": world.outsider_person.pk, "skills": ["law"], "approved_on": "2024-01-01"})
    assert "person" in response.context["form"].errors
    assert not InspectorProfile.objects.exists()


def test_the_leader_may_not_add(client, world):
    client.force_login(world.leader)
    assert client.get(reverse("rounds:pool_add")).status_code == 403


def test_it_edits_skills_and_availability(client, world):
    profile = inspector(world, "丁法", ("law",))
    client.force_login(world.office_admin)
    url = reverse("rounds:pool_edit", args=[profile.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"skills": ["law", "audit"], "approved_on": "2024-01-02", "note": ""})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.skills == ["audit", "law"] and profile.available is False
    assert AuditEvent.objects.get(action="pool.update").detail["changes"]["available"] == [True, False]
    client.force_login(world.leader)
    assert client.get(url).status_code == 403


def test_the_profile_shows_service_and_evaluations(client, world):
    profile = inspector(world, "丁法", ("law",))
    serve(world.group1, profile)
    InspectorEvaluation.objects.create(profile=profile, round=world.round, grade="excellent",
                                       comment="善于发现问题", evaluated_by=world.office_admin)
    client.force_login(world.leader)
    body = client.get(reverse("rounds:pool_detail", args=[profile.pk])).content.decode()
    assert "第一届第一轮" in body and "善于发现问题" in body and "office_admin" in body


def test_a_profile_of_another_committee_is_not_found(client, world, make_user):
    from xuncha.access.roles import Role

    profile = inspector(world, "丁法", ("law",))
    stranger = make_user("neighbour_office", role=Role.OFFICE_ADMIN, committee=world.other)
    client.force_login(stranger)
    assert client.get(reverse("rounds:pool_detail", args=[profile.pk])).status_code == 404
    assert client.get(reverse("rounds:pool_edit", args=[profile.pk])).status_code == 404
    assert client.get(reverse("rounds:pool_detail", args=[999999])).status_code == 404


# -- evaluations -----------------------------------------------------------------------------


@pytest.fixture
def served(world):
    profile = inspector(world, "丁法", ("law",))
    serve(world.group1, profile)
    world.round.state = Round.State.REPORTING
    world.round.save()
    return profile


def test_it_evaluates_once_per_round(client, world, served):
    client.force_login(world.office_staff)
    url = reverse("rounds:pool_evaluate", args=[served.pk])
    assert list(client.get(url).context["form"].fields["round"].queryset) == [world.round]
    response = client.post(url, {"round": world.round.pk, "grade": "excellent", "comment": "认真负责"})
    assert response.status_code == 302
    evaluation = InspectorEvaluation.objects.get()
    assert (evaluation.grade, evaluation.evaluated_by) == ("excellent", world.office_staff)
    assert AuditEvent.objects.filter(action="pool.evaluate").count() == 1
    again = client.post(url, {"round": world.round.pk, "grade": "basic"})
    assert "round" in again.context["form"].errors
    assert InspectorEvaluation.objects.count() == 1
    assert "due" not in client.get(LIST, {"due": "on"}).context  # the list still opens
    assert served.pk not in [p.pk for p in _rows(client.get(LIST, {"due": "on"}))]


def test_the_workbench_lists_evaluations_due(world, served):
    todos = [t for t in todos_for(world.office_staff) if "due=1" in t.url]
    assert [t.count for t in todos] == [1]
    assert not [t for t in todos_for(world.leader) if "due=1" in t.url]


def test_a_round_the_person_did_not_serve_in_is_refused(client, world, served):
    from django.core.exceptions import ValidationError

    from xuncha.rounds import services_pool

    other = inspector(world, "王审", ("audit",))
    with pytest.raises(ValidationError) as exc:
        services_pool.evaluation_add(actor=world.office_staff, profile=other, round=world.round, grade="competent")
    assert "round" in exc.value.message_dict
    client.force_login(world.office_staff)
    response = client.post(reverse("rounds:pool_evaluate", args=[other.pk]),
                           {"round": world.round.pk, "grade": "competent"})
    assert "round" in response.context["form"].errors


def test_a_round_still_in_the_field_is_not_evaluated(world, served):
    from django.core.exceptions import ValidationError

    from xuncha.rounds import services_pool

    world.round.state = Round.State.STATIONED
    world.round.save()
    with pytest.raises(ValidationError):
        services_pool.evaluation_add(actor=world.office_staff, profile=served, round=world.round, grade="competent")


@pytest.mark.parametrize("role, status", [("leader", 403), ("group_leader", 403), ("unit_liaison", 403)])
def test_only_the_office_evaluates(client, world, served, role, status):
    client.force_login(world.users[role])
    url = reverse("rounds:pool_evaluate", args=[served.pk])
    assert client.post(url, {"round": world.round.pk, "grade": "excellent"}).status_code in (status, 404)
    assert not InspectorEvaluation.objects.exists()


def test_people_search_stays_in_the_committee(client, world):
    Person.objects.create(committee=world.other, name="王外县")
    client.force_login(world.office_staff)
    found = client.get(reverse("rounds:pool_add"), {"q": "王"}).context["found"]
    assert [p.name for p in found] == ["王建国"]
