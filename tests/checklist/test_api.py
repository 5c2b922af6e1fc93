"""/api/v1/checklists: libraries, version trees and the guide, scoped by the policy; the
office starts drafts, adds items and publishes; 401 without a token, 403 for readers who
write, 404 outside the scope, 422 for refused changes."""

from __future__ import annotations

import pytest
from django.test import Client

from xuncha.access import services as access_services
from xuncha.checklist import services
from xuncha.checklist.models import Version
from xuncha.rounds.models import Assignment

API = "/api/v1/checklists"


@pytest.fixture
def api(db):
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
    return make


def _post(client, url, body=None):
    return client.post(f"{API}{url}", body or {}, content_type="application/json")


def test_it_wants_a_token(checklist):
    assert Client().get(API).status_code == 401
    assert Client().post(f"{API}/{checklist.library.pk}/drafts", {}, content_type="application/json").status_code == 401


def test_it_lists_libraries_with_the_version_in_force(api, world, checklist, django_assert_max_num_queries):
    client = api(world.group_member)
    with django_assert_max_num_queries(6):
        body = client.get(API).json()
    assert [(lib["kind"], lib["in_force"]["number"], lib["draft"]) for lib in body] == [("village", 1, None)]
    detail = client.get(f"{API}/{checklist.library.pk}").json()
    assert [v["number"] for v in detail["versions"]] == [1]
    assert api(world.unit_liaison).get(API).json() == []
    assert api(world.unit_liaison).get(f"{API}/{checklist.library.pk}").status_code == 404


def test_a_version_comes_as_a_tree(api, world, checklist, django_assert_max_num_queries):
    client = api(world.group_leader)
    with django_assert_max_num_queries(6):
        body = client.get(f"{API}/versions/{checklist.v1.pk}").json()
    assert body["counts"] == {"1": 2, "2": 2, "3": 3, "4": 3}
    v2 = body["items"][1]
    assert (v2["key"], v2["level"]) == ("V2", 1)
    m = v2["children"][0]["children"][0]
    assert (m["key"], [c["key"] for c in m["children"]]) == ("V2.1.1", ["V2.1.1.1", "V2.1.1.2"])
    assert api(world.outsider).get(f"{API}/versions/{checklist.v1.pk}").status_code == 404
    assert client.get(f"{API}/versions/999999").status_code == 404


def test_the_guide_for_a_target(api, world, checklist):
    village = Assignment.objects.create(group=world.group1, organization=world.village)
    township = Assignment.objects.create(group=world.group2, organization=world.township)
    body = api(world.group_leader).get(f"{API}/guide/{village.pk}").json()
    assert (body["kind"], body["version"]["number"]) == ("village", 1)
    assert api(world.group_member).get(f"{API}/guide/{township.pk}").json()["version"] is None
    assert api(world.group_member).get(f"{API}/guide/{village.pk}").status_code == 404
    assert api(world.unit_liaison).get(f"{API}/guide/{village.pk}").status_code == 404


def test_the_office_starts_a_draft_adds_an_item_and_publishes(api, world, checklist):
    client = api(world.office_admin)
    response = _post(client, f"/{checklist.library.pk}/drafts", {"note": "修订"})
    assert response.status_code == 201
    draft = response.json()
    assert (draft["number"], draft["state"], draft["counts"]["3"]) == (2, "draft", 3)
    assert _post(client, f"/{checklist.library.pk}/drafts").status_code == 422
    added = _post(client, f"/versions/{draft['id']}/items", {"title": "资源发包暗箱操作", "parent": "V2.1"})
    assert added.status_code == 201 and added.json()["key"] == "V2.1.3"
    missing = _post(client, f"/versions/{draft['id']}/items", {"title": "x", "parent": "V9"})
    assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "parent"
    published = _post(client, f"/versions/{draft['id']}/publish", {"note": "第二版"})
    assert published.status_code == 200 and published.json()["state"] == "published"
    assert _post(client, f"/versions/{draft['id']}/publish").status_code == 422


def test_readers_get_403_and_others_404_on_writes(api, world, checklist):
    draft = services.draft_create(actor=world.office_admin, library=checklist.library)
    member = api(world.group_member)
    assert _post(member, f"/{checklist.library.pk}/drafts").status_code == 403
    assert _post(member, f"/versions/{draft.pk}/publish").status_code == 403
    assert _post(member, f"/versions/{draft.pk}/items", {"title": "x"}).status_code == 403
    liaison = api(world.unit_liaison)
    assert _post(liaison, f"/{checklist.library.pk}/drafts").status_code == 404
    assert _post(liaison, f"/versions/{draft.pk}/publish").status_code == 404
    draft.refresh_from_db()
    assert draft.state == Version.State.DRAFT
