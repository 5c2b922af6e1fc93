"""/api/v1/transfers: handing over (201, all or nothing), the receiver's receipt, handling steps
and results, the office's corrections, filters; refusals 401, 403, 404 and 422 naming fields."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone, translation

from tests.rectification.transfers_helpers import (  # noqa: F401
    ON,
    api_for,
    days,
    hand,
    receivers_fixture,
    set_due,
)
from xuncha.access.models import AuditEvent
from xuncha.rectification.models import Transfer, TransferAction

API = "/api/v1/transfers"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _post(client, url, body=None):
    return client.post(f"{API}{url}", body or {}, content_type="application/json")


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["detail"]]


def _create_body(problems_, receiver, **extra):
    return {"problem_ids": [p.pk for p in problems_], "receiver_id": receiver.pk, "transferred_on": "2024-06-03",
            **extra}


def test_it_needs_a_token(db):
    assert Client().get(API).status_code == 401
    assert Client().post(f"{API}/1/receipt", {}, content_type="application/json").status_code == 401


def test_the_office_hands_several_problems_over_in_one_call(world, problems, receivers):
    response = _post(api_for(world.office_admin), "", _create_body(
        [problems.lead, problems.general[1]], receivers.commission, number="县巡办移〔2024〕9号"))
    assert response.status_code == 201
    body = response.json()
    assert [item["problem"]["id"] for item in body] == [problems.general[1].pk, problems.lead.pk]
    first = body[0]
    assert first["feedback_due"] == "2024-09-03" and first["policy"]["transfer_feedback_months"] == 3
    assert first["state"] == "transferred" and first["number"] == "县巡办移〔2024〕9号"
    assert first["receiver_name"] == "县纪委监委" and first["handler"] == "office_admin"
    assert body[1]["kind"] == "lead" and first["overdue"] is True and first["warning"] == "red"


def test_one_summary_for_one_problem(world, problems, receivers):
    response = _post(api_for(world.office_staff), "", _create_body([problems.general[0]], receivers.finance,
                                                                   summary="惠农补贴延迟发放"))
    assert response.status_code == 201 and response.json()[0]["summary"] == "惠农补贴延迟发放"


def test_a_problem_already_handed_over_refuses_the_whole_call(world, problems, receivers):
    hand(world, [problems.general[2]], receivers.finance)
    response = _post(api_for(world.office_admin), "", _create_body(problems.general[1:3], receivers.finance))
    assert response.status_code == 422 and _fields(response) == ["problems"]
    assert problems.general[2].number in response.json()["detail"][0]["message"]
    assert Transfer.objects.count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"problem_ids": [999999]}, "problem_ids"),
    ({"receiver_id": 999999}, "receiver_id"),
    ({"receiver_id": "elsewhere"}, "receiver_id"),
    ({"transferred_on": "tomorrow"}, "transferred_on"),
    ({"summary": "两个一并"}, "summary"),
    ({"problem_ids": []}, "problems"),
    ({"transferred_on": "2024-13-01"}, "transferred_on"),
    ({"extra": 1}, "extra"),
])
def test_bad_hand_overs_are_422_naming_the_field(world, problems, receivers, change, field):
    body = _create_body(problems.general[:2], receivers.finance)
    body.update(change)
    if body.get("receiver_id") == "elsewhere":
        body["receiver_id"] = receivers.elsewhere.pk  # another county's: not one the office sees
    if body["transferred_on"] == "tomorrow":
        body["transferred_on"] = (timezone.localdate() + days(1)).isoformat()
    response = _post(api_for(world.office_admin), "", body)
    assert response.status_code == 422 and field in _fields(response)
    assert not Transfer.objects.exists()


@pytest.mark.parametrize("role", ["leader", "supervisor", "receiver"])
def test_roles_that_do_not_hand_over_get_403(world, problems, receivers, role):
    response = _post(api_for(world.users[role]), "", _create_body([problems.general[0]], receivers.finance))
    assert response.status_code == 403
    assert not Transfer.objects.exists()


@pytest.mark.parametrize("role", ["unit_liaison", "outsider", "group_leader"])
def test_roles_without_transfers_get_403_on_the_list(world, role):
    assert api_for(world.users[role]).get(API).status_code == 403


def test_the_list_filters_and_puts_the_overdue_first(world, problems, receivers):
    today = timezone.localdate()
    ahead, behind = hand(world, problems.general[:2], receivers.finance)
    lead = hand(world, [problems.lead], receivers.commission)[0]
    set_due(ahead, today + days(30))
    set_due(lead, today - days(1))
    api = api_for(world.office_admin)
    assert [i["id"] for i in api.get(API).json()["items"]] == [behind.pk, lead.pk, ahead.pk]
    assert [i["id"] for i in api.get(API, {"kind": "lead"}).json()["items"]] == [lead.pk]
    assert [i["id"] for i in api.get(API, {"receiver": receivers.finance.pk}).json()["items"]] == [behind.pk,
                                                                                                    ahead.pk]
    assert {i["id"] for i in api.get(API, {"overdue": True}).json()["items"]} == {behind.pk, lead.pk}
    assert api.get(API, {"state": "answered"}).json()["count"] == 0
    assert [i["id"] for i in api.get(API, {"limit": 1, "offset": 1}).json()["items"]] == [lead.pk]


def test_the_receiver_flow_receipt_actions_results_and_a_correction(world, problems, receivers):
    [transfer] = hand(world, [problems.general[1]], receivers.finance)
    api = api_for(world.receiver)
    early = _post(api, f"/{transfer.pk}/actions", {"on": "2024-06-05", "method": "preliminary"})
    assert early.status_code == 422 and _fields(early) == ["state"]
    received = _post(api, f"/{transfer.pk}/receipt", {"received_on": "2024-06-04", "receiver_handler": "周科长"})
    assert received.status_code == 200 and received.json()["state"] == "received"
    action = _post(api, f"/{transfer.pk}/actions", {"on": "2024-06-05", "method": "talk_inquiry", "note": "谈话"})
    assert action.status_code == 201 and action.json()["method"] == "talk_inquiry"
    results = {"answered_on": "2024-08-01", "people_disciplined": 1, "people_handled": 0,
               "money_recovered": "30000.00", "systems_established": 1, "result": "追回资金3万元。"}
    answered = _post(api, f"/{transfer.pk}/results", results)
    assert answered.status_code == 200
    body = answered.json()
    assert body["state"] == "answered" and body["answered_late"] is False and body["overdue"] is False
    assert body["money_recovered"] == "30000.00" and [a["method"] for a in body["actions"]] == [
        "talk_inquiry"]
    corrected = _post(api, f"/{transfer.pk}/results", {**results, "people_disciplined": 2})
    assert corrected.status_code == 200 and corrected.json()["people_disciplined"] == 2
    assert AuditEvent.objects.get(action="transfer.correct").detail["changes"] == {
        "people_disciplined": {"old": 1, "new": 2}}


@pytest.mark.parametrize(("change", "fields"), [
    ({"result": ""}, ["result"]),
    ({"people_disciplined": -1, "systems_established": -3}, ["people_disciplined", "systems_established"]),
    ({"money_recovered": "-5"}, ["money_recovered"]),
    ({"money_recovered": "1.005"}, ["money_recovered"]),
    ({"answered_on": "2024-06-01"}, ["answered_on"]),
])
def test_bad_results_are_422_naming_each_field(world, problems, receivers, change, fields):
    [transfer] = hand(world, [problems.general[1]], receivers.finance)
    api = api_for(world.receiver)
    _post(api, f"/{transfer.pk}/receipt", {"received_on": "2024-06-04", "receiver_handler": "周科长"})
    body = {"answered_on": "2024-08-01", "people_disciplined": 0, "people_handled": 0, "money_recovered": "0",
            "systems_established": 0, "result": "已办结。", **change}
    response = _post(api, f"/{transfer.pk}/results", body)
    assert response.status_code == 422 and sorted(_fields(response)) == fields
    transfer.refresh_from_db()
    assert transfer.state == "received"


def test_writes_by_the_wrong_role_are_403_and_by_another_receiver_404(world, problems, receivers):
    [transfer] = hand(world, [problems.general[1]], receivers.finance)
    receipt = {"received_on": "2024-06-04", "receiver_handler": "周科长"}
    for user in (world.office_admin, world.leader, world.supervisor):
        api = api_for(user)
        assert _post(api, f"/{transfer.pk}/receipt", receipt).status_code == 403
        assert _post(api, f"/{transfer.pk}/actions", {"on": "2024-06-05", "method": "case"}).status_code == 403
        assert _post(api, f"/{transfer.pk}/results", {"answered_on": "2024-06-05", "result": "…"}).status_code == 403
    other = api_for(receivers.commission_user)
    assert _post(other, f"/{transfer.pk}/receipt", receipt).status_code == 404
    assert other.patch(f"{API}/{transfer.pk}", {"summary": "改"}, content_type="application/json").status_code == 404
    assert api_for(world.unit_liaison).get(f"{API}/{transfer.pk}").status_code == 404
    transfer.refresh_from_db()
    assert transfer.state == "transferred" and not TransferAction.objects.exists()


def test_the_office_corrects_until_receipt(world, problems, receivers):
    [transfer] = hand(world, [problems.general[1]], receivers.finance)
    office = api_for(world.office_admin)
    response = office.patch(f"{API}/{transfer.pk}", {"summary": "坐收坐支问题", "number": "10号"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["summary"] == "坐收坐支问题"
    assert api_for(world.receiver).patch(f"{API}/{transfer.pk}", {"summary": "改"},
                                         content_type="application/json").status_code == 403
    _post(api_for(world.receiver), f"/{transfer.pk}/receipt", {"received_on": "2024-06-04",
                                                               "receiver_handler": "周科长"})
    late = office.patch(f"{API}/{transfer.pk}", {"summary": "再改"}, content_type="application/json")
    assert late.status_code == 422 and _fields(late) == ["state"]


def test_a_missing_transfer_is_404(world):
    assert api_for(world.office_admin).get(f"{API}/999999").status_code == 404
    assert _post(api_for(world.receiver), "/999999/receipt", {"received_on": "2024-06-04",
                                                              "receiver_handler": "周"}).status_code == 404


def test_the_list_takes_a_fixed_number_of_queries(world, problems, receivers, django_assert_max_num_queries):
    hand(world, problems.general[:3], receivers.finance)
    api = api_for(world.office_admin)
    api.get(API)
    with django_assert_max_num_queries(8):
        few = api.get(API).json()
    hand(world, [problems.general[3], problems.lead], receivers.finance)
    with django_assert_max_num_queries(8):
        many = api.get(API).json()
    assert (few["count"], many["count"]) == (3, 5)
