"""Menu entries and workbench to-dos for this area of the rounds app: the plan."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xuncha.access.policy import VIEW, can_any, scope
from xuncha.rounds.models import Round
from xuncha.rounds.transitions import BY_ACTION
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _may_view_rounds(user) -> bool:
    # The 三员 never open business pages (see views.plan.plan_page).
    return not user.system_role and can_any(user, VIEW, Round)


nav.add(nav.NavItem("plan", _("Inspection rounds"), "rounds:round_list", _may_view_rounds,
                    icon="calendar3"))


@provider
def plans_to_approve(user) -> list[Todo]:
    """For the leading group: round plans waiting for its approval."""
    from xuncha.access import policy

    approve = BY_ACTION["approve"]
    committees = {a.committee_id for a in policy.assignments(user)
                  if a.group_id is None and a.role in approve.roles}
    if user.system_role or not committees:
        return []
    count = scope(user, Round, VIEW).filter(committee_id__in=committees, state=approve.source).count()
    url = reverse("rounds:round_list") + f"?state={approve.source}"
    return [Todo(title=_("Round plans waiting for approval"), count=count, url=url, level="info")]
