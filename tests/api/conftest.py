"""API clients that send a bearer token for one of the world's named accounts."""

from __future__ import annotations

import pytest
from django.test import Client

from xuncha.access import services


@pytest.fixture
def token_for(db):
    def make(user) -> str:
        _, key = services.token_create(actor=user, user=user, name="test")
        return key
    return make


@pytest.fixture
def api_client(token_for):
    """api_client(user) → a test client that authenticates every request as `user`."""
    def make(user) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"},
                      enforce_csrf_checks=True)
    return make
