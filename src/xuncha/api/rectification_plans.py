"""API of rectification_plans (a thin layer over the rectification services)."""

from ninja import Router

router = Router()
