"""Reads for the 三员 pages and the API-token page, always through `policy.scope`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xuncha.access import policy
from xuncha.access.models import ApiToken, AuditEvent, RoleAssignment, User
from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW
from xuncha.registry.models import Committee, Organization

# -- who may open which page -------------------------------------------------------------------


def may_manage_accounts(user) -> bool:
    return policy.can_any(user, CHANGE, User)


def may_grant_roles(user) -> bool:
    return policy.can_any(user, CREATE, RoleAssignment)


def may_read_audit(user) -> bool:
    return policy.can_any(user, VIEW, AuditEvent)


def may_export_audit(user) -> bool:
    return policy.can_any(user, EXPORT, AuditEvent)


def may_hold_tokens(user) -> bool:
    """三员 accounts do not use the API; every other account holds its own tokens."""
    return (getattr(user, "is_authenticated", False) and not user.system_role
            and policy.can_any(user, CREATE, ApiToken))


# -- accounts (sysadmin) ---------------------------------------------------------------------

ACCOUNT_STATUSES = ("active", "inactive", "locked")


def _current_assignments(user) -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=policy.scope(user, RoleAssignment).current()
        .select_related("committee", "organization", "group__round__term").order_by("granted_at", "pk"),
        to_attr="current_assignments",
    )


def account_list(user, *, search: str = "", status: str = "") -> QuerySet[User]:
    """Accounts the user may see, with the roles each currently holds."""
    accounts = policy.scope(user, User, VIEW).prefetch_related(_current_assignments(user))
    if search:
        accounts = accounts.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    if status == "active":
        accounts = accounts.filter(is_active=True)
    elif status == "inactive":
        accounts = accounts.filter(is_active=False)
    elif status == "locked":
        accounts = accounts.filter(locked_until__gt=timezone.now())
    return accounts.order_by("username", "pk")


def _manageable_accounts(user) -> QuerySet[User]:
    # The 三员 accounts are kept at the console: a web administrator changing another
    # administrator's password or state would undo the separation of the three roles.
    return policy.scope(user, User, CHANGE).filter(system_role="").exclude(pk=user.pk)


def get_account_for_change(user, pk: int) -> User:
    """An account the user may change; missing and forbidden are both 404."""
    account = _manageable_accounts(user).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def locked_account_count(user) -> int:
    return _manageable_accounts(user).filter(locked_until__gt=timezone.now()).count()


# -- role assignments (secadmin) ---------------------------------------------------------------


def assignment_list(user, *, role: str = "", committee: Committee | None = None,
                    username: str = "") -> QuerySet[RoleAssignment]:
    assignments = (policy.scope(user, RoleAssignment, VIEW).current()
                   .select_related("user", "committee", "organization", "group__round__term", "granted_by"))
    if role:
        assignments = assignments.filter(role=role)
    if committee is not None:
        assignments = assignments.filter(committee=committee)
    if username:
        assignments = assignments.filter(
            Q(user__username__icontains=username) | Q(user__full_name__icontains=username))
    return assignments.order_by("user__username", "granted_at", "pk")


def get_assignment_for_revoke(user, pk: int) -> RoleAssignment:
    assignment = (policy.scope(user, RoleAssignment, DELETE).current()
                  .select_related("user", "committee", "organization", "group__round__term").filter(pk=pk).first())
    if assignment is None:
        raise Http404
    return assignment


def grantable_accounts(user) -> QuerySet[User]:
    """Accounts a role may be offered to. 三员 accounts stay in, so that the refusal the
    model gives is shown rather than the account silently missing."""
    return policy.scope(user, User, VIEW).filter(is_active=True)


def committees_for_grant(user) -> QuerySet[Committee]:
    return policy.scope(user, Committee, VIEW).filter(active=True).order_by("path")


def organizations_for_grant(user, committee: Committee | None = None) -> QuerySet[Organization]:
    organizations = policy.scope(user, Organization, VIEW).filter(active=True).select_related("committee")
    if committee is not None:
        organizations = organizations.filter(committee=committee)
    return organizations.order_by("committee__path", "pinyin", "pk")


def accounts_waiting_for_role(user) -> QuerySet[User]:
    """Active business accounts holding no current role."""
    if not may_grant_roles(user):
        return User.objects.none()
    current = RoleAssignment.objects.current().filter(user=OuterRef("pk"))
    return (policy.scope(user, User, VIEW)
            .filter(is_active=True, system_role="")
            .exclude(Exists(current))
            .order_by("username", "pk"))


# -- audit log (auditor) -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_detail(self) -> dict[str, str]:
        """The filter as it is recorded with an export."""
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None)}


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(user, filters: AuditFilter | None = None, *, action: str = VIEW) -> QuerySet[AuditEvent]:
    """The audit log, newest first, narrowed by the filter."""
    f = filters or AuditFilter()
    events = policy.scope(user, AuditEvent, action)
    if f.actor:
        events = events.filter(actor_name__icontains=f.actor)
    if f.action:
        # "account." finds every account event; a full name finds exactly that action.
        events = events.filter(action__startswith=f.action)
    if f.object_type:
        events = events.filter(object_type__icontains=f.object_type)
    if f.object_id:
        events = events.filter(object_id=f.object_id)
    if f.date_from:
        events = events.filter(at__gte=_start_of(f.date_from))
    if f.date_to:
        events = events.filter(at__lt=_start_of(f.date_to + timedelta(days=1)))
    return events.order_by("-seq")


def failed_logins_since(user, since: datetime) -> int:
    return policy.scope(user, AuditEvent, VIEW).filter(action="login.failed", at__gte=since).count()


# -- API tokens (every business account) -------------------------------------------------------


def own_tokens(user) -> QuerySet[ApiToken]:
    return policy.scope(user, ApiToken, VIEW).filter(user=user).order_by("-created_at", "-pk")


def get_own_token_for_revoke(user, pk: int) -> ApiToken:
    token = policy.scope(user, ApiToken, DELETE).filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    return token
