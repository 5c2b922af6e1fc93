"""/api/v1/complaints: the register by scope, registering, edits, handling, replies, identity
requests and decisions, the audited identity view; refusals 401, 403, 404 and 422 naming fields;
no GET payload ever holds the informant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.intake.complaints_helpers import (  # noqa: F401
    CONTACT,
    NAME,
    api_for,
    findings,
    intake_fixture,
    media_fixture,
    register,
)
from xuncha.access.models import AuditEvent
from xuncha.intake.models import Complaint, IdentityAccess

pytestmark = pytest.mark.usefixtures("english")
API = "/api/v1/complaints"


def _post(client, url, body=None):
    return client.post(f"{API}{url}", body or {}, content_type="application/json")


def _fields(response) -> list[str]:
    return sorted(e["field"] for e in response.json()["detail"])


@pytest.fixture
def pair(world, intake):
    g1 = register(world, world.group_leader, group=world.group1, name=NAME, contact=CONTACT,
                  category=intake.village_focus)
    g2 = register(world, world.group_member, group=world.group2, content="二组的事", contact=CONTACT)
    return g1, g2


def test_it_needs_a_token(db):
    assert Client().get(API).status_code == 401
    assert Client().post(f"{API}/1/identity", {}, content_type="application/json").status_code == 401


def test_lists_by_scope_without_identity(world, pair):
    g1, g2 = pair
    body = api_for(world.office_admin).get(API).json()
    assert body["count"] == 2 and NAME not in str(body) and CONTACT not in str(body)
    assert {item["id"]: item["repeats"] for item in body["items"]} == {g1.pk: 1, g2.pk: 1}
    member = api_for(world.group_member)
    assert [i["id"] for i in member.get(API).json()["items"]] == [g2.pk]
    assert member.get(API, {"group": world.group1.pk}).json()["count"] == 0
    assert member.get(f"{API}/{g1.pk}").status_code == 404
    detail = member.get(f"{API}/{g2.pk}").json()
    assert detail["repeat_ids"] == [] and detail["repeats"] == 0 and NAME not in str(detail)
    filtered = api_for(world.leader).get(API, {"category": str(pair[0].category_id)}).json()
    assert [i["id"] for i in filtered["items"]] == [g1.pk]


@pytest.mark.parametrize("who", ["unit_liaison", "receiver", "supervisor"])
def test_those_outside_get_403_on_the_list_and_404_on_one(world, pair, who):
    client = api_for(world.users[who])
    assert client.get(API).status_code == 403
    assert client.get(f"{API}/{pair[0].pk}").status_code == 404


def test_registering_and_refusals(world, intake):
    client = api_for(world.group_deputy)
    response = _post(client, "", {"group_id": world.group1.pk, "channel": "phone", "received_on": "2024-03-08",
                                  "subject": "来电反映", "content": "来电反映村道工程质量差", "name": NAME,
                                  "contact": CONTACT, "category_id": intake.village_focus.pk,
                                  "organization_id": world.village.pk})
    assert response.status_code == 201
    body = response.json()
    assert body["group"] == world.group1.pk and body["anonymous"] is False and NAME not in str(body)
    assert _post(client, "", {"group_id": world.group2.pk, "channel": "phone", "received_on": "2024-03-08",
                              "subject": "x", "content": "y"}).status_code == 422
    bad = _post(api_for(world.office_admin), "", {"channel": "fax", "received_on": "2999-01-01", "subject": "",
                                                  "content": ""})
    assert bad.status_code == 422 and _fields(bad) == ["channel", "content", "received_on", "subject"]
    assert _post(api_for(world.leader), "", {"channel": "letter", "received_on": "2024-03-08", "subject": "x",
                                             "content": "y"}).status_code == 403
    assert Complaint.objects.count() == 1


def test_edit_and_handling(world, pair):
    g1, _g2 = pair
    client = api_for(world.group_leader)
    patched = client.patch(f"{API}/{g1.pk}", {"subject": "改后的事项", "category_id": 0}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["subject"] == "改后的事项"
    assert patched.json()["category"] is None
    assert _post(client, f"/{g1.pk}/handling", {"action": "to_department", "passed_to": "x"}).status_code == 403
    missing = _post(client, f"/{g1.pk}/handling", {"action": "conclude"})
    assert missing.status_code == 422 and _fields(missing) == ["outcome"]
    done = _post(client, f"/{g1.pk}/handling", {"action": "conclude", "outcome": "已核实"})
    assert done.status_code == 200 and done.json()["handling"] == "concluded"
    assert [s["to_state"] for s in done.json()["steps"]] == ["concluded"]
    assert _post(api_for(world.leader), f"/{g1.pk}/handling", {"action": "reopen", "comment": "x"}).status_code == 403
    assert _post(api_for(world.group_member), f"/{g1.pk}/handling",
                 {"action": "reopen", "comment": "x"}).status_code == 404
    reopened = _post(api_for(world.office_staff), f"/{g1.pk}/handling", {"action": "reopen", "comment": "新情况"})
    assert reopened.json()["handling"] == "pending"


def test_reply_to_an_online_filer(world, pair):
    g1, _g2 = pair
    client = api_for(world.group_leader)
    assert _post(client, f"/{g1.pk}/messages", {"text": "已收到"}).status_code == 422
    Complaint.objects.filter(pk=g1.pk).update(receipt_prefix="ZX98CV76", channel="online")
    response = _post(client, f"/{g1.pk}/messages", {"text": "已收到"})
    assert response.status_code == 201 and response.json()["from_public"] is False
    assert _post(api_for(world.leader), f"/{g1.pk}/messages", {"text": "x"}).status_code == 403


def test_identity_request_decision_and_view(world, pair):
    g1, _g2 = pair
    deputy = api_for(world.group_deputy)
    assert _post(deputy, f"/{g1.pk}/identity").status_code == 403
    requested = _post(deputy, f"/{g1.pk}/identity-requests", {"reason": "需回访核实"})
    assert requested.status_code == 201 and requested.json()["state"] == "requested"
    access_id = requested.json()["id"]
    until = (timezone.localdate() + timedelta(days=5)).isoformat()
    assert _post(deputy, f"/identity-requests/{access_id}/decision",
                 {"grant": True, "expires_on": until}).status_code == 403
    assert _post(api_for(world.office_staff), f"/identity-requests/{access_id}/decision",
                 {"grant": True, "expires_on": until}).status_code == 404
    no_date = _post(api_for(world.leader), f"/identity-requests/{access_id}/decision", {"grant": True})
    assert no_date.status_code == 422 and _fields(no_date) == ["expires_on"]
    granted = _post(api_for(world.leader), f"/identity-requests/{access_id}/decision",
                    {"grant": True, "expires_on": until})
    assert granted.status_code == 200 and granted.json()["state"] == "granted"
    viewed = _post(deputy, f"/{g1.pk}/identity")
    assert viewed.status_code == 200 and viewed.json() == {"name": NAME, "contact": CONTACT}
    assert IdentityAccess.objects.get().views == 1
    assert AuditEvent.objects.filter(action="intake.identity_view", actor_id=world.group_deputy.pk).count() == 1
    assert NAME not in str(deputy.get(f"{API}/{g1.pk}").json())
    assert _post(api_for(world.group_leader), f"/{g1.pk}/identity").status_code == 403
    assert _post(api_for(world.group_member), f"/{g1.pk}/identity").status_code == 404


def test_the_requester_cannot_decide_through_the_api(world, pair):
    g1, _g2 = pair
    admin = api_for(world.office_admin)
    access_id = _post(admin, f"/{g1.pk}/identity-requests", {"reason": "核查"}).json()["id"]
    response = _post(admin, f"/identity-requests/{access_id}/decision",
                     {"grant": True, "expires_on": "2099-01-01"})
    assert response.status_code == 403 and IdentityAccess.objects.get().state == "requested"
