"""Counters for the public portal's rate limits (per address, per receipt prefix), shared by
every server process through the database. Keys are keyed hashes, never addresses."""

from __future__ import annotations

from django.db import models


class Throttle(models.Model):
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "throttle"
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="throttle_once_per_window")]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.window_start:%H:%M} {self.count}"
