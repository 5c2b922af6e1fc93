"""API of rectification_reports (a thin layer over the rectification services)."""

from ninja import Router

router = Router()
