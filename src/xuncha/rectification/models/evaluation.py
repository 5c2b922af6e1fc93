"""Rectification evaluation (整改评估).

The office keeps scoring templates (the default: 组织领导 15, 责任落实 15, 整改任务完成 60,
群众满意度 10 = 100 points, each criterion with its deduction items). A batch selects every
issued feedback whose concentrated-rectification deadline fell in a period; each selected
organization gets an evaluation holding the automatic indicators measured when the batch was
opened (or refreshed), the evaluators' scores per criterion with the deductions applied, a
total, a grade and the follow-up decided for low grades (约谈, 回头看).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EvaluationTemplate(models.Model):
    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="evaluation_templates")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scoring template")
        verbose_name_plural = _("scoring templates")
        ordering = ["committee_id", "name"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="evaluation_template_name")]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    class Indicator(models.TextChoices):
        """The automatic indicator shown next to a criterion to help the evaluator (optional)."""

        NONE = "", _("None")
        LEADERSHIP = "leadership", _("Plan approved and progress report on time")
        RESPONSIBILITY = "responsibility", _("Responsibility named for every task")
        COMPLETION = "completion", _("Tasks closed on time")
        SATISFACTION = "satisfaction", _("Rectification disclosed")

    template = models.ForeignKey(EvaluationTemplate, on_delete=models.CASCADE, related_name="criteria")
    seq = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("criterion"), max_length=100)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    guidance = models.TextField(_("scoring guidance"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=15, choices=Indicator.choices, blank=True, default="")

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["template_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["template", "seq"], name="criterion_unique_seq"),
                       models.CheckConstraint(condition=Q(points__gt=0), name="criterion_points_positive")]

    def __str__(self) -> str:
        return self.title


class Deduction(models.Model):
    """A deduction item (扣分项) of a criterion, e.g. 措施空泛、不具体的，每项扣1分."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="deductions")
    seq = models.PositiveSmallIntegerField(_("number"))
    description = models.CharField(_("deduction item"), max_length=200)
    points = models.DecimalField(_("points each time"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("deduction item")
        verbose_name_plural = _("deduction items")
        ordering = ["criterion_id", "seq"]
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="deduction_points_positive")]

    def __str__(self) -> str:
        return self.description


class EvaluationBatch(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Being evaluated")
        CLOSED = "closed", pgettext_lazy("evaluation batch", "Concluded")

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="evaluation_batches")
    title = models.CharField(_("title"), max_length=200)
    # Every issued feedback of the committee whose concentrated-rectification deadline falls in
    # [period_start, period_end] is evaluated.
    period_start = models.DateField(_("deadlines from"))
    period_end = models.DateField(_("deadlines until"))
    template = models.ForeignKey(EvaluationTemplate, verbose_name=_("scoring template"), on_delete=models.PROTECT,
                                 related_name="batches")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    conclusion = models.TextField(_("overall findings"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation batch")
        verbose_name_plural = _("evaluation batches")
        ordering = ["-period_end", "-id"]
        constraints = [models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")),
                                              name="evaluation_batch_period")]

    def __str__(self) -> str:
        return self.title


class Evaluation(models.Model):
    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "pass", _("Satisfactory")
        BASIC = "basic", _("Basically satisfactory")
        FAIL = "fail", _("Unsatisfactory")

    class FollowUp(models.TextChoices):
        NONE = "", _("None")
        INTERVIEW = "interview", _("Admonitory talk")
        REVISIT = "revisit", _("Follow-up inspection")
        BOTH = "both", _("Admonitory talk and follow-up inspection")

    batch = models.ForeignKey(EvaluationBatch, verbose_name=_("evaluation batch"), on_delete=models.CASCADE,
                              related_name="evaluations")
    feedback = models.ForeignKey("reports.Feedback", verbose_name=_("feedback"), on_delete=models.PROTECT,
                                 related_name="evaluations")
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="evaluations", editable=False)
    # Measured by the system: tasks, closed, closed on time, overdue, with evidence, vague
    # measures, progress report on time, disclosed … (see rectification.indicators).
    indicators = models.JSONField(_("indicators"), default=dict, editable=False)
    measured_at = models.DateTimeField(null=True, blank=True, editable=False)
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    comment = models.TextField(_("evaluation comments"), blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=10, choices=FollowUp.choices, blank=True, default="")
    follow_up_note = models.TextField(_("follow-up arrangements"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rectification evaluation")
        verbose_name_plural = _("rectification evaluations")
        ordering = ["batch_id", "organization_id"]
        constraints = [models.UniqueConstraint(fields=["batch", "feedback"], name="evaluation_once_per_batch")]
        indexes = [models.Index(fields=["batch", "grade"])]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.organization_id}"


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    # {deduction id: times applied}
    deductions = models.JSONField(_("deductions applied"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["evaluation_id", "criterion__seq"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_once_per_criterion"),
                       models.CheckConstraint(condition=Q(score__gte=0), name="score_not_negative")]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.criterion_id}"
