from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "xuncha.rounds"
    verbose_name = _("Rounds")

    def ready(self) -> None:
        from xuncha.rounds import navigation, policy  # noqa: F401
