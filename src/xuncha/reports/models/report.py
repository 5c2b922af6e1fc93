"""The inspection report (巡察报告) and the confidential leads report (专题报告) of one target:
versions of their sections, and the approval chain each goes through."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocKind(models.TextChoices):
    REPORT = "report", _("Inspection report")
    LEADS = "leads", _("Leads report")


class ApprovalChain(models.Model):
    """A committee's approval steps for one kind of report:
    steps = [{"name": "组务会", "roles": ["group_leader"]}, ...] in order."""

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="approval_chains")
    kind = models.CharField(_("kind"), max_length=10, choices=DocKind.choices)
    steps = models.JSONField(_("steps"), default=list)

    class Meta:
        verbose_name = _("approval chain")
        verbose_name_plural = _("approval chains")
        constraints = [models.UniqueConstraint(fields=["committee", "kind"], name="approval_chain_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.committee} {self.get_kind_display()}"


class Report(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In approval")
        RETURNED = "returned", pgettext_lazy("report", "Returned")
        APPROVED = "approved", _("Approved")

    assignment = models.ForeignKey("rounds.Assignment", verbose_name=_("inspection target"),
                                   on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=DocKind.choices, default=DocKind.REPORT)
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # The approval steps copied from the chain when the report is first submitted, and how far it has come.
    steps = models.JSONField(default=list, editable=False)
    step = models.PositiveSmallIntegerField(default=0, editable=False)
    approved_version = models.ForeignKey("reports.ReportVersion", null=True, blank=True, editable=False,
                                         on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["assignment_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["assignment", "kind"], name="report_one_per_kind")]

    def __str__(self) -> str:
        return self.title


class ReportVersion(models.Model):
    """A saved state of the sections: [{"key": "overview", "title": "基本情况和总体评价", "body": "…"}, …].
    Versions are never changed; an edit saves a new one."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    sections = models.JSONField(default=list)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class ReportStep(models.Model):
    """One step of the approval chain taken on a version: submit, approve or return."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="history")
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="+")
    step = models.PositiveSmallIntegerField()
    step_name = models.CharField(max_length=40)
    action = models.CharField(max_length=10)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, blank=True)
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["report_id", "at", "id"]
        indexes = [models.Index(fields=["report", "at"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.step_name} {self.action}"
