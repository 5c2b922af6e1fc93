"""The dashboard's charts: every number equals a count made by hand from the rows the scenario
wrote (dashboard_helpers), for the office, the superior office (its subtree, never a lead) and
group members (their own group's problems only); the filters narrow them; empty data."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from tests.analytics.dashboard_helpers import (  # noqa: F401 - fixtures
    TODAY,
    dashboard_scenario_fixture,
    findings,
    make_paper,
)
from xuncha.analytics import charts, filters
from xuncha.rectification.models import Plan, Task


def _charts(user, **params) -> dict[str, charts.Chart]:
    chosen = filters.parse(user, {k: str(v) for k, v in params.items()})
    return {chart.key: chart for chart in charts.dashboard(user, chosen, TODAY)}


def _values(chart: charts.Chart) -> dict[str, tuple[int, ...]]:
    return {point.label: point.values for point in chart.points}


# -- counting by hand ------------------------------------------------------------------------

def _seen_by(role: str, world, s):
    """Which problems a role sees, as the access rules describe it."""
    if role in ("office_admin", "office_staff", "leader"):
        return lambda p: p.round.committee_id == world.county.pk
    if role == "supervisor":
        return lambda p: p.kind != "lead"
    if role == "group_member":
        return lambda p: p.group_id == world.group2.pk
    if role == "group_leader":
        return lambda p: p.group_id == world.group1.pk
    raise AssertionError(role)


def _by_hand(role: str, world, s) -> dict[str, Counter]:
    seen = _seen_by(role, world, s)
    problems = [p for p in s.rows.problems if seen(p)]
    tasks = [t for t in s.rows.tasks if seen(t.problem) and t.plan.state == Plan.State.APPROVED]
    by_problem: dict[int, list[Task]] = {}
    for task in tasks:
        by_problem.setdefault(task.problem_id, []).append(task)
    rectified = [p for p in problems
                 if by_problem.get(p.pk) and all(t.state == Task.State.CLOSED for t in by_problem[p.pk])]
    on_time = [p for p in rectified if all(timezone.localtime(t.closed_at).date() <= t.due for t in by_problem[p.pk])]
    return {
        "rounds": Counter(p.round_id for p in problems),
        "focus": Counter(p.classification.parent.parent.title for p in problems),
        "manifestations": Counter(p.classification.title for p in problems),
        "funnel": Counter(found=len(problems), fed_back=sum(p.fed_back for p in problems),
                          planned=len([p for p in problems if p.pk in by_problem]),
                          rectified=len(rectified), on_time=len(on_time)),
        "overdue": Counter(t.plan.organization.name for t in tasks
                           if t.state != Task.State.CLOSED and t.due < TODAY),
    }


@pytest.mark.parametrize("role", ["office_admin", "leader", "supervisor"])
def test_every_figure_equals_the_rows_counted_by_hand(world, dashboard_scenario, role):
    s = dashboard_scenario
    expected = _by_hand(role, world, s)
    got = _charts(world.users[role])
    rounds = {r.pk: r for r in (s.round1, s.round2, s.other_round)}
    # The superior office's figures span committees: each round is named with its committee.
    labels = {pk: f"{r.committee.name}{r}" if role == "supervisor" else str(r) for pk, r in rounds.items()}
    assert _values(got["rounds"]) == {labels[pk]: (n,) for pk, n in expected["rounds"].items()}
    assert _values(got["focus"]) == {title: (n,) for title, n in expected["focus"].items()}
    assert _values(got["manifestations"]) == {title: (n,) for title, n in expected["manifestations"].items()}
    assert [p.values[0] for p in got["funnel"].points] == [
        expected["funnel"][k] for k in ("found", "fed_back", "planned", "rectified", "on_time")]
    assert _values(got["overdue"]) == {name: (n,) for name, n in expected["overdue"].items()}


def test_the_office_figures_in_their_order(world, dashboard_scenario):
    s = dashboard_scenario
    got = _charts(world.office_admin)
    assert list(got) == ["rounds", "focus", "funnel", "coverage", "manifestations", "overdue"]
    assert [(p.label, p.values) for p in got["rounds"].points] == [
        (str(s.round1), (8,)), (str(s.round2), (3,))]
    items = s.builder.items
    # Most problems first (equal counts by title, in the database's collation).
    focus = got["focus"].points
    assert [p.values for p in focus] == [(7,), (2,), (2,)]
    assert focus[0].label == items["V2"].title
    assert {p.label for p in focus[1:]} == {items["T1"].title, items["V1"].title}
    manifestations = got["manifestations"].points
    assert [(p.label, p.values) for p in manifestations[:2]] == [
        (items["V2.1.1"].title, (4,)), (items["V2.1.2"].title, (3,))]
    assert {(p.label, p.values) for p in manifestations[2:]} == {
        (items["T1.1.1"].title, (2,)), (items["V1.1.1"].title, (2,))}
    # 11 found (one a lead), 9 fed back, 6 with tasks of an approved plan (西村's plan is under
    # review), 3 rectified (one of them late), 2 on time (城关镇's closed on its deadline day).
    assert [p.values[0] for p in got["funnel"].points] == [11, 9, 6, 3, 2]
    assert [r["share"] for r in got["funnel"].rows()] == [100.0, 81.8, 54.5, 27.3, 18.2]
    # 城关镇 and 东门村 have one task overdue each (by pinyin); 西村's plan is not approved.
    assert [(p.label, p.values) for p in got["overdue"].points] == [("城关镇", (1,)), ("东门村", (1,))]


def test_coverage_of_the_term_by_kind(world, dashboard_scenario):
    got = _charts(world.office_admin)["coverage"]
    kinds = world.kinds
    # 城关镇, 东门村 and 西村 are inspected in the term's rounds; 县财政局 never.
    assert _values(got) == {kinds["township"].name: (1, 0), kinds["village"].name: (2, 0),
                            kinds["department"].name: (0, 1)}
    assert world.term.name in got.note
    department = next(p for p in got.points if p.label == kinds["department"].name)
    assert department.links[1].endswith(f"?term={world.term.pk}&kind=department#uncovered")
    assert department.links[0] is None


def test_coverage_for_one_kind(world, dashboard_scenario):
    got = _charts(world.office_admin, kind=world.kinds["village"].pk)
    assert _values(got["coverage"]) == {world.kinds["village"].name: (2, 0)}
    assert [p.values[0] for p in got["funnel"].points][:2] == [9, 7]


def test_the_supervisor_counts_the_subtree_without_leads(world, dashboard_scenario):
    s = dashboard_scenario
    got = _charts(world.supervisor)
    labels = [p.label for p in got["rounds"].points]
    assert labels == [f"示例县委{s.round1}", f"示例县委{s.round2}", f"邻县县委{s.other_round}"]
    assert [p.values[0] for p in got["rounds"].points] == [7, 3, 1]  # the lead of round 1 is hidden
    assert [p.values[0] for p in got["funnel"].points] == [11, 10, 7, 3, 2]
    assert [(p.label, p.values) for p in got["overdue"].points] == [
        ("城关镇", (1,)), ("东门村", (1,)), ("河口镇", (1,))]
    # The county alone, when the supervisor picks it.
    county = _charts(world.supervisor, committee=world.county.pk)
    assert [p.values[0] for p in county["rounds"].points] == [7, 3]
    assert "河口镇" not in _values(county["overdue"])


@pytest.mark.parametrize("role", ["group_member", "group_leader"])
def test_a_group_member_counts_only_their_own_group(world, dashboard_scenario, role):
    s = dashboard_scenario
    expected = _by_hand(role, world, s)
    got = _charts(world.users[role])
    # Groups read no rectification task: no overdue chart, and the funnel stops at feedback.
    assert "overdue" not in got
    assert [p.values[0] for p in got["rounds"].points] == list(expected["rounds"].values())
    assert _values(got["focus"]) == {title: (n,) for title, n in expected["focus"].items()}
    assert _values(got["manifestations"]) == {title: (n,) for title, n in expected["manifestations"].items()}
    assert [p.values[0] for p in got["funnel"].points] == [expected["funnel"]["found"],
                                                           expected["funnel"]["fed_back"]]
    if role == "group_member":
        assert [p.values[0] for p in got["rounds"].points] == [2]
        assert _values(got["manifestations"]) == {s.builder.items["T1.1.1"].title: (2,)}
    else:
        assert [p.values[0] for p in got["rounds"].points] == [6]


def test_filters_narrow_every_chart(world, dashboard_scenario):
    s = dashboard_scenario
    got = _charts(world.office_admin, round=s.round2.pk)
    assert [(p.label, p.values) for p in got["rounds"].points] == [(str(s.round2), (3,))]
    assert [p.values[0] for p in got["funnel"].points] == [3, 3, 0, 0, 0]
    assert got["overdue"].points == []
    township = _charts(world.office_admin, kind=world.kinds["township"].pk)
    assert [p.values[0] for p in township["funnel"].points] == [2, 2, 2, 1, 1]
    assert _values(township["overdue"]) == {"城关镇": (1,)}


def test_nothing_to_count(world, findings):  # noqa: F811
    got = _charts(world.office_admin)
    assert all(got[key].empty for key in ("rounds", "focus", "funnel", "manifestations", "overdue"))
    assert [p.values[0] for p in got["funnel"].points] == [0, 0, 0, 0, 0]
    assert got["funnel"].rows()[0]["share"] is None


def test_the_top_ten_only(world, findings):  # noqa: F811
    from tests.analytics.dashboard_helpers import Builder
    from xuncha.checklist.models import Item

    b = Builder(world, findings)
    version = findings.village_version
    point = findings.items["V2.1"]
    for n in range(12):
        item = Item.objects.create(version=version, parent=point, level=3, key=f"V2.1.{n + 10}",
                                   title=f"表现形式{n:02d}", position=n + 10)
        b.items[item.key] = item
        for _ in range(n + 1):
            b.problem(findings.target1, item.key)
    got = _charts(world.office_admin)["manifestations"]
    assert [p.label for p in got.points] == [f"表现形式{n:02d}" for n in range(11, 1, -1)]
    assert [p.values[0] for p in got.points] == list(range(12, 2, -1))
