from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "xuncha.registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        import xuncha.registry.navigation_io  # noqa: F401  import/export menu entry
        from xuncha.registry import navigation, policy  # noqa: F401  policy and menu entries
