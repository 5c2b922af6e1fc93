"""API: recommendations (filled in by its area)."""

from ninja import Router

router = Router()
