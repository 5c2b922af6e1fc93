"""/api/v1/rectification/plans: the whole flow through the API (start, tasks with their
vagueness, submit, return with task comments, fix, resubmit, approve), scoped lists with
filters, and the refusals (401, 403, 404, 422)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.rectification.plans_helpers import (  # noqa: F401 - autouse fixture
    VAGUE,
    _documents_in_tmp,
    submitted_plan,
    task_fields,
    written_plan,
)
from tests.reports.feedback_helpers import issued_feedback, report
from xuncha.access import services as access_services
from xuncha.access.roles import Role
from xuncha.findings.models import Problem
from xuncha.rectification import services_plans as services
from xuncha.rectification.models import Plan, Task
from xuncha.registry.models import Organization
from xuncha.rounds.models import Assignment

API = "/api/v1/rectification/plans"


@pytest.fixture
def api_as(db):
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
    return make


@pytest.fixture
def other_liaison(world, make_user):
    return make_user("other_liaison", role=Role.UNIT_LIAISON, organization=world.township)


def _send(client, method: str, url: str, body=None):
    return getattr(client, method)(f"{API}{url}", body or {}, content_type="application/json")


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["detail"]]


def _task_body(n: int = 1, problem=None, **overrides) -> dict:
    values = task_fields(n, **overrides)
    values["due"] = str(values["due"])
    return {"problem": problem.pk, **values}


def test_it_needs_a_token(client, world):
    assert client.get(API).status_code == 401
    assert client.post(API, {}, content_type="application/json").status_code == 401


def test_the_whole_flow(api_as, world, fed_back):
    liaison, office = api_as(world.unit_liaison), api_as(world.office_admin)
    response = _send(liaison, "post", "", {"feedback_id": fed_back.feedback.pk})
    assert response.status_code == 201
    plan = response.json()
    assert plan["state"] == "draft" and plan["organization_name"] == "东门村"
    assert plan["rectification_due"] == "2024-08-20" and plan["fed_back_on"] == "2024-05-20"
    assert [p["title"] for p in plan["problems"]] == [p.title for p in fed_back.problems]
    assert [p["no"] for p in plan["problems"]] == [1, 2, 3, 4]
    pid = plan["id"]

    ids = []
    for n, problem in enumerate(fed_back.problems, start=1):
        body = _task_body(n, problem) if n > 1 else _task_body(problem=problem, measures=VAGUE,
                                                                  owner=world.unit_liaison.pk)
        response = _send(liaison, "post", f"/{pid}/tasks", body)
        assert response.status_code == 201, response.json()
        ids.append(response.json()["id"])
    first = _send(liaison, "get", f"/{pid}").json()["tasks"][0]
    assert first["vague"] and "slogan" in first["reasons"] and len(first["reason_labels"]) == len(first["reasons"])
    assert first["owner"] == world.unit_liaison.pk and first["type"] == "concentrated"

    assert _send(liaison, "post", f"/{pid}/submit").json()["state"] == "submitted"
    response = _send(office, "post", f"/{pid}/review",
                     {"decision": "return", "task_comments": {str(ids[0]): "措施空泛，请细化"}})
    assert response.status_code == 200 and response.json()["state"] == "returned"
    assert _send(liaison, "get", f"/{pid}").json()["tasks"][0]["review_comment"] == "措施空泛，请细化"

    response = _send(liaison, "patch", f"/{pid}/tasks/{ids[0]}",
                     {"measures": "2024年6月30日前由村党支部书记组织核对惠农补贴发放台账，补发2户补贴并公示。", "owner": None})
    assert response.status_code == 200
    fixed = response.json()
    assert not fixed["vague"] and fixed["owner"] is None and fixed["responsible_leader"] == "王建国"
    assert _send(liaison, "post", f"/{pid}/submit").json()["state"] == "submitted"
    approved = _send(office, "post", f"/{pid}/review", {"decision": "approve", "comment": "同意"}).json()
    assert approved["state"] == "approved" and approved["comment"] == "同意" and approved["n_vague"] == 0
    assert [s["action"] for s in approved["steps"]] == ["submit", "return", "submit", "approve"]
    assert approved["steps"][-1]["actor"] == world.office_admin.display_name


def test_the_list_is_scoped_filtered_and_paginated(api_as, world, fed_back, other_liaison):
    submitted_plan(fed_back, world.unit_liaison)
    office = api_as(world.office_admin)
    page = _send(office, "get", "").json()
    assert page["count"] == 1 and page["items"][0]["n_tasks"] == 4 and page["items"][0]["n_vague"] == 0
    for query, count in ((f"?state=submitted&round={world.round.pk}", 1), ("?state=draft", 0),
                         (f"?organization={world.village.pk}", 1), (f"?organization={world.township.pk}", 0),
                         ("?limit=1&offset=1", 1)):
        assert _send(office, "get", query).json()["count"] == count
    assert _send(office, "get", "?limit=1&offset=1").json()["items"] == []
    assert _send(api_as(world.unit_liaison), "get", "").json()["count"] == 1
    assert _send(api_as(other_liaison), "get", "").json()["count"] == 0
    assert _send(api_as(world.receiver), "get", "").status_code == 403


def test_another_organizations_plan_is_404(api_as, world, fed_back, other_liaison):
    plan = written_plan(fed_back, world.unit_liaison)
    task = plan.tasks.first()
    client = api_as(other_liaison)
    assert _send(client, "get", f"/{plan.pk}").status_code == 404
    assert _send(client, "post", f"/{plan.pk}/tasks", _task_body(problem=fed_back.problems[0])).status_code == 404
    assert _send(client, "patch", f"/{plan.pk}/tasks/{task.pk}", {"measures": VAGUE}).status_code == 404
    assert _send(client, "delete", f"/{plan.pk}/tasks/{task.pk}").status_code == 404
    assert _send(client, "post", f"/{plan.pk}/submit").status_code == 404
    assert _send(api_as(world.office_admin), "get", "/999999").status_code == 404
    # The feedback of another organization: not visible, like a missing one.
    response = _send(client, "post", "", {"feedback_id": fed_back.feedback.pk})
    assert response.status_code == 422 and _fields(response) == ["feedback_id"]
    assert plan.tasks.count() == 4


def test_a_task_named_under_another_plan_is_404(api_as, world, findings, fed_back):
    plan = written_plan(fed_back, world.office_admin)
    org = Organization.objects.create(committee=world.county, name="南街村", kind=world.kinds["village"])
    target = Assignment.objects.create(group=world.group1, organization=org)
    problem = Problem.objects.create(assignment=target, seq=50, title="账目不清", description="—",
                                     classification=findings.items["V2.1.1"], kind="general")
    report(target)
    other = services.plan_start(actor=world.office_admin, feedback=issued_feedback(target))
    foreign = services.task_add(actor=world.office_admin, plan=other, problem=problem, **task_fields())
    client = api_as(world.office_admin)
    assert _send(client, "patch", f"/{plan.pk}/tasks/{foreign.pk}", {"measures": VAGUE}).status_code == 404
    assert _send(client, "delete", f"/{plan.pk}/tasks/{foreign.pk}").status_code == 404
    # A problem of the other feedback is not one of this plan's.
    response = _send(client, "post", f"/{plan.pk}/tasks", _task_body(problem=problem))
    assert response.status_code == 422 and _fields(response) == ["problem"]
    assert Task.objects.filter(plan=other).count() == 1 and Task.objects.filter(plan=plan).count() == 4


@pytest.mark.parametrize("role", ["leader", "supervisor"])
def test_readers_get_403_on_writes(api_as, world, fed_back, role):
    plan = submitted_plan(fed_back, world.unit_liaison)
    task = plan.tasks.first()
    client = api_as(world.users[role])
    assert _send(client, "get", f"/{plan.pk}").status_code == 200
    assert _send(client, "post", "", {"feedback_id": fed_back.feedback.pk}).status_code == 403
    assert _send(client, "post", f"/{plan.pk}/tasks", _task_body(problem=fed_back.problems[0])).status_code == 403
    assert _send(client, "patch", f"/{plan.pk}/tasks/{task.pk}", {"measures": VAGUE}).status_code == 403
    assert _send(client, "delete", f"/{plan.pk}/tasks/{task.pk}").status_code == 403
    assert _send(client, "post", f"/{plan.pk}/submit").status_code == 403
    assert _send(client, "post", f"/{plan.pk}/review", {"decision": "approve"}).status_code == 403
    assert Plan.objects.get().state == "submitted" and Task.objects.count() == 4


def test_the_liaison_may_not_review(api_as, world, fed_back):
    plan = submitted_plan(fed_back, world.unit_liaison)
    response = _send(api_as(world.unit_liaison), "post", f"/{plan.pk}/review", {"decision": "approve"})
    assert response.status_code == 403 and Plan.objects.get().state == "submitted"


def test_bad_input_is_422_naming_the_field(api_as, world, findings, fed_back):
    liaison, office = api_as(world.unit_liaison), api_as(world.office_admin)
    pid = _send(liaison, "post", "", {"feedback_id": fed_back.feedback.pk}).json()["id"]
    response = _send(office, "post", "", {"feedback_id": fed_back.feedback.pk})
    assert response.status_code == 422 and _fields(response) == ["feedback_id"]
    problem = fed_back.problems[0]
    # A lead: hidden from the liaison (not visible), refused by the service for the office.
    for client in (liaison, office):
        response = _send(client, "post", f"/{pid}/tasks", _task_body(problem=fed_back.lead))
        assert response.status_code == 422 and _fields(response) == ["problem"]
    response = _send(liaison, "post", f"/{pid}/tasks", _task_body(problem=problem, due="2024-12-31"))
    assert response.status_code == 422 and _fields(response) == ["due"]
    response = _send(liaison, "post", f"/{pid}/tasks", _task_body(problem=problem, due="2024-12-31",
                                                                  type="long_term"))
    assert response.status_code == 201
    tid = response.json()["id"]
    response = _send(liaison, "post", f"/{pid}/tasks", _task_body(problem=problem, owner=world.office_admin.pk))
    assert response.status_code == 422 and _fields(response) == ["owner"]
    response = _send(liaison, "post", f"/{pid}/tasks", {**_task_body(problem=problem), "measures": " ",
                                                        "person_in_charge": ""})
    assert response.status_code == 422 and set(_fields(response)) == {"measures", "person_in_charge"}
    response = _send(liaison, "post", f"/{pid}/tasks", {**_task_body(problem=problem), "colour": "red"})
    assert response.status_code == 422 and _fields(response) == ["colour"]
    response = _send(liaison, "patch", f"/{pid}/tasks/{tid}", {"type": "concentrated"})
    assert response.status_code == 422 and _fields(response) == ["due"]
    response = _send(liaison, "post", f"/{pid}/submit")
    assert response.status_code == 422 and _fields(response) == ["tasks"]
    written = _send(liaison, "get", f"/{pid}").json()
    assert len(written["tasks"]) == 1 and written["state"] == "draft"


def test_review_refusals_and_state(api_as, world, fed_back):
    office = api_as(world.office_staff)
    plan = written_plan(fed_back, world.unit_liaison)
    response = _send(office, "post", f"/{plan.pk}/review", {"decision": "approve"})
    assert response.status_code == 422 and _fields(response) == ["state"]
    _send(api_as(world.unit_liaison), "post", f"/{plan.pk}/submit")
    response = _send(office, "post", f"/{plan.pk}/review", {"decision": "return"})
    assert response.status_code == 422 and _fields(response) == ["comment"]
    response = _send(office, "post", f"/{plan.pk}/review", {"decision": "return", "task_comments": {"999999": "空"}})
    assert response.status_code == 422 and _fields(response) == ["task_comments"]
    response = _send(office, "post", f"/{plan.pk}/review", {"decision": "approve"})
    assert response.status_code == 200
    task = plan.tasks.first()
    response = _send(api_as(world.unit_liaison), "delete", f"/{plan.pk}/tasks/{task.pk}")
    assert response.status_code == 422 and _fields(response) == ["state"]
    assert Task.objects.count() == 4
