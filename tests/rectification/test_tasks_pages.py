"""Task pages: the liaison's workspace (most urgent first, warning colours at the thresholds,
counts, the feedback's deadlines), one task per role, progress with evidence, the closure
actions, the office's closure queue, the audited download, menus and to-dos; refusals (403 for
roles that read no task, 404 for other organizations) and query counts."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.findings.evidence_helpers import EXE_BYTES, PDF_BYTES
from tests.rectification.tasks_helpers import (  # noqa: F401 - fixtures used here
    TODAY,
    bytes_of,
    client_for,
    due_in,
    in_state,
    media_fixture,
    more_tasks,
    other_liaison_fixture,
    progress,
    returned,
    stored_files,
    today_fixture,
    upload,
)
from xuncha.access.models import AuditEvent
from xuncha.rectification import services_tasks as services
from xuncha.rectification.models import Progress, ProgressEvidence, Task
from xuncha.workbench.nav import menu_for
from xuncha.workbench.todos import todos_for

WORKSPACE = reverse("rectification:workspace")
RANK = {"red": 0, "yellow": 1, "green": 2, "": 3}
QUEUE = reverse("rectification:closure_queue")


@pytest.fixture(autouse=True)
def _setup(media, today):
    pass


def _english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _detail(task) -> str:
    return reverse("rectification:task_detail", args=[task.pk])


def _transition(task) -> str:
    return reverse("rectification:task_transition", args=[task.pk])


def _rows(html: str) -> list[tuple[int, str]]:
    """(task id, warning level) of the workspace's rows, in order."""
    return [(int(pk), level) for pk, level in re.findall(r'data-testid="task-row" data-task="(\d+)" data-level="(\w*)"',
                                                          html)]


def _badge(html: str, task) -> tuple[str, str]:
    """The (level, days left) of a task row's deadline badge."""
    row = html[html.index(f'data-task="{task.pk}"'):]
    level, days = re.search(r'data-testid="deadline" data-level="(\w*)" data-days="(-?\d*)"', row).groups()
    return level, days


# -- the workspace ---------------------------------------------------------------------------

def test_the_workspace_lists_open_tasks_most_urgent_first_with_counts(world, approved_plan):
    first, second, third, fourth = approved_plan.tasks
    due_in(first, 30)
    due_in(second, -3)
    due_in(third, 5)
    due_in(fourth, 15)
    in_state(Task.objects.get(pk=fourth.pk), "requested", liaison=world.unit_liaison, office=world.office_admin)
    response = client_for(world.unit_liaison).get(WORKSPACE)
    assert response.status_code == 200
    html = response.content.decode()
    assert _rows(html) == [(second.pk, "red"), (third.pk, "yellow"), (first.pk, "")]
    counts = {name: int(n) for name, n in re.findall(r'data-testid="count-([\w-]+)">(\d+)<', html)}
    assert counts == {"open": 3, "due-soon": 1, "overdue": 1, "requested": 1, "closed": 0}
    assert approved_plan.tasks[0].measures in html and "惠农补贴发放不及时" in html
    assert "2024年6月28日" in html  # the overdue deadline, in the Chinese date format
    assert html.count('data-testid="progress-form"') == 3 and 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize("days, level", [(21, ""), (20, "green"), (11, "green"), (10, "yellow"), (1, "yellow"),
                                         (0, "yellow"), (-1, "red"), (-30, "red")])
def test_warning_colours_at_the_thresholds(world, approved_plan, days, level):
    task = due_in(approved_plan.tasks[0], days)
    html = client_for(world.unit_liaison).get(WORKSPACE).content.decode()
    assert _badge(html, task) == (level, str(days))
    css = {"": "secondary", "green": "success", "yellow": "warning", "red": "danger"}[level]
    assert f'<span class="badge text-bg-{css}" data-testid="deadline" data-level="{level}" data-days="{days}"' in html


@pytest.mark.parametrize("days, level", [(31, ""), (30, "green"), (6, "green"), (5, "yellow"), (-1, "red")])
def test_the_thresholds_come_from_the_feedbacks_policy(world, approved_plan, days, level):
    policy = approved_plan.feedback.policy
    policy.warn_green_days, policy.warn_yellow_days = 30, 5
    policy.save(update_fields=["warn_green_days", "warn_yellow_days"])
    task = due_in(approved_plan.tasks[0], days)
    html = client_for(world.unit_liaison).get(WORKSPACE).content.decode()
    assert _badge(html, task) == (level, str(days))
    # The database's order (by its own reading of the thresholds) agrees with the badges.
    ranks = [RANK[row_level] for _, row_level in _rows(html)]
    assert (task.pk, level) in _rows(html) and ranks == sorted(ranks)


def test_the_workspace_on_another_day(world, approved_plan, today):
    """The same tasks seen later: the frozen "today" moves the colours, not a clock."""
    task = due_in(approved_plan.tasks[1], 0)
    today(TODAY + timedelta(days=1))
    html = client_for(world.unit_liaison).get(WORKSPACE).content.decode()
    assert _badge(html, task) == ("red", "-1")


def test_a_returned_request_is_flagged_with_the_offices_comment(world, approved_plan):
    task = returned(approved_plan.tasks[2], liaison=world.unit_liaison, office=world.office_admin,
                    comment="公示照片不清晰，请补充。")
    html = client_for(world.unit_liaison).get(WORKSPACE).content.decode()
    row = html[html.index(f'data-task="{task.pk}"'):]
    assert 'data-testid="returned"' in row[:2000] and "公示照片不清晰，请补充。" in row[:2000]
    assert 'data-testid="last-progress"' in row[:3000]


def test_the_tabs_show_requested_and_closed_tasks(world, approved_plan):
    requested = in_state(approved_plan.tasks[0], "requested", liaison=world.unit_liaison, office=world.office_admin)
    closed = in_state(approved_plan.tasks[1], "closed", liaison=world.unit_liaison, office=world.office_admin)
    client = client_for(world.unit_liaison)
    assert [pk for pk, _ in _rows(client.get(WORKSPACE, {"show": "requested"}).content.decode())] == [requested.pk]
    html = client.get(WORKSPACE, {"show": "closed"}).content.decode()
    assert _rows(html) == [(closed.pk, "")] and 'data-testid="progress-form"' not in html
    assert {pk for pk, _ in _rows(client.get(WORKSPACE, {"show": "bogus"}).content.decode())} == {
        approved_plan.tasks[2].pk, approved_plan.tasks[3].pk}


@pytest.mark.parametrize("day, level, days", [(date(2024, 7, 1), "", "50"), (date(2024, 8, 5), "green", "15"),
                                              (date(2024, 8, 15), "yellow", "5"), (date(2024, 8, 21), "red", "-1")])
def test_the_feedback_deadlines_are_coloured_the_same_way(world, approved_plan, today, day, level, days):
    today(day)
    html = client_for(world.unit_liaison).get(WORKSPACE).content.decode()
    panel = html[html.index('data-testid="feedback-deadline"'):]
    for name in ("rectification-due", "progress-report-due"):
        part = panel[panel.index(f'data-testid="{name}"'):]
        assert re.search(r'data-level="(\w*)" data-days="(-?\d*)"', part).groups() == (level, days)
    assert "2024年8月20日" in panel


def test_the_rectification_deadline_is_done_once_every_task_is_closed(world, approved_plan, today):
    for task in approved_plan.tasks:
        in_state(task, "closed", liaison=world.unit_liaison, office=world.office_admin)
    today(date(2024, 8, 25))
    html = client_for(world.unit_liaison).get(WORKSPACE).content.decode()
    part = html[html.index('data-testid="rectification-due"'):]
    assert re.search(r'data-level="(\w*)" data-days="(-?\d*)"', part).groups() == ("", "")
    part = html[html.index('data-testid="progress-report-due"'):]
    assert re.search(r'data-level="(\w*)"', part).group(1) == "red"


@pytest.mark.parametrize("role", ["office_admin", "leader", "supervisor", "receiver", "group_member", "sysadmin"])
def test_the_workspace_is_the_liaisons(world, approved_plan, role):
    assert client_for(world.users[role]).get(WORKSPACE).status_code == 403


def test_another_organizations_liaison_sees_none_of_these_tasks(world, approved_plan, other_liaison):
    response = client_for(other_liaison).get(WORKSPACE)
    assert response.status_code == 200
    html = response.content.decode()
    assert _rows(html) == [] and 'data-testid="feedback-deadline"' not in html
    assert "惠农补贴发放不及时" not in html


def test_the_workspace_query_count_does_not_grow_with_tasks(world, approved_plan, django_assert_max_num_queries):
    client = client_for(world.unit_liaison)
    client.get(WORKSPACE)
    with django_assert_max_num_queries(11) as few:
        client.get(WORKSPACE)
    tasks = more_tasks(approved_plan.plan, approved_plan.problems[0], 24)
    for task in tasks[:6]:
        progress(task, world.unit_liaison)
    returned(tasks[7], liaison=world.unit_liaison, office=world.office_admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(WORKSPACE).content.decode()
    assert len(_rows(html)) == 28


# -- one task --------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["unit_liaison", "office_admin", "office_staff", "leader", "supervisor"])
def test_the_task_page_for_those_who_read_it(world, approved_plan, role):
    task = approved_plan.tasks[0]
    progress(task, world.unit_liaison, files=[upload("补发清单.pdf")])
    html = client_for(world.users[role]).get(_detail(task)).content.decode()
    assert "惠农补贴发放不及时" in html and "2023年耕地地力保护补贴延迟4个月发放。" in html
    assert task.measures in html and "李会计" in html and "已逐户核对并补发到位。" in html
    evidence = ProgressEvidence.objects.get()
    assert reverse("rectification:task_evidence_download", args=[evidence.pk]) in html
    assert ('data-testid="progress-form"' in html) == (role == "unit_liaison")
    assert ('data-testid="transition-request"' in html) == (role == "unit_liaison")


@pytest.mark.parametrize("role, status", [("receiver", 403), ("group_leader", 403), ("group_member", 403),
                                          ("outsider", 403), ("sysadmin", 403), ("auditor", 403)])
def test_the_task_page_for_roles_that_read_no_task(world, approved_plan, role, status):
    task = approved_plan.tasks[0]
    client = client_for(world.users[role])
    assert client.get(_detail(task)).status_code == status
    assert client.post(_transition(task), {"action": "request"}).status_code == status


def test_another_organization_gets_404_and_the_anonymous_a_sign_in(world, approved_plan, other_liaison, client):
    task = approved_plan.tasks[0]
    other = client_for(other_liaison)
    assert other.get(_detail(task)).status_code == 404
    assert other.post(reverse("rectification:task_progress_add", args=[task.pk]),
                      {"reported_on": "2024-06-01", "text": "x"}).status_code == 404
    assert other.post(_transition(task), {"action": "request"}).status_code == 404
    assert client.get(_detail(task)).status_code == 302


def test_a_task_of_a_plan_not_approved_is_not_found(world, approved_plan):
    approved_plan.plan.state = "submitted"
    approved_plan.plan.save(update_fields=["state"])
    for role in ("unit_liaison", "office_admin"):
        assert client_for(world.users[role]).get(_detail(approved_plan.tasks[0])).status_code == 404


@pytest.mark.parametrize("state, role, actions", [
    ("open", "unit_liaison", ["request"]), ("open", "office_admin", []),
    ("requested", "unit_liaison", []), ("requested", "office_staff", ["close", "return"]),
    ("requested", "leader", []), ("closed", "office_admin", ["reopen"]), ("closed", "supervisor", []),
])
def test_the_actions_the_viewer_may_take(world, approved_plan, state, role, actions):
    task = in_state(approved_plan.tasks[0], state, liaison=world.unit_liaison, office=world.office_admin)
    html = client_for(world.users[role]).get(_detail(task)).content.decode()
    assert re.findall(r'data-testid="transition-(\w+)"', html) == actions
    assert ('data-testid="progress-form"' in html) == (state == "open" and role == "unit_liaison")


def test_progress_is_reported_with_files_from_the_page(world, approved_plan, media):
    task = approved_plan.tasks[0]
    client = client_for(world.unit_liaison)
    response = client.post(reverse("rectification:task_progress_add", args=[task.pk]), {
        "reported_on": "2024年6月20日", "text": "已补发到位。", "next": WORKSPACE,
        "files": [upload("补发清单.pdf"), upload("签收表.pdf")]})
    assert response.status_code == 302 and response["Location"] == WORKSPACE
    made = Progress.objects.get()
    assert made.reported_on == date(2024, 6, 20) and made.evidence.count() == 2 and len(stored_files(media)) == 2


def test_a_disguised_file_is_refused_on_the_page_by_name(world, approved_plan, media):
    task = approved_plan.tasks[0]
    client = _english(client_for(world.unit_liaison))
    response = client.post(reverse("rectification:task_progress_add", args=[task.pk]), {
        "reported_on": "2024-06-20", "text": "已补发到位。", "files": [upload("补发清单.pdf"), upload("发票.pdf", EXE_BYTES)]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "发票.pdf: The file is named .pdf but its content is not PDF" in html
    assert not Progress.objects.exists() and not stored_files(media)


@pytest.mark.parametrize("role", ["office_admin", "leader"])
def test_readers_may_not_report_progress(world, approved_plan, role):
    task = approved_plan.tasks[0]
    response = client_for(world.users[role]).post(reverse("rectification:task_progress_add", args=[task.pk]),
                                                  {"reported_on": "2024-06-20", "text": "x"})
    assert response.status_code == 403 and not Progress.objects.exists()


def test_closure_through_the_pages(world, approved_plan):
    task = approved_plan.tasks[0]
    liaison, office = client_for(world.unit_liaison), _english(client_for(world.office_admin))
    assert liaison.get(_transition(task)).status_code == 405
    assert liaison.post(_transition(task), {"action": "request"}).status_code == 400  # no evidence yet
    progress(task, world.unit_liaison)
    assert liaison.post(_transition(task), {"action": "request", "comment": "已整改"}).status_code == 302
    assert liaison.post(_transition(task), {"action": "close"}).status_code == 403
    response = office.post(_transition(task), {"action": "return"})
    assert response.status_code == 400 and "Say why the closure request is returned." in response.content.decode()
    assert office.post(_transition(task), {"action": "close", "comment": "材料齐全"}).status_code == 302
    task.refresh_from_db()
    assert task.state == "closed" and task.closed_by == world.office_admin
    html = office.get(_detail(task)).content.decode()
    assert re.findall(r'data-testid="step" data-action="(\w+)"', html) == ["request", "close"]
    assert "材料齐全" in html


def test_evidence_is_removed_from_the_page_while_open(world, approved_plan, media,
                                                      django_capture_on_commit_callbacks):
    task = approved_plan.tasks[0]
    progress(task, world.unit_liaison)
    evidence = ProgressEvidence.objects.get()
    url = reverse("rectification:task_evidence_remove", args=[evidence.pk])
    assert client_for(world.office_admin).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(world.unit_liaison).post(url).status_code == 302
    assert not ProgressEvidence.objects.exists() and not stored_files(media)


# -- the closure queue -----------------------------------------------------------------------

def test_the_queue_lists_requests_oldest_first_with_evidence_counts(world, approved_plan):
    first, second, third, _ = approved_plan.tasks
    in_state(second, "requested", liaison=world.unit_liaison, office=world.office_admin)
    progress(first, world.unit_liaison, files=[upload("a.pdf"), upload("b.pdf")])
    in_state(first, "requested", liaison=world.unit_liaison, office=world.office_admin)
    in_state(third, "closed", liaison=world.unit_liaison, office=world.office_admin)
    for role in ("office_admin", "office_staff"):
        html = client_for(world.users[role]).get(QUEUE).content.decode()
        assert re.findall(r'data-testid="queue-row" data-task="(\d+)"', html) == [str(second.pk), str(first.pk)]
        assert re.findall(r'data-testid="evidence-count">(\d+)<', html) == ["1", "3"]


@pytest.mark.parametrize("role", ["unit_liaison", "leader", "supervisor", "receiver", "group_leader", "sysadmin"])
def test_the_queue_is_the_offices(world, approved_plan, role):
    assert client_for(world.users[role]).get(QUEUE).status_code == 403


def test_close_and_return_inline_from_the_queue(world, approved_plan):
    first, second = (in_state(t, "requested", liaison=world.unit_liaison, office=world.office_admin)
                     for t in approved_plan.tasks[:2])
    client = _english(client_for(world.office_admin))
    response = client.post(_transition(first), {"action": "return", "comment": "", "next": QUEUE}, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE and "Say why" in response.content.decode()
    assert Task.objects.get(pk=first.pk).state == "requested"
    client.post(_transition(first), {"action": "return", "comment": "照片不清", "next": QUEUE})
    client.post(_transition(second), {"action": "close", "next": "https://example.com/"})
    assert [Task.objects.get(pk=t.pk).state for t in (first, second)] == ["open", "closed"]
    assert 'data-testid="queue-row"' not in client.get(QUEUE).content.decode()


def test_the_queue_query_count_does_not_grow_with_requests(world, approved_plan, django_assert_max_num_queries):
    in_state(approved_plan.tasks[0], "requested", liaison=world.unit_liaison, office=world.office_admin)
    client = client_for(world.office_admin)
    client.get(QUEUE)
    with django_assert_max_num_queries(8) as few:
        client.get(QUEUE)
    for task in more_tasks(approved_plan.plan, approved_plan.problems[0], 12):
        in_state(task, "requested", liaison=world.unit_liaison, office=world.office_admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(QUEUE).content.decode()
    assert html.count('data-testid="queue-row"') == 13


# -- the download ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["unit_liaison", "office_admin", "leader", "supervisor"])
def test_the_download_streams_the_file_under_its_chinese_name_and_is_audited(world, approved_plan, role):
    progress(approved_plan.tasks[0], world.unit_liaison, files=[upload("补发清单.pdf")])
    evidence = ProgressEvidence.objects.get()
    response = client_for(world.users[role]).get(reverse("rectification:task_evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and bytes_of(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%A1%A5%E5%8F%91%E6%B8%85%E5%8D%95.pdf" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="task_evidence.download")
    assert (event.actor, event.object_id) == (world.users[role], str(evidence.pk))


@pytest.mark.parametrize("who, status", [("other_liaison", 404), ("receiver", 403), ("group_leader", 403),
                                         ("sysadmin", 403)])
def test_the_download_is_refused_outside_the_scope_and_not_audited(world, approved_plan, other_liaison, who, status):
    progress(approved_plan.tasks[0], world.unit_liaison)
    evidence = ProgressEvidence.objects.get()
    user = other_liaison if who == "other_liaison" else world.users[who]
    assert client_for(user).get(reverse("rectification:task_evidence_download",
                                        args=[evidence.pk])).status_code == status
    assert not AuditEvent.objects.filter(action="task_evidence.download").exists()


# -- menus and to-dos ------------------------------------------------------------------------

def _labels(user) -> set[str]:
    from django.utils import translation

    with translation.override("en"):
        return {str(item["label"]) for stage in menu_for(user) for item in stage["items"]}


def test_the_menus(world, approved_plan):
    assert "Rectification workspace" in _labels(world.unit_liaison)
    assert "Closure requests" not in _labels(world.unit_liaison)
    assert "Closure requests" in _labels(world.office_staff)
    assert "Rectification workspace" not in _labels(world.office_admin)
    assert not {"Closure requests", "Rectification workspace"} & _labels(world.leader)


def test_the_todos(world, approved_plan):
    from django.utils import translation

    first, second, third, fourth = approved_plan.tasks
    due_in(first, -2)
    due_in(second, 4)
    due_in(third, 19)
    due_in(fourth, 40)
    returned(fourth, liaison=world.unit_liaison, office=world.office_admin)
    in_state(Task.objects.get(pk=third.pk), "requested", liaison=world.unit_liaison, office=world.office_admin)
    with translation.override("en"):
        liaison = {(str(t.title), t.count, t.level, t.url) for t in todos_for(world.unit_liaison)}
        office = {(str(t.title), t.count, t.level, t.url) for t in todos_for(world.office_admin)}
    assert {("Tasks overdue", 1, "danger", WORKSPACE), ("Tasks due within the warning period", 1, "warning", WORKSPACE),
            ("Closure requests returned", 1, "warning", WORKSPACE)} <= liaison
    assert ("Closure requests to verify", 1, "primary", QUEUE) in office
    assert not any(title.startswith("Closure requests to") for title, *_ in liaison)
    services.task_close(actor=world.office_admin, task=Task.objects.get(pk=third.pk))
    with translation.override("en"):
        assert not any(str(t.title) == "Closure requests to verify" for t in todos_for(world.office_admin))
