"""Peer review of working papers (底稿评查): papers of one round cross-read and scored by
reviewers from other groups against a rubric (default 四个准确)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Rubric(models.Model):
    """A committee's scoring rubric: criteria [{"name": "事实准确", "max": 25}, ...]."""

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="review_rubrics")
    name = models.CharField(_("name"), max_length=100)
    criteria = models.JSONField(_("criteria"), default=list)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("review rubric")
        verbose_name_plural = _("review rubrics")
        ordering = ["committee_id", "name"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="rubric_unique_name")]

    def __str__(self) -> str:
        return self.name


class ReviewSession(models.Model):
    """A review of a sample of one round's papers; the rubric is copied in when it opens, so
    later edits to the rubric never change the scores given."""

    class Sample(models.TextChoices):
        ALL = "all", _("All papers")
        RANDOM = "random", _("Random papers per group")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("review session", "Open")
        CLOSED = "closed", pgettext_lazy("review session", "Closed")

    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="review_sessions")
    title = models.CharField(_("title"), max_length=120)
    criteria = models.JSONField(_("criteria"), default=list)
    sample = models.CharField(_("sample"), max_length=8, choices=Sample.choices, default=Sample.RANDOM)
    per_group = models.PositiveSmallIntegerField(_("papers per group"), null=True, blank=True)
    seed = models.BigIntegerField(default=0, editable=False)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("peer review session")
        verbose_name_plural = _("peer review sessions")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Defect(models.TextChoices):
    """The defects a reviewer can name; results count the most common ones."""

    FACTS_UNCLEAR = "facts_unclear", _("Facts unclear")
    EVIDENCE_WEAK = "evidence_weak", _("Evidence insufficient")
    AMOUNT_WRONG = "amount_wrong", _("Amount inaccurate")
    CHARACTER_WRONG = "character_wrong", _("Characterisation inaccurate")
    BASIS_MISSING = "basis_missing", _("Basis missing or wrong")
    WORDING = "wording", _("Wording not standard")
    CLASSIFICATION = "classification", _("Classification wrong")
    PERSONS_UNCLEAR = "persons_unclear", _("Persons involved unclear")


class Review(models.Model):
    """One paper in a session, given to one reviewer who is not of the paper's group."""

    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="reviews")
    paper = models.ForeignKey("findings.WorkingPaper", on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
                                 related_name="paper_reviews")
    # {"事实准确": 22, ...} and {"事实准确": "comment", ...}, keyed by criterion name
    scores = models.JSONField(default=dict)
    comments = models.JSONField(default=dict)
    defects = models.JSONField(default=list)
    total = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("paper review")
        verbose_name_plural = _("paper reviews")
        ordering = ["session_id", "paper__group_id", "paper__seq"]
        constraints = [models.UniqueConstraint(fields=["session", "paper"], name="review_once_per_session")]
        indexes = [models.Index(fields=["reviewer", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.paper_id}"

    @property
    def done(self) -> bool:
        return self.submitted_at is not None
