"""Working papers (问题底稿): one matter per paper, its evidence, sign-off history and amendments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xuncha.text.numerals import to_chinese


class Kind(models.TextChoices):
    """Shared by papers and problems. Leads (问题线索) are confidential."""

    GENERAL = "general", _("General problem")
    LEAD = "lead", _("Problem lead")
    CADRE = "cadre", _("Cadre-selection problem")


class WorkingPaper(models.Model):
    class Source(models.TextChoices):
        COMPLAINT = "complaint", _("Letters and visits")
        INTERVIEW = "interview", _("Interview")
        DOCUMENTS = "documents", _("Documents examined")
        VISIT = "visit", _("On-site visit")
        SURVEY = "survey", _("Questionnaire")
        APPRAISAL = "appraisal", _("Democratic appraisal")
        SPECIAL_CHECK = "special_check", _("Special check")
        GRASSROOTS = "grassroots", _("Sinking to the grassroots")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed by deputy leader")
        SIGNED = "signed", _("Signed by group leader")
        REGISTERED = "registered", _("Registered by the office")
        RETURNED = "returned", pgettext_lazy("working paper", "Returned")

    group = models.ForeignKey("rounds.Group", verbose_name=_("inspection group"), on_delete=models.PROTECT,
                              related_name="papers")
    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="papers", editable=False)
    assignment = models.ForeignKey("rounds.Assignment", verbose_name=_("inspection target"),
                                   on_delete=models.PROTECT, related_name="papers")
    seq = models.PositiveIntegerField(_("sequence"), editable=False)
    number = models.CharField(_("number"), max_length=60, editable=False, db_index=True)
    title = models.CharField(_("summary of the problem"), max_length=200)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.DOCUMENTS)
    facts = models.TextField(_("facts established"), blank=True)
    informants = models.CharField(_("learned from"), max_length=200, blank=True)
    learned_on = models.DateField(_("learned on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    classification = models.ForeignKey("checklist.Item", verbose_name=_("classification"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="papers")
    basis = models.TextField(_("basis (rules breached)"), blank=True)
    amount = models.DecimalField(_("amount involved (yuan)"), max_digits=16, decimal_places=2,
                                 null=True, blank=True)
    persons_involved = models.CharField(_("persons involved"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GENERAL)
    authors = models.ManyToManyField("rounds.GroupMember", verbose_name=_("authors"), blank=True,
                                     related_name="papers")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    # Set when the group leader signs: from then on the text changes only by amendment.
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("working paper")
        verbose_name_plural = _("working papers")
        ordering = ["group_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["group", "seq"], name="paper_unique_seq"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="paper_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["group", "state"]),
            models.Index(fields=["round", "state"]),
            models.Index(fields=["assignment"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.round_id = self.group.round_id
        if not self.number and self.seq:
            self.number = self.number_for(self.group, self.seq)
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @staticmethod
    def number_for(group, seq: int) -> str:
        """十四届第八轮第一组-003"""
        return f"{group.round.label}第{to_chinese(group.number)}组-{seq:03d}"


class PaperStep(models.Model):
    """One step of the sign-off chain: who took which action, from which state to which."""

    paper = models.ForeignKey(WorkingPaper, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=16)
    from_state = models.CharField(max_length=12, choices=WorkingPaper.State.choices)
    to_state = models.CharField(max_length=12, choices=WorkingPaper.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, blank=True)
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("sign-off step")
        verbose_name_plural = _("sign-off steps")
        ordering = ["paper_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.paper_id}: {self.from_state} → {self.to_state}"


class PaperAmendment(models.Model):
    """A recorded change to a frozen paper: what changed, from what to what, and why."""

    paper = models.ForeignKey(WorkingPaper, on_delete=models.CASCADE, related_name="amendments")
    # {"field name": [old text, new text], ...}
    changes = models.JSONField(default=dict)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["paper_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.paper_id} @ {self.at}"


class Evidence(models.Model):
    """A file attached to a paper. Stored under the data directory (never the web root) and
    served only through the access policy."""

    paper = models.ForeignKey(WorkingPaper, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["paper_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
