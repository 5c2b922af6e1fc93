"""/api/v1/recommendations and /api/v1/campaigns: the whole life of a letter through the API,
the department's side, and the refusals (401, 403, 404, 422 naming the fields)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.analytics.recommendations_helpers import (  # noqa: F401
    SYMPTOMS,
    api_for,
    letter,
    letters_data_fixture,
    other_receiver_fixture,
)
from xuncha.analytics.models import Recommendation

API = "/api/v1/recommendations"
CAMPAIGNS = "/api/v1/campaigns"


@pytest.fixture(autouse=True)
def _english(english):
    yield


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["detail"]]


def test_it_needs_a_token(db):
    assert Client().get(API).status_code == 401
    assert Client().get(CAMPAIGNS).status_code == 401


def test_a_letter_from_draft_to_closed(world, letters_data):
    office, leader, receiver = api_for(world.office_admin), api_for(world.leader), api_for(world.receiver)
    response = _post(office, API, {"term_id": world.term.pk, "title": "关于村集体资产的巡察建议书",
                                   "cluster_id": letters_data.cluster.pk, "addressee_ids": [world.department.pk]})
    assert response.status_code == 201, response.content
    body = response.json()
    pk = body["id"]
    assert body["symptoms"] == SYMPTOMS and body["state"] == "draft"
    assert body["doc_number"].startswith("示例县巡察办〔") and len(body["problems"]) == 7
    patch = office.patch(f"{API}/{pk}", {"causes": "监管缺位"}, content_type="application/json")
    assert patch.status_code == 200 and patch.json()["causes"] == "监管缺位"
    items = office.put(f"{API}/{pk}/items", {"items": ["建立台账", "规范发包"]}, content_type="application/json")
    assert [i["seq"] for i in items.json()["items"]] == [1, 2]
    assert _post(office, f"{API}/{pk}/submit").json()["state"] == "submitted"
    assert _post(office, f"{API}/{pk}/approve").status_code == 403
    assert _post(leader, f"{API}/{pk}/approve", {"comment": "同意"}).json()["state"] == "approved"
    today = timezone.localdate().isoformat()
    issued = _post(office, f"{API}/{pk}/issue", {"issued_on": today}).json()
    assert issued["state"] == "issued" and issued["response_due"]
    addressee = issued["addressees"][0]["id"]
    base = f"{API}/{pk}/addressees/{addressee}"
    assert _post(receiver, f"{base}/receipt", {"received_on": today}).json()["received_on"] == today
    outcome = _post(receiver, f"{base}/outcomes", {"title": "资产管理办法", "adopted_on": today, "kind": "improved"})
    assert outcome.status_code == 201 and outcome.json()["kind"] == "improved"
    assert _post(office, f"{API}/{pk}/close").status_code == 422
    assert _post(receiver, f"{base}/response", {"responded_on": today, "response": "已落实"}).status_code == 200
    closed = _post(office, f"{API}/{pk}/close").json()
    assert closed["state"] == "closed" and closed["outcome_count"] == 1
    assert [s["action"] for s in closed["steps"]] == ["submit", "approve", "issue", "close"]
    listed = office.get(API, {"state": "closed"}).json()
    assert listed["count"] == 1 and listed["items"][0]["responded"] == 1


def test_drafting_refusals_name_the_fields(world, letters_data):
    office = api_for(world.office_admin)
    response = _post(office, API, {"term_id": world.term.pk, "title": "", "problem_ids": [letters_data.lead.pk]})
    assert response.status_code == 422 and set(_fields(response)) == {"title", "problems"}
    response = _post(office, API, {"term_id": world.term.pk, "title": "x", "cluster_id": 999999})
    assert response.status_code == 422 and _fields(response) == ["cluster_id"]
    response = _post(office, API, {"term_id": world.term.pk, "title": "x", "problem_ids": [letters_data.problems[0].pk],
                                   "addressee_ids": [world.other_township.pk]})
    assert response.status_code == 422 and _fields(response) == ["addressee_ids"]
    assert _post(api_for(world.leader), API, {"term_id": world.term.pk, "title": "x"}).status_code == 403
    assert not Recommendation.objects.exists()


def test_the_receiver_reads_only_its_issued_letters(world, letters_data, other_receiver):
    draft = letter(world, letters_data)
    issued = letter(world, letters_data, "issued", title="已印发")
    receiver = api_for(world.receiver)
    assert receiver.get(API).status_code == 403
    assert receiver.get(f"{API}/{issued.pk}").status_code == 404
    received = receiver.get(f"{API}/received").json()
    assert [r["recommendation"]["id"] for r in received["items"]] == [issued.pk]
    assert [i["text"] for i in received["items"][0]["recommendation"]["items"]] == ["建立村集体资产台账", "规范资源发包程序"]
    other = api_for(other_receiver.user)
    assert other.get(f"{API}/received").json()["count"] == 0
    mine = issued.addressees.get().pk
    today = timezone.localdate().isoformat()
    assert _post(other, f"{API}/{issued.pk}/addressees/{mine}/response",
                 {"responded_on": today, "response": "x"}).status_code == 404
    assert _post(receiver, f"{API}/{draft.pk}/addressees/{draft.addressees.get().pk}/response",
                 {"responded_on": today, "response": "x"}).status_code == 404
    assert _post(receiver, f"{API}/{draft.pk}/addressees/{mine}/response",
                 {"responded_on": today, "response": "x"}).status_code == 404  # not this letter's addressee
    assert _post(api_for(world.supervisor), f"{API}/{issued.pk}/addressees/{mine}/response",
                 {"responded_on": today, "response": "x"}).status_code == 403
    response = _post(receiver, f"{API}/{issued.pk}/addressees/{mine}/response", {"responded_on": today,
                                                                                "response": " "})
    assert response.status_code == 422 and _fields(response) == ["response"]


def test_the_supervisor_reads_and_a_liaison_does_not(world, letters_data):
    rec = letter(world, letters_data, "issued")
    assert api_for(world.supervisor).get(f"{API}/{rec.pk}").status_code == 200
    assert api_for(world.unit_liaison).get(f"{API}/{rec.pk}").status_code == 404
    assert api_for(world.unit_liaison).get(API).status_code == 403
    assert _post(api_for(world.supervisor), f"{API}/{rec.pk}/close").status_code == 403


def test_transitions_out_of_turn_are_422(world, letters_data):
    rec = letter(world, letters_data, "approved")
    office = api_for(world.office_admin)
    assert _fields(_post(office, f"{API}/{rec.pk}/submit")) == ["state"]
    response = office.patch(f"{API}/{rec.pk}", {"title": "改"}, content_type="application/json")
    assert response.status_code == 422 and _fields(response) == ["state"]
    response = _post(office, f"{API}/{rec.pk}/issue", {"issued_on": "2999-01-01"})
    assert response.status_code == 422 and _fields(response) == ["issued_on"]


def test_a_campaign_through_the_api(world, letters_data, other_receiver):
    rec = letter(world, letters_data, "issued")
    office = api_for(world.office_staff)
    today = timezone.localdate().isoformat()
    response = _post(office, CAMPAIGNS, {"title": "村集体资产专项治理", "started_on": today, "recommendation_id": rec.pk,
                                         "lead_department_id": world.department.pk})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    item = _post(office, f"{CAMPAIGNS}/{pk}/items", {"title": "清理资产", "organization_id": world.department.pk})
    assert item.status_code == 201
    item_id = item.json()["id"]
    report = {"result": "已清理", "completed_on": today, "problems_fixed": 5, "money_recovered": "3000.00"}
    assert api_for(other_receiver.user).patch(f"{CAMPAIGNS}/items/{item_id}", report,
                                              content_type="application/json").status_code == 404
    assert api_for(world.leader).patch(f"{CAMPAIGNS}/items/{item_id}", report,
                                       content_type="application/json").status_code == 403
    done = api_for(world.receiver).patch(f"{CAMPAIGNS}/items/{item_id}", report, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert api_for(world.receiver).patch(f"{CAMPAIGNS}/items/{item_id}", {"title": "改名"},
                                         content_type="application/json").status_code == 403
    closed = _post(office, f"{CAMPAIGNS}/{pk}/close", {"summary": "清理资产3000元"}).json()
    assert closed["state"] == "closed" and closed["totals"]["problems_fixed"] == 5
    assert api_for(world.receiver).get(f"{CAMPAIGNS}/{pk}").status_code == 200  # its department leads it
    assert api_for(other_receiver.user).get(f"{CAMPAIGNS}/{pk}").status_code == 404
    response = _post(office, CAMPAIGNS, {"title": "", "started_on": today, "lead_department_id": 999999})
    assert response.status_code == 422 and _fields(response) == ["lead_department_id"]
