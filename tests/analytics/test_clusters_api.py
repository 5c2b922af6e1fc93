"""The recurring and common problems API: lists by tab, one cluster with its members explained,
a problem's near-duplicates, running the detector, the mapping; 403/404/422 refusals."""

from __future__ import annotations

import json

import pytest

from tests.analytics.clusters_helpers import county_fixture, rectify  # noqa: F401 - fixtures
from tests.api.conftest import api_client, token_for  # noqa: F401 - fixtures
from xuncha.analytics import detection
from xuncha.analytics.models import Cluster, DepartmentMapping, ProblemMatch

BASE = "/api/v1/analytics/clusters"


@pytest.fixture(name="detected")
def detected_fixture(county):
    rectify(county.early)
    detection.detect(county.world.county)
    county.common_cluster = Cluster.objects.get(key=min(p.pk for p in county.common))
    county.match = ProblemMatch.objects.get(problem=county.late, earlier=county.early)
    return county


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_tabs(detected, api_client):  # noqa: F811
    client = api_client(detected.world.office_admin)
    body = client.get(BASE, {"tab": "recurring"}).json()
    assert body["tab"] == "recurring" and body["count"] >= 1
    first = body["pairs"][0]
    assert (first["id"], first["relation"]) == (detected.match.pk, "persistent")
    assert first["problem"]["id"] == detected.late.pk and first["earlier"]["id"] == detected.early.pk
    body = client.get(BASE, {"tab": "common"}).json()
    assert [c["id"] for c in body["clusters"]] == [detected.common_cluster.pk]
    assert body["clusters"][0]["organization_count"] == 4 and body["min_organizations"] == 3
    assert client.get(BASE, {"tab": "systemic"}).json()["count"] == 0
    DepartmentMapping.objects.create(committee=detected.world.county, point=detected.items["C1.2"],
                                     department=detected.world.department)
    body = client.get(BASE, {"tab": "systemic"}).json()
    assert body["clusters"][0]["departments"] == [{"id": detected.world.department.pk,
                                                   "name": detected.world.department.name}]
    assert client.get(BASE, {"tab": "nope"}).status_code == 422
    assert client.get(BASE, {"term": 999999}).status_code == 404


def test_cluster_detail(detected, api_client):  # noqa: F811
    body = api_client(detected.world.leader).get(f"{BASE}/{detected.common_cluster.pk}").json()
    assert sorted(m["problem"]["id"] for m in body["members"]) == sorted(p.pk for p in detected.common)
    named = [m for m in body["members"] if m["named_after"]]
    others = [m for m in body["members"] if not m["named_after"]]
    assert len(named) == 1 and named[0]["problem"]["title"] == body["label"]
    assert all(m["similarity"] >= 0.6 and m["phrases"] for m in others)


def test_matches_of_a_problem(detected, api_client):  # noqa: F811
    client = api_client(detected.world.supervisor)
    body = client.get(f"{BASE}/matches", {"problem": detected.early.pk}).json()
    assert [m["id"] for m in body["items"]] == [detected.match.pk]
    # A lead is hidden from the superior office: its pairs, and the lead itself.
    assert client.get(f"{BASE}/matches", {"problem": detected.lead.pk}).status_code == 404
    office = api_client(detected.world.office_admin).get(f"{BASE}/matches", {"problem": detected.lead.pk}).json()
    assert office["count"] >= 1


@pytest.mark.parametrize("name", ["group_leader", "group_member", "unit_liaison", "receiver"])
def test_refused_readers(detected, api_client, name):  # noqa: F811
    client = api_client(detected.world.users[name])
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}/{detected.common_cluster.pk}").status_code == 404
    assert client.get(f"{BASE}/matches", {"problem": detected.late.pk}).status_code in (403, 404)
    assert post(client, f"{BASE}/run", {}).status_code in (403, 422)
    assert client.get(f"{BASE}/mapping").status_code == 403


def test_run(detected, api_client):  # noqa: F811
    world = detected.world
    body = post(api_client(world.office_staff), f"{BASE}/run", {}).json()
    assert body["committee"] == world.county.pk and body["fingerprinted"] == 0 and body["clusters"] == 2
    assert post(api_client(world.office_staff), f"{BASE}/run", {"full": True}).status_code == 403
    body = post(api_client(world.office_admin), f"{BASE}/run", {"full": True}).json()
    assert body["fingerprinted"] == body["problems"] == 12
    assert post(api_client(world.leader), f"{BASE}/run", {}).status_code == 403
    response = post(api_client(world.office_admin), f"{BASE}/run", {"committee": world.other.pk})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "committee"


def test_mapping(detected, api_client):  # noqa: F811
    world = detected.world
    staff = api_client(world.office_staff)
    response = post(staff, f"{BASE}/mapping", {"point": detected.items["C1.2"].pk, "department": world.department.pk})
    assert response.status_code == 201
    mapping = response.json()
    assert (mapping["point_key"], mapping["department_name"]) == ("C1.2", world.department.name)
    assert staff.get(f"{BASE}/mapping").json()["count"] == 1
    response = post(staff, f"{BASE}/mapping", {"point": detected.items["C1.2.1"].pk, "department": world.village.pk})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"point", "department"}
    leader = api_client(world.leader)
    assert leader.get(f"{BASE}/mapping").json()["count"] == 1
    assert post(leader, f"{BASE}/mapping", {"point": detected.items["C1.1"].pk,
                                            "department": world.department.pk}).status_code == 403
    assert leader.delete(f"{BASE}/mapping/{mapping['id']}").status_code == 403
    assert api_client(world.receiver).delete(f"{BASE}/mapping/{mapping['id']}").status_code == 404
    assert staff.delete(f"{BASE}/mapping/{mapping['id']}").status_code == 204
    assert not DepartmentMapping.objects.exists()
