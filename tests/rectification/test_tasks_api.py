"""/api/v1/rectification/tasks: the scoped list and its filters (level by the policy's
thresholds), one task with progress, evidence and steps, progress and multipart evidence by
the liaison, the audited download, the transitions; refusals 401, 403, 404 and 422."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from tests.findings.evidence_helpers import EXE_BYTES, PDF_BYTES
from tests.rectification.tasks_helpers import (  # noqa: F401 - fixtures used here
    bytes_of,
    due_in,
    in_state,
    media_fixture,
    more_tasks,
    other_liaison_fixture,
    progress,
    stored_files,
    today_fixture,
)
from xuncha.access import services as access_services
from xuncha.access.models import AuditEvent
from xuncha.rectification.models import Progress, ProgressEvidence, Task

API = "/api/v1/rectification/tasks"


@pytest.fixture(autouse=True)
def _setup(media, today, settings):
    """Messages as written (English); the Chinese catalogue is checked by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


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


def _ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


# -- reading ---------------------------------------------------------------------------------

def test_it_needs_a_token(client, world):
    assert client.get(API).status_code == 401
    assert client.post(f"{API}/1/transitions").status_code == 401


@pytest.mark.parametrize("role", ["receiver", "group_leader", "group_member", "outsider"])
def test_roles_that_read_no_task_get_403_on_the_list_and_404_on_a_task(api_as, world, approved_plan, role):
    client = api_as(world.users[role])
    assert client.get(API).status_code == 403
    assert client.get(f"{API}/{approved_plan.tasks[0].pk}").status_code == 404


@pytest.mark.parametrize("role", ["unit_liaison", "office_admin", "office_staff", "leader", "supervisor"])
def test_the_list_for_those_who_read_tasks(api_as, world, approved_plan, role):
    due_in(approved_plan.tasks[0], -2)
    response = api_as(world.users[role]).get(API)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4 and _ids(response) == [t.pk for t in approved_plan.tasks]
    first = body["items"][0]
    assert (first["organization_name"], first["problem_title"], first["state"], first["level"], first["days_left"]) == (
        "东门村", "惠农补贴发放不及时", "open", "red", -2)
    assert (first["evidence_count"], first["last_progress_on"]) == (0, None)


def test_another_organizations_liaison_sees_nothing(api_as, approved_plan, other_liaison):
    client = api_as(other_liaison)
    assert client.get(API).json() == {"count": 0, "items": []}
    assert client.get(f"{API}/{approved_plan.tasks[0].pk}").status_code == 404


def test_tasks_of_a_plan_not_approved_are_not_listed(api_as, world, approved_plan):
    approved_plan.plan.state = "submitted"
    approved_plan.plan.save(update_fields=["state"])
    client = api_as(world.office_admin)
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}/{approved_plan.tasks[0].pk}").status_code == 404


def test_the_filters(api_as, world, approved_plan):
    first, second, third, fourth = approved_plan.tasks
    due_in(first, -1)
    due_in(second, 10)
    due_in(third, 20)
    due_in(fourth, 21)
    in_state(Task.objects.get(pk=fourth.pk), "requested", liaison=world.unit_liaison, office=world.office_admin)
    client = api_as(world.office_admin)
    assert _ids(client.get(API, {"level": "red"})) == [first.pk]
    assert _ids(client.get(API, {"level": "yellow"})) == [second.pk]
    assert _ids(client.get(API, {"level": "green"})) == [third.pk]
    [requested] = client.get(API, {"state": "requested"}).json()["items"]
    assert (requested["id"], requested["evidence_count"], requested["last_progress_on"]) == (fourth.pk, 1, "2024-06-01")
    assert _ids(client.get(API, {"organization": world.township.pk})) == []
    assert client.get(API, {"organization": world.village.pk, "round": world.round.pk,
                            "plan": approved_plan.plan.pk}).json()["count"] == 4
    assert _ids(client.get(API, {"limit": 2, "offset": 1})) == [second.pk, third.pk]
    assert client.get(API, {"level": "purple"}).status_code == 422


def test_the_level_filter_uses_the_feedbacks_policy(api_as, world, approved_plan):
    policy = approved_plan.feedback.policy
    policy.warn_green_days, policy.warn_yellow_days = 30, 5
    policy.save(update_fields=["warn_green_days", "warn_yellow_days"])
    due_in(approved_plan.tasks[0], 6)
    due_in(approved_plan.tasks[1], 5)
    client = api_as(world.unit_liaison)
    assert approved_plan.tasks[0].pk in _ids(client.get(API, {"level": "green"}))
    assert _ids(client.get(API, {"level": "yellow"})) == [approved_plan.tasks[1].pk]


def test_the_list_query_count_does_not_grow(api_as, world, approved_plan, django_assert_max_num_queries):
    client = api_as(world.office_admin)
    client.get(API)
    with django_assert_max_num_queries(8) as few:
        client.get(API)
    more_tasks(approved_plan.plan, approved_plan.problems[0], 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(API).json()["count"] == 24


def test_one_task_with_progress_evidence_steps_and_actions(api_as, world, approved_plan):
    task = in_state(approved_plan.tasks[0], "requested", liaison=world.unit_liaison, office=world.office_admin)
    evidence = ProgressEvidence.objects.get()
    body = api_as(world.office_staff).get(f"{API}/{task.pk}").json()
    assert body["problem_detail"]["description"] == "2023年耕地地力保护补贴延迟4个月发放。"
    assert body["state"] == "requested" and body["actions"] == ["close", "return"] and body["may_report"] is False
    assert (body["evidence_count"], body["last_progress_on"]) == (1, "2024-06-01")
    [update] = body["progress"]
    assert update["text"] == "已逐户核对并补发到位。" and update["reported_by"] == "unit_liaison"
    assert update["evidence"] == [{
        "id": evidence.pk, "progress": update["id"], "original_name": "补发清单.pdf", "content_type": "application/pdf",
        "size": len(PDF_BYTES), "sha256": evidence.sha256, "uploaded_at": update["evidence"][0]["uploaded_at"],
        "download": f"{API}/evidence/{evidence.pk}"}]
    assert [(s["action"], s["from_state"], s["to_state"]) for s in body["steps"]] == [("request", "open", "requested")]
    liaison = api_as(world.unit_liaison).get(f"{API}/{task.pk}").json()
    assert liaison["actions"] == [] and liaison["may_report"] is False


# -- progress and evidence -------------------------------------------------------------------

def test_the_liaison_reports_progress_and_attaches_evidence(api_as, world, approved_plan, media):
    task = approved_plan.tasks[0]
    client = api_as(world.unit_liaison)
    response = _post(client, f"/{task.pk}/progress", {"reported_on": "2024-06-20", "text": "已补发到位。"})
    assert response.status_code == 201
    progress_id = response.json()["id"]
    assert response.json()["evidence"] == []
    url = f"{API}/{task.pk}/progress/{progress_id}/evidence"
    response = client.post(url, {"file": SimpleUploadedFile("签收表.pdf", PDF_BYTES)})
    assert response.status_code == 201
    assert response.json()["original_name"] == "签收表.pdf" and len(stored_files(media)) == 1
    response = client.post(url, {"file": SimpleUploadedFile("签收表2.pdf", EXE_BYTES)})
    assert response.status_code == 422 and _fields(response) == ["file"]
    assert response.json()["detail"][0]["message"].startswith("签收表2.pdf: The file is named .pdf")
    assert ProgressEvidence.objects.count() == 1 and len(stored_files(media)) == 1
    assert client.post(url, {}).status_code == 422


def test_progress_input_is_checked(api_as, world, approved_plan):
    client = api_as(world.unit_liaison)
    task = approved_plan.tasks[0]
    response = _post(client, f"/{task.pk}/progress", {"reported_on": "2024-05-01", "text": ""})
    assert response.status_code == 422 and sorted(_fields(response)) == ["reported_on", "text"]
    assert _fields(_post(client, f"/{task.pk}/progress", {"text": "x"})) == ["reported_on"]
    assert _post(client, f"/{task.pk}/progress", {"reported_on": "2024-06-01", "text": "x", "extra": 1}
                 ).status_code == 422
    assert not Progress.objects.exists()


@pytest.mark.parametrize("role", ["office_admin", "leader", "supervisor"])
def test_readers_may_not_report_progress_or_attach_evidence(api_as, world, approved_plan, role):
    task = approved_plan.tasks[0]
    made = progress(task, world.unit_liaison, files=[])
    client = api_as(world.users[role])
    assert _post(client, f"/{task.pk}/progress", {"reported_on": "2024-06-20", "text": "x"}).status_code == 403
    response = client.post(f"{API}/{task.pk}/progress/{made.pk}/evidence",
                           {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)})
    assert response.status_code == 403 and not ProgressEvidence.objects.exists()


def test_outsiders_reach_no_task_progress_or_evidence(api_as, world, approved_plan, other_liaison):
    task = approved_plan.tasks[0]
    made = progress(task, world.unit_liaison)
    evidence = ProgressEvidence.objects.get()
    for user in (other_liaison, world.receiver, world.group_member):
        client = api_as(user)
        assert _post(client, f"/{task.pk}/progress", {"reported_on": "2024-06-20", "text": "x"}).status_code == 404
        assert client.post(f"{API}/{task.pk}/progress/{made.pk}/evidence",
                           {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)}).status_code == 404
        assert client.get(f"{API}/evidence/{evidence.pk}").status_code == 404
        assert _post(client, f"/{task.pk}/transitions", {"action": "request"}).status_code == 404
    assert not AuditEvent.objects.filter(action="task_evidence.download").exists()
    assert Progress.objects.count() == 1


def test_a_progress_update_of_another_task_is_not_found(api_as, world, approved_plan):
    made = progress(approved_plan.tasks[0], world.unit_liaison, files=[])
    response = api_as(world.unit_liaison).post(f"{API}/{approved_plan.tasks[1].pk}/progress/{made.pk}/evidence",
                                               {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)})
    assert response.status_code == 404


@pytest.mark.parametrize("state", ["requested", "closed"])
def test_no_progress_on_a_requested_or_closed_task(api_as, world, approved_plan, state):
    task = in_state(approved_plan.tasks[0], state, liaison=world.unit_liaison, office=world.office_admin)
    response = _post(api_as(world.unit_liaison), f"/{task.pk}/progress", {"reported_on": "2024-06-20", "text": "x"})
    assert response.status_code == 422 and _fields(response) == ["state"]


@pytest.mark.parametrize("role", ["unit_liaison", "office_admin", "supervisor"])
def test_the_download_is_audited(api_as, world, approved_plan, role):
    progress(approved_plan.tasks[0], world.unit_liaison)
    evidence = ProgressEvidence.objects.get()
    response = api_as(world.users[role]).get(f"{API}/evidence/{evidence.pk}")
    assert response.status_code == 200 and bytes_of(response) == PDF_BYTES
    assert "filename*=utf-8''%E8%A1%A5%E5%8F%91%E6%B8%85%E5%8D%95.pdf" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="task_evidence.download", actor=world.users[role]).count() == 1


# -- transitions -----------------------------------------------------------------------------

def test_closure_through_the_api(api_as, world, approved_plan):
    task = approved_plan.tasks[0]
    liaison, office = api_as(world.unit_liaison), api_as(world.office_admin)
    url = f"/{task.pk}/transitions"
    response = _post(liaison, url, {"action": "request"})
    assert response.status_code == 422 and _fields(response) == ["progress"]
    progress(task, world.unit_liaison)
    assert _post(office, url, {"action": "request"}).status_code == 403
    response = _post(liaison, url, {"action": "request", "comment": "已整改"})
    assert response.status_code == 200 and response.json()["state"] == "requested"
    assert _post(liaison, url, {"action": "close"}).status_code == 403
    response = _post(office, url, {"action": "return"})
    assert response.status_code == 422 and _fields(response) == ["comment"]
    response = _post(office, url, {"action": "close"})
    assert response.json()["state"] == "closed" and response.json()["actions"] == ["reopen"]
    response = _post(office, url, {"action": "close"})
    assert response.status_code == 422 and _fields(response) == ["action"]
    assert _fields(_post(office, url, {"action": "reopen"})) == ["comment"]
    response = _post(office, url, {"action": "reopen", "comment": "群众反映仍未补发"})
    assert response.json()["state"] == "open" and response.json()["closed_at"] is None
    assert [s["action"] for s in response.json()["steps"]] == ["request", "close", "reopen"]
    assert _fields(_post(office, url, {"action": "archive"})) == ["action"]
    assert _post(office, url, {"comment": "x"}).status_code == 422
    assert _post(api_as(world.leader), url, {"action": "close"}).status_code == 403
