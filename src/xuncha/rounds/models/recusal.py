"""Recusal (回避): declared conflicts, members' declarations and audited overrides."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConflictDeclaration(models.Model):
    """A conflict a person declared with an organization (e.g. a former business relation)."""

    person = models.ForeignKey("registry.Person", verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="declared_conflicts")
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization"),
                                     on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    declared_on = models.DateField(_("declared on"))

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        ordering = ["-declared_on"]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization}"


class MemberDeclaration(models.Model):
    """A member's per-round declaration: recusal statement (回避申请) or confidentiality pledge (保密承诺)."""

    class Kind(models.TextChoices):
        RECUSAL = "recusal", _("Recusal statement")
        CONFIDENTIALITY = "confidentiality", _("Confidentiality pledge")

    member = models.ForeignKey("rounds.GroupMember", on_delete=models.CASCADE, related_name="declarations")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    signed_on = models.DateField(_("signed on"))
    content = models.TextField(_("content"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("member declaration")
        verbose_name_plural = _("member declarations")
        ordering = ["member_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="one_declaration_per_kind")]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()}"


class RecusalOverride(models.Model):
    """An office administrator let a conflicting member or target stand, with a written reason."""

    group = models.ForeignKey("rounds.Group", on_delete=models.CASCADE, related_name="recusal_overrides")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("registry.Organization", on_delete=models.PROTECT, related_name="+")
    conflicts = models.JSONField(default=list)  # the sentences shown when it was overridden
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recusal override")
        verbose_name_plural = _("recusal overrides")
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization}"
