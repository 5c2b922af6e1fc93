"""The rectification dashboard: figures by round and by organization counted by hand, overdue
organizations first, filters, links to the lists behind the figures, who may read it, a fixed
number of queries for 1 and for 5 organizations, the menu and the office's to-do."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.rectification.test_dashboard_helpers import (  # noqa: F401 - fixtures
    build_fixture,
    documents_in_tmp,
    scenario_fixture,
    today_fixture,
)
from xuncha.rectification.models import Task
from xuncha.rectification.selectors.dashboard import Figures
from xuncha.workbench.nav import menu_for
from xuncha.workbench.todos import todos_for

DASHBOARD = reverse("rectification:dashboard")
OVERDUE = reverse("rectification:overdue")


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _figures(**values) -> dict:
    return asdict(Figures(**values))


A = _figures(feedbacks=1, plans_approved=1, tasks=5, tasks_closed=1, tasks_requested=1, tasks_red=2, tasks_yellow=1,
             tasks_green=1, reports_overdue=1)
B = _figures(feedbacks=1, plans_submitted=1)
C = _figures(feedbacks=1, plans_none=1)
D = _figures(feedbacks=1, plans_approved=1, tasks=2, tasks_closed=2, disclosures_overdue=1)
E = _figures(feedbacks=1, plans_returned=1, transfers=2, transfers_overdue=1)


def _rows(response, key: str) -> list[tuple[str, dict]]:
    return [(row.label, asdict(row.figures)) for row in response.context[key]]


def test_the_office_sees_figures_by_round_and_by_organization_overdue_first(world, scenario):
    response = _client(world.office_admin).get(DASHBOARD)
    assert response.status_code == 200
    assert _rows(response, "organization_rows") == [
        ("南街村", A), ("东岭村", D), ("河湾村", E), ("北坡村", B), ("西山村", C)]
    round1 = {k: A[k] + B[k] + C[k] + D[k] for k in A}
    assert _rows(response, "round_rows") == [(scenario.round2.label, E), (scenario.round1.label, round1)]
    total = response.context["total"].figures
    assert asdict(total) == {k: round1[k] + E[k] for k in A}
    assert total.overdue == 5 and total.closure_rate == pytest.approx(3 / 7)
    html = response.content.decode()
    assert f'data-testid="organization-{scenario.a.organization_id}"' in html
    assert "河口镇" not in html  # the neighbouring county's


def test_the_supervisor_sees_the_subtree(world, scenario):
    response = _client(world.supervisor).get(DASHBOARD)
    assert response.status_code == 200
    rows = _rows(response, "organization_rows")
    # The superior office never counts a transferred lead: 河湾村's overdue lead transfer is
    # hidden, so 河湾村 has nothing overdue; 河口镇 of the neighbouring county has a task overdue.
    assert [label for label, _ in rows] == ["南街村", "东岭村", "河口镇", "北坡村", "河湾村", "西山村"]
    e = dict(rows)["河湾村"]
    assert (e["transfers"], e["transfers_overdue"]) == (1, 0)


@pytest.mark.parametrize("role", ["office_staff", "leader"])
def test_other_readers_see_the_same_figures(world, scenario, role):
    response = _client(world.users[role]).get(DASHBOARD)
    assert response.status_code == 200
    assert _rows(response, "organization_rows")[0] == ("南街村", A)


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "group_leader", "group_member", "outsider", "sysadmin",
                                  "auditor"])
def test_the_dashboard_is_refused_to_other_roles(world, scenario, role):
    assert _client(world.users[role]).get(DASHBOARD).status_code == 403


def test_filters_round_and_term(world, scenario):
    client = _client(world.office_admin)
    by_round = client.get(DASHBOARD, {"round": scenario.round2.pk})
    assert _rows(by_round, "organization_rows") == [("河湾村", E)]
    assert [label for label, _ in _rows(by_round, "round_rows")] == [scenario.round2.label]
    by_term = client.get(DASHBOARD, {"term": scenario.term1.pk})
    assert [label for label, _ in _rows(by_term, "organization_rows")] == ["南街村", "东岭村", "北坡村", "西山村"]
    # Rounds and terms the user does not see are ignored, not leaked.
    everything = client.get(DASHBOARD, {"round": 99999, "term": "x"})
    assert len(everything.context["organization_rows"]) == 5


def test_every_figure_links_to_the_list_behind_it(world, scenario):
    client = _client(world.office_admin)
    response = client.get(DASHBOARD)
    a = response.context["organization_rows"][0]
    cells = {c.column: c for c in a.cells}
    red = urlsplit(cells["tasks_red"].url)
    assert red.path == OVERDUE
    assert parse_qs(red.query) == {"kind": ["task"], "organization": [str(scenario.a.organization_id)]}
    listed = client.get(cells["tasks_red"].url)
    assert [r.item.pk for r in listed.context["rows"]] == [scenario.a_tasks["red"].pk,
                                                          scenario.a_tasks["requested"].pk]
    yellow = client.get(cells["tasks_yellow"].url)
    assert [r.item.pk for r in yellow.context["rows"]] == [scenario.a_tasks["yellow"].pk]
    green = client.get(cells["tasks_green"].url)
    assert [r.item.pk for r in green.context["rows"]] == [scenario.a_tasks["green"].pk]
    report = client.get(cells["reports_overdue"].url)
    assert [(r.item.kind, r.item.pk) for r in report.context["rows"]] == [("report", scenario.a_feedback.pk)]
    # Zero is not a link.
    assert cells["disclosures_overdue"].url is None and cells["disclosures_overdue"].value == 0
    # Round rows keep the round; the other areas' pages get their own filters.
    round_row = response.context["round_rows"][1]
    round_cells = {c.column: c for c in round_row.cells}
    assert parse_qs(urlsplit(round_cells["disclosures_overdue"].url).query) == {
        "kind": ["disclosure"], "round": [str(scenario.round1.pk)]}
    plans = round_cells["plans_submitted"].url
    if plans is not None:  # the plans area's page, once it exists
        assert urlsplit(plans).path == reverse("rectification:plan_list")
        assert parse_qs(urlsplit(plans).query) == {"state": ["submitted"], "round": [str(scenario.round1.pk)]}
    html = response.content.decode()
    assert f'href="{cells["tasks_red"].url.replace("&", "&amp;")}"' in html


def test_organizations_are_paginated(world, scenario, monkeypatch):
    monkeypatch.setattr("xuncha.rectification.views.dashboard.PER_PAGE", 2)
    client = _client(world.office_admin)
    pages = [[label for label, _ in _rows(client.get(DASHBOARD, {"page": n}), "organization_rows")]
             for n in (1, 2, 3)]
    assert pages == [["南街村", "东岭村"], ["河湾村", "北坡村"], ["西山村"]]


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    return len(queries)


def test_the_number_of_queries_is_the_same_for_1_and_for_5_organizations(world, build, today):
    client = _client(world.office_admin)

    def organization(name: str) -> None:
        target = build.target(name)
        feedback = build.feedback(target, on=date(2024, 5, 20))
        plan = build.plan(feedback)
        for due, state in ((date(2024, 8, 1), Task.State.OPEN), (date(2024, 9, 5), Task.State.REQUESTED),
                           (date(2024, 8, 2), Task.State.CLOSED)):
            build.task(plan, due, state)
        build.report(feedback, "reviewed", reviewed_on=date(2024, 6, 1))
        build.transfer(build.problem(target), world.department, on=date(2024, 5, 1))

    organization("南街村")
    client.get(DASHBOARD)
    one = _count_queries(client)
    for name in ("北坡村", "西山村", "东岭村", "河湾村"):
        organization(name)
    five = _count_queries(client)
    response = client.get(DASHBOARD)
    assert len(response.context["organization_rows"]) == 5
    assert five == one and one <= 14, (one, five)


def test_the_menu_and_the_offices_to_do(world, scenario):
    def entries(user) -> set[str]:
        return {str(item["url"]) for stage in menu_for(user) for item in stage["items"]}

    policies = reverse("rectification:policy_list")
    for role in ("office_admin", "office_staff"):
        assert {DASHBOARD, OVERDUE, policies} <= entries(world.users[role])
    for role in ("leader", "supervisor"):
        assert {DASHBOARD, OVERDUE} <= entries(world.users[role]) and policies not in entries(world.users[role])
    for role in ("unit_liaison", "receiver", "group_leader", "sysadmin"):
        assert not {DASHBOARD, OVERDUE, policies} & entries(world.users[role])
    todo = [t for t in todos_for(world.office_admin) if t.url == OVERDUE]
    # 南街村: two tasks and the report; 东岭村: the disclosure; 河湾村: the transfer.
    assert len(todo) == 1 and todo[0].count == 5 and todo[0].level == "danger"
    assert not [t for t in todos_for(world.leader) if t.url == OVERDUE]
    assert not [t for t in todos_for(world.unit_liaison) if t.url == OVERDUE]
