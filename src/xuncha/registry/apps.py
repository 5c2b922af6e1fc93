from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "xuncha.registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from xuncha.registry import navigation, policy  # noqa: F401  policy and menu entries
