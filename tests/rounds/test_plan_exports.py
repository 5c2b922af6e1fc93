"""The plan export for filing (报备): Word and Excel read back, file names, audit, refusals."""

from __future__ import annotations

import io
from datetime import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from xuncha.access.models import AuditEvent
from xuncha.registry.models import Organization
from xuncha.rounds import services
from xuncha.rounds.models import Term

from .plan_helpers import CONSOLE, person, planned_round, staff


@pytest.fixture
def staffed(world):
    term = Term.objects.create(committee=world.county, number=14, name="十四届", start_date=datetime(2021, 10, 1))
    rnd = services.round_create(actor=CONSOLE, term=term, number=8, kind="special", theme="农村集体“三资”管理",
                                planned_entry=datetime(2024, 9, 2).date(), planned_exit=datetime(2024, 10, 31).date())
    first = staff(world, rnd, inspectors={"leader": ["张三"], "deputy": ["李四"], "member": ["王五", "丁一", "马六"]})
    water = Organization.objects.create(committee=world.county, name="县水务局", kind=world.kinds["department"])
    services.assignment_add(actor=CONSOLE, group=first, organization=water, mode="extended")
    staff(world, rnd, inspectors={"leader": ["赵六"]}, target=False)
    return rnd


def _get(client, user, name, rnd):
    client.force_login(user)
    return client.get(reverse(f"rounds:{name}", args=[rnd.pk]))


def test_the_word_plan_reads_back(client, world, staffed):
    response = _get(client, world.office_admin, "round_export_word", staffed)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    title = document.paragraphs[0]
    assert title.text == "示例县委十四届第八轮巡察工作安排"
    assert title.style.name == "Title"
    fonts = title.runs[0]._r.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    text = "\n".join(p.text for p in document.paragraphs)
    for line in ("巡察类型：专项巡察", "巡察主题：农村集体“三资”管理", "进驻时间：2024年9月2日",
                 "撤离时间：2024年10月31日", "巡察组：2个", "巡察对象：2个"):
        assert line in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["一、基本情况", "二、巡察组组成及巡察对象"]
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["组别", "组长", "副组长", "组员", "巡察对象", "方式"]
    assert rows[1] == ["第一巡察组", "张三", "李四", "丁一、马六、王五", "县水务局、南山村81", "延伸巡察、直巡"]
    assert rows[2] == ["第二巡察组", "赵六", "—", "—", "—", "—"]


def test_the_excel_plan_has_one_row_per_target(client, world, staffed):
    response = _get(client, world.leader, "round_export_excel", staffed)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["组别", "被巡察党组织", "类型", "巡察方式", "组长", "进驻时间", "撤离时间"]
    village, department = world.kinds["village"].name, world.kinds["department"].name
    assert [r[:5] for r in rows[1:]] == [
        ["第一巡察组", "县水务局", department, "延伸巡察", "张三"],
        ["第一巡察组", "南山村81", village, "直巡", "张三"],
        ["第二巡察组", None, None, None, "赵六"],
    ]
    assert rows[1][5] == datetime(2024, 9, 2) and rows[1][6] == datetime(2024, 10, 31)
    assert sheet["F2"].number_format == 'yyyy"年"m"月"d"日"'
    assert sheet["A1"].font.name == "仿宋_GB2312" and sheet["A1"].font.bold


@pytest.mark.parametrize(("name", "ext"), [("round_export_word", "docx"), ("round_export_excel", "xlsx")])
def test_the_download_has_a_chinese_file_name_and_is_audited(client, world, staffed, name, ext):
    response = _get(client, world.office_staff, name, staffed)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote(f'示例县委十四届第八轮巡察工作安排.{ext}')}" in disposition
    event = AuditEvent.objects.filter(action="round.export").latest("seq")
    assert (event.actor, event.object_id, event.detail) == (world.office_staff, str(staffed.pk), {"format": ext})
    assert event.summary == staffed.label


@pytest.mark.parametrize("name", ["group_leader", "group_member", "supervisor"])
def test_those_who_may_not_export_get_403_and_nothing_is_audited(client, world, staffed, name):
    for view in ("round_export_word", "round_export_excel"):
        assert _get(client, world.users[name], view, staffed).status_code == 403
    assert not AuditEvent.objects.filter(action="round.export").exists()


def test_an_empty_round_still_exports(client, world):
    rnd = planned_round(world)
    response = _get(client, world.office_admin, "round_export_word", rnd)
    [table] = Document(io.BytesIO(response.content)).tables
    assert len(table.rows) == 1
    response = _get(client, world.office_admin, "round_export_excel", rnd)
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 1


def test_members_are_in_surname_stroke_order_across_roles(client, world, staffed):
    group = staffed.groups.get(number=2)
    for name in ("石一", "丁二"):
        services.member_add(actor=CONSOLE, group=group, person=person(world, name), role="member")
    services.member_add(actor=CONSOLE, group=group, person=person(world, "王联"), role="liaison")
    response = _get(client, world.office_admin, "round_export_word", staffed)
    row = [c.text for c in Document(io.BytesIO(response.content)).tables[0].rows[2].cells]
    assert row[3] == "丁二、王联（联络员）、石一"
