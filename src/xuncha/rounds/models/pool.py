"""The inspector pool (巡察人才库): approved inspectors, their skills, evaluations and draws."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Skill(models.TextChoices):
    FINANCE = "finance", _("Finance")
    AUDIT = "audit", _("Audit")
    DISCIPLINE = "discipline", _("Discipline inspection")
    ORGANIZATION = "organization", _("Organization work")
    LAW = "law", _("Law")
    ENGINEERING = "engineering", _("Engineering")
    AGRICULTURE = "agriculture", _("Agriculture")
    WRITING = "writing", _("Writing")


class InspectorProfile(models.Model):
    """A person approved as an inspector, with skills (a list of Skill values) and availability."""

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"),
                                  on_delete=models.PROTECT, related_name="inspectors")
    person = models.OneToOneField("registry.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                                  related_name="inspector_profile")
    skills = models.JSONField(_("skills"), default=list, blank=True)
    available = models.BooleanField(_("available"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    approved_on = models.DateField(_("approved on"))

    class Meta:
        verbose_name = _("inspector")
        verbose_name_plural = _("inspector pool")
        ordering = ["person__stroke_key"]

    def __str__(self) -> str:
        return str(self.person)


class InspectorEvaluation(models.Model):
    """The evaluation (鉴定) of an inspector after a round, kept on record."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        COMPETENT = "competent", _("Competent")
        BASIC = "basic", _("Basically competent")
        INCOMPETENT = "incompetent", _("Not competent")

    profile = models.ForeignKey(InspectorProfile, on_delete=models.CASCADE, related_name="evaluations")
    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    comment = models.TextField(_("comment"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspector evaluation")
        verbose_name_plural = _("inspector evaluations")
        ordering = ["-evaluated_at"]
        constraints = [models.UniqueConstraint(fields=["profile", "round"], name="one_evaluation_per_round")]

    def __str__(self) -> str:
        return f"{self.profile} {self.get_grade_display()}"


class DrawRecord(models.Model):
    """A random draw (随机抽取) of a roster for a group: who drew, when, with which seed, what came out."""

    group = models.ForeignKey("rounds.Group", on_delete=models.CASCADE, related_name="draws")
    requested = models.JSONField(default=dict)  # {skill: count}
    seed = models.BigIntegerField()
    result = models.JSONField(default=list)  # person ids in draw order
    shortfall = models.JSONField(default=dict, blank=True)  # {skill: missing count}
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.group} #{self.pk}"
