"""Accounts, role assignments, API tokens and the hash-chained audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.access.roles import BUSINESS_ROLES, GROUP_ROLES, ORGANIZATION_ROLES, Role, SystemRole


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    system_role = models.CharField(
        _("system role"), max_length=16, choices=SystemRole.choices, blank=True, default="",
    )
    must_change_password = models.BooleanField(_("must change password"), default=True)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def is_locked(self, now=None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)


class RoleAssignment(models.Model):
    """A business role held by an account within a scope (a committee or an organization)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    committee = models.ForeignKey(
        "registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "registry.Organization", verbose_name=_("organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    group = models.ForeignKey(
        "rounds.Group", verbose_name=_("inspection group"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=sorted(r.value for r in BUSINESS_ROLES)),
                name="assignment_business_roles_only",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(r.value for r in ORGANIZATION_ROLES), organization__isnull=False)
                    | (~Q(role__in=sorted(r.value for r in ORGANIZATION_ROLES)) & Q(organization__isnull=True))
                ),
                name="assignment_organization_iff_unit_role",
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization or self.committee}"

    def save(self, *args, **kwargs) -> None:
        self.clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # 三员 separation: an account holding a system role can hold no business role.
        if self.user_id and self.user.system_role:
            raise ValidationError(
                _("%(user)s is a %(role)s and cannot also hold a business role."),
                params={"user": self.user, "role": self.user.get_system_role_display()},
            )
        if self.role not in BUSINESS_ROLES:
            raise ValidationError(_("System roles are set on the account, not granted in a scope."))
        if self.role in ORGANIZATION_ROLES:
            if not self.organization_id:
                raise ValidationError(_("This role needs an organization."))
            if self.committee_id != self.organization.committee_id:
                raise ValidationError(_("The organization does not belong to this committee."))
        elif self.organization_id:
            raise ValidationError(_("This role is held for a committee, not an organization."))
        if not self.committee_id:
            raise ValidationError(_("This role needs a committee."))
        if self.group_id is not None:
            if self.role not in GROUP_ROLES:
                raise ValidationError(_("Only group roles are held for an inspection group."))
            if self.group.round.committee_id != self.committee_id:
                raise ValidationError(_("The inspection group belongs to another committee."))

    @property
    def scope_label(self) -> str:
        if self.group_id is not None:
            return self.group.full_name
        return str(self.organization or self.committee)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEvent(models.Model):
    """One append-only entry of the audit log; each holds the hash of the one before it.

    Database triggers refuse UPDATE and DELETE (see migration 0002)."""

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["actor", "seq"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.summary}"


class AuditHead(models.Model):
    """The chain's last link. Writers lock this row, so concurrent events form one line."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
