"""Problems (问题): confirmed findings built from one or more signed working papers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xuncha.findings.models.papers import Kind


class Problem(models.Model):
    class Severity(models.TextChoices):
        MINOR = "minor", _("Ordinary")
        SERIOUS = "serious", _("Serious")
        GRAVE = "grave", _("Grave")

    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="problems", editable=False)
    group = models.ForeignKey("rounds.Group", verbose_name=_("inspection group"), on_delete=models.PROTECT,
                              related_name="problems", editable=False)
    assignment = models.ForeignKey("rounds.Assignment", verbose_name=_("inspection target"),
                                   on_delete=models.PROTECT, related_name="problems")
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="problems", editable=False)
    seq = models.PositiveIntegerField(_("sequence"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    classification = models.ForeignKey("checklist.Item", verbose_name=_("classification"),
                                       on_delete=models.PROTECT, related_name="problems")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MINOR)
    amount = models.DecimalField(_("amount involved (yuan)"), max_digits=16, decimal_places=2,
                                 null=True, blank=True)
    papers = models.ManyToManyField("findings.WorkingPaper", verbose_name=_("working papers"),
                                    related_name="problems", blank=True)
    split_from = models.ForeignKey("self", verbose_name=_("split from"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="split_into")
    search_text = models.TextField(editable=False, default="")
    # Set when the feedback holding it is issued: from then on the organization's liaison sees it
    # (never a lead: feedback refuses leads).
    fed_back = models.BooleanField(_("fed back"), default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["round_id", "group_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["group", "seq"], name="problem_unique_seq"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0),
                                   name="problem_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["round", "kind"]),
            models.Index(fields=["organization", "round"]),
            models.Index(fields=["classification"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.group_id = self.assignment.group_id
        self.round_id = self.assignment.round_id
        self.organization_id = self.assignment.organization_id
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"{self.group.round.label}{self.group.name}问题{self.seq:03d}"
