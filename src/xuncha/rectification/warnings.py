"""Deadline warnings (预警): green, yellow, red by the thresholds of the deadline policy.

With the defaults of DESIGN §2: green from 20 days before a deadline, yellow from 10 days
before, red once it has passed (the deadline day itself is still yellow). Anything finished is
never warned about, and a deadline further away than the green threshold is "normal" ("").
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NONE = "", _("On schedule")
    GREEN = "green", _("Approaching")
    YELLOW = "yellow", _("Close")
    RED = "red", _("Overdue")


# Bootstrap colour classes for each level, for badges and table rows.
CSS = {Level.NONE: "secondary", Level.GREEN: "success", Level.YELLOW: "warning", Level.RED: "danger"}


def level(due: date | None, today: date, *, green_days: int, yellow_days: int, done: bool = False) -> Level:
    """The warning level of a deadline `due` seen on `today`."""
    if done or due is None:
        return Level.NONE
    left = (due - today).days
    if left < 0:
        return Level.RED
    if left <= yellow_days:
        return Level.YELLOW
    if left <= green_days:
        return Level.GREEN
    return Level.NONE


def level_for(due: date | None, today: date, policy, *, done: bool = False) -> Level:
    """`level` with the thresholds of a DeadlinePolicy (the defaults when it is None)."""
    green = policy.warn_green_days if policy is not None else 20
    yellow = policy.warn_yellow_days if policy is not None else 10
    return level(due, today, green_days=green, yellow_days=yellow, done=done)


def days_left(due: date | None, today: date) -> int | None:
    return None if due is None else (due - today).days
