"""API of evaluations (a thin layer over the rectification services)."""

from ninja import Router

router = Router()
