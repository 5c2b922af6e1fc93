from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "xuncha.workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        from xuncha.workbench import builtin  # noqa: F401  navigation and to-dos of the foundation
