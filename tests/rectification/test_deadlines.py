from datetime import date

import pytest

from xuncha.rectification.deadlines import EARLIEST, add_months, for_feedback, in_force
from xuncha.rectification.models import DeadlinePolicy


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2024, 3, 15), 3, date(2024, 6, 15)),
    (date(2024, 11, 30), 3, date(2025, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2024, 12, 31), 1, date(2025, 1, 31)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),
])
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_a_committee_without_a_policy_gets_the_defaults_once(world):
    first = in_force(world.county, date(2024, 5, 1))
    assert (first.effective_from, first.rectification_months, first.warn_green_days, first.warn_yellow_days) == (
        EARLIEST, 3, 20, 10)
    assert in_force(world.county, date(2020, 1, 1)) == first
    assert DeadlinePolicy.objects.filter(committee=world.county).count() == 1


def test_feedback_before_a_new_policy_keeps_the_old_deadlines(world):
    DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2020, 1, 1), rectification_months=2,
                                  progress_report_months=2)
    new = DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2024, 7, 1),
                                        rectification_months=3, progress_report_months=3)
    before = for_feedback(world.county, date(2024, 6, 30))
    on = for_feedback(world.county, date(2024, 7, 1))
    assert before.rectification_due == date(2024, 8, 30) and before.policy.rectification_months == 2
    assert on.rectification_due == date(2024, 10, 1) and on.policy == new
    assert for_feedback(world.other, date(2024, 7, 1)).policy.committee == world.other
