"""/api/v1/feedback: scoped lists and details, writes through the services, refusals
(401, 403, 404, 422), the liaison's view and acknowledgement, query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from tests.reports.feedback_helpers import draft_feedback, issued_feedback, report
from xuncha.access import services as access_services
from xuncha.findings.models import Problem
from xuncha.reports.models import Feedback


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are checked as written (English, a switch away for users); the Chinese
    catalogue is checked whole by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

API = "/api/v1/feedback"


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings, tmp_path):
    """Issuing generates the feedback's documents: keep their files out of the data directory."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}


@pytest.fixture
def api_as(db):
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
    return make


def _post(client, url, body=None):
    return client.post(f"{API}{url}", body or {}, content_type="application/json")


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["detail"]]


def test_it_needs_a_token(client, world):
    assert client.get(API).status_code == 401
    assert client.post(f"{API}/1/acknowledge").status_code == 401


@pytest.mark.parametrize("role", ["receiver", "outsider"])
def test_roles_without_feedback_get_403(api_as, world, role):
    assert api_as(world.users[role]).get(API).status_code == 403


def test_create_update_issue_and_read(api_as, world, problems):
    report(problems.target)
    client = api_as(world.group_leader)
    response = _post(client, "", {"assignment": problems.target.pk})
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "draft" and {p["id"] for p in body["problems"]} == {p.pk for p in problems.general}
    fid = body["id"]
    response = client.patch(f"{API}/{fid}", {"problems": [problems.general[0].pk, problems.lead.pk]},
                            content_type="application/json")
    assert response.status_code == 422 and _fields(response) == ["problems"]
    assert problems.lead.number in response.json()["detail"][0]["message"]
    response = client.patch(f"{API}/{fid}", {"problems": [problems.general[0].pk], "requirements": "一、认真整改。"},
                            content_type="application/json")
    assert response.status_code == 200 and [p["id"] for p in response.json()["problems"]] == [problems.general[0].pk]
    response = _post(client, f"/{fid}/issue", {"fed_back_on": "2024-05-20"})
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "issued" and body["rectification_due"] == "2024-08-20"
    assert body["policy"]["effective_from"] == "2000-01-01"
    assert _post(client, f"/{fid}/issue", {"fed_back_on": "2024-05-21"}).status_code == 422
    assert client.patch(f"{API}/{fid}", {"requirements": "x"}, content_type="application/json").status_code == 422
    assert Problem.objects.get(pk=problems.general[0].pk).fed_back


def test_create_refusals(api_as, world, findings, problems):
    client = api_as(world.group_leader)
    response = _post(client, "", {"assignment": problems.target.pk})
    assert response.status_code == 422 and _fields(response) == ["report"]
    report(problems.target, state="returned")
    response = _post(client, "", {"assignment": problems.target.pk})
    assert response.status_code == 422 and "returned" in response.json()["detail"][0]["message"]
    assert _fields(_post(client, "", {"assignment": findings.target2.pk})) == ["assignment"]  # other group
    assert _post(client, "", {"assignment": "x"}).status_code == 422
    report(findings.target2)
    assert _post(api_as(world.leader), "", {"assignment": findings.target2.pk}).status_code == 403
    assert _post(api_as(world.group_deputy), "", {"assignment": problems.target.pk}).status_code == 403
    assert not Feedback.objects.exists()


def test_detail_404_for_out_of_scope(api_as, world, problems):
    feedback = draft_feedback(problems.target)
    assert api_as(world.group_member).get(f"{API}/{feedback.pk}").status_code == 404
    assert api_as(world.unit_liaison).get(f"{API}/{feedback.pk}").status_code == 404
    assert api_as(world.office_admin).get(f"{API}/999999").status_code == 404


def test_the_liaison_reads_issued_feedback_and_only_acknowledges(api_as, world, problems):
    draft = draft_feedback(problems.target)
    client = api_as(world.unit_liaison)
    assert client.get(API).json()["count"] == 0
    assert _post(client, f"/{draft.pk}/acknowledge").status_code == 404
    feedback = issued_feedback_from(draft)
    body = client.get(API).json()
    assert body["count"] == 1 and body["items"][0]["id"] == feedback.pk
    detail = client.get(f"{API}/{feedback.pk}").json()
    assert problems.lead.pk not in {p["id"] for p in detail["problems"]} and len(detail["problems"]) == 4
    assert client.patch(f"{API}/{feedback.pk}", {"requirements": "x"},
                        content_type="application/json").status_code == 403
    assert _post(client, f"/{feedback.pk}/issue", {"fed_back_on": "2024-05-21"}).status_code == 403
    assert client.put(f"{API}/{feedback.pk}/meeting", {"held_on": "2024-05-21", "attendees": "x"},
                      content_type="application/json").status_code == 403
    assert _post(client, f"/{feedback.pk}/copies", {"organization": world.department.pk, "role": "other",
                                                    "sent_on": "2024-05-21"}).status_code == 403
    response = _post(client, f"/{feedback.pk}/acknowledge")
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    again = _post(client, f"/{feedback.pk}/acknowledge")
    assert again.status_code == 200 and again.json()["acknowledged_at"] == response.json()["acknowledged_at"]
    assert _post(api_as(world.office_admin), f"/{feedback.pk}/acknowledge").status_code == 403


def issued_feedback_from(draft: Feedback) -> Feedback:
    from xuncha.access.policy import CONSOLE
    from xuncha.reports import services_feedback

    return services_feedback.feedback_issue(actor=CONSOLE, feedback=draft, fed_back_on=date(2024, 5, 20))


def test_meeting_and_copies(api_as, world, problems):
    feedback = issued_feedback(problems.target, on=date(2024, 5, 20))
    client = api_as(world.office_staff)
    response = client.put(f"{API}/{feedback.pk}/meeting", {"held_on": "2024-05-20", "attendees": "班子成员",
                                                           "receipt_acknowledged": True},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["receipt_acknowledged"] is True
    response = client.put(f"{API}/{feedback.pk}/meeting", {"held_on": "2999-01-01", "attendees": " "},
                          content_type="application/json")
    assert response.status_code == 422 and set(_fields(response)) == {"held_on", "attendees"}
    response = _post(client, f"/{feedback.pk}/copies", {"organization": world.department.pk,
                                                       "role": "discipline", "sent_on": "2024-05-21"})
    assert response.status_code == 201
    copy_id = response.json()["id"]
    assert _fields(_post(client, f"/{feedback.pk}/copies", {"organization": world.other_township.pk,
                                                           "role": "other", "sent_on": "2024-05-21"})) \
        == ["organization"]
    assert _post(client, f"/{feedback.pk}/copies", {"organization": world.township.pk, "role": "other",
                                                   "sent_on": "2024-05-21", "extra": 1}).status_code == 422
    detail = client.get(f"{API}/{feedback.pk}").json()
    assert detail["meeting"]["attendees"] == "班子成员" and detail["copies"][0]["organization_name"] == "县财政局"
    assert api_as(world.leader).delete(f"{API}/{feedback.pk}/copies/{copy_id}").status_code == 403
    assert client.delete(f"{API}/{feedback.pk}/copies/{copy_id}").status_code == 204
    assert client.delete(f"{API}/{feedback.pk}/copies/{copy_id}").status_code == 404


def test_list_filters_and_query_count(api_as, world, findings, problems, django_assert_max_num_queries):
    issued_feedback(problems.target)
    draft_feedback(findings.target2)
    client = api_as(world.office_admin)
    with django_assert_max_num_queries(8):
        body = client.get(API).json()
    assert body["count"] == 2 and {i["organization_name"] for i in body["items"]} == {"东门村", "城关镇"}
    assert client.get(API, {"state": "issued"}).json()["count"] == 1
    assert client.get(API, {"assignment": findings.target2.pk}).json()["count"] == 1
    assert api_as(world.group_leader).get(API).json()["count"] == 1
    with django_assert_max_num_queries(10):
        assert client.get(f"{API}/{Feedback.objects.get(state='issued').pk}").status_code == 200
