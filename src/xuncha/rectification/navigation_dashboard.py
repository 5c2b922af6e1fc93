"""Menu entries and workbench to-dos of the dashboard pages: the rectification dashboard and the
overdue list for the office, the leading group and the superior office; the deadline policy for
the office; the office's to-do "Items overdue"."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access.policy import VIEW, can_any
from xuncha.rectification.models import DeadlinePolicy, Plan
from xuncha.rectification.policy import OFFICE
from xuncha.rectification.selectors.dashboard import may_read
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _office(user) -> bool:
    return not user.system_role and can_any(user, VIEW, Plan, roles=OFFICE)


def _policy_office(user) -> bool:
    return not user.system_role and can_any(user, VIEW, DeadlinePolicy, roles=OFFICE)


nav.add(nav.NavItem("rectification", gettext_lazy("Rectification dashboard"), "rectification:dashboard", may_read,
                    icon="speedometer2"))
nav.add(nav.NavItem("rectification", gettext_lazy("Overdue"), "rectification:overdue", may_read,
                    icon="alarm"))
nav.add(nav.NavItem("rectification", gettext_lazy("Deadline policy"), "rectification:policy_list", _policy_office,
                    icon="calendar-range"))


@provider
def items_overdue(user) -> list[Todo]:
    """For the office: everything of rectification past its deadline in the committee."""
    if not _office(user):
        return []
    from xuncha.rectification.selectors.overdue import overdue_count

    count = overdue_count(user, timezone.localdate())
    return [Todo(title=_("Items overdue"), count=count, url=reverse("rectification:overdue"),
                 level="danger")] if count else []
