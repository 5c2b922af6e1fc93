"""Password login with lockout after repeated failures (settings.LOGIN_MAX_FAILURES)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from xuncha.access import services
from xuncha.access.models import User


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            services.login_failed(username=username, user=None)
            return None
        if user.is_locked():
            services.login_refused_locked(user=user)
            if request is not None:
                request.xuncha_locked_until = user.locked_until
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        services.login_failed(username=username, user=user)
        user.refresh_from_db(fields=["locked_until"])
        if request is not None and user.is_locked():
            request.xuncha_locked_until = user.locked_until
        return None
