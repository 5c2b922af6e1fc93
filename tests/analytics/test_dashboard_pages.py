"""The dashboard page and its Excel export: every chart's table on the page (complete without
JavaScript) and its data for ECharts, links to the lists behind the figures, who may read it,
the workbook's sheets and numbers, the audit of the export, the menu, and a number of queries
that does not grow with the data."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.analytics.dashboard_helpers import (  # noqa: F401 - fixtures
    dashboard_scenario_fixture,
    findings,
    make_paper,
    today_fixture,
)
from tests.conftest import PASSWORD
from xuncha.access.models import AuditEvent
from xuncha.rounds.models import Group
from xuncha.workbench.nav import menu_for

DASHBOARD = reverse("analytics:dashboard")
EXPORT = reverse("analytics:dashboard_export")
KEYS = ["rounds", "focus", "funnel", "coverage", "manifestations", "overdue"]
# The whole page, whatever the number of rounds, organizations and problems: the session and
# the user, role assignments, one query per chart (coverage: its term, the kinds to cover, the
# count), the filter bar's choices, and the shell (19 for the office, 20 for the superior
# office, whose committee is parsed as well).
MAX_QUERIES = 20


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _data(response, key: str) -> dict:
    match = re.search(rf'<script id="chart-data-{key}" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    assert match, key
    return json.loads(match.group(1))


def _table(response, key: str) -> list[list[str]]:
    """The table view's body rows as text cells."""
    html = response.content.decode()
    table = re.search(rf'<table[^>]*data-testid="table-{key}".*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows]


def test_the_office_sees_every_chart_with_its_table_and_data(world, dashboard_scenario, today):
    s = dashboard_scenario
    response = _client(world.office_admin).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="analytics-filters"' in html
    for key in KEYS:
        assert f'data-testid="chart-{key}"' in html
        assert f'data-testid="download-{key}"' in html
    assert _table(response, "rounds") == [[str(s.round1), "8"], [str(s.round2), "3"]]
    assert [row[1:] for row in _table(response, "funnel")] == [
        ["11", "100.0%"], ["9", "81.8%"], ["6", "54.5%"], ["3", "27.3%"], ["2", "18.2%"]]
    assert _table(response, "overdue") == [["城关镇", "1"], ["东门村", "1"]]
    funnel = _data(response, "funnel")
    assert funnel["type"] == "funnel" and funnel["series"][0]["data"] == [11, 9, 6, 3, 2]
    coverage = _data(response, "coverage")
    not_yet = dict(zip(coverage["labels"], coverage["series"][1]["data"], strict=True))
    assert not_yet == {world.kinds[k].name: int(k == "department") for k in ("township", "village", "department")}
    # Nothing of the neighbouring county.
    assert "河口镇" not in html
    # Without JavaScript the tables show and the chart areas stay hidden (dashboard.js swaps them).
    assert html.count('class="table-responsive" data-pane="table"') == 6
    assert html.count('class="xc-dashboard-chart d-none" data-pane="chart"') == 6
    # The JavaScript and ECharts come from the installation, never a CDN.
    assert "/static/vendor/echarts/echarts.min.js" in html and "/static/analytics/dashboard.js" in html
    assert "cdn" not in html.lower()


def test_table_cells_link_to_the_lists_behind_them(world, dashboard_scenario, today):
    s = dashboard_scenario
    response = _client(world.office_admin).get(DASHBOARD)
    html = response.content.decode()
    drill = reverse("analytics:drilldown")
    assert f'href="{drill}?committee={world.county.pk}&amp;figure=problems&amp;round={s.round2.pk}"' in html
    links = [row[0] for row in _data(response, "funnel")["links"]]
    assert links[0] == f"{drill}?committee={world.county.pk}&figure=problems"
    assert links[3] == f"{drill}?committee={world.county.pk}&figure=rectified"
    overdue = _data(response, "overdue")["links"]
    assert overdue[0] == [f"{reverse('rectification:overdue')}?kind=task&organization={world.township.pk}"]
    # Each link opens a list as long as the figure.
    client = _client(world.office_admin)
    for url, expected in ((links[0], 11), (links[1], 9), (links[3], 3)):
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["page"].paginator.count == expected, url


def test_filters_from_the_query_string(world, dashboard_scenario, today):
    s = dashboard_scenario
    client = _client(world.office_admin)
    response = client.get(DASHBOARD, {"round": s.round2.pk})
    assert _table(response, "rounds") == [[str(s.round2), "3"]]
    export = response.context["export_url"]
    assert f"round={s.round2.pk}" in export
    # A committee or round outside the user's scope is a 404.
    assert client.get(DASHBOARD, {"committee": world.other.pk}).status_code == 404
    assert client.get(DASHBOARD, {"round": s.other_round.pk}).status_code == 404
    assert client.get(DASHBOARD, {"round": "x"}).status_code == 404


def test_the_supervisor_sees_the_subtree(world, dashboard_scenario, today):
    response = _client(world.supervisor).get(DASHBOARD)
    assert response.status_code == 200
    assert _table(response, "overdue") == [["城关镇", "1"], ["东门村", "1"], ["河口镇", "1"]]
    assert _data(response, "rounds")["series"][0]["data"] == [7, 3, 1]


def test_a_group_member_sees_only_their_group(world, dashboard_scenario, today):
    response = _client(world.group_member).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="chart-overdue"' not in html
    assert _data(response, "rounds")["series"][0]["data"] == [2]
    assert [row[1] for row in _table(response, "funnel")] == ["2", "2"]
    assert "东门村" not in html


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "sysadmin", "auditor", "outsider"])
def test_others_get_the_403_page(world, dashboard_scenario, role):
    client = _client(world.users[role])
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action="analytics.export").exists()


def test_anonymous_is_sent_to_sign_in(db):
    response = Client().get(DASHBOARD)
    assert response.status_code == 302 and "login" in response["Location"]


def test_empty_dashboard(world, findings, today):  # noqa: F811
    response = _client(world.office_admin).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("rounds", "focus", "funnel", "manifestations", "overdue"):
        assert f'data-testid="empty-{key}"' in html


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming
                                    else response.content))


def _sheet_rows(ws) -> list[tuple]:
    """The table under the heading row (row 4), up to the first empty row."""
    rows = []
    for row in ws.iter_rows(min_row=5, values_only=True):
        if row[0] is None:
            break
        rows.append(row)
    return rows


def test_the_export_has_a_sheet_per_chart_with_the_numbers(world, dashboard_scenario, today):
    s = dashboard_scenario
    response = _client(world.office_admin).get(EXPORT)
    wb = _workbook(response)
    assert "attachment" in response["Content-Disposition"]
    assert len(wb.sheetnames) == 6
    rounds, focus, funnel, coverage, manifestations, overdue = (wb[name] for name in wb.sheetnames)
    assert _sheet_rows(rounds) == [(str(s.round1), 8), (str(s.round2), 3), ("合计", 11)]
    assert [row[1:] for row in _sheet_rows(funnel)] == [(11, 100), (9, 81.8), (6, 54.5), (3, 27.3), (2, 18.2)]
    assert _sheet_rows(coverage)[-1][1:] == (3, 1)  # the total: 3 covered, 1 not yet
    assert _sheet_rows(overdue) == [("城关镇", 1), ("东门村", 1)]
    assert sum(row[1] for row in _sheet_rows(focus)[:-1]) == 11
    assert _sheet_rows(manifestations)[0][1] == 4
    event = AuditEvent.objects.get(action="analytics.export")
    assert event.actor_id == world.office_admin.pk
    assert event.detail["charts"] == KEYS and event.detail["filters"]["committee"] == world.county.pk


def test_one_table_and_the_same_filters(world, dashboard_scenario, today):
    s = dashboard_scenario
    client = _client(world.office_admin)
    wb = _workbook(client.get(EXPORT, {"chart": "rounds", "round": s.round1.pk}))
    assert len(wb.sheetnames) == 1
    assert _sheet_rows(wb.active) == [(str(s.round1), 8)]
    event = AuditEvent.objects.get(action="analytics.export")
    assert event.detail["only"] == "rounds" and event.detail["filters"]["round"] == s.round1.pk
    assert client.get(EXPORT, {"chart": "nonsense"}).status_code == 404


def test_a_group_member_exports_only_their_own(world, dashboard_scenario, today):
    client = _client(world.group_member)
    wb = _workbook(client.get(EXPORT))
    assert len(wb.sheetnames) == 5  # no overdue tasks: the groups read no rectification
    assert _sheet_rows(wb[wb.sheetnames[0]]) == [(str(world.round), 2)]
    assert client.get(EXPORT, {"chart": "overdue"}).status_code == 404


def test_the_menu(world):
    def entries(user):
        return [item["url"] for stage in menu_for(user) for item in stage["items"]]

    for role in ("office_admin", "leader", "supervisor", "group_member"):
        assert DASHBOARD in entries(world.users[role]), role
    for role in ("unit_liaison", "receiver", "sysadmin", "outsider"):
        assert DASHBOARD not in entries(world.users[role]), role


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["office_admin", "supervisor"])
def test_the_number_of_queries_does_not_grow_with_the_data(world, dashboard_scenario, today,
                                                           django_assert_max_num_queries, role):
    s = dashboard_scenario
    client = _client(world.users[role])
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(DASHBOARD).status_code == 200
    before = _count_queries(client)
    # Three more rounds, each with two new organizations, problems and overdue tasks.
    b = s.builder
    for number in (3, 4, 5):
        group = Group.objects.create(round=b.round(world.term, number, date(2024, number, 1)), number=1)
        for name in (f"新村{number}甲", f"新村{number}乙"):
            target = b.target(group, name=name, parent=world.township)
            plan = b.plan(target)
            for key in ("V1.1.1", "V2.1.2"):
                b.task(plan, b.problem(target, key, fed_back=True), date(2024, 8, 1))
    assert _count_queries(client) == before, before


def _listed(client, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    return page.context["page"].paginator.count


def test_each_focus_and_round_opens_a_list_as_long_as_its_figure(world, dashboard_scenario, today):
    client = _client(world.office_admin)
    response = client.get(DASHBOARD)
    for key in ("rounds", "focus"):
        data = _data(response, key)
        for value, (url,) in zip(data["series"][0]["data"], data["links"], strict=True):
            assert _listed(client, url) == value, url


def test_each_manifestation_opens_a_list_as_long_as_its_figure(world, dashboard_scenario, today):
    client = _client(world.office_admin)
    data = _data(client.get(DASHBOARD), "manifestations")
    for value, (url,) in zip(data["series"][0]["data"], data["links"], strict=True):
        assert _listed(client, url) == value, url


def test_names_in_the_workbook_are_never_formulas(world, dashboard_scenario, today):
    s = dashboard_scenario
    target = s.builder.target(s.r2_group, name="=HYPERLINK(\"http://example.com\")", parent=world.township)
    plan = s.builder.plan(target)
    for _ in range(3):
        s.builder.task(plan, s.builder.problem(target, "V1.1.1", fed_back=True), date(2024, 8, 1))
    wb = _workbook(_client(world.office_admin).get(EXPORT, {"chart": "overdue"}))
    cell = wb.active["A5"]
    assert cell.value == target.organization.name and cell.data_type == "s"
