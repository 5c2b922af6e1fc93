"""Generation of the report and the leads report from the confirmed problems: the outline, its
numbering and order, leads only in the leads report, regeneration as a new version."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from xuncha.findings.models import Problem
from xuncha.reports import generate, outline
from xuncha.reports import services_reports as services
from xuncha.reports.models import Report


def _body(report: Report, key: str) -> str:
    version = report.versions.order_by("-number").first()
    return next(s["body"] for s in version.sections if s["key"] == key)


def test_it_generates_the_three_sections_in_the_standard_outline(world, problems):
    report = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="report")
    version = report.versions.get()
    assert version.number == 1
    assert [(s["key"], s["title"]) for s in version.sections] == [
        ("overview", "基本情况和总体评价"), ("problems", "主要问题"), ("suggestions", "意见建议")]
    assert [b.text for b in outline.blocks(version.sections) if b.level == outline.LEVEL1] == [
        "一、基本情况和总体评价", "二、主要问题", "三、意见建议"]
    assert report.title == "第一巡察组关于巡察东门村情况的报告" and report.state == Report.State.DRAFT


def test_problems_are_grouped_by_focus_and_point_in_checklist_order_and_numbered(world, problems):
    report = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="report")
    lines = _body(report, "problems").splitlines()
    assert lines == [
        "（一）贯彻落实党的路线方针政策和上级决策部署情况",
        "1.乡村振兴政策落实",
        "（1）惠农补贴发放不及时。2023年耕地地力保护补贴延迟4个月发放。",
        "（二）群众身边不正之风和腐败问题",
        "1.村集体“三资”管理",
        "（1）村集体资金坐收坐支。2023年租金3万元未入账，直接用于开支。",
        "（2）集体资产发包不公开。2022年鱼塘发包未经村民代表大会。",
        "（3）公款私存。报账员将1.2万元存入个人账户。",
    ]
    levels = [outline.level_of(line) for line in lines]
    assert levels == [2, 3, 4, 2, 3, 4, 4, 4]


def test_checklist_position_decides_the_order_not_the_problem_number(world, findings, problems):
    findings.items["V2"].position, findings.items["V1"].position = 0, 50
    findings.items["V2"].save()
    findings.items["V1"].save()
    report = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="report")
    assert _body(report, "problems").splitlines()[0] == "（一）群众身边不正之风和腐败问题"


def test_overview_counts_and_amounts_and_placeholder(world, problems):
    report = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="report")
    overview = _body(report, "overview")
    assert "示例县委" in overview and "第一届第一轮第一巡察组" in overview and "东门村" in overview
    assert "2024年3月1日至2024年4月30日" in overview
    assert "共发现问题4个，其中一般问题4个" in overview and "涉及金额2项共4.2万元" in overview
    assert generate.ASSESSMENT_PLACEHOLDER in overview
    suggestions = _body(report, "suggestions").splitlines()
    assert len(suggestions) == 2 and suggestions[0].startswith("（一）贯彻落实党的路线方针政策和上级决策部署情况。针对乡村振兴政策落实")
    assert "建议东门村党组织" in suggestions[1]


def test_the_lead_goes_only_into_the_leads_report(world, problems, make_paper):
    problems.lead.papers.update(persons_involved="王建国、李四")
    report = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="report")
    leads = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="leads")
    everything = "".join(s["body"] for s in report.versions.get().sections)
    assert "侵占" not in everything and "线索" not in everything
    body = _body(leads, "problems")
    assert body.splitlines() == [
        "（一）群众身边不正之风和腐败问题", "1.村集体“三资”管理",
        "（1）村主任涉嫌侵占征地补偿款。涉嫌侵占补偿款5万元。涉及人员：王建国、李四。涉及金额：5万元。"]
    for problem in problems.general:
        assert problem.title not in "".join(s["body"] for s in leads.versions.get().sections)
    assert "发现问题线索1条" in _body(leads, "overview") and leads.title.endswith("专题报告")


def test_a_second_report_of_a_kind_is_refused_and_regeneration_makes_a_new_version(world, problems):
    report = services.report_generate(actor=world.group_leader, assignment=problems.target, kind="report")
    with pytest.raises(ValidationError):
        services.report_generate(actor=world.group_deputy, assignment=problems.target, kind="report")
    Problem.objects.filter(pk=problems.general[0].pk).update(title="惠农补贴发放严重滞后")
    version = services.report_regenerate(actor=world.group_deputy, report=report)
    assert version.number == 2 and "惠农补贴发放严重滞后" in _body(report, "problems")
    assert "惠农补贴发放不及时" in next(s["body"] for s in report.versions.get(number=1).sections
                                        if s["key"] == "problems")


def test_a_target_without_problems_gets_a_draft_to_fill_in(world, findings):
    report = services.report_generate(actor=world.office_admin, assignment=findings.target2, kind="report")
    assert _body(report, "problems") == "巡察中未发现需要报告的问题。"
    assert "共发现问题0个" in _body(report, "overview")


@pytest.mark.parametrize("role", ["group_member", "supervisor", "unit_liaison", "receiver", "leader", "sysadmin"])
def test_who_may_not_generate(world, problems, role):
    from xuncha.access.policy import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.report_generate(actor=world.users[role], assignment=problems.target, kind="report")
    assert not Report.objects.exists()


def test_amounts_as_a_report_writes_them():
    from decimal import Decimal

    assert generate.yuan(Decimal("30000")) == "3万元"
    assert generate.yuan(Decimal("42000.00")) == "4.2万元"
    assert generate.yuan(Decimal("3500.50")) == "3500.5元"
    assert generate.yuan(None) == "0元"
