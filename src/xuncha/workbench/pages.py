"""The decorator every page view wears: signed in, and a refusal raised by a service
(access.policy.PermissionDenied) shown as the 403 page."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from xuncha.access import policy


def service_page(view=None, *, refuse_system_roles: bool = False, readable=None):
    """`refuse_system_roles`: the 三员 get the 403 page (they never read business data).
    `readable`: a model the user must be able to read some of, else the 403 page."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if refuse_system_roles and request.user.system_role:
                raise PermissionDenied
            if readable is not None and not policy.can_any(request.user, policy.VIEW, readable):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except policy.PermissionDenied as exc:
                raise PermissionDenied(str(exc)) from exc

        return wrapper

    return decorate(view) if view is not None else decorate
