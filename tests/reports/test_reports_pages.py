"""Report pages: the round's reports, generation, the read view styled by outline level, the
editor, versions and diff, approval buttons and inbox, the chain settings; refusals (the
inspected organization reaches nothing, leads reports never for the superior office), query
counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from xuncha.reports import services_reports as services
from xuncha.reports.models import ApprovalChain, Report, ReportStep
from xuncha.rounds.models import Assignment

NO_REPORTS = ["unit_liaison", "receiver", "outsider", "sysadmin", "secadmin", "auditor"]


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # what the language switch sets
    with translation.override("en"):
        yield


@pytest.fixture
def reports(world, problems):
    report = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="report")
    leads = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="leads")
    return report, leads


def _urls(report: Report) -> list[str]:
    return [reverse(name, args=[report.pk]) for name in
            ("reports:report_detail", "reports:report_edit", "reports:report_versions", "reports:report_diff")]


# -- who reaches what ------------------------------------------------------------------------

@pytest.mark.parametrize("role", NO_REPORTS)
def test_the_organization_and_outsiders_reach_no_report_page(client, world, reports, role):
    report, leads = reports
    client.force_login(world.users[role])
    for url in (reverse("reports:reports"), reverse("reports:report_inbox"), reverse("reports:chain_settings"),
                *_urls(report), *_urls(leads)):
        assert client.get(url).status_code in (403, 404), url
    for name in ("reports:report_submit", "reports:report_decide", "reports:report_regenerate"):
        assert client.post(reverse(name, args=[report.pk]), {"action": "approve", "comment": "x"}).status_code in (
            403, 404)
    assert client.post(reverse("reports:report_generate", args=[report.assignment_id]),
                       {"kind": "report"}).status_code in (403, 404)
    assert ReportStep.objects.count() == 0


@pytest.mark.parametrize("role, sees_report, sees_leads", [
    ("group_leader", True, True), ("group_deputy", True, True), ("office_admin", True, True),
    ("leader", True, True), ("supervisor", True, False), ("group_member", False, False),
])
def test_who_reads_which_report(client, world, reports, role, sees_report, sees_leads):
    report, leads = reports
    client.force_login(world.users[role])
    assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == (200 if sees_report else 404)
    assert client.get(reverse("reports:report_detail", args=[leads.pk])).status_code == (200 if sees_leads else 404)
    assert client.get(reverse("reports:report_versions", args=[leads.pk])).status_code == (
        200 if sees_leads else 404)
    listing = client.get(reverse("reports:reports")).content.decode()
    assert (leads.title in listing or reverse("reports:report_detail", args=[leads.pk]) in listing) is sees_leads


def test_the_supervisor_never_sees_the_leads_report_anywhere(client, world, reports):
    report, leads = reports
    services.report_submit(actor=world.group_leader, report=leads)
    client.force_login(world.supervisor)
    listing = client.get(reverse("reports:reports")).content.decode()
    assert reverse("reports:report_detail", args=[report.pk]) in listing
    assert reverse("reports:report_detail", args=[leads.pk]) not in listing
    assert "侵占" not in client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert client.get(reverse("reports:report_diff", args=[leads.pk])).status_code == 404


def test_write_pages_are_refused_to_readers(client, world, reports):
    report, _ = reports
    for role in ("leader", "supervisor"):
        client.force_login(world.users[role])
        assert client.get(reverse("reports:report_edit", args=[report.pk])).status_code == 403
        assert client.post(reverse("reports:report_submit", args=[report.pk])).status_code == 403
    assert Report.objects.get(pk=report.pk).state == Report.State.DRAFT


def test_writes_are_post_only(client, world, reports):
    report, _ = reports
    client.force_login(world.group_leader)
    for name in ("reports:report_submit", "reports:report_decide", "reports:report_regenerate"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 405
    assert client.get(reverse("reports:report_generate", args=[report.assignment_id])).status_code == 405


# -- the round's reports ---------------------------------------------------------------------

def test_generate_from_the_round_list(client, world, problems):
    client.force_login(world.group_deputy)
    page = client.get(reverse("reports:reports")).content.decode()
    assert 'data-testid="generate-report"' in page and 'data-testid="generate-leads"' in page
    response = client.post(reverse("reports:report_generate", args=[problems.target.pk]), {"kind": "report"})
    report = Report.objects.get(kind="report")
    assert response.status_code == 302 and response["Location"] == reverse("reports:report_detail", args=[report.pk])
    again = client.post(reverse("reports:report_generate", args=[problems.target.pk]), {"kind": "report"},
                        follow=True)
    assert "already has" in again.content.decode() and Report.objects.count() == 1


def test_no_generate_button_for_readers(client, world, problems):
    for role in ("leader", "supervisor"):
        client.force_login(world.users[role])
        page = client.get(reverse("reports:reports")).content.decode()
        assert "generate-report" not in page


def test_the_round_list_query_count(client, world, findings, problems, make_user, django_assert_max_num_queries):
    from xuncha.registry.models import Organization

    for i in range(12):
        org = Organization.objects.create(committee=world.county, name=f"测试村{i}", kind=world.kinds["village"])
        target = Assignment.objects.create(group=world.group1 if i % 2 else world.group2, organization=org)
        services.report_generate(actor=world.office_admin, assignment=target, kind="report")
        services.report_generate(actor=world.office_admin, assignment=target, kind="leads")
    client.force_login(world.office_admin)
    client.get(reverse("reports:reports"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reports:reports"), {"round": world.round.pk})
    assert response.status_code == 200 and response.content.decode().count("report-state") >= 24


# -- one report ------------------------------------------------------------------------------

def test_the_read_view_styles_headings_by_level(client, world, reports):
    report, _ = reports
    client.force_login(world.group_leader)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert '<p class="report-h1" id="section-problems">二、主要问题</p>' in page
    assert '<p class="report-h2">（二）群众身边不正之风和腐败问题</p>' in page
    assert '<p class="report-h3">1.村集体“三资”管理</p>' in page
    assert '<p class="report-h4">（1）村集体资金坐收坐支。' in page
    assert 'href="#section-overview"' in page
    assert 'data-testid="report-documents"' in page
    assert f'name="object_id" value="{report.pk}"' in page  # the group leader may generate the Word file


def test_the_report_page_generates_its_word_document_and_lists_it(client, world, reports):
    report, _ = reports
    client.force_login(world.group_leader)
    url = reverse("reports:report_detail", args=[report.pk])
    response = client.post(reverse("reports:document_generate"),
                           {"doc_type": report.kind, "object_id": report.pk, "next": url})
    assert response.status_code == 302 and response.url == url
    page = client.get(url).content.decode()
    assert reverse("reports:document_download", args=[report.assignment.round.documents.get().pk]) in page
    client.force_login(world.leader)  # reads the report and its files, generates none
    page = client.get(url).content.decode()
    assert 'name="object_id"' not in page and "/download/" in page


def test_edit_saves_a_new_version_and_diff_shows_it(client, world, reports):
    report, _ = reports
    client.force_login(world.group_deputy)
    page = client.get(reverse("reports:report_edit", args=[report.pk])).content.decode()
    assert 'name="body_overview"' in page and 'name="body_problems"' in page
    version = report.versions.get()
    data = {f"body_{s['key']}": s["body"] for s in version.sections}
    data["body_overview"] = data["body_overview"].replace("开展了巡察", "开展了常规巡察")
    data["note"] = "补充巡察方式"
    response = client.post(reverse("reports:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    assert report.versions.count() == 2 and report.versions.get(number=2).note == "补充巡察方式"
    diff = client.get(reverse("reports:report_diff", args=[report.pk]), {"a": 1, "b": 2}).content.decode()
    assert "开展了<ins>常规</ins>巡察" in diff
    versions = client.get(reverse("reports:report_versions", args=[report.pk])).content.decode()
    assert "补充巡察方式" in versions
    nothing = client.post(reverse("reports:report_edit", args=[report.pk]), data).content.decode()
    assert "Nothing was changed" in nothing and report.versions.count() == 2


def test_approval_through_the_pages(client, world, reports):
    report, _ = reports
    client.force_login(world.group_leader)
    client.post(reverse("reports:report_submit", args=[report.pk]))
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="report-decide"' in page and 'data-testid="report-submit"' not in page
    returned = client.post(reverse("reports:report_decide", args=[report.pk]), {"action": "return"}, follow=True)
    assert "Say why" in returned.content.decode()
    assert Report.objects.get(pk=report.pk).state == Report.State.IN_REVIEW
    client.post(reverse("reports:report_decide", args=[report.pk]), {"action": "approve"})
    assert Report.objects.get(pk=report.pk).step == 1
    client.force_login(world.office_admin)
    assert client.post(reverse("reports:report_decide", args=[report.pk]), {"action": "approve"}).status_code == 403
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="report-decide"' not in page and "组长" in page


def test_the_inbox_and_its_query_count(client, world, findings, django_assert_max_num_queries):
    from xuncha.registry.models import Organization

    for i in range(8):
        org = Organization.objects.create(committee=world.county, name=f"收件村{i}", kind=world.kinds["village"])
        target = Assignment.objects.create(group=world.group1, organization=org)
        report = services.report_generate(actor=world.group_leader, assignment=target, kind="report")
        services.report_submit(actor=world.group_leader, report=report)
        for _ in range(2):
            services.report_decide(actor=world.group_leader, report=report, action="approve")
    client.force_login(world.office_staff)
    client.get(reverse("reports:report_inbox"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("reports:report_inbox")).content.decode()
    assert page.count("reports/") - page.count("reports/inbox/") >= 8 and page.count("<td>收件村") == 8
    client.force_login(world.leader)
    assert "收件村" not in client.get(reverse("reports:report_inbox")).content.decode()


# -- the chain -------------------------------------------------------------------------------

def test_the_office_admin_edits_the_chain(client, world):
    client.force_login(world.office_admin)
    page = client.get(reverse("reports:chain_settings")).content.decode()
    assert 'data-testid="chain-form"' in page and 'value="组务会"' in page
    bad = client.post(reverse("reports:chain_settings"), {"kind": "report", "name_0": "", "roles_0": ["leader"]})
    assert "give the step a name" in bad.content.decode() and not ApprovalChain.objects.exists()
    response = client.post(reverse("reports:chain_settings"), {
        "kind": "leads", "name_0": "组长审定", "roles_0": ["group_leader"], "name_1": "书记专题会",
        "roles_1": ["leader"], "name_2": "", "name_3": ""})
    assert response.status_code == 302
    assert ApprovalChain.objects.get(kind="leads").steps == [
        {"name": "组长审定", "roles": ["group_leader"]}, {"name": "书记专题会", "roles": ["leader"]}]


@pytest.mark.parametrize("role, status", [("office_staff", 200), ("leader", 200), ("group_leader", 403),
                                          ("supervisor", 403), ("unit_liaison", 403)])
def test_others_read_the_chain_or_are_refused(client, world, role, status):
    client.force_login(world.users[role])
    response = client.get(reverse("reports:chain_settings"))
    assert response.status_code == status
    if status == 200:
        assert 'data-testid="chain-form"' not in response.content.decode()
        assert client.post(reverse("reports:chain_settings"), {"name_0": "x", "roles_0": ["leader"]}
                           ).status_code == 403
