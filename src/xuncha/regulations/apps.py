from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulationsConfig(AppConfig):
    name = "xuncha.regulations"
    verbose_name = _("Regulations and study")

    def ready(self) -> None:
        from xuncha.regulations import navigation, policy  # noqa: F401
