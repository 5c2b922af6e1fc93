"""/api/v1/people: stroke order, scoping, the recusal details, writes through the services."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha.access import policy
from xuncha.access.models import AuditEvent
from xuncha.registry import services
from xuncha.registry.models import Person

URL = "/api/v1/people"


@pytest.fixture
def background(world):
    """Work history and a relative for 王建国 (the villager)."""
    services.work_history_add(actor=policy.CONSOLE, person=world.villager, start_date=date(2015, 3, 1),
                              end_date=date(2019, 12, 31), organization=world.department, post="科员")
    services.relative_add(actor=policy.CONSOLE, person=world.villager, relation="spouse",
                          name="张丽", organization=world.department)
    return world


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize("role, expected", [
    ("office_admin", ["王建国"]),
    ("group_deputy", ["王建国"]),
    ("unit_liaison", ["王建国"]),
    ("receiver", []),
    ("supervisor", ["王建国", "李明"]),
    ("outsider", []),
])
def test_it_lists_only_the_people_in_scope(world, api_client, role, expected):
    response = api_client(world.users[role]).get(URL)
    assert _names(response) == expected
    assert response.json()["count"] == len(expected)


def test_it_orders_by_surname_strokes_and_filters(world, api_client):
    for name in ("李四", "丁一", "王五"):
        Person.objects.create(committee=world.county, name=name, organization=world.department,
                              post="科长" if name == "丁一" else "")
    client = api_client(world.office_admin)
    names = _names(client.get(URL))
    assert names == ["丁一", "王五", "王建国", "李四"]  # 丁 2 strokes, 王 4 (then 五 4, 建 8), 李 7
    assert _names(client.get(URL, {"organization": world.village.pk})) == ["王建国"]
    assert _names(client.get(URL, {"q": "wjg"})) == ["王建国"]
    assert _names(client.get(URL, {"q": "科长"})) == ["丁一"]
    assert _names(client.get(URL, {"committee": world.other.pk})) == []
    page = client.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 4 and [p["name"] for p in page["items"]] == [names[1]]


def test_it_lists_without_n_plus_one(world, api_client, django_assert_max_num_queries):
    for i in range(30):
        Person.objects.create(committee=world.county, name=f"张{i}", organization=world.village)
    client = api_client(world.office_admin)
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"limit": 100})
    assert response.json()["count"] == 31
    assert {p["organization_name"] for p in response.json()["items"]} == {"东门村"}


@pytest.mark.parametrize("role", ["office_admin", "leader", "group_member", "supervisor"])
def test_it_shows_work_history_and_relatives_to_those_who_may_see_them(background, api_client, role):
    response = api_client(background.users[role]).get(f"{URL}/{background.villager.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [(e["organization_name"], e["post"], e["start_date"]) for e in body["work_history"]] == [
        ("县财政局", "科员", "2015-03-01")]
    assert [(r["relation"], r["name"]) for r in body["relatives"]] == [("spouse", "张丽")]


def test_it_leaves_them_out_for_the_unit(background, api_client):
    response = api_client(background.unit_liaison).get(f"{URL}/{background.villager.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "王建国"
    assert "work_history" not in body and "relatives" not in body
    assert "张丽" not in response.content.decode()


@pytest.mark.parametrize("role, person", [
    ("office_admin", "outsider_person"), ("unit_liaison", "outsider_person"),
    ("receiver", "villager"), ("outsider", "villager"),
])
def test_it_answers_404_out_of_scope(world, api_client, role, person):
    client = api_client(world.users[role])
    pk = getattr(world, person).pk
    assert client.get(f"{URL}/{pk}").status_code == 404
    assert client.patch(f"{URL}/{pk}", {"post": "x"}, content_type="application/json").status_code == 404


def test_it_creates_a_person_and_audits_it(world, api_client):
    response = api_client(world.office_admin).post(URL, {
        "name": "赵六", "organization": world.department.pk, "gender": "F",
        "birth_date": "1980-05-04", "phone": "138 1234 5678", "post": "局长",
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    person = Person.objects.get(pk=body["id"])
    assert (person.committee, person.organization, person.phone) == (world.county, world.department, "13812345678")
    assert body["work_history"] == [] and body["relatives"] == []
    event = AuditEvent.objects.get(action="person.create")
    assert (event.actor_id, event.role, event.object_id) == (world.office_admin.pk, "api", str(person.pk))


def _errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


@pytest.mark.parametrize("payload, field", [
    ({"phone": "12345"}, "phone"),
    ({"gender": "X"}, "gender"),
    ({"birth_date": "2999-01-01"}, "birth_date"),
    ({"birth_date": "not a date"}, "birth_date"),
    ({"name": ""}, "name"),
    ({"organization": 999999}, "organization"),
])
def test_it_refuses_bad_input_naming_the_field(world, api_client, payload, field):
    payload = {"name": "赵六", "committee": world.county.pk, **payload}
    errors = _errors(api_client(world.office_admin).post(URL, payload, content_type="application/json"))
    assert field in errors and errors[field]
    assert not Person.objects.filter(name="赵六").exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_it_refuses_a_bad_phone_on_update(world, api_client):
    response = api_client(world.office_admin).patch(
        f"{URL}/{world.villager.pk}", {"phone": "call me"}, content_type="application/json")
    assert "phone" in _errors(response)
    world.villager.refresh_from_db()
    assert world.villager.phone == ""


def test_it_refuses_an_organization_out_of_scope(world, api_client):
    client = api_client(world.office_admin)
    errors = _errors(client.post(URL, {"name": "赵六", "organization": world.other_township.pk},
                                 content_type="application/json"))
    assert "organization" in errors
    errors = _errors(client.patch(f"{URL}/{world.villager.pk}",
                                  {"organization": world.other_township.pk},
                                  content_type="application/json"))
    assert "organization" in errors


def test_it_refuses_writes_to_readers_with_403(world, api_client):
    for role in ("supervisor", "leader", "group_member", "unit_liaison"):
        client = api_client(world.users[role])
        response = client.patch(f"{URL}/{world.villager.pk}", {"post": "村委会主任"},
                                content_type="application/json")
        assert response.status_code == 403, role
    response = api_client(world.unit_liaison).post(
        URL, {"name": "赵六", "organization": world.village.pk}, content_type="application/json")
    assert response.status_code == 403
    response = api_client(world.supervisor).post(
        URL, {"name": "赵六", "committee": world.county.pk}, content_type="application/json")
    assert response.status_code == 403
    assert not Person.objects.filter(name="赵六").exists()
    world.villager.refresh_from_db()
    assert world.villager.post == "村党支部书记"


def test_it_updates_a_person_and_audits_the_change(world, api_client):
    response = api_client(world.office_staff).patch(
        f"{URL}/{world.villager.pk}",
        {"post": "村委会主任", "phone": "0871-12345678", "organization": world.township.pk},
        content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["post"], body["phone"], body["organization"], body["organization_name"]) == (
        "村委会主任", "0871-12345678", world.township.pk, "城关镇")
    event = AuditEvent.objects.get(action="person.update")
    assert event.role == "api" and event.actor_id == world.office_staff.pk
    assert set(event.detail["changes"]) == {"post", "phone", "organization"}
    response = api_client(world.office_staff).patch(
        f"{URL}/{world.villager.pk}", {"organization": None}, content_type="application/json")
    assert response.status_code == 200 and response.json()["organization"] is None
