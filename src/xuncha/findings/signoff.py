"""The sign-off chain of a working paper (草稿 → 已提交 → 副组长审核 → 组长审签 → 巡察办登记).

One explicit table of (state, action) → (next state, roles). A group role counts only for the
paper's own group; an office role only for the committee that runs the paper's round. Who may
take which step is decided here and nowhere else: the services refuse what the table does not
list, the pages show the buttons `available()` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xuncha.access import policy
from xuncha.access.roles import GROUP_ROLES, Role
from xuncha.findings.models import WorkingPaper

S = WorkingPaper.State
SUBMIT, APPROVE, RETURN, SIGN, REGISTER = "submit", "approve", "return", "sign", "register"
ACTIONS = (SUBMIT, APPROVE, RETURN, SIGN, REGISTER)
OFFICE_ROLES = frozenset({Role.OFFICE_ADMIN.value, Role.OFFICE_STAFF.value})
GROUP = frozenset({Role.GROUP_LEADER.value, Role.GROUP_DEPUTY.value, Role.GROUP_MEMBER.value})
HEADS = frozenset({Role.GROUP_LEADER.value, Role.GROUP_DEPUTY.value})
LEADER = frozenset({Role.GROUP_LEADER.value})

# When a user holds several roles that may take a step, the step is recorded under the first.
ROLE_PRECEDENCE = (Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER, Role.OFFICE_ADMIN,
                   Role.OFFICE_STAFF)


@dataclass(frozen=True)
class Step:
    action: str
    source: str
    target: str
    roles: frozenset[str]
    label: Promise
    style: str = "primary"  # Bootstrap colour of the button

    @property
    def needs_comment(self) -> bool:
        return self.action == RETURN


ACTION_LABELS = {
    SUBMIT: _("Submit for review"),
    APPROVE: _("Approve (deputy review)"),
    RETURN: _("Return"),
    SIGN: _("Sign (group leader)"),
    REGISTER: _("Register (office)"),
}

TABLE: dict[tuple[str, str], Step] = {
    (step.source, step.action): step
    for step in (
        Step(SUBMIT, S.DRAFT, S.SUBMITTED, GROUP, ACTION_LABELS[SUBMIT]),
        Step(SUBMIT, S.RETURNED, S.SUBMITTED, GROUP, ACTION_LABELS[SUBMIT]),
        Step(APPROVE, S.SUBMITTED, S.REVIEWED, HEADS, ACTION_LABELS[APPROVE], "success"),
        Step(RETURN, S.SUBMITTED, S.RETURNED, HEADS, ACTION_LABELS[RETURN], "outline-danger"),
        Step(SIGN, S.REVIEWED, S.SIGNED, LEADER, ACTION_LABELS[SIGN], "success"),
        Step(RETURN, S.REVIEWED, S.RETURNED, LEADER, ACTION_LABELS[RETURN], "outline-danger"),
        Step(REGISTER, S.SIGNED, S.REGISTERED, OFFICE_ROLES, ACTION_LABELS[REGISTER], "success"),
        Step(RETURN, S.SIGNED, S.RETURNED, OFFICE_ROLES, ACTION_LABELS[RETURN], "outline-danger"),
    )
}


def step_for(state: str, action: str) -> Step | None:
    return TABLE.get((state, action))


def roles_for(paper: WorkingPaper, user) -> set[str]:
    """The roles `user` holds for this paper: group roles of its own group, office roles of the
    committee running its round."""
    if getattr(user, "system_role", ""):
        return set()
    committee_id = paper.round.committee_id if paper.round_id else paper.group.round.committee_id
    roles = set()
    for assignment in policy.assignments(user):
        if assignment.role in GROUP_ROLES:
            if assignment.group_id == paper.group_id:
                roles.add(assignment.role)
        elif assignment.role in OFFICE_ROLES and assignment.committee_id == committee_id:
            roles.add(assignment.role)
    return roles


def acting_role(step: Step, roles: set[str]) -> str:
    """The role a step is recorded under; "" when none of `roles` may take it."""
    for role in ROLE_PRECEDENCE:
        if role in roles and role in step.roles:
            return role.value
    return ""


def available(paper: WorkingPaper, user) -> list[Step]:
    """The steps `user` may take on `paper` now (none once the round is closed to them)."""
    roles = roles_for(paper, user)
    if not roles or not policy.can(user, policy.CHANGE, paper):
        return []
    return [step for (state, _action), step in TABLE.items()
            if state == paper.state and roles & step.roles]
