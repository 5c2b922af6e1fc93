from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from xuncha.access import audit, services


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    services.login_succeeded(user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action="logout", obj=user, summary=user.username)
