"""Rows for the dashboard, overdue, warning and reminder tests, written straight to the database
(the services of plans, tasks, reports and transfers are other areas'): `build` makes inspected
organizations with issued feedback, plans, tasks, progress reports, disclosures and transfers.

`scenario` holds one committee's rectification in every state, seen on `TODAY`. No tests here;
the test modules of the dashboard area import the fixtures (registered by name: `build`,
`scenario`, `today`, and `_documents_in_tmp` which keeps generated documents out of the data
directory).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.db.models import Max
from django.utils import timezone

from tests.findings.conftest import findings, make_paper  # noqa: F401 - fixtures used here
from xuncha.findings.models import Problem
from xuncha.rectification import deadlines
from xuncha.rectification.models import Disclosure, Plan, ProgressReport, Task, Transfer
from xuncha.registry.models import Organization
from xuncha.reports.models import Feedback, Report
from xuncha.rounds.models import Assignment, Group, Round, Term


@pytest.fixture(name="_documents_in_tmp", autouse=True)
def documents_in_tmp(settings, tmp_path):
    """Feedback issued through the services generates documents: keep them out of the data directory."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}


class Builder:
    def __init__(self, world, findings):  # noqa: F811
        self.world = world
        self.item = findings.items["V2.1.1"]

    def target(self, name: str, *, group=None, parent=None) -> Assignment:
        w = self.world
        organization = Organization.objects.create(committee=(group or w.group1).round.committee, name=name,
                                                   kind=w.kinds["village"], parent=parent or w.township)
        return Assignment.objects.create(group=group or w.group1, organization=organization)

    def problem(self, target: Assignment, *, kind: str = "general", title: str = "村集体资金坐收坐支") -> Problem:
        seq = (Problem.objects.filter(group=target.group).aggregate(m=Max("seq"))["m"] or 0) + 1
        return Problem.objects.create(assignment=target, seq=seq, title=title, description=title,
                                      classification=self.item, kind=kind)

    def feedback(self, target: Assignment, on: date = date(2024, 5, 20)) -> Feedback:
        """An issued feedback with the deadlines of the policy in force on `on`."""
        report = Report.objects.create(assignment=target, title=f"关于{target.organization.name}的巡察报告",
                                       state=Report.State.APPROVED)
        due = deadlines.for_feedback(target.round.committee, on)
        return Feedback.objects.create(assignment=target, report=report, state=Feedback.State.ISSUED,
                                       fed_back_on=on, policy=due.policy, rectification_due=due.rectification_due,
                                       progress_report_due=due.progress_report_due, issued_at=timezone.now())

    def plan(self, feedback: Feedback, state: str = Plan.State.APPROVED) -> Plan:
        return Plan.objects.create(feedback=feedback, organization=feedback.assignment.organization,
                                   round=feedback.assignment.round, state=state)

    def task(self, plan: Plan, due: date, state: str = Task.State.OPEN, *, owner=None, title: str = "") -> Task:
        problem = self.problem(plan.feedback.assignment, title=title or "村集体资金坐收坐支")
        seq = (plan.tasks.aggregate(m=Max("seq"))["m"] or 0) + 1
        return Task.objects.create(plan=plan, problem=problem, seq=seq, measures="2024年6月底前补录入账。",
                                   responsible_leader="王建国", lead_department="村两委", person_in_charge="李会计",
                                   due=due, state=state, owner=owner,
                                   closed_at=timezone.now() if state == Task.State.CLOSED else None)

    def report(self, feedback: Feedback, state: str = ProgressReport.State.DRAFT, *,
               reviewed_on: date | None = None) -> ProgressReport:
        """A progress report; reviewed ones get the disclosure deadline of the policy in force then."""
        report = ProgressReport(feedback=feedback, organization=feedback.assignment.organization,
                                round=feedback.assignment.round, state=state, due=feedback.progress_report_due,
                                title="关于巡察反馈意见集中整改进展情况的报告")
        if reviewed_on is not None:
            policy = deadlines.in_force(feedback.assignment.round.committee, reviewed_on)
            report.reviewed_on, report.policy = reviewed_on, policy
            report.disclosure_due = deadlines.add_months(reviewed_on, policy.disclosure_months)
        report.save()
        return report

    def disclose(self, report: ProgressReport, on: date) -> Disclosure:
        return Disclosure.objects.create(report=report, published_on=on, channel=Disclosure.Channel.NOTICE_BOARD,
                                         place="村务公开栏", title="整改情况公示")

    def transfer(self, problem: Problem, receiver: Organization, on: date = date(2024, 5, 20),
                 state: str = Transfer.State.TRANSFERRED) -> Transfer:
        policy = deadlines.in_force(problem.round.committee, on)
        return Transfer.objects.create(round=problem.round, problem=problem, receiver=receiver,
                                       summary=problem.title, transferred_on=on, policy=policy,
                                       feedback_due=deadlines.add_months(on, policy.transfer_feedback_months),
                                       state=state)


@pytest.fixture(name="build")
def build_fixture(world, findings):  # noqa: F811
    return Builder(world, findings)


TODAY = date(2024, 9, 1)


@pytest.fixture(name="today")
def today_fixture(monkeypatch):
    """Pages and to-dos see TODAY as the current date."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


@pytest.fixture(name="scenario")
def scenario_fixture(world, build, today):
    """Seen on 2024-09-01, five organizations of the county and one of the neighbouring county:

    - 南街村 (round 1): approved plan, tasks overdue (one of them awaiting closure), yellow, green
      and closed; no progress report (due 2024-08-20) → 3 items overdue;
    - 北坡村 (round 1): plan awaiting review, report not due yet;
    - 西山村 (round 1): no plan, report submitted;
    - 东岭村 (round 1): every task closed, report reviewed on 2024-07-01, nothing disclosed by
      2024-08-01 → 1 overdue;
    - 河湾村 (round 2, term 2): plan returned; a lead transferred on 2024-05-01 unanswered (due
      2024-08-01) and a general problem transferred and answered → 1 overdue;
    - 河口村 of 邻县县委: an overdue task (the superior office sees it, the county does not).
    """
    w = world
    term2 = Term.objects.create(committee=w.county, number=2, name="第二届", start_date=date(2024, 6, 1))
    round2 = Round.objects.create(term=term2, number=1, planned_entry=date(2024, 6, 1), planned_exit=date(2024, 6, 30))
    group2 = Group.objects.create(round=round2, number=1)
    s = SimpleNamespace(round1=w.round, round2=round2, term1=w.term, term2=term2)

    s.a = build.target("南街村")
    plan = build.plan(build.feedback(s.a, on=date(2024, 5, 20)))
    s.a_tasks = {
        "red": build.task(plan, date(2024, 8, 1), title="惠农补贴发放不及时"),
        "requested": build.task(plan, date(2024, 8, 10), Task.State.REQUESTED, title="村集体资金坐收坐支"),
        "yellow": build.task(plan, date(2024, 9, 5), title="集体资产发包不公开"),
        "green": build.task(plan, date(2024, 9, 15), title="公款私存"),
        "closed": build.task(plan, date(2024, 8, 15), Task.State.CLOSED, title="账目不清"),
    }
    s.a_feedback = plan.feedback

    s.b = build.target("北坡村")
    build.plan(build.feedback(s.b, on=date(2024, 6, 10)), Plan.State.SUBMITTED)

    s.c = build.target("西山村")
    s.c_report = build.report(build.feedback(s.c, on=date(2024, 5, 1)), ProgressReport.State.SUBMITTED)

    s.d = build.target("东岭村")
    plan = build.plan(build.feedback(s.d, on=date(2024, 4, 1)))
    build.task(plan, date(2024, 6, 1), Task.State.CLOSED)
    build.task(plan, date(2024, 7, 1), Task.State.CLOSED)
    s.d_report = build.report(plan.feedback, ProgressReport.State.REVIEWED, reviewed_on=date(2024, 7, 1))

    s.e = build.target("河湾村", group=group2)
    build.plan(build.feedback(s.e, on=date(2024, 7, 1)), Plan.State.RETURNED)
    s.lead = build.problem(s.e, kind="lead", title="村主任涉嫌侵占补偿款")
    s.lead_transfer = build.transfer(s.lead, w.department, on=date(2024, 5, 1))
    s.answered = build.transfer(build.problem(s.e, title="工程款拨付不规范"), w.department, on=date(2024, 5, 1),
                                state=Transfer.State.ANSWERED)

    other_term = Term.objects.create(committee=w.other, number=1, name="第一届", start_date=date(2024, 1, 1))
    other_round = Round.objects.create(term=other_term, number=1, planned_entry=date(2024, 3, 1),
                                       planned_exit=date(2024, 4, 1))
    other_group = Group.objects.create(round=other_round, number=1)
    s.f = Assignment.objects.create(group=other_group, organization=w.other_township)
    plan = build.plan(build.feedback(s.f, on=date(2024, 4, 1)))
    s.f_task = build.task(plan, date(2024, 7, 1), title="邻县的问题")
    build.report(plan.feedback, ProgressReport.State.REVIEWED, reviewed_on=date(2024, 8, 1))
    return s
