"""Menu entries and workbench to-dos for the inspector pool."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.access.policy import CREATE, VIEW, can_any
from xuncha.rounds.models import InspectorEvaluation, InspectorProfile
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _may_view_pool(user) -> bool:
    return not user.system_role and can_any(user, VIEW, InspectorProfile)


nav.add(nav.NavItem("plan", _("Inspector pool"), "rounds:pool_list", _may_view_pool, icon="person-badge"))


@provider
def inspectors_to_evaluate(user) -> list[Todo]:
    """For the office: inspectors who served in a round out of the field and have no evaluation for it."""
    if user.system_role or not can_any(user, CREATE, InspectorEvaluation):
        return []
    from xuncha.rounds.selectors import pool as selectors

    count = selectors.evaluations_due(user).count()
    if not count:
        return []
    return [Todo(title=_("Inspectors awaiting their evaluation"), count=count,
                 url=reverse("rounds:pool_list") + "?due=1", level="info")]
