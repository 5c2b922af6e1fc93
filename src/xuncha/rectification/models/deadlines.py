"""The deadline policy (工作时限规则): per committee, versioned by effective date; the deadlines
of a feedback come from the version in force on its date, and each computed deadline records the
version that produced it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeadlinePolicy(models.Model):
    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="deadline_policies")
    effective_from = models.DateField(_("effective from"))
    basis = models.CharField(_("basis"), max_length=200, blank=True,
                             help_text=_("The regulation or decision these deadlines come from."))
    rectification_months = models.PositiveSmallIntegerField(_("concentrated rectification (months after feedback)"),
                                                            default=3)
    progress_report_months = models.PositiveSmallIntegerField(_("progress report (months after feedback)"), default=3)
    transfer_feedback_months = models.PositiveSmallIntegerField(
        _("feedback on transferred problems and leads (months)"), default=3)
    disclosure_months = models.PositiveSmallIntegerField(_("public disclosure (months after the review opinion)"),
                                                         default=1)
    recommendation_response_months = models.PositiveSmallIntegerField(
        _("response to a recommendation (months after issue)"), default=3)
    warn_green_days = models.PositiveSmallIntegerField(_("green warning (days before a deadline)"), default=20)
    warn_yellow_days = models.PositiveSmallIntegerField(_("yellow warning (days before a deadline)"), default=10)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["committee_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "effective_from"], name="deadline_policy_one_per_day"),
            models.CheckConstraint(condition=Q(warn_green_days__gte=models.F("warn_yellow_days")),
                                   name="deadline_policy_green_before_yellow"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.effective_from}"
