"""Plain data for the document templates, built from the models: what a template may read.

Everything here is str, numbers, lists and dicts (dates already as 2024年6月20日); a template
never receives a model instance. Problems are only those the caller passes: the services pass
fed-back non-lead problems for anything the inspected organization receives.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from xuncha.reports import outline

CLASSIFICATION = {"report": "秘密★1年", "leads": "机密★10年", "feedback": "秘密★1年", "problem_list": "秘密★1年"}

# The names each template may use: checked when a template is uploaded.
COMMON = {"title", "copy_no", "classification", "urgency", "issuer_mark", "doc_number", "signer", "addressee",
          "blocks", "signature", "date", "cc", "printer", "printed_on", "committee", "round", "group",
          "organization", "problems"}
ALLOWED = {
    "report": COMMON | {"version"},
    "leads": COMMON | {"version"},
    "feedback": COMMON | {"requirements", "rectification_due", "progress_report_due", "fed_back_on"},
    "problem_list": COMMON,
}


def cn_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def _amount(value) -> str:
    return "" if value is None else f"{Decimal(value):,.2f}"


def _abbreviation(committee) -> str:
    name = (committee.short_name or committee.name).removeprefix("中共")
    return name[:1] or "巡"


def _leader_name(group) -> str:
    for member in group.members.all():
        if member.role == "leader":
            return member.person.name
    return ""


def masthead(doc_type: str, assignment, *, on: date | None = None) -> dict:
    """The 版头 and 版记 of a document about one inspection target."""
    round_, group, committee = assignment.round, assignment.group, assignment.round.committee
    on = on or timezone.localdate()
    return {
        "copy_no": "000001",
        "classification": CLASSIFICATION.get(doc_type, ""),
        "urgency": "",
        "issuer_mark": f"{committee.name}{group.name}",
        "doc_number": f"{_abbreviation(committee)}巡〔{on.year}〕{group.number}号",
        "signer": _leader_name(group),
        "addressee": "",
        "signature": f"{committee.name}{group.name}",
        "date": cn_date(on),
        "cc": "",
        "printer": f"{committee.name}巡察工作领导小组办公室",
        "printed_on": cn_date(on),
        "committee": committee.name,
        "round": round_.label,
        "group": group.name,
        "organization": assignment.organization.name,
        "problems": [],
        "blocks": [],
    }


def problem_rows(problems) -> list[dict]:
    """The problems as table rows in the order of the checklist (focus, point), then their number."""
    rows = []
    for n, problem in enumerate(sorted(problems, key=_checklist_order), start=1):
        manifestation = problem.classification
        point = manifestation.parent if manifestation else None
        focus = point.parent if point else None
        rows.append({
            "no": n,
            "number": f"{problem.seq:03d}",
            "focus": focus.title if focus else "",
            "point": point.title if point else "",
            "manifestation": manifestation.title if manifestation else "",
            "title": problem.title,
            "description": problem.description,
            "amount": _amount(problem.amount),
            "amount_value": float(problem.amount) if problem.amount is not None else None,
            "kind": str(problem.get_kind_display()),
            "severity": str(problem.get_severity_display()),
            "organization": problem.organization.name if problem.organization_id else "",
            "group": problem.group.name if problem.group_id else "",
            "fed_back": "是" if problem.fed_back else "否",
        })
    return rows


def _checklist_order(problem):
    manifestation = problem.classification
    point = manifestation.parent if manifestation else None
    focus = point.parent if point else None
    return (focus.position if focus else 0, focus.pk if focus else 0, point.position if point else 0,
            point.pk if point else 0, problem.seq)


def problem_blocks(rows: list[dict]) -> list[dict]:
    """The problems as outline blocks: （一）focus, 1. point, （1）problem, then its description."""
    out: list[dict] = []
    focus_n = point_n = problem_n = 0
    last_focus = last_point = None
    for row in rows:
        if row["focus"] != last_focus:
            focus_n, point_n, last_focus, last_point = focus_n + 1, 0, row["focus"], None
            out.append({"level": 2, "text": f"{outline.number(2, focus_n)}{row['focus'] or '其他问题'}"})
        if row["point"] != last_point:
            point_n, problem_n, last_point = point_n + 1, 0, row["point"]
            out.append({"level": 3, "text": f"{outline.number(3, point_n)}{row['point'] or '其他'}"})
        problem_n += 1
        out.append({"level": 4, "text": f"{outline.number(4, problem_n)}{row['title']}。"})
        out.append({"level": 0, "text": row["description"]})
    return out


def report_context(report, version, *, on: date | None = None) -> dict:
    doc_type = "leads" if report.kind == "leads" else "report"
    data = masthead(doc_type, report.assignment, on=on)
    committee = data["committee"]
    data.update({
        "title": report.title,
        "addressee": f"{committee}巡察工作领导小组",
        "blocks": [{"level": b.level, "text": b.text} for b in outline.blocks(version.sections)],
        "version": version.number,
    })
    return data


def feedback_context(feedback, problems, *, on: date | None = None) -> dict:
    from xuncha.rectification.deadlines import for_feedback

    assignment = feedback.assignment
    on = feedback.fed_back_on or on
    data = masthead("feedback", assignment, on=on)
    committee, group, organization = data["committee"], data["group"], data["organization"]
    rows = problem_rows(problems)
    rect_due, progress_due = feedback.rectification_due, feedback.progress_report_due
    if rect_due is None and feedback.fed_back_on is not None:
        try:
            deadlines = for_feedback(assignment.round.committee, feedback.fed_back_on)
            rect_due, progress_due = deadlines.rectification_due, deadlines.progress_report_due
        except Exception:  # no policy in force: the page says so; the document leaves it blank
            rect_due = progress_due = None
    blocks: list[dict] = [
        {"level": 0, "text": f"根据{committee}巡察工作统一部署，{data['round']}巡察期间，{group}对{organization}"
                             "进行了巡察。现将巡察发现的主要问题和整改要求反馈如下。"},
        {"level": 1, "text": f"{outline.number(1, 1)}巡察发现的主要问题"},
        *problem_blocks(rows),
        {"level": 1, "text": f"{outline.number(1, 2)}整改要求"},
    ]
    for line in (feedback.requirements or "").splitlines():
        if line.strip():
            blocks.append({"level": outline.level_of(line), "text": line.strip()})
    if rect_due:
        blocks.append({"level": 0, "text": f"请于{cn_date(rect_due)}前完成集中整改，并于{cn_date(progress_due)}前"
                                           f"向{committee}巡察工作领导小组办公室报送整改进展情况。"})
    copies = [c.organization.name for c in feedback.copies.all()]
    data.update({
        "title": f"{committee}{group}关于巡察{organization}的反馈意见",
        "addressee": organization,
        "blocks": blocks,
        "problems": rows,
        "cc": "，".join(copies),
        "requirements": feedback.requirements or "",
        "rectification_due": cn_date(rect_due),
        "progress_report_due": cn_date(progress_due),
        "fed_back_on": cn_date(feedback.fed_back_on),
    })
    return data


def problem_list_context(assignment, problems, *, fed_back: bool, on: date | None = None) -> dict:
    data = masthead("problem_list", assignment, on=on)
    rows = problem_rows(problems)
    what = "巡察反馈问题清单" if fed_back else "巡察发现问题清单"
    data.update({
        "title": f"{data['organization']}{what}",
        "addressee": data["organization"] if fed_back else "",
        "blocks": [{"level": 0, "text": f"{data['group']}在{data['round']}巡察中对{data['organization']}"
                                        f"发现问题{len(rows)}个，清单如下。"}],
        "problems": rows,
    })
    return data


def sample(doc_type: str) -> dict:
    """Sample data with every allowed name, for the trial render of an uploaded template."""
    rows = [{"no": n, "number": f"{n:03d}", "focus": "贯彻落实党的路线方针政策和决策部署情况",
             "point": "落实惠农政策情况", "manifestation": "惠农补贴发放不及时", "title": f"示例问题{n}",
             "description": "示例问题的描述。", "amount": "30,000.00", "amount_value": 30000.0, "kind": "一般问题",
             "severity": "一般", "organization": "示例村", "group": "第一巡察组", "fed_back": "是"}
            for n in range(1, 4)]
    data = {
        "title": "示例标题", "copy_no": "000001", "classification": CLASSIFICATION.get(doc_type, ""),
        "urgency": "特急", "issuer_mark": "中共示例县委第一巡察组", "doc_number": "示巡〔2024〕1号",
        "signer": "张某某", "addressee": "示例村党支部", "signature": "中共示例县委第一巡察组",
        "date": "2024年6月20日", "cc": "县委组织部", "printer": "示例县委巡察工作领导小组办公室",
        "printed_on": "2024年6月20日", "committee": "示例县委", "round": "十四届第一轮", "group": "第一巡察组",
        "organization": "示例村", "problems": rows,
        "blocks": [{"level": 1, "text": "一、标题"}, {"level": 2, "text": "（一）标题"}, {"level": 3, "text": "1.标题"},
                   {"level": 4, "text": "（1）标题"}, {"level": 0, "text": "正文。"}],
        "version": 1, "requirements": "整改要求。", "rectification_due": "2024年8月20日",
        "progress_report_due": "2024年12月20日", "fed_back_on": "2024年6月20日",
    }
    return {k: v for k, v in data.items() if k in ALLOWED[doc_type]}
