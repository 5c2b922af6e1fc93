"""The approval chain of a report (组务会 → 组长 → 巡察办 → 领导小组 → 书记专题会 by default).

A committee may configure its own steps per kind of report (ApprovalChain); a report copies the
steps when it is first submitted, so a later change of the chain never moves a report already on
its way. Who may decide at a step is decided here and nowhere else: a role of the step, held for
the report's own group (group roles) or for the committee running its round (committee roles).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from xuncha.access import policy
from xuncha.access.roles import BUSINESS_ROLES, GROUP_ROLES, Role
from xuncha.reports import policy as _rules  # noqa: F401 - the rules STEP_ROLES reads
from xuncha.reports.models import ApprovalChain, DocKind, Report

SUBMIT, APPROVE, RETURN = "submit", "approve", "return"
DECISIONS = (APPROVE, RETURN)

DEFAULT_STEPS: list[dict] = [
    {"name": "组务会", "roles": [Role.GROUP_LEADER.value, Role.GROUP_DEPUTY.value]},
    {"name": "组长", "roles": [Role.GROUP_LEADER.value]},
    {"name": "巡察办", "roles": [Role.OFFICE_ADMIN.value, Role.OFFICE_STAFF.value]},
    {"name": "领导小组", "roles": [Role.LEADER.value]},
    {"name": "书记专题会", "roles": [Role.LEADER.value]},
]

# The business roles that may hold a step: those the policy lets change a report (a step
# naming any other role could never be taken).
STEP_ROLES: tuple[str, ...] = tuple(
    role.value for role in Role
    if role in BUSINESS_ROLES and policy.CHANGE in policy.rules_for(Report).grants.get(role.value, ()))
# Writers: who may generate, edit and submit a report (with CHANGE on it).
WRITER_ROLES = frozenset({Role.GROUP_LEADER.value, Role.GROUP_DEPUTY.value, Role.OFFICE_ADMIN.value,
                          Role.OFFICE_STAFF.value})
# When a user holds several roles of a step, the step is recorded under the first.
ROLE_PRECEDENCE = (Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER)
MAX_STEPS = 12
MAX_NAME = 40


def steps_for(committee, kind: str, *, chains: dict | None = None) -> list[dict]:
    """The committee's configured steps for a kind of report, or the default chain."""
    if chains is not None:
        chain = chains.get(kind)
    else:
        chain = ApprovalChain.objects.filter(committee=committee, kind=kind).first()
    return [dict(step) for step in (chain.steps if chain and chain.steps else DEFAULT_STEPS)]


def clean_steps(steps: Iterable) -> list[dict]:
    """Validated steps: each a non-empty name and at least one role that may approve.
    Raises ValidationError naming the step."""
    cleaned: list[dict] = []
    errors: list[str] = []
    for n, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            errors.append(_("Step %(n)d: give a name and roles.") % {"n": n})
            continue
        name = " ".join(str(step.get("name") or "").split())
        roles = step.get("roles") or []
        if isinstance(roles, str):
            roles = [roles]
        if not name:
            errors.append(_("Step %(n)d: give the step a name.") % {"n": n})
        elif len(name) > MAX_NAME:
            errors.append(_("Step %(n)d: the name is longer than %(max)d characters.") % {"n": n, "max": MAX_NAME})
        unknown = [str(r) for r in roles if r not in STEP_ROLES]
        if unknown:
            errors.append(_("Step %(n)d: these roles cannot approve reports: %(roles)s.") % {
                "n": n, "roles": ", ".join(unknown)})
        elif not roles:
            errors.append(_("Step %(n)d: choose at least one role.") % {"n": n})
        ordered = [r for r in STEP_ROLES if r in roles]
        cleaned.append({"name": name, "roles": ordered})
    if not cleaned and not errors:
        errors.append(_("The chain needs at least one step."))
    if len(cleaned) > MAX_STEPS:
        errors.append(_("The chain has more than %(max)d steps.") % {"max": MAX_STEPS})
    if errors:
        raise ValidationError({"steps": errors})
    return cleaned


def role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def roles_for(report: Report, user) -> set[str]:
    """The roles `user` holds for this report: group roles of its own group, committee roles
    of the committee running its round."""
    if getattr(user, "system_role", ""):
        return set()
    assignment = report.assignment
    committee_id = assignment.round.committee_id
    roles = set()
    for held in policy.assignments(user):
        if held.role in GROUP_ROLES:
            if held.group_id == assignment.group_id:
                roles.add(held.role)
        elif held.role in STEP_ROLES and held.committee_id == committee_id:
            roles.add(held.role)
    return roles


def acting_role(step_roles: Iterable[str], roles: set[str]) -> str:
    """The role a step is recorded under; "" when none of `roles` may take it."""
    allowed = set(step_roles)
    for role in ROLE_PRECEDENCE:
        if role.value in roles and role.value in allowed:
            return role.value
    return ""


def current_step(report: Report) -> dict | None:
    if report.state != Report.State.IN_REVIEW or report.step >= len(report.steps):
        return None
    return report.steps[report.step]


def decider_role(report: Report, user) -> str:
    """The role under which `user` may decide the report's current step; "" if none."""
    if user is policy.CONSOLE:
        return "console"
    step = current_step(report)
    if step is None or not policy.can(user, policy.CHANGE, report):
        return ""
    return acting_role(step.get("roles", ()), roles_for(report, user))


def writer_role(report: Report, user) -> str:
    """The role under which `user` may edit and submit the report; "" if none."""
    if user is policy.CONSOLE:
        return "console"
    if not policy.can(user, policy.CHANGE, report):
        return ""
    return acting_role(WRITER_ROLES, roles_for(report, user))


def kind_label(kind: str) -> str:
    return str(DocKind(kind).label)
