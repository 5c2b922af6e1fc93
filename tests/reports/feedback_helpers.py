"""Helpers of the feedback tests: reports in any state written straight to the database (the
approval chain is another area's), and feedback made through the services."""

from __future__ import annotations

from datetime import date

from xuncha.access import policy
from xuncha.reports import services_feedback as services
from xuncha.reports.models import Feedback, Report, ReportVersion

SECTIONS = [{"key": "overview", "title": "基本情况和总体评价", "body": "总体较好。"},
            {"key": "problems", "title": "主要问题", "body": "一、村集体“三资”管理不规范"},
            {"key": "advice", "title": "意见建议", "body": "加强管理。"}]


def report(target, state: str = "approved", kind: str = "report") -> Report:
    """The target's report in `state`; an approved one has its approved version set."""
    made = Report.objects.create(assignment=target, kind=kind, title=f"关于{target.organization.name}的巡察报告",
                                 state=state)
    version = ReportVersion.objects.create(report=made, number=1, sections=SECTIONS)
    if state == "approved":
        made.approved_version = version
        made.save(update_fields=["approved_version"])
    return made


def draft_feedback(target, actor=policy.CONSOLE) -> Feedback:
    """A draft feedback for a target with an approved report (made if missing)."""
    if not Report.objects.filter(assignment=target, kind="report").exists():
        report(target)
    return services.feedback_create(actor=actor, assignment=target)


def issued_feedback(target, on: date = date(2024, 5, 20), actor=policy.CONSOLE) -> Feedback:
    feedback = draft_feedback(target, actor)
    return services.feedback_issue(actor=actor, feedback=feedback, fed_back_on=on)
