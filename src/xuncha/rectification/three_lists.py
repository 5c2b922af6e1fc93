"""The three lists of a rectification plan (三清单) as one Excel workbook: 问题清单 (the problems
fed back), 任务清单 (the tasks and their measures) and 责任清单 (who answers for each task).

Sheets in the house style of reports.documents.excel (title, subtitle, bold frozen header row,
column widths, printable on A4 landscape); the problems are numbered in the order of the
feedback's own problem list (the checklist's order), and the other two sheets refer to them by
that number. Exporting needs EXPORT on the plan and is audited.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from xuncha.access import audit
from xuncha.access.policy import EXPORT, require
from xuncha.findings.models import Kind
from xuncha.rectification.models import Plan, Task
from xuncha.reports.documents.context import cn_date
from xuncha.reports.documents.excel import _sheet as house_sheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'

PROBLEM_COLUMNS = [("序号", "no", 6), ("问题", "title", 28), ("问题描述", "description", 56),
                   ("问题类别", "category", 40)]
TASK_COLUMNS = [("序号", "no", 6), ("问题序号", "problem_no", 10), ("整改措施", "measures", 64),
                ("整改类型", "type", 14), ("完成时限", "due", 16), ("状态", "state", 12)]
# The lists are official Chinese documents whatever the reader's language (as the feedback's).
TYPE_NAMES = {Task.Type.IMMEDIATE: "立行立改", Task.Type.CONCENTRATED: "集中整改", Task.Type.LONG_TERM: "长期坚持"}
TASK_STATE_NAMES = {Task.State.OPEN: "整改中", Task.State.REQUESTED: "申请销号", Task.State.CLOSED: "已销号"}
PLAN_STATE_NAMES = {Plan.State.DRAFT: "编制中", Plan.State.SUBMITTED: "待审核", Plan.State.RETURNED: "退回修改",
                    Plan.State.APPROVED: "已审核"}
RESPONSIBILITY_COLUMNS = [("序号", "no", 6), ("问题序号", "problem_no", 10), ("责任领导", "responsible_leader", 16),
                          ("牵头部门", "lead_department", 20), ("责任人", "person_in_charge", 16),
                          ("完成时限", "due", 16)]


def checklist_order(problem) -> tuple:
    """Focus, point, then number: the order of the feedback's problem list."""
    point = problem.classification.parent if problem.classification_id else None
    focus = point.parent if point else None
    return (focus.position if focus else 0, focus.pk if focus else 0, point.position if point else 0,
            point.pk if point else 0, problem.seq)


def numbered(problems) -> list[tuple[int, object]]:
    """(number in the problem list, problem), in the feedback's order."""
    return list(enumerate(sorted(problems, key=checklist_order), start=1))


def category(problem) -> str:
    """The checklist classification's focus / point (监督重点 / 监督要点)."""
    chain, item = [], problem.classification
    while item is not None:
        chain.insert(0, item.title)
        item = item.parent
    return " / ".join(chain[:2])


def _state(plan: Plan, task: Task) -> str:
    """The task's state once the plan is approved; before that, the plan's."""
    if plan.state == Plan.State.APPROVED:
        return TASK_STATE_NAMES.get(task.state, task.state)
    return PLAN_STATE_NAMES.get(plan.state, plan.state)


def _rows(plan: Plan) -> tuple[list[dict], list[dict], list[dict]]:
    problems = (plan.feedback.problems.exclude(kind=Kind.LEAD)
                .select_related("classification__parent__parent"))
    listed = numbered(problems)
    number_of = {p.pk: n for n, p in listed}
    problem_rows = [{"no": n, "title": p.title, "description": p.description, "category": category(p)}
                    for n, p in listed]
    task_rows, responsibility_rows = [], []
    for task in plan.tasks.order_by("seq"):
        common = {"no": task.seq, "problem_no": number_of.get(task.problem_id), "due": task.due}
        task_rows.append({**common, "measures": task.measures, "type": TYPE_NAMES.get(task.type, task.type),
                          "state": _state(plan, task)})
        responsibility_rows.append({**common, "responsible_leader": task.responsible_leader,
                                    "lead_department": task.lead_department,
                                    "person_in_charge": task.person_in_charge})
    return problem_rows, task_rows, responsibility_rows


def _dates_as_dates(ws, columns) -> None:
    for index, (_, key, _width) in enumerate(columns, start=1):
        if key == "due":
            letter = get_column_letter(index)
            for cell in ws[letter][3:]:
                cell.number_format = DATE_FORMAT


def workbook(plan: Plan) -> bytes:
    """The three lists of the plan (no permission check: see `export`)."""
    organization = plan.organization.name
    feedback = plan.feedback
    subtitle = (f"{plan.round.label}　反馈日期：{cn_date(feedback.fed_back_on)}　"
                f"集中整改期限：{cn_date(feedback.rectification_due)}")
    problems, tasks, responsibilities = _rows(plan)
    wb = Workbook()
    sheets = [("问题清单", PROBLEM_COLUMNS, problems), ("任务清单", TASK_COLUMNS, tasks),
              ("责任清单", RESPONSIBILITY_COLUMNS, responsibilities)]
    for index, (name, columns, rows) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = name
        house_sheet(ws, f"{organization}巡察整改{name}", columns, rows, subtitle)
        _dates_as_dates(ws, columns)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filename(plan: Plan) -> str:
    return f"{plan.organization.name}巡察整改三清单.xlsx"


def export(*, actor, plan: Plan) -> bytes:
    """The workbook for someone who may EXPORT the plan; the export is audited."""
    require(actor, EXPORT, plan)
    body = workbook(plan)
    audit.record(actor=actor, action="plan.export", obj=plan, summary=str(plan.organization),
                 detail={"format": "xlsx", "lists": ["问题清单", "任务清单", "责任清单"]})
    return body
