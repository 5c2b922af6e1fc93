"""/api/v1/committees: read only, scoped like the pages."""

from __future__ import annotations

import pytest

URL = "/api/v1/committees"


@pytest.mark.parametrize("role, expected", [
    ("office_admin", ["示例县委"]),
    ("group_leader", ["示例县委"]),
    ("supervisor", ["示例市委", "示例县委", "邻县县委"]),
    ("unit_liaison", []),
    ("outsider", []),
])
def test_it_lists_the_committees_in_scope(world, api_client, role, expected):
    response = api_client(world.users[role]).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert sorted(c["name"] for c in body["items"]) == sorted(expected)
    assert body["count"] == len(expected)


def test_it_filters_and_pages(world, api_client):
    client = api_client(world.supervisor)
    assert [c["name"] for c in client.get(URL, {"level": "city"}).json()["items"]] == ["示例市委"]
    page = client.get(URL, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and len(page["items"]) == 1


def test_it_shows_one_committee_or_404(world, api_client):
    client = api_client(world.office_admin)
    body = client.get(f"{URL}/{world.county.pk}").json()
    assert (body["name"], body["level"], body["parent"]) == ("示例县委", "county", world.city.pk)
    assert client.get(f"{URL}/{world.city.pk}").status_code == 404
    assert client.get(f"{URL}/{world.other.pk}").status_code == 404
    assert api_client(world.supervisor).get(f"{URL}/{world.other.pk}").status_code == 200


def test_it_has_no_writes(world, api_client):
    response = api_client(world.office_admin).post(URL, {"name": "x"}, content_type="application/json")
    assert response.status_code == 405


def test_it_lists_without_n_plus_one(world, api_client, django_assert_max_num_queries):
    client = api_client(world.supervisor)
    with django_assert_max_num_queries(5):
        assert client.get(URL).json()["count"] == 3
