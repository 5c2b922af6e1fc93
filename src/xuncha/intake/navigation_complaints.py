"""Menu entries and workbench to-dos of the intake complaints pages: the register for the
office, the leading group and the groups; the identity-access requests for those who decide
them (the office head, the leading group), with a to-do while requests wait."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access.policy import VIEW, can_any
from xuncha.intake.models import Complaint
from xuncha.intake.selectors import identity as identity_selectors
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _staff(user) -> bool:
    return not user.system_role and can_any(user, VIEW, Complaint)


def _decider(user) -> bool:
    return not user.system_role and identity_selectors.decides(user)


nav.add(nav.NavItem("intake", gettext_lazy("Complaints"), "intake:complaint_list", _staff, icon="envelope-paper"))
nav.add(nav.NavItem("intake", gettext_lazy("Identity access requests"), "intake:identity_requests", _decider,
                    icon="person-lock"))


@provider
def identity_requests_to_decide(user) -> list[Todo]:
    """For the office head and the leading group: requests to see an informant, not their own."""
    if not _decider(user):
        return []
    count = identity_selectors.pending(user).count()
    return [Todo(title=_("Identity access requests to decide"), count=count,
                 url=reverse("intake:identity_requests"), level="warning")] if count else []
