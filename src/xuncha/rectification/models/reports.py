"""The organization's 集中整改进展情况报告 (due with the feedback's progress-report deadline), the
office's review opinion on it, and the public disclosure of the rectification (公开), due a
number of months after the review opinion by the policy in force on the opinion's date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Being written")
        SUBMITTED = "submitted", _("Awaiting review")
        RETURNED = "returned", _("Returned")
        REVIEWED = "reviewed", _("Reviewed")

    feedback = models.OneToOneField("reports.Feedback", verbose_name=_("feedback"), on_delete=models.PROTECT,
                                    related_name="progress_report")
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="progress_reports", editable=False)
    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="progress_reports", editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Copied from the feedback (which records the policy that produced it).
    due = models.DateField(_("due"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(upload_to="rectification/reports/%Y/", max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    opinion = models.TextField(_("review opinion"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    # Set with the review opinion from the policy in force on its date.
    policy = models.ForeignKey("rectification.DeadlinePolicy", verbose_name=_("deadline policy"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="progress_reports",
                               editable=False)
    disclosure_due = models.DateField(_("disclosure due"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rectification progress report")
        verbose_name_plural = _("rectification progress reports")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["state", "due"]), models.Index(fields=["round", "state"])]

    def __str__(self) -> str:
        return self.title


class Disclosure(models.Model):
    """What was published, where and when (整改情况公开)."""

    class Channel(models.TextChoices):
        NOTICE_BOARD = "notice_board", _("Public notice board")
        WEBSITE = "website", _("Government website")
        WECHAT = "wechat", _("WeChat official account")
        NEWSPAPER = "newspaper", _("Newspaper or broadcast")
        MEETING = "meeting", _("Meeting of party members and residents")
        OTHER = "other", _("Other")

    report = models.ForeignKey(ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE,
                               related_name="disclosures")
    published_on = models.DateField(_("published on"))
    channel = models.CharField(_("channel"), max_length=15, choices=Channel.choices)
    place = models.CharField(_("where"), max_length=200, help_text=_("The web address, notice board or meeting."))
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content published"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["report_id", "published_on", "id"]

    def __str__(self) -> str:
        return self.title
