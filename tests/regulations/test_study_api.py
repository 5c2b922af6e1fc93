"""/api/v1/study: scoped lists and details, writes through the services, progress figures, and
the refusals (401, 403, 404, 422)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.regulations.study_helpers import activity, campaign, rule
from xuncha.access import services as access_services
from xuncha.regulations.models import StudyActivity

API = "/api/v1/study"


@pytest.fixture
def api_as(db):
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
    return make


@pytest.fixture
def study(world):
    world.version = rule(world.county)
    world.campaign = campaign(world.county, world.version, [world.township, world.village, world.department])
    world.own = activity(world.village, campaign=world.campaign, topic="东门村学习")
    world.theirs = activity(world.department, topic="财政局学习", held_on=date(2024, 5, 1))
    activity(world.other_township, topic="河口镇学习")
    return world


def _post(client, url, body):
    return client.post(f"{API}{url}", body, content_type="application/json")


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json()["detail"]}


def test_it_needs_a_token(client, study):
    for url in ("/activities", "/campaigns", f"/campaigns/{study.campaign.pk}"):
        assert client.get(f"{API}{url}").status_code == 401


@pytest.mark.parametrize("role, count", [("office_admin", 2), ("leader", 2), ("supervisor", 3), ("unit_liaison", 1)])
def test_the_activity_list_is_scoped(api_as, study, role, count):
    response = api_as(study.users[role]).get(f"{API}/activities")
    assert response.status_code == 200 and response.json()["count"] == count


@pytest.mark.parametrize("role", ["receiver", "group_leader", "outsider"])
def test_roles_without_study_get_403(api_as, study, role):
    assert api_as(study.users[role]).get(f"{API}/activities").status_code == 403


def test_out_of_scope_is_404(api_as, study):
    client = api_as(study.unit_liaison)
    assert client.get(f"{API}/activities/{study.own.pk}").json()["organization_name"] == "东门村"
    assert client.get(f"{API}/activities/{study.theirs.pk}").status_code == 404
    other = campaign(study.other, rule(study.other), [study.other_township])
    assert api_as(study.office_admin).get(f"{API}/campaigns/{other.pk}").status_code == 404


def test_the_liaison_records_its_own_and_is_refused_elsewhere(api_as, study):
    client = api_as(study.unit_liaison)
    article = study.version.provisions.first()
    body = {"organization": study.village.pk, "kind": "party_day", "held_on": "2024-03-12", "topic": "主题党日",
            "versions": [study.version.pk], "articles": [article.pk], "attendees": 8, "expected": 9}
    response = _post(client, "/activities", body)
    assert response.status_code == 201, response.content
    assert response.json()["articles"] == [{"id": article.pk, "version": study.version.pk, "address": "第一条"}]
    # Another organization: the liaison does not even see it.
    response = _post(client, "/activities", {**body, "organization": study.department.pk})
    assert response.status_code == 422 and _fields(response) == {"organization"}
    # The leading group sees it but may not record.
    response = _post(api_as(study.leader), "/activities", body)
    assert response.status_code == 403


def test_bad_input_is_422_naming_the_field(api_as, study):
    client = api_as(study.office_admin)
    body = {"organization": study.village.pk, "kind": "lecture", "held_on": "2024-03-12", "topic": "辅导",
            "attendees": 20, "expected": 10}
    response = _post(client, "/activities", body)
    assert response.status_code == 422 and _fields(response) == {"attendees"}
    response = _post(client, "/activities", {**body, "expected": None, "versions": [999999]})
    assert response.status_code == 422 and _fields(response) == {"versions"}
    response = _post(client, "/activities", {k: v for k, v in body.items() if k != "topic"})
    assert response.status_code == 422 and _fields(response) == {"topic"}
    assert not StudyActivity.objects.filter(topic="辅导").exists()


def test_an_activity_is_changed(api_as, study):
    client = api_as(study.unit_liaison)
    response = client.patch(f"{API}/activities/{study.own.pk}", {"topic": "再学习", "expected": None},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["topic"] == "再学习"
    response = client.patch(f"{API}/activities/{study.theirs.pk}", {"topic": "x"}, content_type="application/json")
    assert response.status_code == 404


def test_campaigns_list_and_progress(api_as, study):
    client = api_as(study.office_admin)
    listing = client.get(f"{API}/campaigns").json()
    assert listing["count"] == 1 and listing["items"][0]["required"] == 3
    detail = client.get(f"{API}/campaigns/{study.campaign.pk}").json()
    progress = detail["progress"]
    assert (progress["required"], progress["studied"]) == (3, 1)
    assert {t["name"]: (t["required"], t["studied"]) for t in progress["townships"]} == {"城关镇": (2, 1), "": (1, 0)}
    rows = {o["name"]: (o["studied"], o["activities"]) for o in progress["organizations"]}
    assert rows == {"城关镇": (False, 0), "东门村": (True, 1), "县财政局": (False, 0)}
    liaison = api_as(study.unit_liaison).get(f"{API}/campaigns/{study.campaign.pk}").json()
    assert [o["name"] for o in liaison["progress"]["organizations"]] == ["东门村"]


def test_the_office_creates_a_campaign(api_as, study):
    body = {"committee": study.county.pk, "title": "再学习", "version": study.version.pk,
            "starts_on": "2024-03-01", "due_on": "2024-04-01", "organizations": [study.village.pk]}
    response = _post(api_as(study.office_staff), "/campaigns", body)
    assert response.status_code == 201 and response.json()["progress"]["required"] == 1
    response = _post(api_as(study.office_staff), "/campaigns", {**body, "due_on": "2024-02-01"})
    assert response.status_code == 422 and _fields(response) == {"due_on"}
    assert _post(api_as(study.leader), "/campaigns", body).status_code == 403
    response = _post(api_as(study.office_staff), "/campaigns", {**body, "organizations": [study.other_township.pk]})
    assert response.status_code == 422 and _fields(response) == {"organizations"}
