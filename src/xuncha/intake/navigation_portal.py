"""Menu entries and workbench to-dos of the intake portal pages: the printable QR codes of
the complaint form, for the office and the groups."""

from django.utils.translation import gettext_lazy

from xuncha.access.policy import VIEW, can_any
from xuncha.access.roles import Role
from xuncha.rounds.models import Announcement
from xuncha.workbench import nav

STAFF = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER)


def _staff(user) -> bool:
    return not user.system_role and can_any(user, VIEW, Announcement, roles=STAFF)


nav.add(nav.NavItem("intake", gettext_lazy("QR codes of the complaint form"), "intake:qr_codes", _staff,
                    icon="qr-code"))
