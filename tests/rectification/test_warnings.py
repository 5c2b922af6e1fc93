"""Warning levels: the boundaries with the default thresholds (20/10) and with a 30/15 policy,
the same in Python (level_for) and in the database (the Deadline conditions), and counts per
task, organization and round equal to counts made one by one."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from tests.rectification.test_dashboard_helpers import build_fixture, documents_in_tmp  # noqa: F401 - fixtures
from xuncha.rectification import warnings
from xuncha.rectification.models import DeadlinePolicy, Plan, Task
from xuncha.rectification.warnings import Level
from xuncha.rounds.models import Group, Round

TODAY = date(2024, 8, 1)
DAYS = (21, 20, 11, 10, 1, 0, -1)
DEFAULT = {21: "", 20: "green", 11: "green", 10: "yellow", 1: "yellow", 0: "yellow", -1: "red"}
THIRTY_FIFTEEN = {31: "", 30: "green", 21: "green", 20: "green", 16: "green", 15: "yellow", 11: "yellow",
                  10: "yellow", 1: "yellow", 0: "yellow", -1: "red"}


@pytest.mark.parametrize(("days", "expected"), DEFAULT.items())
def test_default_thresholds_in_python(days, expected):
    assert warnings.level_for(TODAY + timedelta(days=days), TODAY, None) == expected
    assert warnings.level(TODAY + timedelta(days=days), TODAY, green_days=20, yellow_days=10, done=True) == ""


def _plan_with_dues(build, name: str, fed_back_on: date, dues) -> Plan:
    plan = build.plan(build.feedback(build.target(name), on=fed_back_on))
    for days in dues:
        build.task(plan, TODAY + timedelta(days=days), title=f"期限{days}")
    return plan


def _db_levels(plan: Plan, pairs=None) -> dict[int, str]:
    tasks = warnings.TASK.annotate(Task.objects.filter(plan=plan), TODAY, pairs)
    return {(t.due - TODAY).days: t.level for t in tasks}


def test_default_thresholds_in_the_database(build):
    plan = _plan_with_dues(build, "南街村", date(2024, 5, 20), DAYS)
    assert plan.feedback.policy.warn_green_days == 20 and plan.feedback.policy.warn_yellow_days == 10
    assert _db_levels(plan) == DEFAULT


def test_a_thirty_fifteen_policy_in_python_and_in_the_database(build, world):
    policy = DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2024, 5, 1),
                                           warn_green_days=30, warn_yellow_days=15)
    old = _plan_with_dues(build, "南街村", date(2024, 4, 30), DAYS)
    new = _plan_with_dues(build, "北坡村", date(2024, 5, 1), THIRTY_FIFTEEN)
    assert new.feedback.policy == policy and old.feedback.policy != policy
    for days, expected in THIRTY_FIFTEEN.items():
        assert warnings.level_for(TODAY + timedelta(days=days), TODAY, policy) == expected, days
    # Each task is warned by its own feedback's policy, in one query.
    assert _db_levels(new) == THIRTY_FIFTEEN
    assert _db_levels(old) == DEFAULT


def test_closed_tasks_are_never_warned_and_missing_policy_takes_the_defaults(build):
    plan = _plan_with_dues(build, "南街村", date(2024, 5, 20), [])
    closed = build.task(plan, TODAY - timedelta(days=5), Task.State.CLOSED)
    requested = build.task(plan, TODAY - timedelta(days=5), Task.State.REQUESTED)
    assert {t.pk: t.level for t in warnings.TASK.annotate(Task.objects.filter(plan=plan), TODAY)} == {
        closed.pk: "", requested.pk: "red"}
    assert warnings.task_levels(Task.objects.filter(plan=plan), TODAY) == {
        "total": 2, "closed": 1, "red": 1, "yellow": 0, "green": 0}
    # A deadline without a policy (a feedback from before policies were recorded) uses 20/10.
    q = warnings.PROGRESS_REPORT.q(Level.GREEN, TODAY, pairs=[])
    from xuncha.reports.models import Feedback

    feedback = plan.feedback
    Feedback.objects.filter(pk=feedback.pk).update(policy=None, progress_report_due=TODAY + timedelta(days=15))
    assert Feedback.objects.filter(q, pk=feedback.pk).exists()


def test_unknown_level_has_no_condition():
    with pytest.raises(ValueError):
        warnings.TASK.q("blue", TODAY)


def test_counts_per_task_organization_and_round_equal_counts_made_one_by_one(build, world):
    """Two rounds, two policies, four organizations, tasks in every state and level."""
    DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2024, 5, 1),
                                  warn_green_days=30, warn_yellow_days=15)
    round2 = Round.objects.create(term=world.term, number=2, planned_entry=date(2024, 6, 1),
                                  planned_exit=date(2024, 7, 1))
    group = Group.objects.create(round=round2, number=1)
    spread = [-30, -1, 0, 5, 10, 11, 14, 15, 16, 20, 21, 29, 30, 31, 60]
    states = [Task.State.OPEN, Task.State.OPEN, Task.State.REQUESTED, Task.State.CLOSED]
    n = 0
    for name, grp, on in (("南街村", world.group1, date(2024, 4, 1)), ("北坡村", world.group1, date(2024, 6, 1)),
                          ("西山村", group, date(2024, 4, 15)), ("东岭村", group, date(2024, 7, 1))):
        plan = build.plan(build.feedback(build.target(name, group=grp), on=on))
        for i, days in enumerate(spread[n % 5:]):
            build.task(plan, TODAY + timedelta(days=days), states[(i + n) % 4])
        n += 3
    tasks = Task.objects.select_related("plan__feedback__policy")
    expected_org: dict[int, Counter] = {}
    expected_round: dict[int, Counter] = {}
    for task in tasks:
        lv = warnings.level_for(task.due, TODAY, task.plan.feedback.policy, done=task.state == "closed")
        for key, table in ((task.plan.organization_id, expected_org), (task.plan.round_id, expected_round)):
            counter = table.setdefault(key, Counter(total=0, closed=0, red=0, yellow=0, green=0))
            counter["total"] += 1
            counter["closed"] += task.state == "closed"
            if lv:
                counter[lv] += 1
    by_org = {row["plan__organization"]: Counter({k: v for k, v in row.items() if k != "plan__organization"})
              for row in warnings.tasks_by_organization(Task.objects.all(), TODAY)}
    by_round = {row["plan__round"]: Counter({k: v for k, v in row.items() if k != "plan__round"})
                for row in warnings.tasks_by_round(Task.objects.all(), TODAY)}
    assert by_org == expected_org and len(by_org) == 4
    assert by_round == expected_round and set(by_round) == {world.round.pk, round2.pk}
    assert all(sum(c[lv] for c in by_org.values()) for lv in ("red", "yellow", "green", "closed"))
    whole = warnings.task_levels(Task.objects.all(), TODAY)
    assert whole == dict(sum(expected_round.values(), Counter(total=0, closed=0, red=0, yellow=0, green=0)))
