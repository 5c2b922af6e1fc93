"""The round's state machine: (state, action) → (next state, roles that may take it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from xuncha.access.roles import Role
from xuncha.rounds.models import Round

S = Round.State
OFFICE = frozenset({Role.OFFICE_ADMIN, Role.OFFICE_STAFF})


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    roles: frozenset[str]
    label: object


TRANSITIONS: tuple[Transition, ...] = (
    Transition("approve", S.PLANNED, S.APPROVED, frozenset({Role.LEADER}), _("Approve the plan")),
    Transition("return", S.APPROVED, S.PLANNED, frozenset({Role.LEADER}), _("Return the plan")),
    Transition("enter", S.APPROVED, S.STATIONED, OFFICE, _("Enter (stationed)")),
    Transition("withdraw", S.STATIONED, S.REPORTING, OFFICE, _("Withdraw and report")),
    Transition("feed_back", S.REPORTING, S.FEEDBACK, OFFICE, _("Feed back")),
    Transition("rectify", S.FEEDBACK, S.RECTIFYING, OFFICE, _("Start rectification")),
    Transition("complete", S.RECTIFYING, S.COMPLETED, frozenset({Role.OFFICE_ADMIN}), _("Complete the round")),
)

BY_ACTION = {t.action: t for t in TRANSITIONS}
ORDER = [S.PLANNED, S.APPROVED, S.STATIONED, S.REPORTING, S.FEEDBACK, S.RECTIFYING, S.COMPLETED]
# While the plan may still change: groups, members and targets.
PLAN_OPEN = frozenset({S.PLANNED, S.APPROVED, S.STATIONED})


def available(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state]
