"""/api/v1/evaluations: templates, batches (open, read, refresh, close), one evaluation and its
scores; refusals 401/403/404/422 and query counts that do not grow with organizations."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from tests.rectification.evaluation_helpers import feedback_for, plan_for, problems_for, task
from xuncha.access import services as access_services
from xuncha.rectification.models import Evaluation, EvaluationBatch, EvaluationScore

API = "/api/v1/evaluations"
PERIOD = {"title": "2024年度巡察整改评估", "period_start": "2024-01-01", "period_end": "2024-12-31"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def api_as(db):
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
    return make


@pytest.fixture
def due_in_2024(world, findings):
    dongling = feedback_for(world, "东岭村", date(2024, 8, 20))
    plan = plan_for(dongling, decided_on=date(2024, 6, 1))
    (problem,) = problems_for(dongling, findings.items["V2.1.1"], 1)
    task(plan, problem, 1, due=date(2099, 1, 1), vague=True, measures="进一步加强管理。")
    feedback_for(world, "南山村", date(2024, 3, 1))
    feedback_for(world, "邻县村", date(2024, 6, 1), committee=world.other)
    return dongling


def _post(client, url, body=None):
    return client.post(f"{API}{url}", body or {}, content_type="application/json")


def _put(client, url, body):
    return client.put(f"{API}{url}", body, content_type="application/json")


def _fields(response) -> list[str]:
    return sorted(e["field"] for e in response.json()["detail"])


def _opened(api_as, world) -> dict:
    response = _post(api_as(world.office_admin), "/batches", PERIOD)
    assert response.status_code == 201, response.content
    return response.json()


def test_it_needs_a_token(client, world):
    assert client.get(f"{API}/batches").status_code == 401
    assert client.put(f"{API}/1/scores", {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "group_leader", "outsider"])
def test_roles_without_evaluation_get_403(api_as, world, due_in_2024, role):
    body = _opened(api_as, world)
    client = api_as(world.users[role])
    assert client.get(f"{API}/batches").status_code == 403
    assert client.get(f"{API}/templates").status_code == 403
    assert client.get(f"{API}/batches/{body['id']}").status_code == 403
    assert client.get(f"{API}/{body['evaluations'][0]['id']}").status_code == 403
    assert _post(client, "/batches", PERIOD).status_code == 403


def test_open_read_score_and_close(api_as, world, due_in_2024):
    client = api_as(world.office_admin)
    body = _opened(api_as, world)
    assert body["state"] == "open" and body["organizations"] == 2
    assert body["grades"] == {"excellent": 0, "pass": 0, "basic": 0, "fail": 0, "none": 2}
    by_name = {e["organization_name"]: e for e in body["evaluations"]}
    assert set(by_name) == {"东岭村", "南山村"}
    assert by_name["东岭村"]["indicators"]["vague"] == 1 and by_name["东岭村"]["rectification_due"] == "2024-08-20"

    evaluation_id = by_name["东岭村"]["id"]
    detail = client.get(f"{API}/{evaluation_id}").json()
    assert [c["title"] for c in detail["criteria"]] == ["组织领导", "责任落实", "整改任务完成", "群众满意度"]
    responsibility = detail["criteria"][1]
    vague = next(d for d in responsibility["deductions"] if "空泛" in d["description"])
    assert vague["suggested"] == 1 and vague["applied"] == 0
    assert {f["key"]: f["value"] for f in responsibility["figures"]}["vague"] == "1"
    assert detail["vague_measures"][0]["measures"] == "进一步加强管理。" and detail["vague_measures"][0]["reasons"]

    # A partial save: the total waits for every criterion.
    response = _put(client, f"/{evaluation_id}/scores", {"scores": [
        {"criterion": responsibility["id"], "deductions": [{"deduction": vague["id"], "times": 2}], "comment": "措施空泛"}]})
    assert response.status_code == 200
    saved = response.json()
    assert saved["total"] is None and saved["criteria"][1]["score"] == "13.0"
    assert saved["criteria"][1]["deductions"][0]["applied"] == 2
    rest = [{"criterion": c["id"], "score": str(c["points"])} for c in detail["criteria"] if c["id"] != responsibility["id"]]
    response = _put(client, f"/{evaluation_id}/scores", {"scores": rest, "comment": "总体较好"})
    assert response.json()["total"] == "98.0" and response.json()["grade"] == "excellent"

    # Closing needs every organization graded.
    response = _post(client, f"/batches/{body['id']}/close", {"conclusion": "总体较好。"})
    assert response.status_code == 422 and _fields(response) == ["evaluations"]
    other = by_name["南山村"]["id"]
    low = [{"criterion": c["id"], "score": "10"} for c in detail["criteria"]]
    response = _put(client, f"/{other}/scores", {"scores": low})
    assert response.status_code == 422 and _fields(response) == ["follow_up"]
    response = _put(client, f"/{other}/scores", {"scores": low, "follow_up": "both", "follow_up_note": "约谈书记"})
    assert response.json()["grade"] == "fail"
    response = _post(client, f"/batches/{body['id']}/close", {"conclusion": "总体较好。"})
    assert response.status_code == 200
    closed = response.json()
    assert closed["state"] == "closed" and closed["grades"] == {"excellent": 1, "pass": 0, "basic": 0, "fail": 1,
                                                                "none": 0}
    # A concluded batch refuses every change.
    assert _fields(_post(client, f"/batches/{body['id']}/refresh")) == ["batch"]
    assert _fields(_put(client, f"/{other}/scores", {"scores": low[:1]})) == ["batch"]
    assert _fields(_post(client, f"/batches/{body['id']}/close", {"conclusion": "再"})) == ["batch"]


def test_bad_input_is_422_naming_the_field(api_as, world, due_in_2024):
    client = api_as(world.office_admin)
    response = _post(client, "/batches", {**PERIOD, "period_start": "2030-01-01", "period_end": "2030-12-31"})
    assert response.status_code == 422 and _fields(response) == ["period_end"]
    response = _post(client, "/batches", {**PERIOD, "period_start": "2024-12-31", "period_end": "2024-01-01"})
    assert _fields(response) == ["period_end"]
    response = _post(client, "/batches", {**PERIOD, "template": 999999})
    assert response.status_code == 422 and _fields(response) == ["template"]
    response = _post(client, "/batches", {**PERIOD, "committee": world.other.pk})
    assert response.status_code == 422 and _fields(response) == ["committee"]
    response = _post(client, "/batches", {"title": "x"})
    assert response.status_code == 422 and _fields(response) == ["period_end", "period_start"]
    assert not EvaluationBatch.objects.exists()

    body = _opened(api_as, world)
    evaluation_id = body["evaluations"][0]["id"]
    criteria = client.get(f"{API}/{evaluation_id}").json()["criteria"]
    response = _put(client, f"/{evaluation_id}/scores", {"scores": [
        {"criterion": criteria[0]["id"], "score": "16"},
        {"criterion": criteria[1]["id"], "deductions": [{"deduction": criteria[0]["deductions"][0]["id"], "times": 1}]},
    ]})
    assert response.status_code == 422 and _fields(response) == ["scores.0.score", "scores.1.deductions"]
    response = _put(client, f"/{evaluation_id}/scores", {"scores": [{"criterion": criteria[0]["id"], "score": "x"}]})
    assert response.status_code == 422 and _fields(response) == ["score"]
    response = _put(client, f"/{evaluation_id}/scores", {"follow_up": "later"})
    assert _fields(response) == ["follow_up"]
    assert not EvaluationScore.objects.exists()


@pytest.mark.parametrize("role", ["leader", "supervisor"])
def test_readers_read_but_may_not_write(api_as, world, due_in_2024, role):
    body = _opened(api_as, world)
    client = api_as(world.users[role])
    assert client.get(f"{API}/batches").json()["count"] == 1
    assert client.get(f"{API}/batches/{body['id']}").status_code == 200
    evaluation_id = body["evaluations"][0]["id"]
    assert client.get(f"{API}/{evaluation_id}").status_code == 200
    assert _post(client, "/batches", PERIOD).status_code == 403
    assert _post(client, f"/batches/{body['id']}/refresh").status_code == 403
    assert _post(client, f"/batches/{body['id']}/close", {"conclusion": "x"}).status_code == 403
    assert _put(client, f"/{evaluation_id}/scores", {"comment": "x"}).status_code == 403
    assert (client.get(f"{API}/templates").status_code == 200) == (role == "leader")


def test_another_committee_sees_404(api_as, world, due_in_2024, make_user):
    from xuncha.access.roles import Role

    body = _opened(api_as, world)
    neighbour = api_as(make_user("neighbour_office", role=Role.OFFICE_ADMIN, committee=world.other))
    assert neighbour.get(f"{API}/batches").json()["count"] == 0
    assert neighbour.get(f"{API}/batches/{body['id']}").status_code == 404
    assert _post(neighbour, f"/batches/{body['id']}/refresh").status_code == 404
    evaluation_id = body["evaluations"][0]["id"]
    assert neighbour.get(f"{API}/{evaluation_id}").status_code == 404
    assert _put(neighbour, f"/{evaluation_id}/scores", {"comment": "x"}).status_code == 404
    assert api_as(world.office_admin).get(f"{API}/999999").status_code == 404


def test_templates_list_the_default_with_its_points(api_as, world):
    response = api_as(world.office_staff).get(f"{API}/templates")
    assert response.status_code == 200
    (template,) = response.json()["items"]
    assert template["total_points"] == "100.0" and template["in_use"] is False
    assert [c["points"] for c in template["criteria"]] == ["15.0", "15.0", "60.0", "10.0"]
    assert all(c["deductions"] for c in template["criteria"])


def test_the_batch_query_count_does_not_grow_with_organizations(api_as, world, due_in_2024,
                                                                 django_assert_max_num_queries):
    body = _opened(api_as, world)
    client = api_as(world.leader)
    client.get(f"{API}/batches/{body['id']}")
    with django_assert_max_num_queries(12) as captured:
        client.get(f"{API}/batches/{body['id']}")
    few = len(captured)  # read now: the next request empties the connection's query log
    for n in range(10):
        feedback_for(world, f"新增村{n}", date(2024, 10, 1))
    assert _post(api_as(world.office_admin), f"/batches/{body['id']}/refresh").json()["organizations"] == 12
    assert Evaluation.objects.count() == 12
    with django_assert_max_num_queries(few):
        assert len(client.get(f"{API}/batches/{body['id']}").json()["evaluations"]) == 12
