"""Feedback pages: the round's list, one feedback (edit, issue, meeting, copies), the liaison's
workspace (本单位反馈意见) and acknowledgement; refusals (403/404) and query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.conftest import PASSWORD
from tests.reports.feedback_helpers import draft_feedback, issued_feedback, report
from xuncha.findings.models import Problem
from xuncha.reports.models import Feedback, GeneratedDocument
from xuncha.workbench.todos import todos_for


def zh(msgid: str) -> str:
    """A message as the Chinese pages show it."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)

LIST = reverse("reports:feedback_list")
UNIT = reverse("reports:unit_feedback")


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings, tmp_path):
    """Issuing generates the feedback's documents: keep their files out of the data directory."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _detail(feedback) -> str:
    return reverse("reports:feedback_detail", args=[feedback.pk])


def _unit(feedback) -> str:
    return reverse("reports:unit_feedback_detail", args=[feedback.pk])


# -- the round's list ------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["office_admin", "office_staff", "leader", "group_leader", "group_deputy"])
def test_the_list_shows_the_round_targets_with_report_and_feedback(world, findings, problems, role):
    issued_feedback(problems.target, on=date(2024, 5, 20))
    report(findings.target2, state="returned")
    response = _client(world.users[role]).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "东门村" in html and "2024年5月20日" in html and "2024年8月20日" in html
    assert ("城关镇" in html) == (role not in ("group_leader", "group_deputy"))


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "outsider", "sysadmin"])
def test_the_list_is_refused_to_roles_outside_the_inspectorate(world, problems, role):
    assert _client(world.users[role]).get(LIST).status_code == 403


def test_the_list_query_count_does_not_grow_with_targets(world, findings, problems, django_assert_max_num_queries):
    from xuncha.rounds.models import Assignment

    issued_feedback(problems.target)
    draft_feedback(findings.target2)
    for name in ("南街村", "北坡村", "西山村", "东岭村", "河湾村"):
        org = world.village.__class__.objects.create(committee=world.county, name=name, kind=world.kinds["village"])
        Assignment.objects.create(group=world.group1, organization=org)
    client = _client(world.office_admin)
    client.get(LIST)
    with django_assert_max_num_queries(10):
        response = client.get(LIST, {"round": world.round.pk})
    assert response.content.decode().count('href="/reports/feedback/') >= 2


def test_drafting_from_the_list(world, findings, problems):
    report(problems.target)
    client = _client(world.group_leader)
    response = client.post(reverse("reports:feedback_create", args=[problems.target.pk]))
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(feedback)
    assert client.get(reverse("reports:feedback_create", args=[problems.target.pk])).status_code == 405
    # The other group's target: out of scope.
    report(findings.target2)
    assert client.post(reverse("reports:feedback_create", args=[findings.target2.pk])).status_code == 404
    # A reader who may not write: 403.
    assert _client(world.leader).post(reverse("reports:feedback_create", args=[findings.target2.pk])).status_code \
        == 403


def test_a_returned_report_cannot_be_fed_back_from_the_page(world, problems):
    report(problems.target, state="returned")
    client = _client(world.office_admin)
    response = client.post(reverse("reports:feedback_create", args=[problems.target.pk]), follow=True)
    assert zh("The inspection report was returned; it cannot be fed back until it is approved.") in response.content.decode() and not Feedback.objects.exists()


# -- one feedback ----------------------------------------------------------------------------

def test_the_draft_page_offers_non_lead_problems_and_the_issue_form(world, problems):
    feedback = draft_feedback(problems.target, world.group_leader)
    html = _client(world.group_leader).get(_detail(feedback)).content.decode()
    for p in problems.general:
        assert f'value="{p.pk}"' in html
    assert problems.lead.title not in html and f'value="{problems.lead.pk}"' not in html
    assert 'data-testid="issue-form"' in html and "认真组织整改" in html


@pytest.mark.parametrize("role, status", [("group_member", 404), ("receiver", 403), ("outsider", 403),
                                          ("auditor", 403), ("unit_liaison", 404)])
def test_the_feedback_page_refuses_out_of_scope_and_roles_without_the_right(world, problems, role, status):
    feedback = draft_feedback(problems.target)
    assert _client(world.users[role]).get(_detail(feedback)).status_code == status


@pytest.mark.parametrize("role", ["leader", "group_deputy", "supervisor"])
def test_readers_see_it_without_forms_and_their_writes_are_refused(world, problems, role):
    feedback = draft_feedback(problems.target)
    client = _client(world.users[role])
    html = client.get(_detail(feedback)).content.decode()
    assert 'data-testid="feedback-form"' not in html and 'data-testid="issue-form"' not in html
    assert client.post(reverse("reports:feedback_issue", args=[feedback.pk]),
                       {"fed_back_on": "2024-05-20"}).status_code == 403
    assert client.post(reverse("reports:feedback_edit", args=[feedback.pk]),
                       {"requirements": "x"}).status_code == 403


def test_edit_a_lead_posted_by_hand_is_refused(world, problems):
    feedback = draft_feedback(problems.target, world.group_leader)
    client = _client(world.group_leader)
    response = client.post(reverse("reports:feedback_edit", args=[feedback.pk]),
                           {"problems": [problems.general[0].pk, problems.lead.pk], "requirements": "一、整改。"})
    assert response.status_code == 400
    assert set(feedback.problems.all()) == set(problems.general)
    response = client.post(reverse("reports:feedback_edit", args=[feedback.pk]),
                           {"problems": [problems.general[0].pk], "requirements": "一、认真整改。"})
    assert response.status_code == 302
    assert list(feedback.problems.all()) == [problems.general[0]]


def test_issue_from_the_page_then_read_only(world, problems):
    feedback = draft_feedback(problems.target, world.group_leader)
    client = _client(world.group_leader)
    bad = client.post(reverse("reports:feedback_issue", args=[feedback.pk]), {"fed_back_on": "明天"})
    assert bad.status_code == 400 and 'is-invalid' in bad.content.decode()
    response = client.post(reverse("reports:feedback_issue", args=[feedback.pk]), {"fed_back_on": "2024年5月20日"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.state == "issued" and feedback.rectification_due == date(2024, 8, 20)
    assert Problem.objects.filter(fed_back=True).count() == 4
    html = client.get(_detail(feedback)).content.decode()
    assert 'data-testid="feedback-form"' not in html and 'data-testid="issue-form"' not in html
    assert 'data-testid="feedback-policy"' in html and "默认工作时限" in html
    response = client.post(reverse("reports:feedback_edit", args=[feedback.pk]), {"requirements": "x"}, follow=True)
    assert zh("This feedback has been issued; it can no longer be changed.") in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.requirements != "x"


def test_issue_refused_when_the_report_was_returned_shows_why(world, problems):
    feedback = draft_feedback(problems.target, world.group_leader)
    feedback.report.state = "returned"
    feedback.report.save()
    client = _client(world.group_leader)
    assert 'data-testid="report-refusal"' in client.get(_detail(feedback)).content.decode()
    response = client.post(reverse("reports:feedback_issue", args=[feedback.pk]), {"fed_back_on": "2024-05-20"})
    assert response.status_code == 400 and zh("The inspection report was returned; it cannot be fed back until it is approved.") in response.content.decode()
    assert Feedback.objects.get().state == "draft"


def test_meeting_and_copies_from_the_page(world, problems):
    feedback = issued_feedback(problems.target, on=date(2024, 5, 20))
    client = _client(world.office_staff)
    response = client.post(reverse("reports:feedback_meeting", args=[feedback.pk]),
                           {"held_on": "2024-05-20", "place": "村委会", "attendees": "村“两委”班子成员",
                            "receipt_acknowledged": "on"})
    assert response.status_code == 302 and feedback.meeting.receipt_acknowledged
    assert client.post(reverse("reports:feedback_meeting", args=[feedback.pk]),
                       {"held_on": "", "attendees": ""}).status_code == 400
    response = client.post(reverse("reports:feedback_copy_add", args=[feedback.pk]),
                           {"organization": world.department.pk, "role": "lead_department", "sent_on": "2024-05-21"})
    assert response.status_code == 302
    again = client.post(reverse("reports:feedback_copy_add", args=[feedback.pk]),
                        {"organization": world.department.pk, "role": "other", "sent_on": "2024-05-21"})
    assert again.status_code == 400 and zh("A copy to this organization is already recorded.") in again.content.decode()
    html = client.get(_detail(feedback)).content.decode()
    assert "县财政局" in html and "村委会" in html
    copy = feedback.copies.get()
    assert _client(world.leader).post(reverse("reports:feedback_copy_remove", args=[feedback.pk, copy.pk])
                                      ).status_code == 403
    assert client.post(reverse("reports:feedback_copy_remove", args=[feedback.pk, copy.pk])).status_code == 302
    assert not feedback.copies.exists()


def _more_problems(findings, target, n: int = 6) -> None:
    for seq in range(10, 10 + n):
        Problem.objects.create(assignment=target, seq=seq, title=f"问题{seq}", description="事实。",
                               classification=findings.items["V1.1.1"])


def test_the_detail_query_count(world, findings, problems, django_assert_max_num_queries):
    _more_problems(findings, problems.target)
    feedback = issued_feedback(problems.target)
    assert feedback.problems.count() == 10
    client = _client(world.office_admin)
    client.get(_detail(feedback))
    with django_assert_max_num_queries(12):
        assert client.get(_detail(feedback)).status_code == 200


# -- the liaison's workspace -----------------------------------------------------------------

def _document(feedback, **fields) -> GeneratedDocument:
    values = dict(round=feedback.assignment.round, group=feedback.assignment.group,
                  organization=feedback.assignment.organization, doc_type="feedback", format="docx",
                  title="关于东门村的巡察反馈意见", sha256="0" * 64, for_organization=True)
    values.update(fields)
    return GeneratedDocument.objects.create(**values)


def test_the_liaison_sees_issued_feedback_and_its_problems_never_leads(world, problems):
    feedback = issued_feedback(problems.target, on=date(2024, 5, 20))
    _document(feedback)
    _document(feedback, title="关于东门村的巡察报告", doc_type="report", for_organization=False)
    _document(feedback, title="问题线索专题报告", doc_type="leads", confidential=True, for_organization=False)
    client = _client(world.unit_liaison)
    listing = client.get(UNIT).content.decode()
    assert _unit(feedback) in listing and "2024年8月20日" in listing
    html = client.get(_unit(feedback)).content.decode()
    for p in problems.general:
        assert p.title in html
    assert problems.lead.title not in html
    assert "关于东门村的巡察反馈意见" in html
    # Issuing generated the feedback and its problem list for the organization, linked for download.
    generated = GeneratedDocument.objects.filter(created_by__isnull=True, for_organization=True)
    assert {d.doc_type for d in generated} == {"feedback", "problem_list"}
    for document in generated:
        assert reverse("reports:document_download", args=[document.pk]) in html
    assert "关于东门村的巡察报告" not in html and "专题报告" not in html
    assert 'data-testid="acknowledge-form"' in html and "2024年8月20日" in html
    # The inspectorate's page sends the liaison to the workspace.
    assert client.get(_detail(feedback))["Location"] == _unit(feedback)


def test_a_draft_is_invisible_to_the_liaison(world, problems):
    feedback = draft_feedback(problems.target)
    client = _client(world.unit_liaison)
    assert client.get(_unit(feedback)).status_code == 404
    assert client.get(_detail(feedback)).status_code == 404
    assert client.post(reverse("reports:feedback_acknowledge", args=[feedback.pk])).status_code == 404
    assert _unit(feedback) not in client.get(UNIT).content.decode()


def test_another_organizations_feedback_is_invisible(world, findings, problems, make_user):
    Problem.objects.create(assignment=findings.target2, seq=1, title="三会一课不落实", description="记录缺失。",
                           classification=findings.items["T1.1.1"])
    feedback = issued_feedback(findings.target2)
    client = _client(world.unit_liaison)
    assert client.get(_unit(feedback)).status_code == 404
    assert client.post(reverse("reports:feedback_acknowledge", args=[feedback.pk])).status_code == 404
    assert "三会一课" not in client.get(UNIT).content.decode()


def test_the_liaison_acknowledges_and_cannot_write(world, problems):
    feedback = issued_feedback(problems.target)
    client = _client(world.unit_liaison)
    assert client.get(reverse("reports:feedback_acknowledge", args=[feedback.pk])).status_code == 405
    for name, data in (("feedback_edit", {"requirements": "x"}), ("feedback_issue", {"fed_back_on": "2024-05-21"}),
                       ("feedback_meeting", {"held_on": "2024-05-21", "attendees": "x"}),
                       ("feedback_copy_add", {"organization": world.department.pk, "role": "other",
                                              "sent_on": "2024-05-21"})):
        assert client.post(reverse(f"reports:{name}", args=[feedback.pk]), data).status_code == 403, name
    response = client.post(reverse("reports:feedback_acknowledge", args=[feedback.pk]))
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.acknowledged_by == world.unit_liaison
    html = client.get(_unit(feedback)).content.decode()
    assert 'data-testid="acknowledge-form"' not in html and 'data-testid="feedback-acknowledged"' in html
    assert client.post(reverse("reports:feedback_acknowledge", args=[feedback.pk])).status_code == 302
    assert _client(world.office_admin).post(reverse("reports:feedback_acknowledge", args=[feedback.pk])
                                            ).status_code == 403


@pytest.mark.parametrize("role", ["receiver", "office_admin", "group_leader", "outsider"])
def test_the_workspace_is_the_liaisons(world, problems, role):
    feedback = issued_feedback(problems.target)
    client = _client(world.users[role])
    assert client.get(UNIT).status_code == 403
    assert client.get(_unit(feedback)).status_code == 403


def test_the_workspace_query_counts(world, findings, problems, django_assert_max_num_queries):
    _more_problems(findings, problems.target)
    feedback = issued_feedback(problems.target)
    _document(feedback)
    client = _client(world.unit_liaison)
    client.get(UNIT)
    with django_assert_max_num_queries(9):
        assert client.get(UNIT).status_code == 200
    client.get(_unit(feedback))
    with django_assert_max_num_queries(11):
        assert client.get(_unit(feedback)).status_code == 200


# -- navigation and to-dos -------------------------------------------------------------------

def test_todos_for_the_liaison_and_the_group_leader(world, findings, problems):
    report(findings.target2)
    feedback = issued_feedback(problems.target)
    titles = {str(t.title): t.count for t in todos_for(world.unit_liaison)}
    assert titles.get(zh("Feedback to acknowledge")) == 1
    office = {str(t.title): t.count for t in todos_for(world.office_admin)}
    assert office.get(zh("Approved reports not yet fed back")) == 1
    assert zh("Approved reports not yet fed back") not in {str(t.title) for t in todos_for(world.group_leader)}
    assert not [t for t in todos_for(world.receiver) if "eedback" in str(t.title)]
    from xuncha.reports import services_feedback

    services_feedback.feedback_acknowledge(actor=world.unit_liaison, feedback=feedback)
    assert "Feedback to acknowledge" not in {str(t.title) for t in todos_for(world.unit_liaison)}


def test_menu_entries(world, problems):
    assert UNIT in _client(world.unit_liaison).get(reverse("workbench:home")).content.decode()
    home = _client(world.office_admin).get(reverse("workbench:home")).content.decode()
    assert LIST in home and UNIT not in home


def test_an_issued_feedback_without_a_meeting_shows_none_but_the_form(client, world, problems):
    feedback = issued_feedback(problems.target)
    client.force_login(world.office_admin)
    page = client.get(reverse("reports:feedback_detail", args=[feedback.pk])).content.decode()
    meeting = page[page.index('data-testid="feedback-meeting"'):page.index('data-testid="meeting-form"')]
    assert "<dl" not in meeting
    assert 'name="held_on" value="2024-05-20"' in page or "2024-05-20" in page[page.index('data-testid="meeting-form"'):]
