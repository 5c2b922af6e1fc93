"""Fixtures for the rectification tests, on top of the reports fixtures (`problems`: four
general problems and one lead on target 1, 东门村 of group 1):

- `fed_back`: the feedback of those four general problems, issued on 2024-05-20 (concentrated
  rectification due 2024-08-20 by the default policy);
- `approved_plan`: the liaison's plan for it, approved, one open task per problem with concrete
  measures, written straight to the database (the plan services are another area's).
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.findings.conftest import findings, make_paper  # noqa: F401 - fixtures used here
from tests.reports.conftest import problems  # noqa: F401
from tests.reports.feedback_helpers import issued_feedback
from xuncha.rectification.models import Plan, Task
from xuncha.reports import services_feedback

FED_BACK_ON = date(2024, 5, 20)
MEASURES = [
    "由村会计于2024年6月30日前将2023年耕地地力保护补贴发放情况逐户核对并补发到位，村党支部书记负责督促。",
    "由报账员于2024年6月15日前将3万元租金补录入账，村务监督委员会7月底前公示收支明细。",
    "2024年7月底前召开村民代表大会对鱼塘发包重新表决，结果在村务公开栏公示7天，村主任负责。",
    "2024年6月10日前由报账员将1.2万元从个人账户转回村集体账户，镇经管站核查，支部书记负责。",
]


@pytest.fixture
def fed_back(world, problems, monkeypatch):  # noqa: F811
    # Issuing renders the feedback's Word and Excel documents; they are the reports area's
    # (tested there) and rectification never reads them, so these tests skip the rendering.
    monkeypatch.setattr(services_feedback, "_generate_documents", lambda actor, feedback: None)
    feedback = issued_feedback(problems.target, on=FED_BACK_ON)
    return SimpleNamespace(feedback=feedback, problems=problems.general, lead=problems.lead,
                           target=problems.target, organization=problems.target.organization)


@pytest.fixture
def approved_plan(world, fed_back):
    plan = Plan.objects.create(feedback=fed_back.feedback, organization=fed_back.organization,
                               round=fed_back.target.round, state=Plan.State.APPROVED, submitted_at=timezone.now(),
                               decided_at=timezone.now(), decided_by=world.users["office_admin"])
    tasks = [
        Task.objects.create(plan=plan, problem=problem, seq=seq, measures=MEASURES[seq - 1],
                            responsible_leader="王建国", lead_department="村两委", person_in_charge="李会计",
                            due=FED_BACK_ON + timedelta(days=30 * seq), type=Task.Type.CONCENTRATED)
        for seq, problem in enumerate(fed_back.problems, start=1)
    ]
    return SimpleNamespace(plan=plan, tasks=tasks, **vars(fed_back))
