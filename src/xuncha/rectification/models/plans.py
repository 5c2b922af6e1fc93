"""The rectification plan (整改方案) an inspected organization writes after feedback, its tasks
(整改任务), their progress with evidence, and closure (销号).

A plan belongs to one issued feedback. Its liaison writes one or more tasks for every problem
fed back and submits the plan; the office approves it or returns it with comments (per task,
e.g. "措施空泛"). Once approved the tasks are worked: progress with evidence, a closure request
(申请销号) that the office closes (销号) or returns, and reopening with a reason. Every
transition of a plan or a task is a step row: who, when, from which state to which, comment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Being written")
        SUBMITTED = "submitted", _("Awaiting review")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    feedback = models.OneToOneField("reports.Feedback", verbose_name=_("feedback"), on_delete=models.PROTECT,
                                    related_name="plan")
    # Copied from the feedback's target when the plan is made: the access paths and the
    # dashboards filter on them.
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="rectification_plans", editable=False)
    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="rectification_plans", editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    summary = models.TextField(_("overall arrangements"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    comment = models.TextField(_("review comments"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")
        ordering = ["round_id", "organization_id"]
        indexes = [models.Index(fields=["round", "state"]), models.Index(fields=["organization", "state"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.round}"


class PlanStep(models.Model):
    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        APPROVE = "approve", _("Approved")
        RETURN = "return", _("Returned")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_state = models.CharField(max_length=10, choices=Plan.State.choices)
    to_state = models.CharField(max_length=10, choices=Plan.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["plan_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.action}"


class Task(models.Model):
    """One rectification task (整改任务) for one problem: 问题清单 → 任务清单 → 责任清单."""

    class Type(models.TextChoices):
        IMMEDIATE = "immediate", _("Rectify at once")
        CONCENTRATED = "concentrated", _("Concentrated rectification")
        LONG_TERM = "long_term", _("Sustained over the long term")

    class State(models.TextChoices):
        OPEN = "open", _("Being rectified")
        REQUESTED = "requested", _("Closure requested")
        CLOSED = "closed", _("Closed")

    plan = models.ForeignKey(Plan, verbose_name=_("rectification plan"), on_delete=models.CASCADE,
                             related_name="tasks")
    problem = models.ForeignKey("findings.Problem", verbose_name=_("problem"), on_delete=models.PROTECT,
                                related_name="rectification_tasks")
    seq = models.PositiveIntegerField(_("number"))
    measures = models.TextField(_("measures"))
    responsible_leader = models.CharField(_("responsible leader"), max_length=100)
    lead_department = models.CharField(_("lead department"), max_length=100)
    person_in_charge = models.CharField(_("person in charge"), max_length=100)
    # The account that reports progress and gets the reminders (the liaison when empty).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="rectification_tasks")
    due = models.DateField(_("deadline"))
    type = models.CharField(_("type"), max_length=12, choices=Type.choices, default=Type.CONCENTRATED)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    # The office's comment on this task when it returns the plan (e.g. the measures are vague).
    review_comment = models.TextField(_("review comment"), blank=True)
    # The vagueness of the measures (xuncha.text.vagueness), stored when the measures are saved.
    vagueness = models.FloatField(_("vagueness"), default=0.0, editable=False)
    vague = models.BooleanField(_("vague measures"), default=False, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["plan_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="task_unique_seq"),
            models.CheckConstraint(condition=Q(state="closed", closed_at__isnull=False) | ~Q(state="closed"),
                                   name="task_closed_has_date"),
        ]
        indexes = [models.Index(fields=["state", "due"]), models.Index(fields=["problem"])]

    def __str__(self) -> str:
        return f"{self.plan_id}-{self.seq}"


class TaskStep(models.Model):
    class Action(models.TextChoices):
        REQUEST = "request", _("Closure requested")
        CLOSE = "close", _("Closed")
        RETURN = "return", _("Closure returned")
        REOPEN = "reopen", _("Reopened")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_state = models.CharField(max_length=10, choices=Task.State.choices)
    to_state = models.CharField(max_length=10, choices=Task.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("task step")
        verbose_name_plural = _("task steps")
        ordering = ["task_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"


class Progress(models.Model):
    """A progress update on a task (整改进展)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress")
    reported_on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["task_id", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.reported_on}"


class ProgressEvidence(models.Model):
    """A file proving progress (整改佐证材料), checked by content like a paper's evidence and
    served only through the access policy."""

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="rectification/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence of rectification")
        verbose_name_plural = _("evidence of rectification")
        ordering = ["progress_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
