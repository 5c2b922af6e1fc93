"""Deadlines from the deadline policy in force on a date.

A feedback given before a new policy's effective date keeps the old deadlines; one given on or
after it gets the new ones. A committee without any policy gets the defaults of DESIGN §2,
written down as a policy (effective from the earliest date) the first time they are needed, so
that every computed deadline can name the policy that produced it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from xuncha.rectification.models import DeadlinePolicy

EARLIEST = date(2000, 1, 1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day
    (30 November + 3 months → 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def in_force(committee, on: date) -> DeadlinePolicy:
    """The committee's policy in force on `on` (created with the defaults when it has none)."""
    policy = (DeadlinePolicy.objects.filter(committee=committee, effective_from__lte=on)
              .order_by("-effective_from").first())
    if policy is not None:
        return policy
    with transaction.atomic():
        policy, _ = DeadlinePolicy.objects.get_or_create(
            committee=committee, effective_from=EARLIEST,
            defaults={"basis": "默认工作时限（反馈后3个月内集中整改）"})
    return policy


@dataclass(frozen=True)
class FeedbackDeadlines:
    policy: DeadlinePolicy
    rectification_due: date
    progress_report_due: date
    transfer_feedback_due: date


def for_feedback(committee, fed_back_on: date) -> FeedbackDeadlines:
    policy = in_force(committee, fed_back_on)
    return FeedbackDeadlines(
        policy=policy,
        rectification_due=add_months(fed_back_on, policy.rectification_months),
        progress_report_due=add_months(fed_back_on, policy.progress_report_months),
        transfer_feedback_due=add_months(fed_back_on, policy.transfer_feedback_months),
    )
