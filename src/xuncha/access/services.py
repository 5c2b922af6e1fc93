"""Writes for accounts, roles and tokens: permission-checked, transactional, audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit, policy
from xuncha.access.models import ApiToken, AuditEvent, RoleAssignment, User
from xuncha.access.policy import CHANGE, CREATE, DELETE, require
from xuncha.access.roles import ORGANIZATION_ROLES, SystemRole

_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(length: int = 14) -> str:
    """A random initial password that satisfies the policy (never all digits)."""
    while True:
        candidate = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isalpha() for c in candidate) and any(c.isdigit() for c in candidate):
            return candidate


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    full_name: str = "",
    password: str | None = None,
    system_role: str = "",
    must_change_password: bool = True,
) -> tuple[User, str]:
    """Create an account; returns it with its initial password. Only the console may
    create a 三员 account, so no web account can make another administrator."""
    if system_role and actor is not policy.CONSOLE:
        raise policy.PermissionDenied("only the console creates system-role accounts")
    if system_role not in SystemRole.values:
        raise ValidationError(_("Unknown system role: %(role)s") % {"role": system_role})
    user = User(username=username.strip(), full_name=full_name.strip(), system_role=system_role,
                must_change_password=must_change_password)
    require(actor, CREATE, user)
    if User.objects.filter(username__iexact=user.username).exists():
        raise ValidationError({"username": _("An account with this username already exists.")})
    user.full_clean(exclude=["password"])
    password = password or generate_password()
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    audit.record(actor=actor, action="account.create", obj=user,
                 summary=_("Account %(username)s created") % {"username": user.username},
                 detail={"system_role": system_role})
    return user, password


def _require_manageable(actor, user: User) -> None:
    """Accounts of the 三员 and the acting account itself are managed at the console only:
    otherwise a system administrator could reset the auditor's password and read the log."""
    require(actor, CHANGE, user)
    if actor is not policy.CONSOLE and (user.system_role or user.pk == getattr(actor, "pk", None)):
        raise policy.PermissionDenied("system-role accounts are managed at the console")


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    _require_manageable(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record(actor=actor, action="account.activate" if active else "account.deactivate",
                     obj=user, summary=user.username)
    return user


@transaction.atomic
def user_unlock(*, actor, user: User) -> User:
    _require_manageable(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.locked_until = None
    user.failed_logins = 0
    user.save(update_fields=["locked_until", "failed_logins"])
    audit.record(actor=actor, action="account.unlock", obj=user, summary=user.username)
    return user


@transaction.atomic
def user_reset_password(*, actor, user: User) -> str:
    """Set a new random password that must be changed at the next login; returns it."""
    _require_manageable(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.locked_until = None
    user.failed_logins = 0
    user.save(update_fields=["password", "must_change_password", "locked_until", "failed_logins"])
    audit.record(actor=actor, action="account.reset_password", obj=user, summary=user.username)
    return password


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    """The account holder changes their own password."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("The current password is not correct.")})
    if old_password == new_password:
        raise ValidationError({"new_password": _("The new password must differ from the current one.")})
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    actor.password = user.password
    actor.must_change_password = False
    audit.record(actor=actor, action="account.password_change", obj=user, summary=user.username)


# -- login bookkeeping (called by the authentication backend) ------------------------------

def login_failed(*, username: str, user: User | None) -> None:
    """Count a failed login; lock the account for a while after too many in a row."""
    with transaction.atomic():
        locked = False
        if user is not None:
            user = User.objects.select_for_update().get(pk=user.pk)
            user.failed_logins += 1
            if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
                user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
                user.failed_logins = 0
                locked = True
            user.save(update_fields=["failed_logins", "locked_until"])
        audit.record(actor=None, actor_name=username[:150], action="login.failed",
                     obj=user, summary=username[:100])
        if locked:
            audit.record(actor=None, actor_name=username[:150], action="account.locked", obj=user,
                         summary=_("Locked for %(minutes)d minutes after repeated failures")
                         % {"minutes": settings.LOGIN_LOCKOUT_MINUTES})


def login_refused_locked(*, user: User) -> None:
    audit.record(actor=None, actor_name=user.username, action="login.locked", obj=user,
                 summary=user.username)


def login_succeeded(*, user: User) -> None:
    with transaction.atomic():
        if user.failed_logins:
            User.objects.filter(pk=user.pk).update(failed_logins=0)
        audit.record(actor=user, action="login", obj=user, summary=user.username)


# -- roles -----------------------------------------------------------------------------------

def _save_grant(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    assignment.clean()
    duplicate = RoleAssignment.objects.current().filter(
        user=assignment.user, role=assignment.role, committee=assignment.committee,
        organization=assignment.organization, group=assignment.group,
    )
    if duplicate.exists():
        raise ValidationError(_("This account already holds this role in this scope."))
    assignment.save()
    policy.forget(assignment.user)
    audit.record(actor=actor, action="role.grant", obj=assignment,
                 summary=f"{assignment.user.username} {assignment.role} {assignment.scope_label}",
                 detail={"user": assignment.user.username, "role": assignment.role,
                         "committee": assignment.committee_id,
                         "organization": assignment.organization_id, "group": assignment.group_id})
    return assignment


@transaction.atomic
def role_grant(*, actor, user: User, role: str, committee, organization=None) -> RoleAssignment:
    """Grant a business role in a scope. The model refuses 三员 accounts and wrong scopes."""
    if role in ORGANIZATION_ROLES and organization is not None:
        committee = organization.committee
    assignment = RoleAssignment(user=user, role=role, committee=committee, organization=organization,
                                granted_by=actor if getattr(actor, "pk", None) else None)
    require(actor, CREATE, assignment)
    return _save_grant(actor=actor, assignment=assignment)


@transaction.atomic
def group_role_grant(*, actor, user: User, role: str, group) -> RoleAssignment:
    """The access that membership of an inspection group carries. Called only by the rounds
    services, after they checked that `actor` may staff the group."""
    assignment = RoleAssignment(user=user, role=role, committee_id=group.round.committee_id,
                                group=group, granted_by=actor if getattr(actor, "pk", None) else None)
    return _save_grant(actor=actor, assignment=assignment)


@transaction.atomic
def group_role_end(*, actor, assignment: RoleAssignment) -> None:
    """End the access of a membership that ended (called by the rounds services)."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.revoked_at is None:
        assignment.revoked_at = timezone.now()
        assignment.save(update_fields=["revoked_at"])
        policy.forget(assignment.user)
        audit.record(actor=actor, action="role.revoke", obj=assignment,
                     summary=f"{assignment.user.username} {assignment.role} {assignment.scope_label}")


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    require(actor, DELETE, assignment)
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.revoked_at is None:
        assignment.revoked_at = timezone.now()
        assignment.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="role.revoke", obj=assignment,
                     summary=f"{assignment.user.username} {assignment.role} {assignment.scope_label}")
    return assignment


# -- API tokens ------------------------------------------------------------------------------

def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def token_create(*, actor, user: User, name: str = "api") -> tuple[ApiToken, str]:
    """Create a bearer token for `user`; the key is returned once and never stored."""
    if user.system_role:
        raise ValidationError(_("System-role accounts do not use the API."))
    key = "xc_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:60] or "api", prefix=key[3:11], key_hash=hash_token(key))
    require(actor, CREATE, token)
    token.save()
    audit.record(actor=actor, action="token.create", obj=token,
                 summary=f"{user.username} {token.name} {token.prefix}")
    return token, key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> None:
    require(actor, DELETE, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="token.revoke", obj=token, summary=token.prefix)


def token_authenticate(key: str) -> User | None:
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=hash_token(key), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active or token.user.system_role:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# -- audit log -------------------------------------------------------------------------------

@transaction.atomic
def audit_verify(*, actor) -> audit.VerifyResult:
    """Check the whole hash chain and record that it was checked, with the outcome."""
    require(actor, policy.VIEW, AuditEvent())
    result = audit.verify()
    audit.record(actor=actor, action="audit.verify", object_type=AuditEvent._meta.label,
                 summary=(_("Chain intact, %(count)d events") % {"count": result.checked} if result.ok
                          else _("Chain broken at event %(seq)s") % {"seq": result.broken_seq}),
                 detail={"ok": result.ok, "checked": result.checked,
                         "broken_seq": result.broken_seq, "reason": result.reason})
    return result
