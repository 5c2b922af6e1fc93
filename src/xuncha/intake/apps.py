from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "xuncha.intake"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from xuncha.intake import navigation, policy  # noqa: F401
