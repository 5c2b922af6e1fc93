"""Menu entries and to-dos of the compare pages."""

from django.utils.translation import gettext_lazy

from xuncha.access.policy import VIEW, can_any
from xuncha.regulations.models import RegulationVersion
from xuncha.workbench import nav


def _reader(user) -> bool:
    return not user.system_role and can_any(user, VIEW, RegulationVersion)


nav.add(nav.NavItem("study", gettext_lazy("Old/new comparison"), "regulations:compare", _reader,
                    icon="layout-split"))
