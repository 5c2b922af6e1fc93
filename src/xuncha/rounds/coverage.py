"""The arithmetic of coverage (全覆盖): rates, table rows and the forecast for the rest of the term.

Pure functions over counts; the counts come from rounds.selectors.coverage (SQL aggregates).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction


def rate(covered: int, total: int) -> float | None:
    """Covered share in percent, one decimal; None when there is nothing to cover."""
    if total <= 0:
        return None
    return round(covered * 100 / total, 1)


@dataclass(frozen=True)
class Row:
    """One line of the coverage table: a kind of organization, or a township."""

    key: str
    label: str
    total: int
    covered: int

    @property
    def uncovered(self) -> int:
        return self.total - self.covered

    @property
    def rate(self) -> float | None:
        return rate(self.covered, self.total)


def rows(counts: Iterable[tuple[str, str, int, int]]) -> list[Row]:
    """(key, label, total, covered) tuples, in the order given, as table rows; empty ones dropped."""
    return [Row(key=str(key), label=label, total=total, covered=covered)
            for key, label, total, covered in counts if total]


def totals(table: Iterable[Row]) -> Row:
    table = list(table)
    return Row(key="", label="", total=sum(r.total for r in table), covered=sum(r.covered for r in table))


def remaining_rounds(*, planned: int, created: int, idle: int) -> int:
    """Rounds still to come in a term: those planned but not yet created, plus created rounds
    that are still planned or approved and have no target yet."""
    return max(planned - created, 0) + idle


@dataclass(frozen=True)
class Forecast:
    """Whether the rest of the term can cover what is left, at the pace so far."""

    average: Fraction | None  # targets per round among the rounds that have targets
    remaining: int  # rounds still to come
    capacity: int | None  # organizations those rounds can take at that pace; None: no pace yet
    uncovered: int

    @property
    def short(self) -> bool:
        """True when the remaining rounds cannot reach 100% (the warning)."""
        if self.uncovered <= 0:
            return False
        if self.remaining == 0:
            return True
        return self.capacity is not None and self.capacity < self.uncovered

    @property
    def average_display(self) -> str:
        if self.average is None:
            return ""
        value = round(float(self.average), 1)
        return str(int(value)) if value == int(value) else str(value)


def forecast(*, targets: int, rounds_with_targets: int, remaining: int, uncovered: int) -> Forecast:
    """`targets` assignments made so far across `rounds_with_targets` rounds. Capacity is the
    whole number of organizations `remaining` rounds take at that average (rounded down)."""
    if rounds_with_targets <= 0:
        average = None
        capacity = 0 if remaining == 0 else None
    else:
        average = Fraction(targets, rounds_with_targets)
        capacity = int(average * remaining)  # floor: a round does not inspect part of a unit
    return Forecast(average=average, remaining=remaining, capacity=capacity, uncovered=uncovered)
