"""services_feedback: only an approved report is fed back, leads never, deadlines from the
policy in force on the feedback date, fed_back set on issue, issued feedback read-only, the
liaison only acknowledges."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.reports.feedback_helpers import draft_feedback, issued_feedback, report
from xuncha.access.models import AuditEvent
from xuncha.access.policy import CONSOLE, PermissionDenied
from xuncha.findings.models import Problem
from xuncha.rectification.models import DeadlinePolicy
from xuncha.reports import services_feedback as services
from xuncha.reports.models import Feedback, FeedbackCopy, GeneratedDocument


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are checked as written (English, a switch away for users); the Chinese
    catalogue is checked whole by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings, tmp_path):
    """Issuing generates the feedback's documents: keep their files out of the data directory."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


@pytest.mark.parametrize("state", ["draft", "in_review", "returned"])
def test_it_refuses_feedback_before_the_report_is_approved(world, problems, state):
    report(problems.target, state=state)
    with pytest.raises(ValidationError) as excinfo:
        services.feedback_create(actor=world.group_leader, assignment=problems.target)
    message = _errors(excinfo)["report"][0]
    assert ("returned" in message) == (state == "returned")
    assert not Feedback.objects.exists()


def test_it_refuses_a_target_without_report_and_an_approved_leads_report_is_not_enough(world, problems):
    with pytest.raises(ValidationError, match="no inspection report"):
        services.feedback_create(actor=world.office_admin, assignment=problems.target)
    report(problems.target, kind="leads")
    with pytest.raises(ValidationError, match="no inspection report"):
        services.feedback_create(actor=world.office_admin, assignment=problems.target)


def test_a_report_returned_after_the_draft_stops_the_issue(world, problems):
    feedback = draft_feedback(problems.target, world.group_leader)
    feedback.report.state = "returned"
    feedback.report.save()
    with pytest.raises(ValidationError) as excinfo:
        services.feedback_issue(actor=world.group_leader, feedback=feedback, fed_back_on=date(2024, 5, 20))
    assert "returned" in _errors(excinfo)["report"][0]
    assert Feedback.objects.get().state == "draft"


def test_create_preselects_general_and_cadre_problems_never_leads(world, problems):
    cadre = problems.general[3]
    Problem.objects.filter(pk=cadre.pk).update(kind="cadre")
    feedback = draft_feedback(problems.target, world.group_leader)
    chosen = set(feedback.problems.all())
    assert chosen == set(problems.general) and problems.lead not in chosen
    assert feedback.state == "draft" and "按期报送整改报告" in feedback.requirements
    assert feedback.created_by == world.group_leader
    assert AuditEvent.objects.filter(action="feedback.create", object_id=str(feedback.pk)).exists()
    with pytest.raises(ValidationError, match="already has"):
        services.feedback_create(actor=world.group_leader, assignment=problems.target)


@pytest.mark.parametrize("role", ["group_deputy", "group_member", "leader", "supervisor", "unit_liaison",
                                  "receiver", "outsider", "sysadmin"])
def test_only_the_group_leader_and_the_office_create(world, problems, role):
    report(problems.target)
    with pytest.raises(PermissionDenied):
        services.feedback_create(actor=world.users[role], assignment=problems.target)


def test_the_office_creates_too(world, problems):
    report(problems.target)
    assert services.feedback_create(actor=world.office_staff, assignment=problems.target).pk


def test_update_refuses_leads_and_other_targets_problems(world, findings, problems, make_paper):
    feedback = draft_feedback(problems.target, world.group_leader)
    with pytest.raises(ValidationError) as excinfo:
        services.feedback_update(actor=world.group_leader, feedback=feedback,
                                 problems=[problems.general[0], problems.lead])
    assert problems.lead.number in _errors(excinfo)["problems"][0]
    other = Problem.objects.create(assignment=findings.target2, seq=1, title="三会一课", description="未落实",
                                   classification=findings.items["T1.1.1"])
    with pytest.raises(ValidationError, match="this inspection target"):
        services.feedback_update(actor=world.office_admin, feedback=feedback, problems=[other.pk])
    with pytest.raises(ValidationError) as excinfo:
        services.feedback_update(actor=world.group_leader, feedback=feedback, requirements="  ")
    assert "requirements" in _errors(excinfo)
    assert set(feedback.problems.all()) == set(problems.general)


def test_a_lead_slipped_into_the_draft_is_refused_at_issue(world, problems):
    feedback = draft_feedback(problems.target, world.group_leader)
    feedback.problems.add(problems.lead)  # past the service, straight into the table
    with pytest.raises(ValidationError) as excinfo:
        services.feedback_issue(actor=world.group_leader, feedback=feedback, fed_back_on=date(2024, 5, 20))
    assert problems.lead.number in _errors(excinfo)["problems"][0]
    assert not Problem.objects.filter(fed_back=True).exists()


def test_update_chooses_problems_and_requirements(world, problems):
    feedback = draft_feedback(problems.target, world.group_leader)
    services.feedback_update(actor=world.group_leader, feedback=feedback, problems=problems.general[:2],
                             requirements="一、认真组织整改。")
    feedback.refresh_from_db()
    assert set(feedback.problems.all()) == set(problems.general[:2]) and feedback.requirements == "一、认真组织整改。"


def test_issue_computes_deadlines_marks_problems_and_freezes(world, problems):
    feedback = draft_feedback(problems.target, world.group_leader)
    services.feedback_update(actor=world.group_leader, feedback=feedback, problems=problems.general[:3])
    services.feedback_issue(actor=world.group_leader, feedback=feedback, fed_back_on=date(2024, 11, 30))
    feedback.refresh_from_db()
    assert feedback.state == "issued" and feedback.fed_back_on == date(2024, 11, 30)
    assert feedback.rectification_due == date(2025, 2, 28) and feedback.progress_report_due == date(2025, 2, 28)
    assert feedback.policy.committee == world.county and feedback.issued_by == world.group_leader
    assert feedback.issued_at is not None
    assert set(Problem.objects.filter(fed_back=True)) == set(problems.general[:3])
    documents = GeneratedDocument.objects.filter(organization=world.village, for_organization=True)
    assert sorted((d.doc_type, d.format) for d in documents) == \
        [("feedback", "docx"), ("problem_list", "docx"), ("problem_list", "xlsx")]
    assert {d.created_by for d in documents} == {world.group_leader}
    for change in (
        lambda: services.feedback_update(actor=world.group_leader, feedback=feedback, requirements="改"),
        lambda: services.feedback_update(actor=world.office_admin, feedback=feedback, problems=problems.general),
        lambda: services.feedback_issue(actor=world.office_admin, feedback=feedback, fed_back_on=date(2024, 12, 1)),
    ):
        with pytest.raises(ValidationError, match="issued"):
            change()
    feedback.refresh_from_db()
    assert feedback.fed_back_on == date(2024, 11, 30) and feedback.problems.count() == 3


def test_issue_needs_a_date_not_in_the_future_and_a_problem(world, problems):
    feedback = draft_feedback(problems.target, world.group_leader)
    with pytest.raises(ValidationError) as excinfo:
        services.feedback_issue(actor=world.group_leader, feedback=feedback, fed_back_on=date(2999, 1, 1))
    assert "fed_back_on" in _errors(excinfo)
    feedback.problems.clear()
    with pytest.raises(ValidationError) as excinfo:
        services.feedback_issue(actor=world.group_leader, feedback=feedback, fed_back_on=None)
    assert {"fed_back_on", "problems"} <= set(_errors(excinfo))


def test_deadlines_follow_the_policy_in_force_on_each_feedback_date(world, findings, problems):
    old = DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2020, 1, 1), basis="旧规定",
                                        rectification_months=2, progress_report_months=2)
    new = DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2024, 6, 1), basis="新条例",
                                        rectification_months=3, progress_report_months=4)
    Problem.objects.create(assignment=findings.target2, seq=1, title="三会一课不落实", description="记录缺失。",
                           classification=findings.items["T1.1.1"])
    before = issued_feedback(problems.target, on=date(2024, 5, 31))
    after = issued_feedback(findings.target2, on=date(2024, 6, 1))
    assert (before.policy, before.rectification_due, before.progress_report_due) == \
        (old, date(2024, 7, 31), date(2024, 7, 31))
    assert (after.policy, after.rectification_due, after.progress_report_due) == \
        (new, date(2024, 9, 1), date(2024, 10, 1))


def test_the_liaison_acknowledges_once_and_does_nothing_else(world, problems):
    feedback = issued_feedback(problems.target)
    liaison = world.unit_liaison
    for write in (
        lambda: services.feedback_update(actor=liaison, feedback=feedback, requirements="改"),
        lambda: services.feedback_issue(actor=liaison, feedback=feedback, fed_back_on=date(2024, 5, 21)),
        lambda: services.meeting_record(actor=liaison, feedback=feedback, held_on=date(2024, 5, 20),
                                        attendees="全体班子成员"),
        lambda: services.copy_add(actor=liaison, feedback=feedback, organization=world.department,
                                  role="lead_department", sent_on=date(2024, 5, 21)),
    ):
        with pytest.raises(PermissionDenied):
            write()
    services.feedback_acknowledge(actor=liaison, feedback=feedback)
    feedback.refresh_from_db()
    first = feedback.acknowledged_at
    assert feedback.acknowledged_by == liaison and first is not None
    services.feedback_acknowledge(actor=liaison, feedback=feedback)
    feedback.refresh_from_db()
    assert feedback.acknowledged_at == first
    assert AuditEvent.objects.filter(action="feedback.acknowledge").count() == 1


@pytest.mark.parametrize("role", ["office_admin", "group_leader", "receiver", "outsider"])
def test_only_the_liaison_acknowledges(world, problems, role):
    feedback = issued_feedback(problems.target)
    with pytest.raises(PermissionDenied):
        services.feedback_acknowledge(actor=world.users[role], feedback=feedback)


def test_the_liaison_cannot_acknowledge_a_draft_or_another_organizations_feedback(world, findings, problems,
                                                                                  make_user):
    feedback = draft_feedback(problems.target)
    with pytest.raises(PermissionDenied):
        services.feedback_acknowledge(actor=world.unit_liaison, feedback=feedback)
    services.feedback_issue(actor=CONSOLE, feedback=feedback, fed_back_on=date(2024, 5, 20))
    other = make_user("liaison2", role="unit_liaison", organization=world.township)
    with pytest.raises(PermissionDenied):
        services.feedback_acknowledge(actor=other, feedback=feedback)


def test_meeting_is_recorded_after_issue_and_corrected(world, problems):
    feedback = draft_feedback(problems.target, world.group_leader)
    with pytest.raises(ValidationError, match="Issue the feedback first"):
        services.meeting_record(actor=world.group_leader, feedback=feedback, held_on=date(2024, 5, 20),
                                attendees="班子成员")
    services.feedback_issue(actor=world.group_leader, feedback=feedback, fed_back_on=date(2024, 5, 20))
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_record(actor=world.group_leader, feedback=feedback, held_on=None, attendees=" ")
    assert {"held_on", "attendees"} <= set(_errors(excinfo))
    services.meeting_record(actor=world.group_leader, feedback=feedback, held_on=date(2024, 5, 20),
                            place="村委会会议室", attendees="村“两委”班子成员", receipt_acknowledged=True)
    meeting = services.meeting_record(actor=world.office_staff, feedback=feedback, held_on=date(2024, 5, 21),
                                      attendees="村“两委”班子成员、党员代表")
    assert meeting.held_on == date(2024, 5, 21) and meeting.recorded_by == world.office_staff
    assert feedback.meeting.attendees.endswith("党员代表")
    with pytest.raises(PermissionDenied):
        services.meeting_record(actor=world.group_deputy, feedback=feedback, held_on=date(2024, 5, 21),
                                attendees="x")


def test_copies_to_organizations_of_the_committee(world, problems):
    feedback = issued_feedback(problems.target, on=date(2024, 5, 20))
    copy = services.copy_add(actor=world.office_admin, feedback=feedback, organization=world.department,
                             role="lead_department", sent_on=date(2024, 5, 22))
    assert copy.role == "lead_department"
    cases = [
        (world.department, "discipline", date(2024, 5, 22), "organization"),  # twice
        (world.other_township, "other", date(2024, 5, 22), "organization"),  # another committee
        (world.village, "other", date(2024, 5, 22), "organization"),  # the inspected organization itself
        (world.township, "boss", date(2024, 5, 22), "role"),
        (world.township, "other", date(2024, 5, 19), "sent_on"),  # before the feedback
        (None, "other", None, "organization"),
    ]
    for organization, role, sent_on, field in cases:
        with pytest.raises(ValidationError) as excinfo:
            services.copy_add(actor=world.group_leader, feedback=feedback, organization=organization, role=role,
                              sent_on=sent_on)
        assert field in _errors(excinfo), (organization, role, sent_on)
    with pytest.raises(PermissionDenied):
        services.copy_remove(actor=world.group_deputy, copy=copy)
    services.copy_remove(actor=world.group_leader, copy=copy)
    assert not FeedbackCopy.objects.exists()
