"""Shared fixtures for the findings tests: a small published checklist per kind, group
members with accounts, a target per group, and a way to make papers in any state.

In `world`, group 1 holds the group leader and deputy (target 东门村, a village); group 2 the
group member (target 城关镇, a township).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db.models import Max
from django.utils import timezone

from xuncha.checklist.models import Item, Library, Version
from xuncha.findings.models import PaperStep, WorkingPaper
from xuncha.registry.models import Person
from xuncha.rounds.models import Assignment, GroupMember


def _tree(version: Version, rows: list[tuple[str, str]]) -> dict[str, Item]:
    """rows of (key, title); the key's dots give the level and the parent."""
    items: dict[str, Item] = {}
    for position, (key, title) in enumerate(rows):
        parent_key = key.rsplit(".", 1)[0] if "." in key else None
        items[key] = Item.objects.create(version=version, key=key, title=title, position=position,
                                         level=key.count(".") + 1,
                                         parent=items[parent_key] if parent_key else None)
    return items


def _library(committee, kind, name: str, rows) -> tuple[Library, Version, dict[str, Item]]:
    library = Library.objects.create(committee=committee, kind=kind, name=name)
    version = Version.objects.create(library=library, number=1, state=Version.State.PUBLISHED,
                                     published_at=timezone.now())
    return library, version, _tree(version, rows)


VILLAGE_ROWS = [
    ("V1", "贯彻落实党的路线方针政策和上级决策部署情况"),
    ("V1.1", "乡村振兴政策落实"),
    ("V1.1.1", "惠农补贴资金发放不及时、不到位"),
    ("V1.1.1.1", "调阅补贴发放台账，入户核实"),
    ("V2", "群众身边不正之风和腐败问题"),
    ("V2.1", "村集体“三资”管理"),
    ("V2.1.1", "村集体资金坐收坐支、公款私存"),
    ("V2.1.1.1", "调阅会计凭证和银行流水"),
    ("V2.1.2", "集体资产资源发包不公开"),
]
TOWNSHIP_ROWS = [
    ("T1", "基层党组织软弱涣散问题"),
    ("T1.1", "组织生活"),
    ("T1.1.1", "“三会一课”落实不到位"),
    ("T1.1.1.1", "查阅会议记录，个别谈话"),
]


@pytest.fixture
def findings(world):
    """Checklists for villages and townships, members with accounts, a target per group."""
    _, village_version, village = _library(world.county, world.kinds["village"], "村（社区）巡察指引", VILLAGE_ROWS)
    _, township_version, township = _library(world.county, world.kinds["township"], "乡镇巡察指引", TOWNSHIP_ROWS)
    members = {}
    for username, name, group, role in (
        ("group_leader", "赵刚", world.group1, GroupMember.Role.LEADER),
        ("group_deputy", "钱敏", world.group1, GroupMember.Role.DEPUTY),
        ("group_member", "孙丽", world.group2, GroupMember.Role.MEMBER),
    ):
        person = Person.objects.create(committee=world.county, name=name)
        members[username] = GroupMember.objects.create(group=group, person=person, role=role,
                                                       user=world.users[username])
    return SimpleNamespace(
        village_version=village_version, township_version=township_version,
        items={**village, **township}, members=members,
        target1=Assignment.objects.create(group=world.group1, organization=world.village),
        target2=Assignment.objects.create(group=world.group2, organization=world.township),
    )


STEPS = {
    # state → the chain of (action, from, to) that leads there from a draft
    "draft": [],
    "submitted": [("submit", "draft", "submitted")],
    "reviewed": [("submit", "draft", "submitted"), ("approve", "submitted", "reviewed")],
    "signed": [("submit", "draft", "submitted"), ("approve", "submitted", "reviewed"),
               ("sign", "reviewed", "signed")],
    "registered": [("submit", "draft", "submitted"), ("approve", "submitted", "reviewed"),
                   ("sign", "reviewed", "signed"), ("register", "signed", "registered")],
    "returned": [("submit", "draft", "submitted"), ("return", "submitted", "returned")],
}


@pytest.fixture
def make_paper(world, findings):
    """make_paper(state="signed", target=findings.target1, **fields) → a WorkingPaper with its
    sign-off history written straight to the database (no services)."""

    def make(state: str = "draft", target=None, **fields) -> WorkingPaper:
        target = target or findings.target1
        seq = (WorkingPaper.objects.filter(group=target.group).aggregate(m=Max("seq"))["m"] or 0) + 1
        key = "V2.1.1" if target.organization.kind.code == "village" else "T1.1.1"
        values = dict(title="村集体资金坐收坐支", facts="2023年村委会收取租金3万元未入账，直接用于开支。",
                      classification=findings.items[key], source=WorkingPaper.Source.DOCUMENTS)
        values.update(fields)
        paper = WorkingPaper.objects.create(group=target.group, assignment=target, seq=seq, state=state,
                                            frozen_at=timezone.now() if state in ("signed", "registered") else None,
                                            **values)
        for action, source, dest in STEPS[state]:
            PaperStep.objects.create(paper=paper, action=action, from_state=source, to_state=dest, at=timezone.now())
        return paper

    return make
