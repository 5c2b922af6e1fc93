"""Transfers (移交): a problem or a lead handed to a receiver (纪委监委, 组织部, a department),
with the date, the office's handler and the feedback deadline from the policy in force on the
transfer date. The receiver records its handling and reports back the results. Receivers see
only what was handed to them: `summary` is what was handed over, so that a receiver never reads
the problem or the working papers behind it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Transfer(models.Model):
    class State(models.TextChoices):
        TRANSFERRED = "transferred", _("Transferred")
        RECEIVED = "received", _("Received")
        ANSWERED = "answered", _("Handling reported")

    round = models.ForeignKey("rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="transfers", editable=False)
    problem = models.ForeignKey("findings.Problem", verbose_name=_("problem or lead"), on_delete=models.PROTECT,
                                related_name="transfers")
    receiver = models.ForeignKey("registry.Organization", verbose_name=_("receiver"), on_delete=models.PROTECT,
                                 related_name="transfers_received")
    number = models.CharField(_("reference number"), max_length=50, blank=True)
    summary = models.TextField(_("what was handed over"))
    transferred_on = models.DateField(_("transferred on"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True,
                                on_delete=models.PROTECT, related_name="+")
    policy = models.ForeignKey("rectification.DeadlinePolicy", verbose_name=_("deadline policy"),
                               on_delete=models.PROTECT, related_name="transfers", editable=False)
    feedback_due = models.DateField(_("feedback due"), editable=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.TRANSFERRED)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    receiver_handler = models.CharField(_("handler at the receiver"), max_length=100, blank=True)
    # The results the receiver reports back.
    answered_on = models.DateField(_("reported back on"), null=True, blank=True)
    people_disciplined = models.PositiveIntegerField(_("people given party or government sanctions"), default=0)
    people_handled = models.PositiveIntegerField(_("people given organizational handling"), default=0)
    money_recovered = models.DecimalField(_("money recovered (yuan)"), max_digits=16, decimal_places=2, default=0)
    systems_established = models.PositiveIntegerField(_("systems established or improved"), default=0)
    result = models.TextField(_("results"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-transferred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "receiver"], name="transfer_once_per_receiver"),
            models.CheckConstraint(condition=Q(money_recovered__gte=0), name="transfer_money_positive"),
        ]
        indexes = [models.Index(fields=["receiver", "state"]), models.Index(fields=["state", "feedback_due"]),
                   models.Index(fields=["round", "state"])]

    def __str__(self) -> str:
        return f"{self.problem_id} → {self.receiver_id}"


class TransferAction(models.Model):
    """A step of the receiver's handling (谈话函询, 初步核实, 立案审查 …)."""

    class Method(models.TextChoices):
        TALK_INQUIRY = "talk_inquiry", _("Talk or written inquiry")
        PRELIMINARY = "preliminary", _("Preliminary verification")
        CASE = "case", _("Case opened for review")
        ORGANIZATIONAL = "organizational", _("Organizational handling")
        RECTIFY = "rectify", _("Rectification ordered")
        CONCLUDED = "concluded", _("Concluded")
        OTHER = "other", _("Other")

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="actions")
    on = models.DateField(_("date"))
    method = models.CharField(_("handling"), max_length=15, choices=Method.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handling of a transfer")
        verbose_name_plural = _("handling of transfers")
        ordering = ["transfer_id", "on", "id"]

    def __str__(self) -> str:
        return f"{self.transfer_id} {self.method}"
