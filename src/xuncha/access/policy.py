"""The one permission policy: `can(user, action, obj)` and `scope(user, Model, action)`.

Deny by default. Each protected model registers its rules: which roles may take which
actions, and how to find the committee, organization or owner an object belongs to. A role's
scope kind (roles.SCOPE_OF_ROLE) then decides which objects its grant covers.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db import models
from django.db.models import Q

from xuncha.access.roles import GROUP_ROLES, SCOPE_OF_ROLE, ScopeKind

VIEW = "view"
CREATE = "create"
CHANGE = "change"
DELETE = "delete"
EXPORT = "export"
IMPORT = "import"
ACTIONS = (VIEW, CREATE, CHANGE, DELETE, EXPORT, IMPORT)


@dataclass(frozen=True)
class ModelRules:
    model: type[models.Model]
    grants: Mapping[str, frozenset[str]]
    committee_path: str | None = None  # lookup from the model to its Committee; "" = itself
    organization_path: str | None = None  # lookup to its Organization; "" = itself
    owner_path: str | None = None  # lookup to the owning account
    owner_actions: frozenset[str] = field(default_factory=frozenset)
    shared: bool = False  # a lookup table of the whole installation, not owned by a committee
    group_path: str | None = None  # lookup to the inspection group owning it; "" = itself
    # (lookup of a state field, value): once the field holds the value, group roles stop
    # writing — e.g. ("group__round__state", "completed") for a group's fieldwork.
    frozen_when: tuple[str, str] | None = None
    # {role: ((lookup of a field, value), ...)}: objects holding any of the values stay hidden
    # from that role even inside its scope — e.g. leads (kind "lead") from the superior office.
    hidden_from: Mapping[str, tuple[tuple[str, Any], ...]] = field(default_factory=dict)
    # Reference material of a committee (its rules library, its study campaigns): roles held
    # for one organization read it within their organization's committee.
    reference: bool = False


RULES: dict[type[models.Model], ModelRules] = {}


def register(
    model: type[models.Model],
    *,
    grants: Mapping[str, Iterable[str]],
    committee_path: str | None = None,
    organization_path: str | None = None,
    owner_path: str | None = None,
    owner_actions: Iterable[str] = (),
    shared: bool = False,
    group_path: str | None = None,
    frozen_when: tuple[str, str] | None = None,
    hidden_from: Mapping[str, tuple[str, Any] | list[tuple[str, Any]]] | None = None,
    reference: bool = False,
) -> None:
    for actions in grants.values():
        unknown = set(actions) - set(ACTIONS)
        if unknown:
            raise ValueError(f"unknown actions {unknown} for {model.__name__}")
    RULES[model] = ModelRules(
        model=model,
        grants={str(role): frozenset(actions) for role, actions in grants.items()},
        committee_path=committee_path,
        organization_path=organization_path,
        owner_path=owner_path,
        owner_actions=frozenset(owner_actions),
        shared=shared,
        group_path=group_path,
        frozen_when=frozen_when,
        hidden_from={str(role): (tuple(rules) if isinstance(rules, list) else (rules,))
                     for role, rules in (hidden_from or {}).items()},
        reference=reference,
    )


def grants(*pairs: tuple[Iterable[str], Iterable[str]]) -> dict[str, set[str]]:
    """Grants from (roles, actions) pairs; a role named in several pairs gets all their actions."""
    merged: dict[str, set[str]] = {}
    for roles, actions in pairs:
        for role in roles:
            merged.setdefault(role, set()).update(actions)
    return merged


def rules_for(model: type[models.Model]) -> ModelRules:
    try:
        return RULES[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no access rules; register it in its policy module") from None


def _join(path: str, lookup: str) -> str:
    return f"{path}__{lookup}" if path else lookup


def assignments(user) -> list:
    """The user's current role assignments, cached on the user object for one request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_xuncha_assignments", None)
    if cached is None:
        from xuncha.access.models import RoleAssignment

        cached = list(
            RoleAssignment.objects.current().filter(user=user)
            .select_related("committee", "organization", "group__round__term")
        )
        user._xuncha_assignments = cached
    return cached


def forget(user) -> None:
    """Drop the cached assignments after they change."""
    if hasattr(user, "_xuncha_assignments"):
        del user._xuncha_assignments


def _assignment_q(rules: ModelRules, assignment, action: str) -> Q | None:
    q = _assignment_scope_q(rules, assignment, action)
    if q is not None:
        for lookup, value in rules.hidden_from.get(assignment.role, ()):
            q &= ~Q(**{lookup: value})
    return q


def _assignment_scope_q(rules: ModelRules, assignment, action: str) -> Q | None:
    if rules.shared:
        return Q()
    if assignment.role in GROUP_ROLES and rules.group_path is not None:
        # Group material belongs to one group: only that group's members reach it, and
        # only while its round is open for writes.
        if assignment.group_id is None:
            return None
        q = Q(**{_join(rules.group_path, "id"): assignment.group_id})
        if action not in (VIEW, EXPORT) and rules.frozen_when is not None:
            path, value = rules.frozen_when
            q &= ~Q(**{path: value})
        return q
    kind = SCOPE_OF_ROLE[assignment.role]
    if kind == ScopeKind.COMMITTEE and rules.committee_path is not None:
        return Q(**{_join(rules.committee_path, "id"): assignment.committee_id})
    if kind == ScopeKind.SUBTREE and rules.committee_path is not None:
        return Q(**{_join(rules.committee_path, "path__startswith"): assignment.committee.path})
    if kind == ScopeKind.ORGANIZATION and rules.organization_path is not None:
        return Q(**{_join(rules.organization_path, "id"): assignment.organization_id})
    if kind == ScopeKind.ORGANIZATION and rules.reference and rules.committee_path is not None:
        return Q(**{_join(rules.committee_path, "id"): assignment.organization.committee_id})
    return None


def scope_q(user, model: type[models.Model], action: str = VIEW, *,
            roles: Iterable[str] | None = None) -> Q | None:
    """The filter selecting the objects of `model` on which `user` may take `action`;
    None when there are none. A Q() that matches everything means the whole table.
    With `roles`, only grants held through those roles count (see `can`)."""
    rules = rules_for(model)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    allowed = None if roles is None else {str(r) for r in roles}
    if user.system_role:
        granted = action in rules.grants.get(user.system_role, ()) and (allowed is None or user.system_role in allowed)
        return Q() if granted else None
    parts: list[Q] = []
    if allowed is None and rules.owner_path is not None and action in rules.owner_actions:
        parts.append(Q(**{_join(rules.owner_path, "id"): user.pk}))
    for assignment in assignments(user):
        if allowed is not None and assignment.role not in allowed:
            continue
        if action in rules.grants.get(assignment.role, ()):
            q = _assignment_q(rules, assignment, action)
            if q is not None:
                parts.append(q)
    if not parts:
        return None
    return reduce(operator.or_, parts)


def scope(user, model: type[models.Model], action: str = VIEW, *,
          roles: Iterable[str] | None = None) -> models.QuerySet:
    """Every read of a protected model starts here."""
    q = scope_q(user, model, action, roles=roles)
    manager = model._default_manager
    return manager.none() if q is None else manager.filter(q)


def _resolve(obj: Any, path: str) -> Any:
    for part in filter(None, path.split("__")):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _covers(rules: ModelRules, assignment, obj: models.Model, action: str) -> bool:
    if any(_resolve(obj, lookup) == value for lookup, value in rules.hidden_from.get(assignment.role, ())):
        return False
    return _covers_scope(rules, assignment, obj, action)


def _covers_scope(rules: ModelRules, assignment, obj: models.Model, action: str) -> bool:
    if rules.shared:
        return True
    if assignment.role in GROUP_ROLES and rules.group_path is not None:
        if assignment.group_id is None:
            return False
        group = _resolve(obj, rules.group_path)
        if group is None or group.pk != assignment.group_id:
            return False
        if action not in (VIEW, EXPORT) and rules.frozen_when is not None:
            path, value = rules.frozen_when
            return _resolve(obj, path) != value
        return True
    kind = SCOPE_OF_ROLE[assignment.role]
    if kind in (ScopeKind.COMMITTEE, ScopeKind.SUBTREE) and rules.committee_path is not None:
        committee = _resolve(obj, rules.committee_path)
        if committee is None:
            return False
        if kind == ScopeKind.COMMITTEE:
            return committee.pk == assignment.committee_id
        return committee.path.startswith(assignment.committee.path)
    if kind == ScopeKind.ORGANIZATION and rules.organization_path is not None:
        organization = _resolve(obj, rules.organization_path)
        return organization is not None and organization.pk == assignment.organization_id
    if kind == ScopeKind.ORGANIZATION and rules.reference and rules.committee_path is not None:
        committee = _resolve(obj, rules.committee_path)
        return committee is not None and committee.pk == assignment.organization.committee_id
    return False


def can(user, action: str, obj: models.Model, *, roles: Iterable[str] | None = None) -> bool:
    """Whether `user` may take `action` on `obj` (saved or about to be created). With `roles`,
    only a grant held through one of those roles counts — where two roles share an action but
    not its meaning (the liaison changes a plan by writing it, the office by reviewing it)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    rules = rules_for(type(obj))
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    allowed = None if roles is None else {str(r) for r in roles}
    if user.system_role:
        return action in rules.grants.get(user.system_role, ()) and (allowed is None or user.system_role in allowed)
    if allowed is None and rules.owner_path is not None and action in rules.owner_actions:
        owner = _resolve(obj, rules.owner_path)
        if owner is not None and owner.pk == user.pk:
            return True
    return any(
        action in rules.grants.get(a.role, ()) and _covers(rules, a, obj, action)
        for a in assignments(user) if allowed is None or a.role in allowed
    )


def can_any(user, action: str, model: type[models.Model], *, roles: Iterable[str] | None = None) -> bool:
    """Whether `user` may take `action` on some object of `model` (menus, buttons)."""
    return scope_q(user, model, action, roles=roles) is not None


class PermissionDenied(Exception):
    """Raised by services; views turn it into 403 (or 404 where existence must not leak)."""


class ConsoleActor:
    """The operator at the server's console (the `xuncha` command). Console commands run
    with the installation's own authority, as a shell on the server already has it."""

    is_authenticated = False
    is_active = True
    pk = None
    system_role = ""

    def get_username(self) -> str:
        import getpass

        try:
            return f"console:{getpass.getuser()}"
        except Exception:  # pragma: no cover - no login name in some containers
            return "console"

    def __str__(self) -> str:
        return self.get_username()


CONSOLE = ConsoleActor()


def require(user, action: str, obj: models.Model, *, roles: Iterable[str] | None = None) -> None:
    if user is CONSOLE:
        return
    if not can(user, action, obj, roles=roles):
        raise PermissionDenied(f"{action} {type(obj).__name__}")
