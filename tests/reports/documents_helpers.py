"""Shared helpers of the documents tests: a report with a version, an issued feedback."""

from __future__ import annotations

import datetime

from xuncha.reports import outline
from xuncha.reports.documents.context import problem_blocks, problem_rows
from xuncha.reports.models import Feedback, Report, ReportVersion


def sections_for(problems) -> list[dict]:
    body = "\n".join(b["text"] for b in problem_blocks(problem_rows(problems)))
    return [
        {"key": "overview", "title": "基本情况和总体评价", "body": "东门村党支部基本情况。\n总体评价较好。"},
        {"key": "problems", "title": "主要问题", "body": body},
        {"key": "advice", "title": "意见建议", "body": "（一）加强集体资金管理\n建议完善制度。"},
    ]


def make_report(problems, *, kind="report", title="关于巡察东门村党支部的情况报告") -> tuple[Report, ReportVersion]:
    chosen = [problems.lead] if kind == "leads" else problems.general
    report = Report.objects.create(assignment=problems.target, kind=kind, title=title)
    version = ReportVersion.objects.create(report=report, number=1, sections=sections_for(chosen))
    assert outline.blocks(version.sections)
    return report, version


def make_feedback(problems, *, issued=True) -> Feedback:
    report = Report.objects.filter(assignment=problems.target, kind="report").first() or make_report(problems)[0]
    feedback = Feedback.objects.create(assignment=problems.target, report=report,
                                       state=Feedback.State.ISSUED if issued else Feedback.State.DRAFT,
                                       requirements="请认真抓好整改落实。", fed_back_on=datetime.date(2024, 6, 20))
    feedback.problems.add(*problems.general)
    if issued:
        for p in problems.general:
            p.fed_back = True
            p.save(update_fields=["fed_back"])
    return feedback
