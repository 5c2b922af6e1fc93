"""Bearer tokens for the JSON API (`Authorization: Bearer xc_…`); no sessions, so no CSRF."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from xuncha.access import context, services

API_ROLE = "api"


class TokenAuth(HttpBearer):
    """Accept a token made by `access.services.token_create`. Revoked tokens, inactive
    accounts and the 三员 get nothing: ninja then answers 401."""

    def authenticate(self, request: HttpRequest, token: str):
        user = services.token_authenticate(token.strip())
        if user is None:
            return None
        request.user = user
        # The middleware saw an anonymous request; the audit log should say who acted and
        # that it came through the API. The middleware resets the context afterwards.
        context.set_current(context.RequestContext(ip=context.current().ip, role=API_ROLE))
        return user
