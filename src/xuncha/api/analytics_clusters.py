"""API: analytics clusters (filled in by its area)."""

from ninja import Router

router = Router()
