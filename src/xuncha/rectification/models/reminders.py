"""Reminders sent by e-mail about deadlines (in the app, reminders are to-dos computed on the
fly). One row per recipient, subject and warning level, so that a reminder is sent once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    class Level(models.TextChoices):
        GREEN = "green", _("Green")
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")

    committee = models.ForeignKey("registry.Committee", verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.PROTECT,
                                  related_name="reminders")
    # What it is about, e.g. "task:12", "transfer:7", "report:3".
    subject = models.CharField(_("about"), max_length=40)
    level = models.CharField(_("warning"), max_length=6, choices=Level.choices)
    due = models.DateField(_("deadline"))
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "subject", "level"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.subject} {self.level}"
