from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xuncha.reports"
    verbose_name = _("Reports and feedback")

    def ready(self) -> None:
        from xuncha.reports import navigation, policy  # noqa: F401
