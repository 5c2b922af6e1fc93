"""Rows for the statistics tests, written straight to the database (the services that make them
are other areas'), and `dataset`: a constructed term of 示例县委 whose every figure is known.

No tests here; test modules import the fixtures (`stats_build`, `dataset`).

`dataset`, seen on TODAY (2024-09-01), term 十四届 of 示例县委:
- rounds: 第一轮 completed, 第二轮 rectifying (held); 第三轮 planned (not held, but its target
  counts for coverage, which is a figure of the plan);
- targets: round 1 group 1 东门村, 西门村 (direct); round 1 group 2 城关镇 (direct); round 2 东门村,
  南门村, 县教育局 (direct), 西门村 (sinking); round 3 县财政局. 北门村 is never inspected: coverage
  6 of 7 (县纪委监委 is of kind "other", not to be covered);
- problems: 东门村 p1 (fed back, its task closed), p2 (fed back, one task closed and one overdue),
  p3 a lead (transferred: 2 sanctioned, 1 handled, 123456.78 yuan, 1 system); 西门村 p4 (fed back,
  closed); 城关镇 p5 cadre selection (fed back, task open, not yet due); 南门村 p6 (not fed back).
  p2 is also transferred (3 handled);
- recommendations: R1 issued to 城关镇 and 县教育局 (one system), R2 closed to 县财政局 (one
  system improved), R3 a draft; one campaign started 2023-05-01;
- complaints: two under the category of p1's manifestation (one of group 1 in round 1, one
  without a round in 2023), one without a category in round 2.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import Max
from django.utils import timezone

from xuncha.access import policy, services
from xuncha.analytics.models import Campaign, Recommendation, RecommendationAddressee, SystemOutcome
from xuncha.checklist.models import Item, Library, Version
from xuncha.findings.models import Problem
from xuncha.intake.models import Complaint
from xuncha.rectification import deadlines
from xuncha.rectification.models import Plan, Task, Transfer
from xuncha.registry.models import Organization
from xuncha.reports.models import Feedback, Report
from xuncha.rounds.models import Assignment, Group, Round, Term

TODAY = date(2024, 9, 1)
FOCUS_1 = "贯彻落实党的路线方针政策情况"
FOCUS_2 = "群众身边不正之风和腐败问题"
POINTS = {"P1": "乡村振兴政策落实", "P2": "村集体“三资”管理", "P3": "集体资产发包"}


class StatsBuilder:
    def __init__(self, world):
        self.world = world
        self._items: dict[tuple[int, str], Item] = {}
        self._complaint_seq = 0
        self._recommendation_seq = 0

    # -- plan ---------------------------------------------------------------------------------
    def term(self, committee, number: int, start: date, name: str = "") -> Term:
        return Term.objects.create(committee=committee, number=number, name=name or f"第{number}届",
                                   start_date=start)

    def round(self, term: Term, number: int, state: str, entry: date) -> Round:
        return Round.objects.create(term=term, number=number, state=state, planned_entry=entry,
                                    planned_exit=entry + timedelta(days=60))

    def group(self, round_: Round, number: int = 1) -> Group:
        return Group.objects.create(round=round_, number=number)

    def organization(self, name: str, kind: str, parent=None, committee=None) -> Organization:
        return Organization.objects.create(committee=committee or self.world.county, name=name,
                                           kind=self.world.kinds[kind], parent=parent)

    def target(self, group: Group, organization, mode: str = Assignment.Mode.DIRECT) -> Assignment:
        return Assignment.objects.create(group=group, organization=organization, mode=mode)

    # -- findings -----------------------------------------------------------------------------
    def item(self, committee, point: str) -> Item:
        """The manifestation (level 3) under point P1 (focus 1), P2 or P3 (focus 2)."""
        key = (committee.pk, point)
        if key not in self._items:
            library = Library.objects.filter(committee=committee).first() or Library.objects.create(
                committee=committee, kind=self.world.kinds["village"], name="村（社区）巡察指引")
            version = library.versions.first() or Version.objects.create(
                library=library, number=1, state=Version.State.PUBLISHED, published_at=timezone.now())
            focus_key, focus_title = ("F1", FOCUS_1) if point == "P1" else ("F2", FOCUS_2)
            focus, _ = Item.objects.get_or_create(version=version, key=focus_key,
                                                  defaults={"title": focus_title, "level": 1})
            middle = Item.objects.create(version=version, key=f"{focus_key}.{point}", title=POINTS[point], level=2,
                                         parent=focus)
            self._items[key] = Item.objects.create(version=version, key=f"{focus_key}.{point}.1",
                                                   title=f"{POINTS[point]}问题", level=3, parent=middle)
        return self._items[key]

    def problem(self, target: Assignment, point: str = "P2", *, kind: str = "general", fed_back: bool = False,
                title: str = "村集体资金坐收坐支", amount=None) -> Problem:
        seq = (Problem.objects.filter(group=target.group).aggregate(m=Max("seq"))["m"] or 0) + 1
        problem = Problem.objects.create(assignment=target, seq=seq, title=title, description=title,
                                         classification=self.item(target.round.committee, point), kind=kind,
                                         amount=amount)
        if fed_back:
            Problem.objects.filter(pk=problem.pk).update(fed_back=True)
            problem.fed_back = True
        return problem

    # -- rectification ------------------------------------------------------------------------
    def plan(self, target: Assignment, on: date = date(2024, 5, 20), state: str = Plan.State.APPROVED) -> Plan:
        report = Report.objects.create(assignment=target, title=f"关于{target.organization.name}的巡察报告",
                                       state=Report.State.APPROVED)
        due = deadlines.for_feedback(target.round.committee, on)
        feedback = Feedback.objects.create(assignment=target, report=report, state=Feedback.State.ISSUED,
                                           fed_back_on=on, policy=due.policy, rectification_due=due.rectification_due,
                                           progress_report_due=due.progress_report_due, issued_at=timezone.now())
        return Plan.objects.create(feedback=feedback, organization=target.organization, round=target.round,
                                   state=state)

    def task(self, plan: Plan, problem: Problem, due: date, state: str = Task.State.OPEN) -> Task:
        seq = (plan.tasks.aggregate(m=Max("seq"))["m"] or 0) + 1
        return Task.objects.create(plan=plan, problem=problem, seq=seq, measures="2024年6月底前补录入账。",
                                   responsible_leader="王建国", lead_department="村两委", person_in_charge="李会计",
                                   due=due, state=state, closed_at=timezone.now() if state == Task.State.CLOSED else None)

    def transfer(self, problem: Problem, receiver, on: date = date(2024, 5, 20), **results) -> Transfer:
        policy_ = deadlines.in_force(problem.round.committee, on)
        return Transfer.objects.create(round=problem.round, problem=problem, receiver=receiver, summary=problem.title,
                                       transferred_on=on, policy=policy_,
                                       feedback_due=deadlines.add_months(on, policy_.transfer_feedback_months),
                                       **results)

    # -- analytics and intake -----------------------------------------------------------------
    def recommendation(self, term: Term, state: str, addressees=(), *, round_=None, issued_on=date(2023, 6, 1),
                       systems=()) -> Recommendation:
        self._recommendation_seq += 1
        made = Recommendation.objects.create(committee=term.committee, term=term, round=round_, year=issued_on.year,
                                             seq=self._recommendation_seq, title=f"巡察建议书{self._recommendation_seq}",
                                             state=state, issued_on=issued_on)
        for organization in addressees:
            addressee = RecommendationAddressee.objects.create(recommendation=made, organization=organization)
            for title, kind in systems:
                if title.startswith(organization.name):
                    SystemOutcome.objects.create(addressee=addressee, title=title, kind=kind,
                                                 adopted_on=issued_on + timedelta(days=30))
        return made

    def campaign(self, committee, started_on: date, title: str = "村集体“三资”专项治理") -> Campaign:
        return Campaign.objects.create(committee=committee, title=title, started_on=started_on)

    def complaint(self, committee, received_on: date, *, round_=None, group=None, category=None,
                  organization=None) -> Complaint:
        self._complaint_seq += 1
        return Complaint.objects.create(committee=committee, round=round_, group=group, seq=self._complaint_seq,
                                        year=received_on.year, channel=Complaint.Channel.LETTER,
                                        received_on=received_on, organization=organization,
                                        subject=f"反映问题{self._complaint_seq}", content="反映村干部问题。",
                                        category=category)

    def member(self, make_user, username: str, group: Group, role: str = "group_member"):
        user = make_user(username)
        services.group_role_grant(actor=policy.CONSOLE, user=user, role=role, group=group)
        return user


@pytest.fixture
def stats_build(world):
    return StatsBuilder(world)


@pytest.fixture
def dataset(world, stats_build):
    b, w = stats_build, world
    term = b.term(w.county, 14, date(2021, 10, 1), name="十四届")
    r1 = b.round(term, 1, Round.State.COMPLETED, date(2022, 3, 1))
    r2 = b.round(term, 2, Round.State.RECTIFYING, date(2023, 3, 1))
    r3 = b.round(term, 3, Round.State.PLANNED, date(2024, 10, 1))
    g11, g12, g21, g31 = b.group(r1, 1), b.group(r1, 2), b.group(r2, 1), b.group(r3, 1)
    west = b.organization("西门村", "village", parent=w.township)
    south = b.organization("南门村", "village", parent=w.township)
    north = b.organization("北门村", "village", parent=w.township)
    education = b.organization("县教育局", "department")
    commission = b.organization("县纪委监委", "other")
    t_east = b.target(g11, w.village)
    t_west = b.target(g11, west)
    t_town = b.target(g12, w.township)
    b.target(g21, w.village)
    t_south = b.target(g21, south)
    b.target(g21, education)
    b.target(g21, west, Assignment.Mode.SINKING)
    b.target(g31, w.department)

    p1 = b.problem(t_east, "P1", fed_back=True, title="惠农补贴发放不及时")
    p2 = b.problem(t_east, "P2", fed_back=True)
    p3 = b.problem(t_east, "P2", kind="lead", title="村主任涉嫌侵占补偿款")
    p4 = b.problem(t_west, "P3", fed_back=True, title="鱼塘发包未经村民代表大会")
    p5 = b.problem(t_town, "P1", kind="cadre", fed_back=True, title="干部选任程序不规范")
    p6 = b.problem(t_south, "P2", title="公款私存")
    plan_east, plan_west, plan_town = b.plan(t_east), b.plan(t_west), b.plan(t_town)
    b.task(plan_east, p1, date(2024, 6, 30), Task.State.CLOSED)
    b.task(plan_east, p2, date(2024, 6, 30), Task.State.CLOSED)
    overdue = b.task(plan_east, p2, date(2024, 8, 1))
    b.task(plan_west, p4, date(2024, 7, 1), Task.State.CLOSED)
    b.task(plan_town, p5, date(2024, 12, 1))
    lead_transfer = b.transfer(p3, commission, people_disciplined=2, people_handled=1,
                               money_recovered=Decimal("123456.78"), systems_established=1,
                               state=Transfer.State.ANSWERED)
    b.transfer(p2, w.department, people_handled=3)

    b.recommendation(term, Recommendation.State.ISSUED, [w.township, education], round_=r1,
                     systems=[("县教育局校园餐管理办法", SystemOutcome.Kind.NEW)])
    b.recommendation(term, Recommendation.State.CLOSED, [w.department], issued_on=date(2023, 9, 1),
                     systems=[("县财政局惠农资金发放规程", SystemOutcome.Kind.IMPROVED)])
    b.recommendation(term, Recommendation.State.DRAFT, [w.department], issued_on=date(2024, 1, 1))
    b.campaign(w.county, date(2023, 5, 1))
    category = p1.classification
    b.complaint(w.county, date(2022, 3, 10), round_=r1, group=g11, category=category, organization=w.village)
    b.complaint(w.county, date(2023, 1, 5), category=category)
    b.complaint(w.county, date(2023, 3, 20), round_=r2, group=g21)
    return SimpleNamespace(term=term, rounds=(r1, r2, r3), groups=(g11, g12, g21, g31), problems=(p1, p2, p3, p4, p5, p6),
                           organizations=SimpleNamespace(west=west, south=south, north=north, education=education,
                                                         commission=commission),
                           overdue=overdue, lead_transfer=lead_transfer, category=category)
