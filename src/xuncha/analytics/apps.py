from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "xuncha.analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from xuncha.analytics import navigation, policy  # noqa: F401
