"""/api/v1/rectification/reports: the whole flow (start, write, submit, return, resubmit, accept,
publish) through the API, scoped lists with the overdue filter, and refusals (401, 403, 404, 422)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from tests.rectification import reports_helpers
from tests.rectification.reports_helpers import issued_feedback_of, reviewed, started, submitted
from tests.reports.feedback_helpers import draft_feedback
from xuncha.access import services as access_services
from xuncha.rectification.models import Disclosure, ProgressReport

clock, strangers, uploads_in_tmp = reports_helpers.clock, reports_helpers.strangers, reports_helpers.uploads_in_tmp
API = "/api/v1/rectification/reports"
S = ProgressReport.State


@pytest.fixture(autouse=True)
def _english(settings, uploads_in_tmp):
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


def _patch(client, url, body):
    return client.patch(f"{API}{url}", body, content_type="application/json")


def _fields(response) -> set[str]:
    return {e["field"] for e in response.json()["detail"]}


def _user(world, strangers, who):
    return getattr(strangers, who, None) or world.users[who]


def test_it_needs_a_token(client, world):
    assert client.get(API).status_code == 401
    assert client.post(API, {}, content_type="application/json").status_code == 401


def test_the_whole_flow(world, fed_back, clock, api_as):
    liaison, office = api_as(world.unit_liaison), api_as(world.office_admin)
    created = _post(liaison, "", {"feedback_id": fed_back.feedback.pk})
    assert created.status_code == 201
    body = created.json()
    pk = body["id"]
    assert (body["state"], body["due"], body["title"]) == ("draft", "2024-08-20", "关于巡察反馈意见集中整改进展情况的报告")
    assert (body["organization_name"], body["overdue"], body["disclosure_state"]) == ("东门村", True, "")
    assert _patch(liaison, f"/{pk}", {"text": "已整改3个问题。"}).json()["text"] == "已整改3个问题。"
    clock.set(date(2024, 8, 21))
    body = _post(liaison, f"/{pk}/submit").json()
    assert (body["state"], body["submitted_on"], body["late"], body["overdue"]) == ("submitted", "2024-08-21", True,
                                                                                    False)
    body = _post(office, f"/{pk}/review", {"decision": "return", "comment": "请补充成效。"}).json()
    assert (body["state"], body["opinion"]) == ("returned", "请补充成效。")
    _patch(liaison, f"/{pk}", {"text": "已整改3个问题，成效如下。"})
    clock.set(date(2024, 8, 25))
    assert _post(liaison, f"/{pk}/submit").json()["submitted_on"] == "2024-08-25"
    body = _post(office, f"/{pk}/review", {"decision": "accept", "opinion": "同意。", "reviewed_on": "2024-08-25"}).json()
    assert (body["state"], body["reviewed_on"], body["disclosure_due"]) == ("reviewed", "2024-08-25", "2024-09-25")
    assert body["policy"]["disclosure_months"] == 1 and body["disclosure_state"] == "pending"
    published = _post(liaison, f"/{pk}/disclosures", {
        "published_on": "2024-08-25", "channel": "wechat", "place": "东门村微信公众号", "title": "整改情况通报"})
    assert published.status_code == 201 and published.json()["channel"] == "wechat"
    body = liaison.get(f"{API}/{pk}").json()
    assert body["disclosure_state"] == "on_time" and [d["title"] for d in body["disclosures"]] == ["整改情况通报"]


def test_the_list_is_scoped_and_filters_overdue(world, fed_back, clock, api_as, strangers):
    started(fed_back.feedback, world.unit_liaison)
    south = issued_feedback_of(world, "南街村", date(2024, 6, 20))
    submitted(south, reports_helpers.liaison_of(south, "south"), clock, date(2024, 8, 1))
    clock.set(date(2024, 8, 21))
    names = lambda client, **q: [i["organization_name"] for i in client.get(API, q).json()["items"]]  # noqa: E731
    office = api_as(world.office_staff)
    assert names(office) == ["东门村", "南街村"]
    assert names(office, overdue="true") == ["东门村"]
    assert names(office, overdue="false") == ["南街村"]
    assert names(office, state="submitted") == ["南街村"]
    assert names(office, organization=world.village.pk) == ["东门村"]
    assert names(office, round=world.round.pk) == ["东门村", "南街村"]
    assert names(api_as(world.supervisor)) == ["东门村", "南街村"]
    assert names(api_as(world.unit_liaison)) == ["东门村"]
    assert names(api_as(strangers.other_office)) == []
    assert names(api_as(strangers.other_liaison)) == []


@pytest.mark.parametrize("who", ["receiver", "group_leader", "outsider"])
def test_roles_without_progress_reports_get_403(world, api_as, who):
    assert api_as(world.users[who]).get(API).status_code == 403


def test_the_list_query_count_is_flat(world, fed_back, clock, api_as, django_assert_max_num_queries):
    for n, name in enumerate(("南街村", "北坡村", "西山村", "东岭村")):
        feedback = issued_feedback_of(world, name, date(2024, 5, 1 + n))
        report = reviewed(feedback, reports_helpers.liaison_of(feedback, f"l{n}"), world.office_admin, clock,
                          submitted_on=date(2024, 7, 1), reviewed_on=date(2024, 7, 2))
        reports_helpers.publish(report, date(2024, 7, 2))
    client = api_as(world.office_admin)
    client.get(API)
    with django_assert_max_num_queries(6):
        assert client.get(API).json()["count"] == 4


@pytest.mark.parametrize("who, status", [("other_office", 404), ("other_liaison", 404), ("receiver", 404)])
def test_a_report_out_of_scope_is_404(world, fed_back, api_as, strangers, who, status):
    report = started(fed_back.feedback, world.unit_liaison)
    client = api_as(_user(world, strangers, who))
    assert client.get(f"{API}/{report.pk}").status_code == status
    assert _patch(client, f"/{report.pk}", {"text": "x"}).status_code == status
    assert _post(client, f"/{report.pk}/submit").status_code == status
    assert client.get(f"{API}/999999").status_code == 404


@pytest.mark.parametrize("who", ["office_admin", "leader", "supervisor"])
def test_those_who_only_read_or_review_may_not_start_or_write(world, fed_back, api_as, who):
    client = api_as(world.users[who])
    assert _post(client, "", {"feedback_id": fed_back.feedback.pk}).status_code == 403
    report = started(fed_back.feedback, world.unit_liaison)
    assert _patch(client, f"/{report.pk}", {"text": "改写"}).status_code == 403
    assert _post(client, f"/{report.pk}/submit").status_code == 403
    report.refresh_from_db()
    assert (report.state, report.text) == (S.DRAFT, reports_helpers.TEXT)


@pytest.mark.parametrize("who", ["unit_liaison", "leader", "supervisor"])
def test_only_the_office_reviews(world, fed_back, clock, api_as, who):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 15))
    response = _post(api_as(world.users[who]), f"/{report.pk}/review",
                     {"decision": "accept", "opinion": "同意。", "reviewed_on": "2024-08-15"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == S.SUBMITTED


def test_starting_needs_a_feedback_the_liaison_sees(world, findings, problems, api_as, strangers):
    feedback = draft_feedback(problems.target)  # drafts are hidden from the liaison
    liaison = api_as(world.unit_liaison)
    for body in ({"feedback_id": feedback.pk}, {"feedback_id": 999999}):
        response = _post(liaison, "", body)
        assert response.status_code == 422 and _fields(response) == {"feedback_id"}
    assert _post(liaison, "", {}).status_code == 422
    assert _post(liaison, "", {"feedback_id": feedback.pk, "title": "x"}).status_code == 422  # unknown field


def test_bad_input_is_422_naming_the_field(world, fed_back, clock, api_as):
    liaison, office = api_as(world.unit_liaison), api_as(world.office_admin)
    pk = _post(liaison, "", {"feedback_id": fed_back.feedback.pk}).json()["id"]
    again = _post(liaison, "", {"feedback_id": fed_back.feedback.pk})
    assert again.status_code == 422 and _fields(again) == {"feedback"}
    empty = _post(liaison, f"/{pk}/submit")
    assert empty.status_code == 422 and _fields(empty) == {"text"}
    assert _fields(_patch(liaison, f"/{pk}", {"title": " "})) == {"title"}
    early = _post(office, f"/{pk}/review", {"decision": "return", "comment": "x"})
    assert early.status_code == 422 and _fields(early) == {"state"}
    _patch(liaison, f"/{pk}", {"text": "内容"})
    clock.set(date(2024, 8, 15))
    _post(liaison, f"/{pk}/submit")
    future = _post(office, f"/{pk}/review", {"decision": "accept", "opinion": "同意。", "reviewed_on": "2024-08-16"})
    assert future.status_code == 422 and _fields(future) == {"reviewed_on"}
    assert _fields(_post(office, f"/{pk}/review", {"decision": "accept"})) == {"opinion", "reviewed_on"}
    assert _fields(_post(office, f"/{pk}/review", {"decision": "maybe"})) == {"decision"}
    assert _fields(_post(liaison, f"/{pk}/disclosures", {"published_on": "2024-08-15", "channel": "website",
                                                         "place": "x", "title": "y"})) == {"state"}
    _post(office, f"/{pk}/review", {"decision": "accept", "opinion": "同意。", "reviewed_on": "2024-08-15"})
    bad = _post(liaison, f"/{pk}/disclosures", {"published_on": "2024-08-14", "channel": "tv", "place": "",
                                                "title": "y"})
    assert bad.status_code == 422 and _fields(bad) == {"published_on", "channel", "place"}
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize("who, status", [("leader", 403), ("supervisor", 403), ("other_office", 404)])
def test_others_record_no_publication(world, fed_back, clock, api_as, strangers, who, status):
    report = reviewed(fed_back.feedback, world.unit_liaison, world.office_admin, clock,
                      submitted_on=date(2024, 8, 15), reviewed_on=date(2024, 8, 31))
    response = _post(api_as(_user(world, strangers, who)), f"/{report.pk}/disclosures", {
        "published_on": "2024-08-31", "channel": "website", "place": "x", "title": "y"})
    assert response.status_code == status
    assert not Disclosure.objects.exists()
