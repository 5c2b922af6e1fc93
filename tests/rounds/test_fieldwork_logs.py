"""A group's logs: interviews, document requests, on-the-spot fixes. Who sees and writes what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.rounds.fieldwork_helpers import close_round, document_request, interview, target
from xuncha.access.models import AuditEvent
from xuncha.rounds.models import DocumentRequest, Interview, OnTheSpotFix
from xuncha.workbench.todos import todos_for

LIST_NAMES = ("rounds:interviews", "rounds:document_requests", "rounds:spot_fixes")


def _url(name, group, *args):
    return reverse(name, args=[group.pk, *args])


def _interview_data(**changes):
    data = {"interviewee": "李红", "post": "村委会主任", "held_at": "2024-03-06T14:00", "place": "镇政府",
            "interviewers": "张三", "recorder": "王五", "summary": "谈及工程项目招投标。"}
    data.update(changes)
    return data


# -- reading ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["group_leader", "group_deputy", "office_admin", "office_staff", "leader",
                                  "supervisor"])
def test_it_shows_group_1_logs_to_its_members_and_the_office(client, world, role):
    record = interview(world)
    client.force_login(world.users[role])
    for name in LIST_NAMES:
        assert client.get(_url(name, world.group1)).status_code == 200
    response = client.get(_url("rounds:interview_detail", world.group1, record.pk))
    assert response.status_code == 200
    assert "反映村集体资金使用不透明" in response.content.decode()


@pytest.mark.parametrize("role", ["group_member", "unit_liaison", "receiver", "outsider", "sysadmin",
                                  "secadmin", "auditor"])
def test_it_hides_group_1_logs_from_everyone_else(client, world, role):
    record = interview(world)
    doc = document_request(world)
    client.force_login(world.users[role])
    urls = [_url(name, world.group1) for name in LIST_NAMES] + [
        _url("rounds:interview_detail", world.group1, record.pk),
        _url("rounds:interview_edit", world.group1, record.pk),
        _url("rounds:interview_create", world.group1),
        _url("rounds:document_request_edit", world.group1, doc.pk),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(_url("rounds:document_request_returned", world.group1, doc.pk)).status_code == 404
    assert DocumentRequest.objects.get(pk=doc.pk).returned_on is None


def test_it_gives_404_for_a_record_asked_for_under_another_group(client, world):
    other = interview(world, world.group2)
    client.force_login(world.group_leader)
    assert client.get(_url("rounds:interview_detail", world.group1, other.pk)).status_code == 404


def test_it_audits_every_reading_of_an_interview(client, world):
    record = interview(world)
    client.force_login(world.office_admin)
    client.get(_url("rounds:interview_detail", world.group1, record.pk))
    event = AuditEvent.objects.filter(action="interview.read").get()
    assert event.actor_id == world.office_admin.pk and event.object_id == str(record.pk)


# -- writing ---------------------------------------------------------------------------------

def test_it_lets_a_group_member_record_and_edit_an_interview(client, world):
    client.force_login(world.group_deputy)
    response = client.post(_url("rounds:interview_create", world.group1), _interview_data())
    record = Interview.objects.get()
    assert response.status_code == 302 and record.group == world.group1
    assert record.recorded_by == world.group_deputy
    response = client.post(_url("rounds:interview_edit", world.group1, record.pk), _interview_data(place="村部"))
    record.refresh_from_db()
    assert record.place == "村部"
    event = AuditEvent.objects.filter(action="interview.update").get()
    assert event.detail == {"fields": ["place"]}  # never the confidential text itself


def test_it_names_the_field_of_bad_input_and_writes_nothing(client, world):
    client.force_login(world.group_leader)
    response = client.post(_url("rounds:interview_create", world.group1),
                           _interview_data(held_at="昨天", summary=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"held_at", "summary"}
    assert not Interview.objects.exists()


@pytest.mark.parametrize("role", ["office_admin", "office_staff", "leader", "supervisor"])
def test_it_keeps_the_office_and_oversight_read_only(client, world, role):
    record = interview(world)
    doc = document_request(world)
    client.force_login(world.users[role])
    assert client.get(_url("rounds:interview_create", world.group1)).status_code == 403
    assert client.post(_url("rounds:interview_create", world.group1), _interview_data()).status_code == 403
    assert client.post(_url("rounds:interview_edit", world.group1, record.pk), _interview_data()).status_code == 403
    assert client.post(_url("rounds:document_request_returned", world.group1, doc.pk)).status_code == 403
    assert client.get(_url("rounds:spot_fix_create", world.group1)).status_code == 403
    assert Interview.objects.count() == 1 and DocumentRequest.objects.get().returned_on is None
    assert "Record an interview" not in client.get(_url("rounds:interviews", world.group1)).content.decode()


def test_it_refuses_a_group_leaders_writes_once_the_round_is_completed(client, world):
    record = interview(world)
    doc = document_request(world)
    target(world)
    close_round(world)
    client.force_login(world.group_leader)
    assert client.get(_url("rounds:interviews", world.group1)).status_code == 200  # still readable
    assert client.post(_url("rounds:interview_create", world.group1), _interview_data()).status_code == 403
    assert client.post(_url("rounds:interview_edit", world.group1, record.pk),
                       _interview_data(place="改")).status_code == 403
    assert client.post(_url("rounds:document_request_returned", world.group1, doc.pk)).status_code == 403
    assert client.post(_url("rounds:spot_fix_create", world.group1),
                       {"item": "x", "organization": world.village.pk, "fixed_on": "2024-03-08",
                        "measure": "y"}).status_code == 403
    assert Interview.objects.count() == 1 and Interview.objects.get().place == "村委会会议室"
    assert DocumentRequest.objects.get().returned_on is None and not OnTheSpotFix.objects.exists()


# -- document requests -----------------------------------------------------------------------

def test_it_marks_documents_provided_and_returned_by_post_only(client, world):
    doc = document_request(world, provided=False)
    client.force_login(world.group_leader)
    assert client.get(_url("rounds:document_request_provided", world.group1, doc.pk)).status_code == 405
    client.post(_url("rounds:document_request_provided", world.group1, doc.pk))
    client.post(_url("rounds:document_request_returned", world.group1, doc.pk))
    doc.refresh_from_db()
    assert doc.provided_on == doc.returned_on == timezone.localdate()
    response = client.post(_url("rounds:document_request_returned", world.group1, doc.pk), follow=True)
    assert "already marked as returned" in response.content.decode() or "已" in response.content.decode()


def test_it_refuses_a_return_before_the_documents_were_provided(client, world):
    doc = document_request(world, provided=False)
    client.force_login(world.group_leader)
    client.post(_url("rounds:document_request_returned", world.group1, doc.pk), follow=True)
    assert DocumentRequest.objects.get(pk=doc.pk).returned_on is None


def test_it_records_a_document_request_and_checks_its_dates(client, world):
    client.force_login(world.group_leader)
    data = {"item": "会议记录", "copies": "2", "medium": "paper", "original": "original",
            "requested_on": "2024-03-05", "due": "2024-03-01"}
    response = client.post(_url("rounds:document_request_create", world.group1), data)
    assert response.status_code == 200 and "due" in response.context["form"].errors
    assert not DocumentRequest.objects.exists()
    data["due"] = "2024-03-20"
    assert client.post(_url("rounds:document_request_create", world.group1), data).status_code == 302
    doc = DocumentRequest.objects.get()
    assert doc.original and doc.copies == 2 and doc.due.isoformat() == "2024-03-20"


def test_it_lists_overdue_returns_and_puts_them_on_the_members_workbench(client, world):
    today = timezone.localdate()
    late = document_request(world, item="逾期账册", due=today - timedelta(days=1))
    document_request(world, item="按时归还", due=today - timedelta(days=1), returned=True)
    document_request(world, item="未到期", due=today + timedelta(days=3))
    document_request(world, world.group2, item="二组逾期", due=today - timedelta(days=2))
    client.force_login(world.group_leader)
    response = client.get(_url("rounds:document_requests", world.group1) + "?overdue=1")
    assert [d.pk for d in response.context["page"].object_list] == [late.pk]
    todos = todos_for(world.group_leader)
    overdue = [t for t in todos if "overdue" in str(t.title) or "逾期" in str(t.title)]
    assert [(t.count, t.url) for t in overdue] == [(1, _url("rounds:document_requests", world.group1) + "?overdue=1")]
    assert not [t for t in todos_for(world.office_admin) if "overdue" in str(t.title)]
    close_round(world)
    assert not [t for t in todos_for(world.group_leader) if "overdue" in str(t.title)]


# -- on-the-spot fixes -----------------------------------------------------------------------

def test_it_records_a_spot_fix_only_for_one_of_the_groups_targets(client, world):
    target(world)
    client.force_login(world.group_leader)
    data = {"item": "公示栏信息未更新", "organization": world.department.pk, "fixed_on": "2024-03-08",
            "measure": "当日更新公示栏。"}
    response = client.post(_url("rounds:spot_fix_create", world.group1), data)
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    data["organization"] = world.village.pk
    assert client.post(_url("rounds:spot_fix_create", world.group1), data).status_code == 302
    fix = OnTheSpotFix.objects.get()
    assert fix.organization == world.village
    response = client.get(_url("rounds:spot_fixes", world.group1))
    assert "公示栏信息未更新" in response.content.decode()


# -- query counts ----------------------------------------------------------------------------

def test_it_reads_the_interview_list_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(25):
        interview(world, name=f"谈话对象{n}")
    client.force_login(world.group_leader)
    with django_assert_max_num_queries(9):
        response = client.get(_url("rounds:interviews", world.group1))
    assert len(response.context["page"].object_list) == 25


def test_it_reads_the_document_list_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(25):
        document_request(world, item=f"资料{n}", due=timezone.localdate() - timedelta(days=n % 3))
    client.force_login(world.office_staff)
    with django_assert_max_num_queries(9):
        response = client.get(_url("rounds:document_requests", world.group1))
    assert len(response.context["page"].object_list) == 25
