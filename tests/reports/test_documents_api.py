"""The documents API: generate, list, detail and download, scoped like the pages; the leads
report never reaches the inspected organization's liaison."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.reports.documents_helpers import make_feedback, make_report
from xuncha.access import services as access_services
from xuncha.access.models import AuditEvent

API = "/api/v1/documents"


@pytest.fixture
def api_as(db):
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"})
    return make


def _generate(client, doc_type, object_id, fmt="docx"):
    return client.post(API, json.dumps({"doc_type": doc_type, "object_id": object_id, "format": fmt}),
                       content_type="application/json")


def test_it_needs_a_token(db):
    assert Client().get(API).status_code == 401


def test_the_group_generates_lists_and_downloads_its_report(api_as, world, problems):
    report, _ = make_report(problems)
    leader = api_as(world.group_leader)
    response = _generate(leader, "report", report.pk)
    assert response.status_code == 201
    document = response.json()
    listed = leader.get(API).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == document["id"]
    download = leader.get(f"{API}/{document['id']}/download")
    assert download.status_code == 200 and b"".join(download.streaming_content if download.streaming else
                                                    [download.content])[:2] == b"PK"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="document.download").exists()


def test_other_groups_and_the_liaison_get_404_on_the_report(api_as, world, problems):
    report, _ = make_report(problems)
    document = _generate(api_as(world.group_leader), "report", report.pk).json()
    for role in ("group_member", "unit_liaison", "receiver"):
        client = api_as(world.users[role])
        assert client.get(f"{API}/{document['id']}").status_code == 404, role
        assert client.get(f"{API}/{document['id']}/download").status_code == 404, role
        assert client.get(API).json()["count"] == 0, role


def test_the_leads_report_is_confidential_and_never_the_liaisons(api_as, world, problems):
    leads, _ = make_report(problems, kind="leads", title="专题报告")
    document = _generate(api_as(world.office_admin), "leads", leads.pk).json()
    assert document["confidential"] is True
    feedback = make_feedback(problems)
    issued = _generate(api_as(world.office_admin), "feedback", feedback.pk).json()
    liaison = api_as(world.unit_liaison)
    assert liaison.get(f"{API}/{document['id']}/download").status_code == 404
    assert [d["id"] for d in liaison.get(API).json()["items"]] == [issued["id"]]
    assert api_as(world.supervisor).get(f"{API}/{document['id']}").status_code == 404


def test_a_role_that_may_not_generate_is_refused(api_as, world, problems):
    report, _ = make_report(problems)
    assert _generate(api_as(world.leader), "report", report.pk).status_code in (403, 404)
    assert _generate(api_as(world.unit_liaison), "report", report.pk).status_code == 404
    response = _generate(api_as(world.group_leader), "ledger", 10**6, "xlsx")
    assert response.status_code == 404
