"""/api/v1/reports: scoped lists and details (leads reports never for the superior office),
generation, saving versions, submission, decisions and the diff; refusals 401/403/404/422."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from xuncha.access import services as access_services
from xuncha.reports import services_reports as services
from xuncha.reports.models import Report, ReportVersion


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are checked as written (English, a switch away for users); the Chinese
    catalogue is checked whole by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

API = "/api/v1/reports"


@pytest.fixture
def api_as(db):
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"}, enforce_csrf_checks=True)
    return make


@pytest.fixture
def reports(world, problems):
    report = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="report")
    leads = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="leads")
    return report, leads


def _post(client, url, body=None):
    return client.post(f"{API}{url}", body or {}, content_type="application/json")


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["detail"]]


def test_it_needs_a_token(client, world, reports):
    report, _ = reports
    assert client.get(API).status_code == 401
    assert client.get(f"{API}/{report.pk}").status_code == 401
    assert client.post(f"{API}/{report.pk}/submit", {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("role, count", [
    ("office_admin", 2), ("leader", 2), ("group_leader", 2), ("group_deputy", 2), ("supervisor", 1),
    ("group_member", 0),
])
def test_the_list_is_scoped_and_hides_leads_reports_from_the_superior_office(api_as, world, reports, role, count):
    body = api_as(world.users[role]).get(API).json()
    assert body["count"] == count
    if role == "supervisor":
        assert [item["kind"] for item in body["items"]] == ["report"]


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "outsider"])
def test_the_organization_and_others_are_refused(api_as, world, reports, role):
    report, _ = reports
    client = api_as(world.users[role])
    assert client.get(API).status_code == 403
    assert client.get(f"{API}/{report.pk}").status_code == 403
    assert client.get(f"{API}/{report.pk}/diff", {"a": 1, "b": 1}).status_code == 403
    assert _post(client, f"/{report.pk}/submit").status_code == 403
    assert _post(client, "", {"assignment": report.assignment_id}).status_code in (403, 422)


def test_list_filters_and_query_count(api_as, world, reports, django_assert_max_num_queries):
    report, _ = reports
    client = api_as(world.office_admin)
    with django_assert_max_num_queries(8):
        body = client.get(API).json()
    assert body["count"] == 2 and body["items"][0]["organization_name"] == "东门村"
    assert client.get(API, {"kind": "leads"}).json()["count"] == 1
    assert client.get(API, {"state": "approved"}).json()["count"] == 0
    assert client.get(API, {"assignment": report.assignment_id, "round": world.round.pk}).json()["count"] == 2


def test_detail_and_404(api_as, world, reports):
    report, leads = reports
    body = api_as(world.group_deputy).get(f"{API}/{report.pk}").json()
    assert [s["key"] for s in body["sections"]] == ["overview", "problems", "suggestions"]
    assert [v["number"] for v in body["versions"]] == [1] and body["history"] == []
    assert body["may_write"] and not body["may_decide"] and [s["name"] for s in body["steps"]][0] == "组务会"
    assert api_as(world.supervisor).get(f"{API}/{leads.pk}").status_code == 404
    assert api_as(world.group_member).get(f"{API}/{report.pk}").status_code == 404
    assert api_as(world.group_deputy).get(f"{API}/999999").status_code == 404
    assert api_as(world.group_deputy).get(f"{API}/{report.pk}/versions/9").status_code == 404
    version = api_as(world.supervisor).get(f"{API}/{report.pk}/versions/1").json()
    assert version["number"] == 1 and len(version["sections"]) == 3


def test_generate(api_as, world, findings, problems):
    client = api_as(world.group_leader)
    response = _post(client, "", {"assignment": problems.target.pk, "kind": "leads"})
    assert response.status_code == 201 and response.json()["kind"] == "leads"
    again = _post(client, "", {"assignment": problems.target.pk, "kind": "leads"})
    assert again.status_code == 422 and _fields(again) == ["kind"]
    assert _post(client, "", {"assignment": findings.target2.pk}).status_code == 422  # group 2's target
    assert _post(client, "", {"assignment": problems.target.pk, "kind": "memo"}).status_code == 422
    assert _post(api_as(world.leader), "", {"assignment": problems.target.pk}).status_code == 403


def test_save_submit_decide_and_diff(api_as, world, reports):
    report, _ = reports
    writer = api_as(world.group_leader)
    sections = writer.get(f"{API}/{report.pk}").json()["sections"]
    sections[0]["body"] = sections[0]["body"].replace("开展了巡察", "开展了常规巡察")
    saved = _post(writer, f"/{report.pk}/versions", {"sections": sections, "note": "补充"})
    assert saved.status_code == 201 and saved.json()["number"] == 2
    bad = _post(writer, f"/{report.pk}/versions", {"sections": [{"key": "x", "title": "", "body": ""}]})
    assert bad.status_code == 422 and _fields(bad) == ["sections"]
    assert _post(api_as(world.supervisor), f"/{report.pk}/versions", {"sections": sections}).status_code == 403
    diff = writer.get(f"{API}/{report.pk}/diff", {"a": 1, "b": 2}).json()
    assert "开展了<ins>常规</ins>巡察" in diff["sections"][0]["html"] and diff["sections"][1]["status"] == "same"
    assert writer.get(f"{API}/{report.pk}/diff", {"a": 1, "b": 7}).status_code == 404
    assert writer.get(f"{API}/{report.pk}/diff", {"a": 1}).status_code == 422

    assert _post(writer, f"/{report.pk}/submit").json()["state"] == "in_review"
    no_comment = _post(writer, f"/{report.pk}/decisions", {"action": "return"})
    assert no_comment.status_code == 422 and _fields(no_comment) == ["comment"]
    assert _post(api_as(world.office_admin), f"/{report.pk}/decisions", {"action": "approve"}).status_code == 403
    assert _post(writer, f"/{report.pk}/decisions", {"action": "maybe"}).status_code == 422
    body = _post(writer, f"/{report.pk}/decisions", {"action": "approve"}).json()
    assert body["step"] == 1 and body["step_name"] == "组长" and body["history"][-1]["action"] == "approve"
    returned = _post(writer, f"/{report.pk}/decisions", {"action": "return", "comment": "再核实"}).json()
    assert returned["state"] == "returned" and returned["may_write"]
    assert _post(writer, f"/{report.pk}/decisions", {"action": "approve"}).status_code == 422


def test_approved_report_refuses_saves(api_as, world, reports):
    report, _ = reports
    services.report_submit(actor=world.group_leader, report=report)
    for user in (world.group_leader, world.group_leader, world.office_admin, world.leader, world.leader):
        report = services.report_decide(actor=user, report=report, action="approve")
    client = api_as(world.group_leader)
    body = client.get(f"{API}/{report.pk}").json()
    assert body["state"] == "approved" and body["approved_version"] == 1 and not body["may_write"]
    response = _post(client, f"/{report.pk}/versions",
                     {"sections": [{**s, "body": s["body"] + "改"} for s in body["sections"]]})
    assert response.status_code == 422 and "frozen" in response.json()["detail"][0]["message"]
    assert _post(client, f"/{report.pk}/regenerate").status_code == 422
    assert ReportVersion.objects.filter(report=report).count() == 1
    assert Report.objects.get(pk=report.pk).state == "approved"
