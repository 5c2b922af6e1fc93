"""Complaints (信访举报): letters, calls, visits and online reports received by a committee's
office or an inspection group during a round.

The informant's name and contact are encrypted at rest (intake.crypto, with a key kept outside
the database); `contact_digest` is a keyed hash of the normalized contact so repeat complainants
are linked without anyone reading the contact. An online filer holds a receipt code: only its
public prefix and a slow hash of the whole code are stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Complaint(models.Model):
    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter")
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("Visit")
        ONLINE = "online", _("Online")
        QR = "qr", _("QR code")

    class Handling(models.TextChoices):
        PENDING = "pending", _("Not yet handled")
        TO_GROUP = "to_group", _("Passed to the inspection group")
        TO_DEPARTMENT = "to_department", _("Passed to the competent department")
        OUT_OF_SCOPE = "out_of_scope", _("Outside the scope of inspection")
        CONCLUDED = "concluded", pgettext_lazy("complaint", "Concluded")

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="complaints")
    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="complaints")
    group = models.ForeignKey("rounds.Group", verbose_name=_("inspection group"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="complaints")
    seq = models.PositiveIntegerField(_("number"))  # per committee and year: 信访件编号
    year = models.PositiveSmallIntegerField(_("year"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    organization = models.ForeignKey("registry.Organization", verbose_name=_("organization concerned"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="complaints")
    concerns = models.CharField(_("whom it concerns"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    category = models.ForeignKey("checklist.Item", verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="complaints")
    # The informant: optional; both fields hold intake.crypto tokens, never clear text.
    anonymous = models.BooleanField(_("anonymous"), default=True)
    informant_name = models.BinaryField(editable=False, default=b"")
    informant_contact = models.BinaryField(editable=False, default=b"")
    contact_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    content_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    duplicate_of = models.ForeignKey("self", verbose_name=_("duplicate of"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="duplicates")
    handling = models.CharField(_("handling"), max_length=16, choices=Handling.choices, default=Handling.PENDING,
                                db_index=True)
    passed_to = models.CharField(_("passed to"), max_length=200, blank=True)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    papers = models.ManyToManyField("findings.WorkingPaper", verbose_name=_("working papers"), blank=True,
                                    related_name="complaints")
    # Online filing: the receipt code's public prefix (lookup) and a slow hash of the whole code.
    receipt_prefix = models.CharField(max_length=8, unique=True, null=True, blank=True, editable=False)
    receipt_hash = models.CharField(max_length=200, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "seq"], name="complaint_number"),
            models.CheckConstraint(condition=Q(anonymous=True) | ~Q(informant_name=b"") | ~Q(informant_contact=b""),
                                   name="complaint_named_has_identity"),
        ]
        indexes = [
            models.Index(fields=["committee", "received_on"]),
            models.Index(fields=["round", "group"]),
            models.Index(fields=["category"]),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def number(self) -> str:
        return f"{self.year}-{self.seq:04d}"


class ComplaintStep(models.Model):
    """One handling transition: who, when, from and to which handling, with a comment."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=16, choices=Complaint.Handling.choices)
    to_state = models.CharField(max_length=16, choices=Complaint.Handling.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint steps")
        ordering = ["complaint_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class ComplaintMessage(models.Model):
    """A message between the online filer (by receipt code) and the office or group."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    from_public = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("complaint message")
        verbose_name_plural = _("complaint messages")
        ordering = ["complaint_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.text[:20]}"


class ComplaintAttachment(models.Model):
    """A file sent with a complaint, stored encrypted (intake.crypto); checked by content on upload."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="complaints/%Y/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("complaint attachment")
        verbose_name_plural = _("complaint attachments")
        ordering = ["complaint_id", "id"]

    def __str__(self) -> str:
        return self.original_name


class IdentityAccess(models.Model):
    """Access to one complaint's informant identity: requested with a reason, granted or refused
    by the office head or the leading group (never by the requester), each viewing counted and
    written to the audit log."""

    class State(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("identity access", "Requested")
        GRANTED = "granted", pgettext_lazy("identity access", "Granted")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="identity_accesses")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("identity access")
        verbose_name_plural = _("identity accesses")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["complaint", "requested_by", "state"])]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.requested_by_id} {self.state}"
