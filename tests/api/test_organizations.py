"""/api/v1/organizations: scoped lists, detail, create and update through the services."""

from __future__ import annotations

import pytest

from xuncha.access.models import AuditEvent
from xuncha.registry.models import Organization

URL = "/api/v1/organizations"


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


@pytest.mark.parametrize("role, expected", [
    ("office_admin", {"城关镇", "东门村", "县财政局"}),
    ("leader", {"城关镇", "东门村", "县财政局"}),
    ("group_member", {"城关镇", "东门村", "县财政局"}),
    ("unit_liaison", {"东门村"}),
    ("receiver", {"县财政局"}),
    ("supervisor", {"城关镇", "东门村", "县财政局", "河口镇"}),
    ("outsider", set()),
])
def test_it_lists_only_the_organizations_in_scope(world, api_client, role, expected):
    response = api_client(world.users[role]).get(URL)
    assert _names(response) == expected
    assert response.json()["count"] == len(expected)


def test_it_filters(world, api_client):
    client = api_client(world.office_admin)
    assert _names(client.get(URL, {"q": "cgz"})) == {"城关镇"}
    assert _names(client.get(URL, {"q": "财政"})) == {"县财政局"}
    assert _names(client.get(URL, {"kind": "village"})) == {"东门村"}
    assert _names(client.get(URL, {"parent": world.township.pk})) == {"东门村"}
    assert _names(client.get(URL, {"committee": world.other.pk})) == set()
    Organization.objects.filter(pk=world.department.pk).update(active=False)
    assert _names(client.get(URL, {"active": "false"})) == {"县财政局"}
    assert _names(client.get(URL, {"active": "true"})) == {"城关镇", "东门村"}


def test_it_paginates_with_a_total_count(world, api_client):
    client = api_client(world.supervisor)
    first = client.get(URL, {"limit": 2}).json()
    second = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert first["count"] == second["count"] == 4
    assert len(first["items"]) == len(second["items"]) == 2
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})


@pytest.mark.parametrize("params, field", [({"limit": 501}, "limit"), ({"limit": 0}, "limit"),
                                           ({"offset": -1}, "offset")])
def test_it_refuses_a_bad_page(world, api_client, params, field):
    response = api_client(world.office_admin).get(URL, params)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == [field]


def test_it_lists_without_n_plus_one(world, api_client, django_assert_max_num_queries):
    kind = world.kinds["village"]
    for i in range(30):
        Organization.objects.create(committee=world.county, name=f"村{i}", kind=kind,
                                    parent=world.township)
    client = api_client(world.office_admin)
    # token, token last-used, role assignments, count, page
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"limit": 500})
    assert response.json()["count"] == 33


def test_it_shows_one_organization(world, api_client):
    response = api_client(world.unit_liaison).get(f"{URL}/{world.village.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "东门村"
    assert body["kind"] == "village"
    assert body["parent"] == world.township.pk
    assert body["committee"] == world.county.pk


@pytest.mark.parametrize("role, org", [
    ("unit_liaison", "township"), ("unit_liaison", "department"), ("office_admin", "other_township"),
    ("receiver", "village"), ("outsider", "village"),
])
def test_it_answers_404_for_an_organization_out_of_scope(world, api_client, role, org):
    client = api_client(world.users[role])
    pk = getattr(world, org).pk
    assert client.get(f"{URL}/{pk}").status_code == 404
    response = client.patch(f"{URL}/{pk}", {"name": "改名"}, content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"]}
    assert api_client(world.office_admin).get(f"{URL}/999999").status_code == 404


def test_it_creates_an_organization_and_audits_it(world, api_client):
    response = api_client(world.office_admin).post(URL, {
        "name": " 西门村 ", "kind": "village", "parent": world.township.pk,
        "unified_code": "",
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    org = Organization.objects.get(pk=body["id"])
    assert (org.name, org.committee, org.parent, org.kind.code) == ("西门村", world.county, world.township, "village")
    assert body["committee"] == world.county.pk  # the parent's committee
    event = AuditEvent.objects.get(action="organization.create")
    assert (event.actor_id, event.role, event.object_id) == (world.office_admin.pk, "api", str(org.pk))


def _errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


@pytest.mark.parametrize("payload, field", [
    ({"name": "新单位", "kind": "no-such-kind"}, "kind"),
    ({"name": "新单位", "kind": ""}, "kind"),
    ({"name": "新单位"}, "kind"),
    ({"kind": "department"}, "name"),
    ({"name": "  ", "kind": "department"}, "name"),
    ({"name": "城关镇", "kind": "township"}, "name"),  # already exists there
    ({"name": "新单位", "kind": "department", "unified_code": "123"}, "unified_code"),
    ({"name": "新单位", "kind": "department", "colour": "red"}, "colour"),
])
def test_it_refuses_bad_input_naming_the_field(world, api_client, payload, field):
    payload = {"committee": world.county.pk, **payload}
    response = api_client(world.office_admin).post(URL, payload, content_type="application/json")
    errors = _errors(response)
    assert field in errors
    assert errors[field]
    assert not Organization.objects.filter(name="新单位").exists()
    assert not AuditEvent.objects.filter(action="organization.create").exists()


def test_it_refuses_references_the_user_cannot_see(world, api_client):
    client = api_client(world.office_admin)
    post = {"name": "新单位", "kind": "village"}
    assert "committee" in _errors(client.post(URL, {**post, "committee": world.other.pk},
                                              content_type="application/json"))
    assert "parent" in _errors(client.post(URL, {**post, "parent": world.other_township.pk},
                                           content_type="application/json"))
    assert "committee" in _errors(client.post(URL, post, content_type="application/json"))
    assert "principal" in _errors(client.post(
        URL, {**post, "committee": world.county.pk, "principal": world.outsider_person.pk},
        content_type="application/json"))
    assert "parent" in _errors(client.patch(f"{URL}/{world.village.pk}",
                                            {"parent": world.other_township.pk},
                                            content_type="application/json"))
    assert not Organization.objects.filter(name="新单位").exists()


def test_it_refuses_writes_to_readers_with_403(world, api_client):
    for role in ("supervisor", "leader", "group_leader", "unit_liaison"):
        client = api_client(world.users[role])
        response = client.patch(f"{URL}/{world.village.pk}", {"name": "改名"},
                                content_type="application/json")
        assert response.status_code == 403, role
        assert "detail" in response.json()
    response = api_client(world.supervisor).post(
        URL, {"name": "新单位", "kind": "department", "committee": world.county.pk},
        content_type="application/json")
    assert response.status_code == 403
    world.village.refresh_from_db()
    assert world.village.name == "东门村"
    assert not Organization.objects.filter(name="新单位").exists()
    assert not AuditEvent.objects.filter(action__startswith="organization.").exists()


def test_it_refuses_the_readers_write_before_looking_at_the_payload(world, api_client):
    response = api_client(world.supervisor).patch(
        f"{URL}/{world.village.pk}", {"kind": "no-such-kind"}, content_type="application/json")
    assert response.status_code == 403


def test_it_updates_only_the_fields_given_and_audits_the_change(world, api_client):
    client = api_client(world.office_staff)
    response = client.patch(f"{URL}/{world.village.pk}", {"short_name": "东门", "active": False},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["short_name"], body["active"], body["name"], body["parent"]) == (
        "东门", False, "东门村", world.township.pk)
    event = AuditEvent.objects.get(action="organization.update")
    assert event.role == "api"
    assert event.detail["changes"] == {"short_name": ["", "东门"], "active": [True, False]}

    response = client.patch(f"{URL}/{world.village.pk}", {"parent": None, "kind": "other"},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    world.village.refresh_from_db()
    assert world.village.parent is None
    assert world.village.kind.code == "other"


def test_it_refuses_to_place_an_organization_under_itself(world, api_client):
    response = api_client(world.office_admin).patch(
        f"{URL}/{world.township.pk}", {"parent": world.village.pk}, content_type="application/json")
    assert "parent" in _errors(response)
