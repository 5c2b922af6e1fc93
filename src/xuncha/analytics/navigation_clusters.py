"""Menu entry and workbench to-do of the recurring and common problems pages: "Recurring and
common problems" for the office, the leading group and the superior office; for the office, the
to-do "Problems waiting to be matched" when problems were added or the threshold changed since
the detector last ran."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access.policy import VIEW, can_any
from xuncha.access.roles import Role
from xuncha.analytics.models import DetectionSettings
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)


def _reads(user) -> bool:
    from xuncha.analytics.selectors.clusters import reads

    return not user.system_role and reads(user)


nav.add(nav.NavItem("analytics", gettext_lazy("Recurring and common problems"), "analytics:clusters", _reads,
                    icon="intersect"))


@provider
def problems_to_match(user) -> list[Todo]:
    """For the office: problems of its committee the detector has not matched yet."""
    if user.system_role or not can_any(user, VIEW, DetectionSettings, roles=OFFICE):
        return []
    from xuncha.analytics import filters
    from xuncha.analytics.selectors.clusters import pending

    committee = filters.home_committee(user)
    if committee is None:
        return []
    count = pending(committee)
    if not count:
        return []
    return [Todo(title=_("Problems waiting to be matched"), count=count,
                 url=f"{reverse('analytics:detection_settings')}?committee={committee.pk}", level="warning")]
