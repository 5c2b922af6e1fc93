"""Recommendations (巡察建议书) to functional departments: symptoms from the data, root causes
written by staff, numbered recommendations; approval by the leading group; each addressee's
response and the systems it established or improved (建立完善制度); and the special campaigns
(专项治理) a recommendation can start."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Recommendation(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        ISSUED = "issued", _("Issued")
        CLOSED = "closed", pgettext_lazy("recommendation", "Closed")

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="recommendations")
    term = models.ForeignKey("rounds.Term", verbose_name=_("term"), on_delete=models.PROTECT,
                             related_name="recommendations")
    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="recommendations")
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveSmallIntegerField(_("number"))  # 〔year〕seq 号, per committee and year
    title = models.CharField(_("title"), max_length=200)
    symptoms = models.TextField(_("symptoms"), blank=True)  # 问题症状, filled in from the data
    causes = models.TextField(_("root causes"), blank=True)  # 病情病理, written by staff
    cluster = models.ForeignKey("analytics.Cluster", verbose_name=_("cluster"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="recommendations")
    problems = models.ManyToManyField("findings.Problem", verbose_name=_("problems"), blank=True,
                                      related_name="recommendations")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    policy = models.ForeignKey("rectification.DeadlinePolicy", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    response_due = models.DateField(_("response due"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["committee", "year", "seq"], name="recommendation_number")]
        indexes = [models.Index(fields=["committee", "term", "state"])]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"〔{self.year}〕{self.seq}号"


class RecommendationItem(models.Model):
    """One numbered recommendation (一、二、三…)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="items")
    seq = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))

    class Meta:
        verbose_name = _("recommendation item")
        verbose_name_plural = _("recommendation items")
        ordering = ["recommendation_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "seq"], name="recommendation_item_seq")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.text[:30]}"


class RecommendationStep(models.Model):
    """One transition of a recommendation: who, when, from and to which state, with a comment."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12, choices=Recommendation.State.choices)
    to_state = models.CharField(max_length=12, choices=Recommendation.State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("recommendation step")
        verbose_name_plural = _("recommendation steps")
        ordering = ["recommendation_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class RecommendationAddressee(models.Model):
    """A department the recommendation is addressed to, with its response (整改落实情况反馈)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="addressees")
    organization = models.ForeignKey("registry.Organization", verbose_name=_("department"), on_delete=models.PROTECT,
                                     related_name="recommendations_received")
    received_on = models.DateField(_("received on"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    response_file = models.FileField(_("response document"), upload_to="recommendations/%Y/", blank=True)
    response_file_name = models.CharField(max_length=200, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")
        ordering = ["recommendation_id", "id"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "organization"],
                                               name="recommendation_addressee_once")]
        indexes = [models.Index(fields=["organization", "responded_on"])]

    def __str__(self) -> str:
        return f"{self.recommendation_id} → {self.organization_id}"


class SystemOutcome(models.Model):
    """A system (制度) established or improved in response: counted in the statistics."""

    class Kind(models.TextChoices):
        NEW = "new", _("Established")
        IMPROVED = "improved", _("Improved")

    addressee = models.ForeignKey(RecommendationAddressee, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(_("title"), max_length=200)
    adopted_on = models.DateField(_("adopted on"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    document = models.FileField(_("document"), upload_to="systems/%Y/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("system established or improved")
        verbose_name_plural = _("systems established or improved")
        ordering = ["adopted_on", "id"]

    def __str__(self) -> str:
        return self.title


class Campaign(models.Model):
    """A special campaign (专项治理), e.g. on village collective assets, often started by a
    recommendation; its items are tracked to results."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Under way")
        CLOSED = "closed", pgettext_lazy("campaign", "Concluded")

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="campaigns")
    recommendation = models.ForeignKey(Recommendation, verbose_name=_("recommendation"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="campaigns")
    title = models.CharField(_("title"), max_length=200)
    lead_department = models.ForeignKey("registry.Organization", verbose_name=_("lead department"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="campaigns_led")
    started_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("planned end"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    summary = models.TextField(_("results"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("special campaign")
        verbose_name_plural = _("special campaigns")
        ordering = ["-started_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("started_on")),
                                              name="campaign_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class CampaignItem(models.Model):
    """One thing the campaign must get done, by a responsible organization, with its result."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("campaign item", "Open")
        DONE = "done", _("Done")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    seq = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("item"), max_length=300)
    organization = models.ForeignKey("registry.Organization", verbose_name=_("responsible organization"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="campaign_items")
    due = models.DateField(_("due"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    result = models.TextField(_("result"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    problems_fixed = models.PositiveIntegerField(_("problems fixed"), default=0)
    money_recovered = models.DecimalField(_("money recovered (yuan)"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("campaign item")
        verbose_name_plural = _("campaign items")
        ordering = ["campaign_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["campaign", "seq"], name="campaign_item_seq")]

    def __str__(self) -> str:
        return self.title
