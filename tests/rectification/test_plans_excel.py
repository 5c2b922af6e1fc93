"""The three lists (三清单) of a plan as one Excel workbook, read back with openpyxl: sheet names,
headers bold and frozen, rows, problem numbers shared between the sheets; the download's
permission (EXPORT) and its audit event."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.rectification.plans_helpers import (  # noqa: F401 - autouse fixture
    _documents_in_tmp,
    login,
    task_fields,
    written_plan,
)
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.rectification import services_plans as services
from xuncha.rectification import three_lists
from xuncha.rectification.models import Task

HEADER_ROW = 3


def _book(body: bytes):
    return load_workbook(io.BytesIO(body))


def _header(ws) -> list[str]:
    return [c.value for c in ws[HEADER_ROW]]


def _rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=HEADER_ROW + 1)]


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


@pytest.fixture
def plan(world, fed_back):
    plan = written_plan(fed_back, world.unit_liaison)
    # A second task for problem 2 (村集体资金坐收坐支), long-term, due beyond the concentrated period.
    services.task_add(actor=world.unit_liaison, plan=plan, problem=fed_back.problems[1],
                      **task_fields(measures="2024年12月底前由村党支部书记牵头修订村级财务管理制度，每季度公开1次收支。",
                                    due=date(2024, 12, 31), type=Task.Type.LONG_TERM, responsible_leader="赵书记"))
    return plan


def test_the_workbook_holds_the_three_lists(world, fed_back, plan):
    book = _book(three_lists.export(actor=world.unit_liaison, plan=plan))
    assert book.sheetnames == ["问题清单", "任务清单", "责任清单"]
    problems, tasks, duties = (book[name] for name in book.sheetnames)

    assert _header(problems) == ["序号", "问题", "问题描述", "问题类别"]
    assert _header(tasks) == ["序号", "问题序号", "整改措施", "整改类型", "完成时限", "状态"]
    assert _header(duties) == ["序号", "问题序号", "责任领导", "牵头部门", "责任人", "完成时限"]
    for ws in (problems, tasks, duties):
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
        assert all(c.font.bold for c in ws[HEADER_ROW])
        assert ws.column_dimensions["C"].width >= 16
        assert "东门村" in ws["A1"].value

    # The problems in the order of the feedback's list (the checklist's): V1 before V2.
    rows = _rows(problems)
    assert [r[1] for r in rows] == ["惠农补贴发放不及时", "村集体资金坐收坐支", "集体资产发包不公开", "公款私存"]
    assert rows[0] == [1, "惠农补贴发放不及时", "2023年耕地地力保护补贴延迟4个月发放。",
                       "贯彻落实党的路线方针政策和上级决策部署情况 / 乡村振兴政策落实"]
    assert rows[1][3] == "群众身边不正之风和腐败问题 / 村集体“三资”管理"
    assert fed_back.lead.title not in str(rows)

    rows = _rows(tasks)
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert [r[1] for r in rows] == [1, 2, 3, 4, 2]
    assert rows[4][2].startswith("2024年12月底前") and rows[4][3] == "长期坚持" and rows[0][3] == "集中整改"
    assert _day(rows[4][4]) == date(2024, 12, 31) and _day(rows[0][4]) == date(2024, 7, 31)
    assert tasks.cell(row=HEADER_ROW + 1, column=5).number_format == three_lists.DATE_FORMAT
    assert {r[5] for r in rows} == {"编制中"}

    rows = _rows(duties)
    assert rows[4][:5] == [5, 2, "赵书记", "村两委", "李会计"] and _day(rows[4][5]) == date(2024, 12, 31)


def test_the_state_column_follows_the_tasks_once_approved(world, approved_plan):
    book = _book(three_lists.workbook(approved_plan.plan))
    assert {r[5] for r in _rows(book["任务清单"])} == {"整改中"}


def test_downloading_is_audited_and_needs_export(world, plan):
    client = login(world.unit_liaison)
    response = client.get(reverse("rectification:plan_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == three_lists.CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    assert _book(b"".join(response)).sheetnames == ["问题清单", "任务清单", "责任清单"]
    event = AuditEvent.objects.get(action="plan.export")
    assert event.actor_id == world.unit_liaison.pk and event.object_id == str(plan.pk)

    assert login(world.leader).get(reverse("rectification:plan_export", args=[plan.pk])).status_code == 200
    # The superior office reads plans but does not export them.
    assert login(world.supervisor).get(reverse("rectification:plan_export", args=[plan.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        three_lists.export(actor=world.supervisor, plan=plan)
    assert AuditEvent.objects.filter(action="plan.export").count() == 2
