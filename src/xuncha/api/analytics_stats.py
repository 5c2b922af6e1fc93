"""API: analytics stats (filled in by its area)."""

from ninja import Router

router = Router()
