from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "xuncha.access"
    verbose_name = _("Access and audit")

    def ready(self) -> None:
        from xuncha.access import navigation, policy_rules, signals  # noqa: F401
