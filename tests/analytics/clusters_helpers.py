"""Fixtures for the detection and clusters tests: a county (the conftest `world`) with five
villages of 城关镇, a published village checklist, a second round in the same term and a round
of the next term, and planted problems:

- a recurrence: 东门村's 村集体资金坐收坐支 of round 1 restated (other amounts, other words) in
  round 2;
- a common problem: 惠农补贴发放不及时 restated in four villages in round 2 (a cluster of four
  organizations), and 集体资产发包不公开 in two villages (a cluster of two: not common at 3);
- unrelated problems in between, and a lead like the common one (never a cluster member).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.utils import timezone

from xuncha.checklist.models import Item, Library, Version
from xuncha.findings.models import Problem
from xuncha.rectification.models import Plan, Task
from xuncha.registry.models import Organization
from xuncha.reports.models import Feedback, Report
from xuncha.rounds.models import Assignment, Group, Round, Term

CHECKLIST = [
    ("C1", 1, None, "落实全面从严治党责任"),
    ("C1.1", 2, "C1", "村集体“三资”管理"),
    ("C1.1.1", 3, "C1.1", "资金未入账、坐收坐支"),
    ("C1.1.2", 3, "C1.1", "资产发包不公开"),
    ("C1.2", 2, "C1", "惠民政策落实"),
    ("C1.2.1", 3, "C1.2", "补贴发放不及时"),
    ("C2", 1, None, "基层组织建设"),
    ("C2.1", 2, "C2", "组织生活"),
    ("C2.1.1", 3, "C2.1", "三会一课不规范"),
]

RECURRING_EARLY = ("村集体资金坐收坐支", "2023年村委会收取的租金3万元未入账，直接用于日常开支。")
RECURRING_LATE = ("村集体资金坐收坐支问题", "2024年村委会收取鱼塘租金5.6万元没有登记入账，直接用于开支。")
COMMON = [
    ("惠农补贴发放不及时", "2023年耕地地力保护补贴延迟4个月才发放到农户。"),
    ("惠农补贴发放不及时", "2024年耕地地力保护补贴拖延3个月才发放到农户手中。"),
    ("惠农补贴兑付不及时", "耕地地力保护补贴延迟5个月才发放到农户。"),
    ("惠农补贴发放滞后", "2023年度耕地地力保护补贴逾期2个月才发放到农户。"),
]
PAIR = [
    ("集体资产发包不公开", "2022年鱼塘发包未经村民代表大会讨论，也未公开招标。"),
    ("集体资产发包不公开", "2023年果园发包未经村民代表会议讨论，也没有公开招标。"),
]
NOISE = [
    ("三会一课制度落实不规范", "支部委员会会议记录缺失，党课未按时开展。"),
    ("党员发展程序不严格", "发展对象未经培训即列为预备党员。"),
    ("工程项目未按规定招标", "村道硬化工程直接指定施工方，金额28万元。"),
]


def build_checklist(world) -> dict[str, Item]:
    library = Library.objects.create(committee=world.county, kind=world.kinds["village"], name="村级巡察指引")
    version = Version.objects.create(library=library, number=1, state=Version.State.PUBLISHED,
                                     published_at=timezone.now())
    items: dict[str, Item] = {}
    for position, (key, level, parent, title) in enumerate(CHECKLIST):
        items[key] = Item.objects.create(version=version, level=level, parent=items.get(parent), key=key,
                                         title=title, position=position)
    return items


def target(round_: Round, organization: Organization, group_number: int = 1) -> Assignment:
    group, _ = Group.objects.get_or_create(round=round_, number=group_number)
    assignment, _ = Assignment.objects.get_or_create(group=group, organization=organization)
    return assignment


def add_problem(round_: Round, organization: Organization, title: str, description: str, item: Item, *,
                amount=None, kind: str = "general") -> Problem:
    assignment = target(round_, organization)
    seq = Problem.objects.filter(group=assignment.group).count() + 1
    return Problem.objects.create(assignment=assignment, seq=seq, title=title, description=description,
                                  classification=item, amount=amount, kind=kind)


def rectify(problem: Problem, *, closed: bool = True) -> Task:
    """A rectification task for the problem, closed (rectified) or still open."""
    assignment = problem.assignment
    report, _ = Report.objects.get_or_create(assignment=assignment, defaults={"title": "巡察报告"})
    feedback, _ = Feedback.objects.get_or_create(assignment=assignment, defaults={
        "report": report, "state": Feedback.State.ISSUED, "fed_back_on": date(2024, 5, 20)})
    plan, _ = Plan.objects.get_or_create(feedback=feedback, defaults={
        "organization": assignment.organization, "round": assignment.round, "state": Plan.State.APPROVED})
    return Task.objects.create(
        plan=plan, problem=problem, seq=plan.tasks.count() + 1, measures="逐笔补录入账并公示。",
        responsible_leader="王建国", lead_department="村两委", person_in_charge="李会计", due=date(2024, 8, 20),
        state=Task.State.CLOSED if closed else Task.State.OPEN, closed_at=timezone.now() if closed else None)


@pytest.fixture(name="county")
def county_fixture(world):
    items = build_checklist(world)
    villages = [world.village] + [
        Organization.objects.create(committee=world.county, name=name, kind=world.kinds["village"],
                                    parent=world.township)
        for name in ("西门村", "南门村", "北门村", "河口村")]
    round1 = world.round
    round2 = Round.objects.create(term=world.term, number=2, planned_entry=date(2024, 9, 1),
                                  planned_exit=date(2024, 10, 31), state=Round.State.STATIONED)
    term2 = Term.objects.create(committee=world.county, number=2, name="第二届", start_date=date(2025, 1, 1))
    round3 = Round.objects.create(term=term2, number=1, planned_entry=date(2025, 3, 1),
                                  planned_exit=date(2025, 4, 30), state=Round.State.PLANNED)
    early = add_problem(round1, villages[0], *RECURRING_EARLY, items["C1.1.1"], amount=30000)
    noise = [add_problem(round1, villages[i + 1], *text, items["C2.1.1"]) for i, text in enumerate(NOISE)]
    late = add_problem(round2, villages[0], *RECURRING_LATE, items["C1.1.1"], amount=56000)
    common = [add_problem(round2, villages[i + 1], *text, items["C1.2.1"], amount=1000 * (i + 1))
              for i, text in enumerate(COMMON)]
    pair = [add_problem(round2, villages[i], *text, items["C1.1.2"]) for i, text in enumerate(PAIR)]
    lead = add_problem(round2, villages[0], "惠农补贴发放不及时", "耕地地力保护补贴延迟4个月才发放到农户，涉嫌截留。",
                       items["C1.2.1"], kind="lead")
    return SimpleNamespace(world=world, items=items, villages=villages, round1=round1, round2=round2,
                           term1=world.term, term2=term2, round3=round3, early=early, late=late, common=common,
                           pair=pair, noise=noise, lead=lead)
