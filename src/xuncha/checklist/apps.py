from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistConfig(AppConfig):
    name = "xuncha.checklist"
    verbose_name = _("Guidance checklist")

    def ready(self) -> None:
        from xuncha.checklist import navigation, policy  # noqa: F401
