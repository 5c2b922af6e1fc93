"""Deadline warnings (预警): green, yellow, red by the thresholds of the deadline policy.

With the defaults of DESIGN §2: green from 20 days before a deadline, yellow from 10 days
before, red once it has passed (the deadline day itself is still yellow). Anything finished is
never warned about, and a deadline further away than the green threshold is "normal" ("").
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce

from django.db import models
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    NONE = "", _("On schedule")
    GREEN = "green", _("Approaching")
    YELLOW = "yellow", pgettext_lazy("warning level", "Close")
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


# -- in the database -------------------------------------------------------------------------
#
# Lists and dashboards count levels over many rows: the thresholds differ per policy version,
# so the levels are conditions on the deadline against today ± each distinct pair of thresholds
# (a few pairs in any installation), as plain date comparisons that every database runs alike.

DEFAULT_GREEN_DAYS = 20
DEFAULT_YELLOW_DAYS = 10
WARNED = (Level.GREEN, Level.YELLOW, Level.RED)


def thresholds() -> list[tuple[int, int]]:
    """The distinct (green days, yellow days) pairs of all policy versions."""
    from xuncha.rectification.models import DeadlinePolicy

    return list(DeadlinePolicy.objects.order_by("warn_green_days", "warn_yellow_days")
                .values_list("warn_green_days", "warn_yellow_days").distinct())


@dataclass(frozen=True)
class Deadline:
    """Where a kind of deadline lives: the lookup of the date, of the policy whose thresholds
    apply, and the condition under which the thing is finished (never warned about)."""

    due: str
    policy: str
    done: Q | None = None

    def _on(self, lookup: str, value) -> Q:
        return Q(**{f"{self.due}__{lookup}": value})

    def q(self, wanted: str, today: date, pairs: Iterable[tuple[int, int]] | None = None) -> Q:
        """The rows at the warning level `wanted` (green, yellow or red) on `today`."""
        if wanted == Level.RED:
            q = self._on("lt", today)
        elif wanted in (Level.GREEN, Level.YELLOW):
            parts = [Q(**{f"{self.policy}__isnull": True})
                     & self._window(wanted, today, DEFAULT_GREEN_DAYS, DEFAULT_YELLOW_DAYS)]
            for green, yellow in (thresholds() if pairs is None else pairs):
                parts.append(Q(**{f"{self.policy}__warn_green_days": green,
                                  f"{self.policy}__warn_yellow_days": yellow})
                             & self._window(wanted, today, green, yellow))
            q = reduce(operator.or_, parts)
        else:
            raise ValueError(f"no condition for warning level {wanted!r}")
        return q & ~self.done if self.done is not None else q

    def _window(self, wanted: str, today: date, green: int, yellow: int) -> Q:
        if wanted == Level.YELLOW:
            return self._on("gte", today) & self._on("lte", today + timedelta(days=yellow))
        return self._on("gt", today + timedelta(days=yellow)) & self._on("lte", today + timedelta(days=green))

    def any_q(self, levels: Iterable[str], today: date, pairs: Iterable[tuple[int, int]] | None = None) -> Q:
        levels = list(levels)
        if any(wanted != Level.RED for wanted in levels) and pairs is None:
            pairs = thresholds()
        return reduce(operator.or_, (self.q(wanted, today, pairs) for wanted in levels))

    def expression(self, today: date, pairs: Iterable[tuple[int, int]] | None = None) -> Case:
        """The level of each row as a CharField expression ("" when on schedule or done)."""
        pairs = thresholds() if pairs is None else list(pairs)
        return Case(*(When(self.q(wanted, today, pairs), then=Value(wanted.value))
                      for wanted in (Level.RED, Level.YELLOW, Level.GREEN)),
                    default=Value(Level.NONE.value), output_field=CharField())

    def annotate(self, qs: QuerySet, today: date, pairs=None, *, name: str = "level") -> QuerySet:
        """Each row with its warning level as `name`."""
        return qs.annotate(**{name: self.expression(today, pairs)})

    def counts(self, today: date, pairs=None) -> dict[str, Count]:
        """Aggregates counting the rows at each level: {"red": Count, "yellow": …, "green": …}."""
        pairs = thresholds() if pairs is None else list(pairs)
        return {wanted.value: Count("pk", filter=self.q(wanted, today, pairs))
                for wanted in (Level.RED, Level.YELLOW, Level.GREEN)}


# The deadlines of rectification, each with the policy version its thresholds come from.
TASK = Deadline(due="due", policy="plan__feedback__policy", done=Q(state="closed"))
PROGRESS_REPORT = Deadline(due="progress_report_due", policy="policy")  # on the Feedback
DISCLOSURE = Deadline(due="disclosure_due", policy="policy")  # on the ProgressReport
TRANSFER = Deadline(due="feedback_due", policy="policy", done=Q(state="answered"))


def task_levels(tasks: QuerySet, today: date, *, by: Iterable[str] = (), pairs=None):
    """Green, yellow and red tasks (closed ones never count) with the total and the closed:
    one row per value of the `by` lookups (e.g. "plan__organization", "plan__round"), or one
    dict for the whole queryset when `by` is empty."""
    figures = {"total": Count("pk"), "closed": Count("pk", filter=Q(state="closed")),
               **TASK.counts(today, pairs)}
    by = list(by)
    if not by:
        return tasks.order_by().aggregate(**figures)
    return tasks.order_by().values(*by).annotate(**figures).order_by(*by)


def tasks_by_organization(tasks: QuerySet, today: date, pairs=None):
    return task_levels(tasks, today, by=["plan__organization"], pairs=pairs)


def tasks_by_round(tasks: QuerySet, today: date, pairs=None):
    return task_levels(tasks, today, by=["plan__round"], pairs=pairs)
