"""Progress report pages: the ledger per role (with the feedback whose report was never started),
its query count, starting, writing with a file, submitting, the review forms, the file download,
disclosures; refusals (403/404/405) for roles and scopes that may not."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.findings.evidence_helpers import EXE_BYTES, office
from tests.rectification import reports_helpers
from tests.rectification.reports_helpers import (
    client_for,
    issued_feedback_of,
    liaison_of,
    publish,
    reviewed,
    started,
    submitted,
)
from xuncha.access.models import AuditEvent
from xuncha.rectification.models import Disclosure, ProgressReport
from xuncha.workbench.nav import menu_for

clock, strangers, uploads_in_tmp = reports_helpers.clock, reports_helpers.strangers, reports_helpers.uploads_in_tmp
S = ProgressReport.State
LIST = reverse("rectification:report_list")


@pytest.fixture(autouse=True)
def _files(uploads_in_tmp):
    return uploads_in_tmp


def _url(name: str, *args) -> str:
    return reverse(f"rectification:{name}", args=args)


def _user(world, strangers, who):
    return getattr(strangers, who, None) or world.users[who]


def _rows(html: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'data-(organization|state|disclosure|overdue)="([^"]*)"', row))
            for row in re.findall(r'<tr data-testid="ledger-row"[^>]*>', html)]


# -- the ledger ------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["office_admin", "office_staff", "leader", "supervisor"])
def test_the_ledger_shows_a_report_never_started_as_not_submitted(world, fed_back, clock, who):
    clock.set(date(2024, 8, 21))
    response = client_for(world.users[who]).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert _rows(html) == [{"organization": "东门村", "state": "not_started", "disclosure": "", "overdue": "1"}]
    assert "2024年8月20日" in html
    assert 'data-testid="start-report"' not in html


def test_a_late_submission_is_shown_in_red(world, fed_back, clock):
    submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 21))
    html = client_for(world.office_admin).get(LIST).content.decode()
    assert _rows(html)[0]["state"] == "submitted"
    assert re.search(r'class="text-danger fw-semibold" data-testid="submitted-on" data-late="1">2024年8月21日', html)


def test_the_liaison_sees_its_own_organization_and_starts_the_report(world, fed_back, clock, strangers):
    issued_feedback_of(world, "南街村", date(2024, 5, 20))
    client = client_for(world.unit_liaison)
    html = client.get(LIST).content.decode()
    assert [r["organization"] for r in _rows(html)] == ["东门村"]
    assert 'data-testid="start-report"' in html and 'name="round"' not in html
    response = client.post(_url("report_start", fed_back.feedback.pk))
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("report_detail", report.pk)
    assert report.created_by == world.unit_liaison
    again = client.post(_url("report_start", fed_back.feedback.pk), follow=True)
    assert ProgressReport.objects.count() == 1 and again.status_code == 200


@pytest.mark.parametrize("who, status", [("office_admin", 403), ("leader", 403), ("other_liaison", 404),
                                         ("other_office", 404), ("receiver", 403)])
def test_others_may_not_start_a_report(world, fed_back, strangers, who, status):
    response = client_for(_user(world, strangers, who)).post(_url("report_start", fed_back.feedback.pk))
    assert response.status_code == status
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("who", ["receiver", "group_leader", "outsider", "sysadmin", "auditor"])
def test_roles_reading_no_progress_reports_get_403(world, fed_back, who):
    assert client_for(world.users[who]).get(LIST).status_code == 403


def test_the_ledger_filters_on_the_page(world, fed_back, clock):
    south = issued_feedback_of(world, "南街村", date(2024, 5, 20))
    submitted(south, liaison_of(south, "south"), clock, date(2024, 8, 1))
    client = client_for(world.office_admin)
    assert [r["organization"] for r in _rows(client.get(LIST, {"state": "not_started"}).content.decode())] == ["东门村"]
    assert [r["organization"] for r in _rows(client.get(LIST, {"state": "submitted"}).content.decode())] == ["南街村"]
    clock.set(date(2024, 8, 21))
    assert [r["organization"] for r in _rows(client.get(LIST, {"overdue": "on"}).content.decode())] == ["东门村"]
    assert _rows(client.get(LIST, {"round": str(world.round.pk), "state": "reviewed"}).content.decode()) == []
    # A filter it cannot read is ignored rather than refused.
    assert len(_rows(client.get(LIST, {"round": "x"}).content.decode())) == 2


def test_the_ledger_query_count_does_not_grow_with_rows(world, fed_back, clock, django_assert_max_num_queries):
    for n, name in enumerate(("南街村", "北坡村", "西山村", "东岭村", "河湾村", "上寨村")):
        feedback = issued_feedback_of(world, name, date(2024, 4, 1 + n))
        liaison = liaison_of(feedback, f"liaison{n}")
        if n % 3 == 1:
            submitted(feedback, liaison, clock, date(2024, 7, 1))
        elif n % 3 == 2:
            report = reviewed(feedback, liaison, world.office_admin, clock, submitted_on=date(2024, 7, 1),
                              reviewed_on=date(2024, 7, 2))
            publish(report, date(2024, 7, 2))
    clock.set(date(2024, 9, 1))
    for user in (world.office_admin, world.supervisor):
        client = client_for(user)
        client.get(LIST)
        with django_assert_max_num_queries(9):
            response = client.get(LIST, {"round": str(world.round.pk)})
        assert len(_rows(response.content.decode())) == 7


def test_the_menu_entry_is_for_those_who_read_progress_reports(world, strangers):
    def entries(user):
        return [e["url"] for s in menu_for(user) for e in s["items"]]

    for who in ("office_admin", "unit_liaison", "leader", "supervisor"):
        assert LIST in entries(world.users[who])
    for who in ("group_leader", "receiver", "sysadmin"):
        assert LIST not in entries(world.users[who])


# -- one report ------------------------------------------------------------------------------

def test_the_liaison_writes_and_attaches_the_file(world, fed_back, uploads_in_tmp):
    report = started(fed_back.feedback, world.unit_liaison, text="")
    client = client_for(world.unit_liaison)
    page = client.get(_url("report_detail", report.pk)).content.decode()
    assert 'data-testid="report-form"' in page and 'data-testid="submit-form"' in page
    response = client.post(_url("report_edit", report.pk), {
        "title": "东门村整改进展情况报告", "text": "已完成整改3个。",
        "file": SimpleUploadedFile("整改报告.docx", office("docx"))})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.title, report.text, report.original_name) == ("东门村整改进展情况报告", "已完成整改3个。", "整改报告.docx")


def test_a_disguised_file_is_refused_on_the_form(world, fed_back, uploads_in_tmp):
    report = started(fed_back.feedback, world.unit_liaison)
    response = client_for(world.unit_liaison).post(_url("report_edit", report.pk), {
        "title": report.title, "text": "改写", "file": SimpleUploadedFile("整改报告.pdf", EXE_BYTES)})
    assert response.status_code == 400
    assert 'name="file"' in response.content.decode() and "is-invalid" in response.content.decode()
    report.refresh_from_db()
    assert (report.text, report.file.name) == (reports_helpers.TEXT, "")
    assert not (uploads_in_tmp / "rectification").exists()


def test_submitting_from_the_page(world, fed_back, clock):
    report = started(fed_back.feedback, world.unit_liaison)
    clock.set(date(2024, 8, 21))
    client = client_for(world.unit_liaison)
    assert client.post(_url("report_submit", report.pk)).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.submitted_on) == (S.SUBMITTED, date(2024, 8, 21))
    page = client.get(_url("report_detail", report.pk)).content.decode()
    assert 'data-testid="submitted-late"' in page
    assert 'data-testid="report-form"' not in page and 'data-testid="accept-form"' not in page


def test_an_empty_report_is_not_submitted_from_the_page(world, fed_back):
    report = started(fed_back.feedback, world.unit_liaison, text="")
    response = client_for(world.unit_liaison).post(_url("report_submit", report.pk), follow=True)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.state == S.DRAFT


@pytest.mark.parametrize("who, status", [("office_admin", 403), ("leader", 403), ("supervisor", 403),
                                         ("other_liaison", 404), ("other_office", 404)])
def test_others_may_not_write_or_submit(world, fed_back, strangers, who, status):
    report = started(fed_back.feedback, world.unit_liaison)
    client = client_for(_user(world, strangers, who))
    assert client.post(_url("report_edit", report.pk), {"title": "x", "text": "y"}).status_code == status
    assert client.post(_url("report_submit", report.pk)).status_code == status
    report.refresh_from_db()
    assert (report.state, report.text) == (S.DRAFT, reports_helpers.TEXT)


def test_the_office_reviews_on_the_page(world, fed_back, clock):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 15))
    clock.set(date(2024, 8, 31))
    client = client_for(world.office_staff)
    page = client.get(_url("report_detail", report.pk)).content.decode()
    assert 'data-testid="accept-form"' in page and 'data-testid="return-form"' in page
    bad = client.post(_url("report_review", report.pk), {"decision": "accept", "opinion": "同意。",
                                                          "reviewed_on": "2024-08-14"})
    assert bad.status_code == 400 and "is-invalid" in bad.content.decode()
    ok = client.post(_url("report_review", report.pk), {"decision": "accept", "opinion": "同意。",
                                                         "reviewed_on": "2024年8月31日"})
    assert ok.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.reviewed_on, report.disclosure_due) == (S.REVIEWED, date(2024, 8, 31),
                                                                         date(2024, 9, 30))
    page = client.get(_url("report_detail", report.pk)).content.decode()
    assert 'data-testid="review-opinion"' in page and 'data-state="pending"' in page
    assert 'data-testid="disclosure-policy"' in page


@pytest.mark.parametrize("today, level, css", [
    (date(2024, 7, 30), "", "secondary"),
    (date(2024, 7, 31), "green", "success"),
    (date(2024, 8, 10), "yellow", "warning"),
    (date(2024, 8, 21), "red", "danger"),
])
def test_the_report_deadline_is_shown_in_warning_colours(world, fed_back, clock, today, level, css):
    report = started(fed_back.feedback, world.unit_liaison)
    clock.set(today)
    html = client_for(world.unit_liaison).get(_url("report_detail", report.pk)).content.decode()
    assert f'<span class="badge text-bg-{css}" data-testid="report-due" data-level="{level}">' in html
    ledger = client_for(world.office_admin).get(LIST).content.decode()
    assert f'<span class="badge text-bg-{css}" data-testid="report-due">' in ledger


def test_a_returned_report_shows_the_comment_to_the_liaison(world, fed_back, clock):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 15))
    client = client_for(world.office_admin)
    assert client.post(_url("report_review", report.pk), {"decision": "return", "comment": ""}).status_code == 400
    assert client.post(_url("report_review", report.pk),
                       {"decision": "return", "comment": "请补充第2个问题的整改成效。"}).status_code == 302
    page = client_for(world.unit_liaison).get(_url("report_detail", report.pk)).content.decode()
    assert 'data-testid="return-comment"' in page and "请补充第2个问题的整改成效。" in page
    assert 'data-testid="report-form"' in page


@pytest.mark.parametrize("who, status", [("unit_liaison", 403), ("leader", 403), ("supervisor", 403),
                                         ("other_office", 404), ("receiver", 403)])
def test_others_may_not_review(world, fed_back, clock, strangers, who, status):
    report = submitted(fed_back.feedback, world.unit_liaison, clock, date(2024, 8, 15))
    client = client_for(_user(world, strangers, who))
    for decision in ("accept", "return"):
        response = client.post(_url("report_review", report.pk), {
            "decision": decision, "opinion": "同意。", "reviewed_on": "2024-08-15", "comment": "退回"})
        assert response.status_code == status
    report.refresh_from_db()
    assert report.state == S.SUBMITTED


@pytest.mark.parametrize("who, status", [("office_admin", 200), ("unit_liaison", 200), ("leader", 200),
                                         ("supervisor", 200), ("other_office", 404), ("other_liaison", 404),
                                         ("receiver", 403), ("group_leader", 403)])
def test_who_reads_a_report(world, fed_back, strangers, who, status):
    report = started(fed_back.feedback, world.unit_liaison)
    response = client_for(_user(world, strangers, who)).get(_url("report_detail", report.pk))
    assert response.status_code == status
    if status == 200 and who != "unit_liaison":
        html = response.content.decode()
        assert 'data-testid="report-text"' in html and 'data-testid="report-form"' not in html


@pytest.mark.parametrize("who, status", [("office_admin", 200), ("unit_liaison", 200), ("supervisor", 200),
                                         ("other_office", 404), ("other_liaison", 404)])
def test_the_file_download_is_policy_checked_and_audited(world, fed_back, strangers, who, status):
    from io import BytesIO

    from xuncha.rectification import services_reports as services

    report = started(fed_back.feedback, world.unit_liaison)
    services.report_update(actor=world.unit_liaison, report=report, file=BytesIO(office("docx")),
                           file_name="整改报告.docx")
    user = _user(world, strangers, who)
    response = client_for(user).get(_url("report_file", report.pk))
    assert response.status_code == status
    downloads = AuditEvent.objects.filter(action="progress_report.download", actor_id=user.pk)
    assert downloads.count() == (1 if status == 200 else 0)
    if status == 200:
        assert b"".join(response.streaming_content) == office("docx")
        assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
        assert "attachment" in response["Content-Disposition"]


def test_a_report_without_a_file_has_no_download(world, fed_back):
    report = started(fed_back.feedback, world.unit_liaison)
    assert client_for(world.office_admin).get(_url("report_file", report.pk)).status_code == 404


def test_writes_are_post_only(world, fed_back):
    report = started(fed_back.feedback, world.unit_liaison)
    client = client_for(world.unit_liaison)
    for name in ("report_edit", "report_submit", "report_review", "report_disclosure_add"):
        assert client.get(_url(name, report.pk)).status_code == 405


# -- disclosure ------------------------------------------------------------------------------

def test_the_liaison_records_a_publication_and_the_office_removes_it(world, fed_back, clock):
    report = reviewed(fed_back.feedback, world.unit_liaison, world.office_admin, clock,
                      submitted_on=date(2024, 8, 15), reviewed_on=date(2024, 8, 31))
    clock.set(date(2024, 10, 8))
    liaison = client_for(world.unit_liaison)
    form = {"published_on": "2024-10-01", "channel": "notice_board", "place": "东门村村务公开栏",
            "title": "东门村关于巡察整改情况的通报", "content": ""}
    assert liaison.post(_url("report_disclosure_add", report.pk), {**form, "published_on": "2024-08-30"}
                        ).status_code == 400
    assert liaison.post(_url("report_disclosure_add", report.pk), form).status_code == 302
    disclosure = Disclosure.objects.get()
    page = liaison.get(_url("report_detail", report.pk)).content.decode()
    assert 'data-testid="disclosure-row"' in page and 'data-state="late"' in page
    remove = _url("report_disclosure_remove", report.pk, disclosure.pk)
    assert liaison.post(remove).status_code == 403
    assert client_for(world.leader).post(remove).status_code == 403
    assert client_for(world.office_admin).post(remove).status_code == 302
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize("who, status", [("leader", 403), ("supervisor", 403), ("other_office", 404),
                                         ("other_liaison", 404)])
def test_others_record_no_publication(world, fed_back, clock, strangers, who, status):
    report = reviewed(fed_back.feedback, world.unit_liaison, world.office_admin, clock,
                      submitted_on=date(2024, 8, 15), reviewed_on=date(2024, 8, 31))
    response = client_for(_user(world, strangers, who)).post(_url("report_disclosure_add", report.pk), {
        "published_on": "2024-08-31", "channel": "website", "place": "x", "title": "y"})
    assert response.status_code == status
    assert not Disclosure.objects.exists()
