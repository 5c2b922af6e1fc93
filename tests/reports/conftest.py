"""Fixtures for the reports tests: the findings fixtures (checklists, members, a target per
group, make_paper) plus confirmed problems on target 1 (东门村, group 1): four general
problems under two focuses and one lead."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.findings.conftest import findings, make_paper  # noqa: F401 - fixtures used here
from xuncha.findings.models import Problem


@pytest.fixture
def problems(world, findings, make_paper):  # noqa: F811
    rows = [
        ("V1.1.1", "惠农补贴发放不及时", "2023年耕地地力保护补贴延迟4个月发放。", "general", "minor", None),
        ("V2.1.1", "村集体资金坐收坐支", "2023年租金3万元未入账，直接用于开支。", "general", "serious", 30000),
        ("V2.1.2", "集体资产发包不公开", "2022年鱼塘发包未经村民代表大会。", "general", "minor", None),
        ("V2.1.1", "公款私存", "报账员将1.2万元存入个人账户。", "general", "serious", 12000),
        ("V2.1.1", "村主任涉嫌侵占征地补偿款", "涉嫌侵占补偿款5万元。", "lead", "grave", 50000),
    ]
    made = []
    for seq, (key, title, description, kind, severity, amount) in enumerate(rows, start=1):
        paper = make_paper(state="registered", title=title, facts=description, kind=kind,
                           classification=findings.items[key])
        problem = Problem.objects.create(assignment=findings.target1, seq=seq, title=title, description=description,
                                         classification=findings.items[key], kind=kind, severity=severity,
                                         amount=amount)
        problem.papers.add(paper)
        made.append(problem)
    return SimpleNamespace(all=made, general=made[:4], lead=made[4], target=findings.target1)
