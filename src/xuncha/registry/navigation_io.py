"""The registry's import/export page in the navigation."""

from django.utils.translation import gettext_lazy as _

from xuncha.access.policy import EXPORT, IMPORT, can_any
from xuncha.registry.models import Organization
from xuncha.workbench import nav


def _visible(user) -> bool:
    return can_any(user, IMPORT, Organization) or can_any(user, EXPORT, Organization)


nav.add(nav.NavItem("registry", _("Import and export"), "registry_io:index", _visible,
                    icon="file-earmark-spreadsheet"))
