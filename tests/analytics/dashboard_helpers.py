"""Rows for the dashboard tests, written straight to the database (the services of findings,
reports and rectification are other areas'). No tests here; the test modules import the
fixtures `dashboard_scenario` (registered by that name), `today` and `findings`.

`Builder` makes targets, problems, issued feedback, plans and tasks; every problem and task it
makes is also kept in `rows`, so that tests count the expected figures from the rows by hand,
independently of the charts' queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from django.db.models import Max
from django.utils import timezone

from tests.findings.conftest import findings, make_paper  # noqa: F401 - fixtures used here
from xuncha.findings.models import Problem
from xuncha.rectification import deadlines
from xuncha.rectification.models import Plan, Task
from xuncha.registry.models import Organization
from xuncha.reports.models import Feedback, Report
from xuncha.rounds.models import Assignment, Group, Round, Term

TODAY = date(2024, 9, 1)


@dataclass
class Rows:
    problems: list[Problem] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


class Builder:
    def __init__(self, world, findings):  # noqa: F811
        self.world = world
        self.items = findings.items
        self.rows = Rows()

    def round(self, term: Term, number: int, entry: date) -> Round:
        return Round.objects.create(term=term, number=number, planned_entry=entry, planned_exit=entry,
                                    state=Round.State.RECTIFYING)

    def target(self, group: Group, organization: Organization | None = None, *, name: str = "",
               kind: str = "village", parent=None) -> Assignment:
        if organization is None:
            organization = Organization.objects.create(committee=group.round.committee, name=name,
                                                       kind=self.world.kinds[kind], parent=parent)
        return Assignment.objects.create(group=group, organization=organization)

    def problem(self, target: Assignment, key: str, *, kind: str = "general", fed_back: bool = False) -> Problem:
        seq = (Problem.objects.filter(group=target.group).aggregate(m=Max("seq"))["m"] or 0) + 1
        item = self.items[key]
        problem = Problem.objects.create(assignment=target, seq=seq, title=item.title, description=item.title,
                                         classification=item, kind=kind)
        if fed_back:
            Problem.objects.filter(pk=problem.pk).update(fed_back=True)
            problem.fed_back = True
        self.rows.problems.append(problem)
        return problem

    def plan(self, target: Assignment, state: str = Plan.State.APPROVED, on: date = date(2024, 5, 20)) -> Plan:
        report = Report.objects.create(assignment=target, title=f"关于{target.organization.name}的巡察报告",
                                       state=Report.State.APPROVED)
        due = deadlines.for_feedback(target.round.committee, on)
        feedback = Feedback.objects.create(assignment=target, report=report, state=Feedback.State.ISSUED,
                                           fed_back_on=on, policy=due.policy, rectification_due=due.rectification_due,
                                           progress_report_due=due.progress_report_due, issued_at=timezone.now())
        return Plan.objects.create(feedback=feedback, organization=target.organization, round=target.round,
                                   state=state)

    def task(self, plan: Plan, problem: Problem, due: date, *, closed_on: date | None = None,
             state: str = Task.State.OPEN) -> Task:
        seq = (plan.tasks.aggregate(m=Max("seq"))["m"] or 0) + 1
        closed_at = None
        if closed_on is not None:
            state = Task.State.CLOSED
            # Just after midnight, local time (the day before in UTC): on time is judged by the local date.
            closed_at = timezone.make_aware(datetime.combine(closed_on, time(0, 30)))
        task = Task.objects.create(plan=plan, problem=problem, seq=seq, measures="2024年6月底前补录入账。",
                                   responsible_leader="王建国", lead_department="村两委", person_in_charge="李会计",
                                   due=due, state=state, closed_at=closed_at)
        self.rows.tasks.append(task)
        return task


@pytest.fixture(name="today")
def today_fixture(monkeypatch):
    """Pages see TODAY as the current date."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


def build_scenario(world, findings) -> SimpleNamespace:  # noqa: F811
    """Seen on TODAY (2024-09-01):

    - round 1 of the county (world.round, term 第一届): group 1 inspects 东门村 — problems V1.1.1 ×2,
      V2.1.1 ×3 (one a lead) and V2.1.2, four fed back, an approved plan with tasks: closed on time,
      closed a day late, one problem with a task closed and one overdue, one task not yet due;
      group 2 inspects 城关镇 — T1.1.1 ×2 fed back, approved plan: one task closed on time (on its
      deadline day), one overdue;
    - round 2 of the county: group 1 inspects 西村 (under 城关镇) — V2.1.1, V2.1.2 ×2, fed back, a
      plan still under review whose tasks are past due (not counted: not approved);
    - 邻县县委: 河口镇 with one problem fed back and an approved plan with an overdue task (only the
      superior office sees it).
    The county's 县财政局 is never inspected (coverage: 0 of 1 department).
    """
    w = world
    b = Builder(w, findings)
    s = SimpleNamespace(builder=b, rows=b.rows, round1=w.round)
    s.round2 = b.round(w.term, 2, date(2024, 6, 1))
    s.r2_group = Group.objects.create(round=s.round2, number=1)

    s.east = findings.target1  # 东门村, group 1
    east = [b.problem(s.east, "V1.1.1", fed_back=True), b.problem(s.east, "V1.1.1", fed_back=True),
            b.problem(s.east, "V2.1.1", fed_back=True), b.problem(s.east, "V2.1.1", fed_back=True),
            b.problem(s.east, "V2.1.1", kind="lead"), b.problem(s.east, "V2.1.2")]
    plan = b.plan(s.east)
    b.task(plan, east[0], date(2024, 7, 1), closed_on=date(2024, 6, 20))
    b.task(plan, east[1], date(2024, 7, 1), closed_on=date(2024, 7, 2))
    b.task(plan, east[2], date(2024, 7, 1), closed_on=date(2024, 6, 30))
    b.task(plan, east[2], date(2024, 8, 1))
    b.task(plan, east[3], date(2024, 10, 1))
    s.east_problems = east

    s.town = findings.target2  # 城关镇, group 2
    town = [b.problem(s.town, "T1.1.1", fed_back=True), b.problem(s.town, "T1.1.1", fed_back=True)]
    plan = b.plan(s.town)
    b.task(plan, town[0], date(2024, 7, 1), closed_on=date(2024, 7, 1))
    b.task(plan, town[1], date(2024, 8, 15), state=Task.State.REQUESTED)
    s.town_problems = town

    s.west = b.target(s.r2_group, name="西村", parent=w.township)
    west = [b.problem(s.west, "V2.1.1", fed_back=True), b.problem(s.west, "V2.1.2", fed_back=True),
            b.problem(s.west, "V2.1.2", fed_back=True)]
    plan = b.plan(s.west, Plan.State.SUBMITTED, on=date(2024, 7, 1))
    for problem in west:
        b.task(plan, problem, date(2024, 8, 1))
    s.west_problems = west

    other_term = Term.objects.create(committee=w.other, number=1, name="第一届", start_date=date(2024, 1, 1))
    s.other_round = b.round(other_term, 1, date(2024, 3, 1))
    s.other_target = b.target(Group.objects.create(round=s.other_round, number=1), w.other_township)
    s.other_problem = b.problem(s.other_target, "T1.1.1", fed_back=True)
    b.task(b.plan(s.other_target), s.other_problem, date(2024, 7, 1))
    return s


@pytest.fixture(name="dashboard_scenario")
def dashboard_scenario_fixture(world, findings):  # noqa: F811
    return build_scenario(world, findings)
