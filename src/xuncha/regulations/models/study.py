"""Study of the rules (学习贯彻): activities recorded by each organization, and campaigns that
require organizations to study a new rule by a date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StudyCampaign(models.Model):
    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="study_campaigns")
    title = models.CharField(_("title"), max_length=200)
    version = models.ForeignKey("regulations.RegulationVersion", verbose_name=_("rule to study"),
                                on_delete=models.PROTECT, related_name="campaigns")
    starts_on = models.DateField(_("from"))
    due_on = models.DateField(_("due"))
    organizations = models.ManyToManyField("registry.Organization", verbose_name=_("organizations that must study"),
                                           related_name="study_campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("study campaign")
        verbose_name_plural = _("study campaigns")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class StudyActivity(models.Model):
    class Kind(models.TextChoices):
        CENTRAL_GROUP = "central_group", _("Theory study of the party committee's central group")
        BRANCH_MEETING = "branch_meeting", _("Branch meeting")
        LECTURE = "lecture", _("Special lecture")
        SEMINAR = "seminar", _("Discussion")
        PARTY_DAY = "party_day", _("Themed party day")
        TRAINING = "training", _("Training course")
        OTHER = "other", _("Other")

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="study_activities", editable=False)
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization"),
                                     on_delete=models.PROTECT, related_name="study_activities")
    campaign = models.ForeignKey(StudyCampaign, verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="activities")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    versions = models.ManyToManyField("regulations.RegulationVersion", verbose_name=_("documents studied"),
                                      blank=True, related_name="study_activities")
    articles = models.ManyToManyField("regulations.Provision", verbose_name=_("articles studied"), blank=True,
                                      related_name="study_activities")
    attendees = models.PositiveIntegerField(_("attended"))
    expected = models.PositiveIntegerField(_("expected"), null=True, blank=True)
    materials = models.TextField(_("materials and what was learned"), blank=True)
    # Selected material goes to the public portal's study section.
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("study activity")
        verbose_name_plural = _("study activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"]), models.Index(fields=["campaign", "organization"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.held_on} {self.topic}"

    def save(self, *args, **kwargs) -> None:
        self.committee_id = self.organization.committee_id
        super().save(*args, **kwargs)
