"""services_reports: starting, writing and submitting the progress report, the office's review
(accept with the disclosure deadline from the policy in force on the opinion's date, or return),
disclosures; the refusals of every role that may not write; files checked by content."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.findings.evidence_helpers import EXE_BYTES, PDF_BYTES, PNG_BYTES, office
from tests.rectification import reports_helpers
from tests.rectification.reports_helpers import (
    TEXT,
    issued_feedback_of,
    publish,
    reviewed,
    started,
    submitted,
)
from tests.reports.feedback_helpers import draft_feedback
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.access.roles import Role
from xuncha.rectification import services_reports as services
from xuncha.rectification.models import DeadlinePolicy, Disclosure, ProgressReport

S = ProgressReport.State
clock, strangers, uploads_in_tmp = reports_helpers.clock, reports_helpers.strangers, reports_helpers.uploads_in_tmp


@pytest.fixture(autouse=True)
def _english(uploads_in_tmp):
    with translation.override("en"):
        yield


def _fields(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.message_dict)


def _actions(report) -> list[str]:
    return list(AuditEvent.objects.filter(object_type=ProgressReport._meta.label, object_id=str(report.pk))
                .order_by("seq").values_list("action", flat=True))


# -- start -----------------------------------------------------------------------------------

def test_the_liaison_starts_the_report_due_with_the_feedback(world, fed_back):
    report = services.report_start(actor=world.unit_liaison, feedback=fed_back.feedback)
    assert report.title == "关于巡察反馈意见集中整改进展情况的报告"
    assert report.due == fed_back.feedback.progress_report_due == date(2024, 8, 20)
    assert (report.state, report.organization, report.round) == (S.DRAFT, world.village, world.round)
    assert report.created_by == world.unit_liaison
    assert _actions(report) == ["progress_report.start"]


def test_one_report_per_feedback(world, fed_back):
    services.report_start(actor=world.unit_liaison, feedback=fed_back.feedback)
    with pytest.raises(ValidationError) as refused:
        services.report_start(actor=world.unit_liaison, feedback=fed_back.feedback)
    assert _fields(refused) == {"feedback"}
    assert ProgressReport.objects.count() == 1


def test_a_draft_feedback_has_no_report(world, findings, problems):
    feedback = draft_feedback(problems.target)
    with pytest.raises(ValidationError) as refused:
        services.report_start(actor=world.unit_liaison, feedback=feedback)
    assert _fields(refused) == {"feedback"}


@pytest.mark.parametrize("who", ["office_admin", "office_staff", "leader", "supervisor", "receiver", "group_leader",
                                 "other_liaison", "other_office"])
def test_only_the_organizations_liaison_starts_it(world, fed_back, strangers, who):
    actor = getattr(strangers, who, None) or world.users[who]
    with pytest.raises(PermissionDenied):
        services.report_start(actor=actor, feedback=fed_back.feedback)
    assert not ProgressReport.objects.exists()


# -- writing ---------------------------------------------------------------------------------

def test_the_liaison_writes_text_and_attaches_a_docx_or_pdf(world, fed_back, uploads_in_tmp,
                                                            django_capture_on_commit_callbacks):
    report = started(fed_back.feedback, world.unit_liaison, text="")
    report = services.report_update(actor=world.unit_liaison, report=report, title=" 东门村整改进展报告 ", text=TEXT,
                                    file=io.BytesIO(office("docx")), file_name="C:\\报告\\整改报告.docx")
    report.refresh_from_db()
    assert (report.title, report.text, report.original_name) == ("东门村整改进展报告", TEXT, "整改报告.docx")
    assert report.file.name.startswith("rectification/reports/") and report.file.name.endswith(".docx")
    assert len(report.sha256) == 64
    first = report.file.name
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_update(actor=world.unit_liaison, report=report, file=io.BytesIO(PDF_BYTES),
                                        file_name="整改报告（盖章）.pdf")
    report.refresh_from_db()
    assert report.original_name == "整改报告（盖章）.pdf" and report.file.name.endswith(".pdf")
    assert (uploads_in_tmp / report.file.name).read_bytes() == PDF_BYTES
    assert not (uploads_in_tmp / first).exists()  # the replaced file goes once the change commits
    assert _actions(report) == ["progress_report.start", "progress_report.update", "progress_report.update"]


@pytest.mark.parametrize("data, name, words", [
    (EXE_BYTES, "整改报告.pdf", "named .pdf but its content is not PDF"),
    (PDF_BYTES, "整改报告.docx", "named .docx but its content is not Word"),
    (PNG_BYTES, "整改报告.png", "Word document (.docx) or a PDF file"),
    (office("xlsx"), "整改台账.xlsx", "Word document (.docx) or a PDF file"),
    (office("docx", macros=True), "整改报告.docx", "macros"),
])
def test_a_disguised_or_other_file_is_refused_and_nothing_is_stored(world, fed_back, uploads_in_tmp, data, name,
                                                                     words):
    report = started(fed_back.feedback, world.unit_liaison)
    with pytest.raises(ValidationError) as refused:
        services.report_update(actor=world.unit_liaison, report=report, text="新的内容", file=io.BytesIO(data),
                               file_name=name)
    assert _fields(refused) == {"file"} and words in refused.value.message_dict["file"][0]
    report.refresh_from_db()
    assert (report.text, report.file.name) == (TEXT, "")
    assert not (uploads_in_tmp / "rectification").exists()


def test_the_file_can_be_removed(world, fed_back, uploads_in_tmp, django_capture_on_commit_callbacks):
    report = started(fed_back.feedback, world.unit_liaison)
    report = services.report_update(actor=world.unit_liaison, report=report, file=io.BytesIO(PDF_BYTES),
                                    file_name="a.pdf")
    stored = report.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.report_update(actor=world.unit_liaison, report=report, remove_file=True)
    report.refresh_from_db()
    assert (report.file.name, report.original_name, report.sha256) == ("", "", "")
    assert not (uploads_in_tmp / stored).exists()


@pytest.mark.parametrize("who", ["office_admin", "leader", "supervisor", "other_liaison", "other_office"])
def test_others_may_not_write_the_report(world, fed_back, strangers, who):
    actor = getattr(strangers, who, None) or world.users[who]
    report = started(fed_back.feedback, world.unit_liaison)
    with pytest.raises(PermissionDenied):
        services.report_update(actor=actor, report=report, text="改写")
    report.refresh_from_db()
    assert report.text == TEXT


def test_a_submitted_report_is_no_longer_written(world, fed_back, clock):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 1))
    with pytest.raises(ValidationError) as refused:
        services.report_update(actor=world.unit_liaison, report=report, text="改写")
    assert _fields(refused) == {"state"}


def test_the_title_cannot_be_emptied(world, fed_back):
    report = started(fed_back.feedback, world.unit_liaison)
    with pytest.raises(ValidationError) as refused:
        services.report_update(actor=world.unit_liaison, report=report, title="  ")
    assert _fields(refused) == {"title"}


# -- submitting ------------------------------------------------------------------------------

@pytest.mark.parametrize("on, late", [(date(2024, 8, 20), False), (date(2024, 8, 21), True)])
def test_submitting_on_the_due_date_is_on_time_the_day_after_late(world, fed_back, clock, on, late):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, on)
    assert (report.state, report.submitted_on, report.submitted_by) == (S.SUBMITTED, on, world.unit_liaison)
    event = AuditEvent.objects.filter(action="progress_report.submit").get()
    assert event.detail["late"] is late and event.detail["from"] == "draft" and event.detail["to"] == "submitted"


def test_a_report_without_text_or_file_is_not_submitted(world, fed_back):
    report = started(fed_back.feedback, world.unit_liaison, text="")
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=world.unit_liaison, report=report)
    assert _fields(refused) == {"text"}
    report.refresh_from_db()
    assert report.state == S.DRAFT


def test_a_report_with_only_a_file_is_submitted(world, fed_back, clock):
    report = started(fed_back.feedback, world.unit_liaison, text="")
    services.report_update(actor=world.unit_liaison, report=report, file=io.BytesIO(PDF_BYTES), file_name="r.pdf")
    clock.set(date(2024, 8, 1))
    assert services.report_submit(actor=world.unit_liaison, report=report).state == S.SUBMITTED


@pytest.mark.parametrize("who", ["office_admin", "office_staff", "leader", "supervisor", "receiver",
                                 "other_liaison", "other_office"])
def test_only_the_liaison_submits(world, fed_back, strangers, who):
    actor = getattr(strangers, who, None) or world.users[who]
    report = started(fed_back.feedback, world.unit_liaison)
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=actor, report=report)


def test_a_submitted_report_is_not_submitted_again(world, fed_back, clock):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 1))
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=world.unit_liaison, report=report)
    assert _fields(refused) == {"state"}


# -- review ----------------------------------------------------------------------------------

def test_accepting_sets_the_disclosure_deadline_from_the_policy(world, fed_back, clock):
    report = reviewed(fed_back.feedback, world.unit_liaison, world.office_staff, clock,
                      submitted_on=date(2024, 8, 15), reviewed_on=date(2024, 8, 31))
    default = fed_back.feedback.policy
    assert (report.state, report.reviewed_on, report.reviewed_by) == (S.REVIEWED, date(2024, 8, 31), world.office_staff)
    assert (report.policy, report.disclosure_due) == (default, date(2024, 9, 30))
    assert report.opinion == "整改措施具体，同意。"
    event = AuditEvent.objects.filter(action="progress_report.accept").get()
    assert event.detail["policy"] == default.pk and event.detail["disclosure_due"] == "2024-09-30"


@pytest.mark.parametrize("reviewed_on, months, due, new_policy", [
    (date(2024, 2, 7), 1, date(2024, 3, 7), False),
    (date(2024, 2, 8), 2, date(2024, 4, 8), True),
])
def test_the_disclosure_deadline_follows_the_policy_in_force_on_the_review(world, make_user, clock, reviewed_on,
                                                                          months, due, new_policy):
    feedback = issued_feedback_of(world, "南街村", date(2023, 11, 8))
    liaison = make_user("nanjie", role=Role.UNIT_LIAISON, organization=feedback.assignment.organization)
    old = feedback.policy
    new = DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2024, 2, 8), disclosure_months=2,
                                        basis="县委巡察工作领导小组关于调整工作时限的通知")
    report = reviewed(feedback, liaison, world.office_admin, clock,
                      submitted_on=date(2024, 2, 6), reviewed_on=reviewed_on)
    assert report.policy == (new if new_policy else old)
    assert report.policy.disclosure_months == months
    assert report.disclosure_due == due


@pytest.mark.parametrize("reviewed_on, field", [
    (None, "reviewed_on"),
    (date(2024, 9, 2), "reviewed_on"),  # in the future
    (date(2024, 8, 14), "reviewed_on"),  # before the submission
])
def test_the_review_date_is_checked(world, fed_back, clock, reviewed_on, field):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 15))
    clock.set(date(2024, 9, 1))
    with pytest.raises(ValidationError) as refused:
        services.report_review(actor=world.office_admin, report=report, decision="accept", opinion="同意。",
                               reviewed_on=reviewed_on)
    assert _fields(refused) == {field}
    report.refresh_from_db()
    assert (report.state, report.policy, report.disclosure_due) == (S.SUBMITTED, None, None)


def test_an_opinion_is_required_and_the_decision_known(world, fed_back, clock):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 15))
    with pytest.raises(ValidationError) as refused:
        services.report_review(actor=world.office_admin, report=report, decision="accept", opinion=" ",
                               reviewed_on=date(2024, 8, 15))
    assert _fields(refused) == {"opinion"}
    with pytest.raises(ValidationError) as refused:
        services.report_review(actor=world.office_admin, report=report, decision="approve")
    assert _fields(refused) == {"decision"}


def test_returning_keeps_the_comment_for_the_liaison_and_resubmission_follows(world, fed_back, clock):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 15))
    with pytest.raises(ValidationError) as refused:
        services.report_review(actor=world.office_admin, report=report, decision="return", comment="")
    assert _fields(refused) == {"comment"}
    report = services.report_review(actor=world.office_admin, report=report, decision="return",
                                    comment="第2个问题整改成效未说明。")
    assert (report.state, report.opinion, report.reviewed_on) == (S.RETURNED, "第2个问题整改成效未说明。", None)
    report = services.report_update(actor=world.unit_liaison, report=report, text=TEXT + "\n补充说明成效。")
    clock.set(date(2024, 8, 25))
    report = services.report_submit(actor=world.unit_liaison, report=report)
    assert (report.state, report.submitted_on) == (S.SUBMITTED, date(2024, 8, 25))
    report = services.report_review(actor=world.office_admin, report=report, decision="return", comment="仍需补充。")
    assert _actions(report)[-4:] == ["progress_report.return", "progress_report.update", "progress_report.submit",
                                     "progress_report.return"]
    comments = [e.detail["comment"] for e in AuditEvent.objects.filter(action="progress_report.return").order_by("seq")]
    assert comments == ["第2个问题整改成效未说明。", "仍需补充。"]


@pytest.mark.parametrize("who", ["unit_liaison", "leader", "supervisor", "receiver", "group_leader",
                                 "other_liaison", "other_office"])
@pytest.mark.parametrize("decision", ["accept", "return"])
def test_only_the_office_of_the_committee_reviews(world, fed_back, clock, strangers, who, decision):
    actor = getattr(strangers, who, None) or world.users[who]
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 15))
    with pytest.raises(PermissionDenied):
        services.report_review(actor=actor, report=report, decision=decision, opinion="同意。", comment="退回。",
                               reviewed_on=date(2024, 8, 15))
    report.refresh_from_db()
    assert report.state == S.SUBMITTED


def test_a_draft_is_not_reviewed(world, fed_back):
    report = started(fed_back.feedback, world.unit_liaison)
    with pytest.raises(ValidationError) as refused:
        services.report_review(actor=world.office_admin, report=report, decision="return", comment="退回。")
    assert _fields(refused) == {"state"}


# -- disclosure ------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["unit_liaison", "office_staff"])
def test_the_liaison_or_the_office_records_a_publication(world, fed_back, clock, who):
    report = reviewed(fed_back.feedback, world.unit_liaison, world.office_admin, clock,
                      submitted_on=date(2024, 8, 15), reviewed_on=date(2024, 8, 31))
    clock.set(date(2024, 9, 10))
    disclosure = services.disclosure_add(actor=world.users[who], report=report, published_on=date(2024, 9, 10),
                                         channel="website", place="http://www.example.gov.cn/zhenggai/1",
                                         title="关于巡察整改情况的通报", content="全文")
    assert (disclosure.report, disclosure.recorded_by, disclosure.channel) == (report, world.users[who], "website")
    event = AuditEvent.objects.filter(action="progress_report.disclosure_add").get()
    assert event.detail["late"] is False and event.object_id == str(report.pk)


@pytest.mark.parametrize("published_on, field", [
    (date(2024, 8, 30), "published_on"),  # before the review opinion
    (date(2024, 9, 11), "published_on"),  # in the future
    (None, "published_on"),
])
def test_the_publication_date_is_checked(world, fed_back, clock, published_on, field):
    report = reviewed(fed_back.feedback, world.unit_liaison, world.office_admin, clock,
                      submitted_on=date(2024, 8, 15), reviewed_on=date(2024, 8, 31))
    clock.set(date(2024, 9, 10))
    with pytest.raises(ValidationError) as refused:
        services.disclosure_add(actor=world.unit_liaison, report=report, published_on=published_on,
                                channel="wechat", place="东门村公众号", title="通报")
    assert _fields(refused) == {field}
    assert not Disclosure.objects.exists()


def test_every_missing_field_is_named(world, fed_back, clock):
    report = reviewed(fed_back.feedback, world.unit_liaison, world.office_admin, clock,
                      submitted_on=date(2024, 8, 15), reviewed_on=date(2024, 8, 31))
    with pytest.raises(ValidationError) as refused:
        services.disclosure_add(actor=world.unit_liaison, report=report, published_on=date(2024, 8, 31),
                                channel="radio", place=" ", title="")
    assert _fields(refused) == {"channel", "place", "title"}


def test_nothing_is_published_before_the_review(world, fed_back, clock):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 15))
    with pytest.raises(ValidationError) as refused:
        publish(report, date(2024, 8, 15), actor=world.unit_liaison)
    assert _fields(refused) == {"state"}


@pytest.mark.parametrize("who", ["leader", "supervisor", "receiver", "other_liaison", "other_office"])
def test_others_record_no_publication(world, fed_back, clock, strangers, who):
    actor = getattr(strangers, who, None) or world.users[who]
    report = reviewed(fed_back.feedback, world.unit_liaison, world.office_admin, clock,
                      submitted_on=date(2024, 8, 15), reviewed_on=date(2024, 8, 31))
    with pytest.raises(PermissionDenied):
        publish(report, date(2024, 8, 31), actor=actor)


def test_only_the_office_removes_a_publication(world, fed_back, clock, strangers):
    report = reviewed(fed_back.feedback, world.unit_liaison, world.office_admin, clock,
                      submitted_on=date(2024, 8, 15), reviewed_on=date(2024, 8, 31))
    disclosure = publish(report, date(2024, 8, 31), actor=world.unit_liaison)
    for actor in (world.unit_liaison, world.leader, strangers.other_office):
        with pytest.raises(PermissionDenied):
            services.disclosure_remove(actor=actor, disclosure=disclosure)
    services.disclosure_remove(actor=world.office_admin, disclosure=disclosure)
    assert not Disclosure.objects.exists()
    assert AuditEvent.objects.filter(action="progress_report.disclosure_remove", object_id=str(report.pk)).exists()

