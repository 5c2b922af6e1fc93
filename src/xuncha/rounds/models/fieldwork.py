"""What a group records on site (confidential to the group), its announcement, and the
leading group's mid-term guidance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Announcement(models.Model):
    """The group's public announcement (巡察公告): safe to publish on the public portal."""

    group = models.OneToOneField("rounds.Group", on_delete=models.CASCADE, related_name="announcement")
    scope = models.TextField(_("what is accepted"))
    phone = models.CharField(_("phone"), max_length=40)
    mailbox = models.CharField(_("mailbox"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return f"{self.group} {self.period_start}"


class Interview(models.Model):
    """An individual talk (个别谈话)."""

    group = models.ForeignKey("rounds.Group", on_delete=models.CASCADE, related_name="interviews")
    interviewee = models.CharField(_("interviewee"), max_length=50)
    post = models.CharField(_("post"), max_length=100, blank=True)
    held_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    interviewers = models.CharField(_("interviewers"), max_length=200)
    recorder = models.CharField(_("recorder"), max_length=50, blank=True)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return f"{self.interviewee} {self.held_at:%Y-%m-%d}"


class DocumentRequest(models.Model):
    """A request for documents (调阅资料), tracked until returned."""

    class Medium(models.TextChoices):
        PAPER = "paper", _("Paper")
        ELECTRONIC = "electronic", _("Electronic")

    group = models.ForeignKey("rounds.Group", on_delete=models.CASCADE, related_name="document_requests")
    item = models.CharField(_("item"), max_length=200)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    medium = models.CharField(_("medium"), max_length=16, choices=Medium.choices, default=Medium.PAPER)
    original = models.BooleanField(_("original"), default=False)
    due = models.DateField(_("return due"), null=True, blank=True)
    provided_on = models.DateField(_("provided on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    requested_on = models.DateField(_("requested on"))

    class Meta:
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")
        ordering = ["-requested_on", "id"]

    def __str__(self) -> str:
        return self.item


class OnTheSpotFix(models.Model):
    """A matter fixed on the spot (立行立改)."""

    group = models.ForeignKey("rounds.Group", on_delete=models.CASCADE, related_name="spot_fixes")
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("item"), max_length=300)
    fixed_on = models.DateField(_("date"))
    measure = models.TextField(_("measure taken"))

    class Meta:
        verbose_name = _("on-the-spot fix")
        verbose_name_plural = _("on-the-spot fixes")
        ordering = ["-fixed_on", "id"]

    def __str__(self) -> str:
        return self.item


class GuidanceVisit(models.Model):
    """A mid-term guidance visit (中期调研指导) of the leading group to a group on site."""

    group = models.ForeignKey("rounds.Group", on_delete=models.CASCADE, related_name="guidance_visits")
    visited_on = models.DateField(_("date"))
    leaders = models.CharField(_("visiting leaders"), max_length=200)
    diagnoses = models.TextField(_("diagnoses"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("guidance visit")
        verbose_name_plural = _("guidance visits")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.group} {self.visited_on}"


class Prescription(models.Model):
    """A prescription (药方) from a guidance visit: a follow-up item the group answers."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("guidance", "Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", pgettext_lazy("guidance", "Closed")

    visit = models.ForeignKey(GuidanceVisit, on_delete=models.CASCADE, related_name="prescriptions")
    content = models.TextField(_("prescription"))
    owner = models.CharField(_("owner"), max_length=50)
    due = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("prescription")
        verbose_name_plural = _("prescriptions")
        ordering = ["visit_id", "due", "id"]

    def __str__(self) -> str:
        return self.content[:40]
