"""The auditor's audit-log page: filters, chain verification and the Excel export."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xuncha.access import audit, exports, policy
from xuncha.access.models import AuditEvent, AuditHead

OTHERS = ["leader", "office_admin", "group_member", "unit_liaison", "receiver", "supervisor",
          "sysadmin", "secadmin", "outsider"]


def _events(client, **params):
    return list(client.get(reverse("system:audit"), params).context["page"].object_list)


def _at(day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(2024, 2, day, hour, 0))


def _record_at(when: datetime, **kwargs) -> AuditEvent:
    with mock.patch.object(audit.timezone, "now", return_value=when):
        return audit.record(actor=policy.CONSOLE, **kwargs)


@pytest.fixture
def auditor_client(client, world):
    client.force_login(world.auditor)
    return client


def test_it_lists_events_newest_first(auditor_client):
    events = _events(auditor_client)
    assert events and [e.seq for e in events] == sorted((e.seq for e in events), reverse=True)
    assert events[0].seq == AuditHead.objects.get().seq


def test_it_abbreviates_the_hash(auditor_client):
    response = auditor_client.get(reverse("system:audit"))
    newest = response.context["page"].object_list[0]
    body = response.content.decode()
    assert f">{newest.hash[:10]}…<" in body
    assert f">{newest.hash}<" not in body


def test_it_paginates_fifty_events_a_page(auditor_client):
    for i in range(60):
        audit.record(actor=policy.CONSOLE, action="test.event", summary=f"e{i}")
    first, second = _events(auditor_client), _events(auditor_client, page=2)
    assert len(first) == 50 and first[-1].seq == second[0].seq + 1


def test_it_filters_by_actor_action_and_object(auditor_client, world):
    audit.record(actor=world.office_admin, action="registry.person.change", obj=world.villager,
                 summary="changed")
    assert {e.actor_name for e in _events(auditor_client, actor="OFFICE_")} == {"office_admin"}
    assert {e.action for e in _events(auditor_client, action="role.")} == {"role.grant"}
    assert [e.action for e in _events(auditor_client, action="registry.person.change")] == [
        "registry.person.change"]
    found = _events(auditor_client, object_type="person", object_id=str(world.villager.pk))
    assert [e.summary for e in found] == ["changed"]
    assert _events(auditor_client, object_type="person", object_id="999999") == []


def test_it_filters_by_dates_in_local_time(auditor_client):
    _record_at(_at(1), action="test.early")
    # 23:30 in Beijing on 2 February is still 2 February, although UTC says otherwise.
    _record_at(_at(2, 23) + timedelta(minutes=30), action="test.late")
    _record_at(_at(3), action="test.next")
    assert [e.action for e in _events(auditor_client, action="test.", date_from="2024-02-02",
                                      date_to="2024-02-02")] == ["test.late"]
    assert [e.action for e in _events(auditor_client, action="test.", date_to="2024-02-02")] == [
        "test.late", "test.early"]
    assert [e.action for e in _events(auditor_client, action="test.", date_from="2024-02-03")] == [
        "test.next"]


def test_it_explains_a_reversed_date_range(auditor_client):
    response = auditor_client.get(reverse("system:audit"), {"date_from": "2024-02-03", "date_to": "2024-02-01"})
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors


def test_it_lists_events_in_constant_queries(auditor_client, django_assert_max_num_queries):
    for i in range(80):
        audit.record(actor=policy.CONSOLE, action="test.event", summary=f"e{i}")
    auditor_client.get(reverse("system:audit"))
    with django_assert_max_num_queries(8):
        response = auditor_client.get(reverse("system:audit"), {"action": "test."})
    assert len(response.context["page"].object_list) == 50


@pytest.mark.parametrize("role", OTHERS)
def test_it_refuses_the_log_to_every_other_role(client, world, role):
    client.force_login(world.users[role])
    before = AuditEvent.objects.count()
    assert client.get(reverse("system:audit")).status_code == 403
    assert client.post(reverse("system:audit_verify")).status_code == 403
    assert client.post(reverse("system:audit_export")).status_code == 403
    assert AuditEvent.objects.count() == before


# -- verify ---------------------------------------------------------------------------------------

def test_it_verifies_an_intact_chain(auditor_client):
    count = AuditEvent.objects.count()
    response = auditor_client.post(reverse("system:audit_verify"), follow=True)
    message = [str(m) for m in response.context["messages"]]
    assert len(message) == 1 and str(count) in message[0]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    checked = AuditEvent.objects.filter(action="audit.verify").get()
    assert checked.detail["ok"] is True and checked.detail["checked"] == count


def test_it_names_the_first_broken_event(auditor_client):
    # The head claims one event more than the log holds: the log was cut short.
    AuditHead.objects.update(seq=F("seq") + 1)
    last = AuditEvent.objects.order_by("-seq").first().seq
    response = auditor_client.post(reverse("system:audit_verify"), follow=True)
    messages = list(response.context["messages"])
    assert [m.level_tag for m in messages] == ["error"]
    assert f"第 {last + 1} 条" in str(messages[0])
    assert AuditEvent.objects.filter(action="audit.verify").get().detail["ok"] is False


def test_verify_is_post_only(auditor_client):
    assert auditor_client.get(reverse("system:audit_verify")).status_code == 405


# -- export ---------------------------------------------------------------------------------------

def _read(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_it_exports_the_filtered_events(auditor_client, world):
    wanted = list(AuditEvent.objects.filter(action="role.grant").order_by("-seq"))
    rows = _read(auditor_client.post(reverse("system:audit_export"), {"action": "role."}))
    assert rows[0] == exports.headers()
    assert [r[0] for r in rows[1:]] == [e.seq for e in wanted]
    first = wanted[0]
    assert rows[1][2:10] == [first.actor_name, first.role or None, first.ip, first.action,
                            first.object_type, first.object_id, first.summary, first.hash]
    # Local (Beijing) time; Excel keeps milliseconds at most.
    assert abs(rows[1][1] - timezone.localtime(first.at).replace(tzinfo=None)) < timedelta(seconds=1)


def test_the_export_is_itself_audited(auditor_client, world):
    _read(auditor_client.post(reverse("system:audit_export"), {"action": "role.", "actor": "console"}))
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "audit.export" and event.actor == world.auditor
    wanted = AuditEvent.objects.filter(action__startswith="role.", actor_name__icontains="console").count()
    assert event.detail == {"filters": {"action": "role.", "actor": "console"}, "count": wanted}


def test_the_export_never_turns_typed_text_into_formulas(auditor_client):
    Client().post(reverse("access:login"), {"username": "=HYPERLINK(\"x\")", "password": "whatever-1"})
    response = auditor_client.post(reverse("system:audit_export"), {"action": "login.failed"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["C2"].value == '=HYPERLINK("x")' and sheet["C2"].data_type == "s"


def test_the_export_refuses_a_bad_filter_with_a_message(auditor_client):
    before = AuditEvent.objects.count()
    response = auditor_client.post(reverse("system:audit_export"), {"date_from": "not a date"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert AuditEvent.objects.count() == before


def test_the_page_offers_the_export_with_the_current_filter(auditor_client):
    body = auditor_client.get(reverse("system:audit"), {"action": "role."}).content.decode()
    assert reverse("system:audit_export") in body
    assert 'name="action" value="role."' in body


def test_export_is_post_only(auditor_client):
    assert auditor_client.get(reverse("system:audit_export")).status_code == 405
