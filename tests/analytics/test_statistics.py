"""The statistics: every figure against counts made independently from the rows (Python over the
tables, not the aggregates), each reader's own scope, the filters, and pinned query counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.analytics.stats_helpers import FOCUS_1, FOCUS_2, POINTS, TODAY, dataset, stats_build  # noqa: F401
from xuncha.analytics import filters, statistics
from xuncha.analytics.models import Campaign, Recommendation, RecommendationAddressee, SystemOutcome
from xuncha.analytics.statistics_sources import CONSOLE_READER
from xuncha.findings.models import Problem
from xuncha.intake.models import Complaint
from xuncha.rectification.models import Task, Transfer
from xuncha.rounds.models import Assignment, Round

MAX_QUERIES = 15


def compute(user, **params):
    return statistics.compute(user, filters.parse(user, params), today=TODAY)


def independent(term) -> dict:
    """The figures of a term of the county, counted row by row in Python."""
    started = [r for r in Round.objects.all() if r.term_id == term.pk and r.state not in ("planned", "approved")]
    targets = [a for a in Assignment.objects.all() if a.round in started]
    problems = [p for p in Problem.objects.all() if p.round.term_id == term.pk]
    fed_back = [p for p in problems if p.fed_back]

    def rectified(problem):
        tasks = [t for t in Task.objects.all() if t.problem_id == problem.pk]
        return bool(tasks) and all(t.state == "closed" for t in tasks)

    transfers = [t for t in Transfer.objects.all() if t.round.term_id == term.pk]
    letters = [r for r in Recommendation.objects.all() if r.term_id == term.pk and r.state in ("issued", "closed")]
    addressees = [a for a in RecommendationAddressee.objects.all() if a.recommendation in letters]
    return {
        "rounds": len(started),
        "organizations": len({a.organization_id for a in targets}),
        "problems": len(problems),
        "leads": len([p for p in problems if p.kind == "lead"]),
        "fed_back": len(fed_back),
        "rectified": len([p for p in fed_back if rectified(p)]),
        "overdue": len([t for t in Task.objects.all() if t.plan.round.term_id == term.pk and t.state != "closed"
                        and t.plan.state == "approved" and t.due < TODAY]),
        "transfers": len(transfers),
        "people_disciplined": sum(t.people_disciplined for t in transfers),
        "people_handled": sum(t.people_handled for t in transfers),
        "money_recovered": sum((t.money_recovered for t in transfers), Decimal(0)),
        "systems_transfers": sum(t.systems_established for t in transfers),
        "recommendations": len(letters),
        "addressees": len(addressees),
        "systems_outcomes": len([o for o in SystemOutcome.objects.all() if o.addressee in addressees]),
        "campaigns": len([c for c in Campaign.objects.all() if c.started_on >= term.start_date]),
        "complaints": len([c for c in Complaint.objects.all() if c.received_on >= term.start_date
                           and c.committee_id == term.committee_id]),
    }


def test_every_figure_equals_the_rows_counted_one_by_one(world, dataset):  # noqa: F811
    stats = compute(world.office_admin, term=dataset.term.pk)
    expected = independent(dataset.term)
    assert {key: stats.value(key) for key in expected} == expected
    # and the numbers the dataset was built to hold
    assert expected == {
        "rounds": 2, "organizations": 5, "problems": 6, "leads": 1, "fed_back": 4, "rectified": 2, "overdue": 1,
        "transfers": 2, "people_disciplined": 2, "people_handled": 4, "money_recovered": Decimal("123456.78"),
        "systems_transfers": 1, "recommendations": 2, "addressees": 3, "systems_outcomes": 2, "campaigns": 1,
        "complaints": 3,
    }
    assert stats.value("rectification_rate") == 50.0
    assert stats.value("coverage") == round(6 * 100 / 7, 1)
    assert stats.systems == 3


def test_breakdowns(world, dataset):  # noqa: F811
    stats = compute(world.office_admin, term=dataset.term.pk)
    assert [(r.label, r.value) for r in stats.by_focus] == [(FOCUS_2, 4), (FOCUS_1, 2)]
    assert [(r.label, r.value) for r in stats.by_point] == [(POINTS["P2"], 3), (POINTS["P1"], 2), (POINTS["P3"], 1)]
    assert {(r.key, r.value) for r in stats.by_problem_kind} == {("general", 4), ("lead", 1), ("cadre", 1)}
    assert [(r.kind_code, r.mode, r.value) for r in stats.inspected] == [
        ("township", "direct", 1), ("department", "direct", 1), ("village", "direct", 3), ("village", "sinking", 1)]
    assert sorted((r.label, r.kind, r.value) for r in stats.addressees) == [
        ("县教育局", "department", 1), ("县财政局", "department", 1), ("城关镇", "township", 1)]
    categories = {r.key: r.value for r in stats.complaints_by_category}
    assert categories == {dataset.category.title: 2, statistics.NO_CATEGORY: 1}


def test_every_figure_links_to_its_drilldown(world, dataset):  # noqa: F811
    stats = compute(world.office_admin, term=dataset.term.pk)
    assert set(stats.figures) == set(statistics.FIGURES)
    for key, figure in stats.figures.items():
        assert figure.link.startswith("/analytics/statistics/drilldown/?")
        assert f"figure={key}" in figure.link and f"term={dataset.term.pk}" in figure.link
    assert all(row.link and "figure=problems" in row.link for row in stats.by_focus)


def test_a_round_counts_its_own_rows_and_has_no_coverage(world, dataset):  # noqa: F811
    r1 = dataset.rounds[0]
    stats = compute(world.office_admin, round=r1.pk)
    assert stats.value("rounds") == 1
    assert stats.value("organizations") == 3  # 东门村, 西门村, 城关镇
    assert stats.value("problems") == 5
    assert stats.value("recommendations") == 1  # R1 names round 1
    assert stats.value("complaints") == 1
    assert stats.value("campaigns") == 0
    assert "coverage" not in stats.figures


def test_a_round_not_started_is_not_held(world, dataset):  # noqa: F811
    stats = compute(world.office_admin, round=dataset.rounds[2].pk)
    assert stats.value("rounds") == 0 and stats.value("organizations") == 0


def test_kind_and_township_narrow_the_organizations(world, dataset):  # noqa: F811
    village = compute(world.office_admin, term=dataset.term.pk, kind=world.kinds["village"].pk)
    assert village.value("organizations") == 3
    assert village.value("problems") == 5  # p5 is 城关镇's
    assert village.value("coverage") == 75.0  # 3 of 东门村, 西门村, 南门村, 北门村
    department = compute(world.office_admin, term=dataset.term.pk, kind=world.kinds["department"].pk)
    assert department.value("recommendations") == 2 and department.value("addressees") == 2
    township = compute(world.office_admin, term=dataset.term.pk, township=world.township.pk)
    assert township.value("organizations") == 4  # 城关镇 and its three villages inspected
    assert township.value("rounds") == 2


def test_the_supervisor_counts_the_subtree_without_leads(world, dataset, stats_build):  # noqa: F811
    b = stats_build
    other_term = b.term(world.other, 3, date(2022, 1, 1))
    other_round = b.round(other_term, 1, Round.State.REPORTING, date(2024, 3, 1))
    target = b.target(b.group(other_round), world.other_township)
    b.problem(target, "P1")
    b.problem(target, "P2", kind="lead")
    supervisor = world.supervisor
    everything = compute(supervisor)
    county_problems = Problem.objects.filter(round__committee=world.county).exclude(kind="lead").count()
    assert everything.value("problems") == county_problems + 1
    assert everything.value("leads") == 0
    # 2 of the term and the neighbour's; the world's round has no target yet, so it is not counted
    assert everything.value("rounds") == 3
    assert "complaints" not in everything.figures  # the superior office reads no complaint
    other = compute(supervisor, committee=world.other.pk)
    assert other.value("problems") == 1 and other.value("organizations") == 1
    office = compute(world.office_admin)
    assert office.value("problems") == county_problems + 1  # its own county, leads included


def test_a_group_member_counts_only_its_own_group(world, dataset, stats_build, make_user):  # noqa: F811
    member = stats_build.member(make_user, "stats_member", dataset.groups[0])
    stats = compute(member, term=dataset.term.pk)
    assert stats.value("rounds") == 1  # the round it served in, not every round of the term
    assert stats.value("problems") == 4  # p1 to p4, of group 1
    assert stats.value("leads") == 1
    assert stats.value("organizations") == 2
    assert stats.value("complaints") == 1
    for absent in ("fed_back", "rectified", "overdue", "transfers", "recommendations", "systems_outcomes",
                   "campaigns"):
        assert absent not in stats.figures


def test_the_console_reads_the_whole_committee(world, dataset):  # noqa: F811
    chosen = filters.Filters(committee=world.county, term=dataset.term)
    console = statistics.compute(CONSOLE_READER, chosen, today=TODAY)
    office = compute(world.office_admin, term=dataset.term.pk)
    assert {k: f.value for k, f in console.figures.items()} == {k: f.value for k, f in office.figures.items()}


def test_the_number_of_queries_does_not_grow_with_the_data(world, dataset, stats_build, django_assert_max_num_queries):  # noqa: F811
    user = world.office_admin
    chosen = filters.parse(user, {"term": dataset.term.pk})
    statistics.compute(user, chosen, today=TODAY)  # role assignments cached on the user
    with CaptureQueriesContext(connection) as before:
        statistics.compute(user, chosen, today=TODAY)
    b = stats_build
    for n in range(5):
        organization = b.organization(f"新村{n}", "village", parent=world.township)
        target = b.target(dataset.groups[2], organization)
        problem = b.problem(target, "P3", fed_back=True)
        b.task(b.plan(target), problem, date(2024, 1, 1))
        b.transfer(problem, world.department, people_handled=1)
    with django_assert_max_num_queries(MAX_QUERIES):
        with CaptureQueriesContext(connection) as after:
            stats = statistics.compute(user, chosen, today=TODAY)
    assert len(after) == len(before)
    assert stats.value("problems") == 11 and stats.value("overdue") == 6


@pytest.mark.parametrize("username", ["unit_liaison", "receiver", "sysadmin", "outsider"])
def test_who_may_read_statistics(world, username):
    assert not statistics.may_read(world.users[username])


@pytest.mark.parametrize("username", ["office_admin", "office_staff", "leader", "supervisor", "group_leader",
                                      "group_member"])
def test_readers(world, username):
    assert statistics.may_read(world.users[username])
