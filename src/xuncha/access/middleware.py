from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse

from xuncha.access import context, policy

SESSION_ROLE_KEY = "xuncha_assignment"


def current_assignment(request):
    """The role the user acts in for navigation: chosen in the top bar, else the first."""
    user = request.user
    if not user.is_authenticated or user.system_role:
        return None
    held = policy.assignments(user)
    chosen = request.session.get(SESSION_ROLE_KEY)
    for assignment in held:
        if assignment.pk == chosen:
            return assignment
    return held[0] if held else None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.current_assignment = current_assignment(request) if hasattr(request, "user") else None
        role = ""
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            role = request.user.system_role or (request.current_assignment.role if request.current_assignment else "")
        token = context.set_current(context.RequestContext(ip=request.META.get("REMOTE_ADDR"), role=role))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


class PasswordChangeRequiredMiddleware:
    """An account created with an initial password must choose its own before anything else."""

    allowed_prefixes = ("/static/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            path = request.path
            allowed = {reverse("access:password_change"), reverse("access:logout")}
            if path not in allowed and not path.startswith(self.allowed_prefixes):
                return redirect("access:password_change")
        return self.get_response(request)
