from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    name = "xuncha.findings"
    verbose_name = _("Findings")

    def ready(self) -> None:
        from xuncha.findings import navigation, policy  # noqa: F401
