"""Coverage arithmetic (rounds.coverage): pure functions, table-driven."""

from __future__ import annotations

from fractions import Fraction

import pytest

from xuncha.rounds import coverage


@pytest.mark.parametrize("covered, total, expected", [
    (0, 0, None),
    (0, 10, 0.0),
    (10, 10, 100.0),
    (1, 3, 33.3),
    (2, 3, 66.7),
    (108, 117, 92.3),
])
def test_it_computes_the_rate(covered, total, expected):
    assert coverage.rate(covered, total) == expected


def test_it_builds_rows_in_order_and_drops_empty_ones():
    table = coverage.rows([("township", "乡镇/街道", 12, 12), ("school", "学校", 0, 0),
                           ("village", "村/社区", 108, 54)])
    assert [(r.key, r.total, r.covered, r.uncovered, r.rate) for r in table] == [
        ("township", 12, 12, 0, 100.0), ("village", 108, 54, 54, 50.0)]
    total = coverage.totals(table)
    assert (total.total, total.covered, total.uncovered, total.rate) == (120, 66, 54, 55.0)


def test_totals_of_nothing_have_no_rate():
    total = coverage.totals([])
    assert (total.total, total.covered, total.rate) == (0, 0, None)


@pytest.mark.parametrize("planned, created, idle, expected", [
    (9, 0, 0, 9),
    (9, 3, 0, 6),
    (9, 3, 1, 7),  # a created round still without targets is still to come
    (9, 9, 0, 0),
    (9, 11, 2, 2),  # more rounds than planned: never negative
])
def test_it_counts_the_rounds_still_to_come(planned, created, idle, expected):
    assert coverage.remaining_rounds(planned=planned, created=created, idle=idle) == expected


@pytest.mark.parametrize("targets, done, remaining, uncovered, capacity, short", [
    # exactly enough capacity: no warning; one short: warning
    (36, 3, 4, 48, 48, False),
    (36, 3, 4, 49, 48, True),
    # the average need not be whole; capacity is rounded down
    (25, 2, 3, 37, 37, False),  # 12.5 × 3 = 37.5 → 37
    (25, 2, 3, 38, 37, True),
    # everything covered: never a warning, even with no round left
    (40, 4, 0, 0, 0, False),
    # no round left and something uncovered: always a warning
    (40, 4, 0, 1, 0, True),
    # no round with targets yet: no pace to judge by, no warning while rounds remain
    (0, 0, 9, 120, None, False),
    (0, 0, 0, 5, 0, True),
])
def test_it_forecasts_whether_the_term_can_reach_full_coverage(targets, done, remaining, uncovered,
                                                                 capacity, short):
    outlook = coverage.forecast(targets=targets, rounds_with_targets=done, remaining=remaining,
                                uncovered=uncovered)
    assert outlook.capacity == capacity
    assert outlook.short is short


@pytest.mark.parametrize("targets, done, shown", [(36, 3, "12"), (25, 2, "12.5"), (10, 3, "3.3"), (0, 0, "")])
def test_it_shows_the_average(targets, done, shown):
    outlook = coverage.forecast(targets=targets, rounds_with_targets=done, remaining=1, uncovered=1)
    assert outlook.average_display == shown
    if done:
        assert outlook.average == Fraction(targets, done)
