"""Feedback (反馈意见) to the inspected organization: the problems fed back (never leads), the
rectification requirements and deadlines, the feedback meeting and the copies sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Feedback(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Fed back")

    assignment = models.OneToOneField("rounds.Assignment", verbose_name=_("inspection target"),
                                      on_delete=models.PROTECT, related_name="feedback")
    report = models.ForeignKey("reports.Report", verbose_name=_("report"), on_delete=models.PROTECT,
                               related_name="feedbacks")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    problems = models.ManyToManyField("findings.Problem", verbose_name=_("problems fed back"), blank=True,
                                      related_name="feedbacks")
    requirements = models.TextField(_("rectification requirements"), blank=True)
    fed_back_on = models.DateField(_("feedback date"), null=True, blank=True)
    # Computed when issued, from the deadline policy in force on the feedback date (kept with it).
    policy = models.ForeignKey("rectification.DeadlinePolicy", verbose_name=_("deadline policy"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="feedbacks", editable=False)
    rectification_due = models.DateField(_("concentrated rectification due"), null=True, blank=True, editable=False)
    progress_report_due = models.DateField(_("progress report due"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    # The organization's liaison confirms receipt in their workspace.
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-fed_back_on", "-id"]
        indexes = [models.Index(fields=["state", "fed_back_on"])]

    def __str__(self) -> str:
        return str(self.assignment)


class FeedbackMeeting(models.Model):
    """The meeting at which the feedback was given."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="meeting")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.TextField(_("attendees"))
    receipt_acknowledged = models.BooleanField(_("receipt acknowledged"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("feedback meeting")
        verbose_name_plural = _("feedback meetings")

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.held_on}"


class FeedbackCopy(models.Model):
    """A copy of the feedback sent to an organization the committee notifies (抄送)."""

    class Role(models.TextChoices):
        LEADER_IN_CHARGE = "leader_in_charge", _("Leader in charge")
        LEAD_DEPARTMENT = "lead_department", _("Department responsible")
        DISCIPLINE = "discipline", _("Discipline inspection commission")
        ORGANIZATION = "organization", _("Organization department")
        OTHER = "other", _("Other")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="copies")
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="feedback_copies")
    role = models.CharField(_("as"), max_length=20, choices=Role.choices)
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("copy of feedback")
        verbose_name_plural = _("copies of feedback")
        ordering = ["feedback_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["feedback", "organization"], name="feedback_copy_once")]

    def __str__(self) -> str:
        return f"{self.feedback_id} → {self.organization_id}"
