"""Menu entries and workbench to-dos of the plans pages: the committee's plans for the office
(read by the leading group and the superior office), 本单位整改方案 for the organization's liaison."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access import policy
from xuncha.access.policy import CREATE, VIEW, can_any
from xuncha.access.roles import Role
from xuncha.rectification.models import Plan
from xuncha.rectification.policy import OFFICE
from xuncha.rectification.selectors.plans import (
    INSPECTORATE,
    awaiting_review,
    returned_to_writer,
    unit_feedback_without_plan,
)
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _inspectorate(user) -> bool:
    return not user.system_role and can_any(user, VIEW, Plan, roles=INSPECTORATE)


def _office(user) -> bool:
    return not user.system_role and any(a.role in OFFICE for a in policy.assignments(user))


def _liaison(user) -> bool:
    return not user.system_role and any(a.role == Role.UNIT_LIAISON for a in policy.assignments(user))


nav.add(nav.NavItem("rectification", gettext_lazy("Rectification plans"), "rectification:plan_list",
                    _inspectorate, icon="list-check"))
nav.add(nav.NavItem("rectification", gettext_lazy("Our rectification plan"), "rectification:unit_plans",
                    _liaison, icon="clipboard-check"))


@provider
def plans_awaiting_review(user) -> list[Todo]:
    """For the office: submitted plans to approve or return."""
    if not _office(user):
        return []
    count = awaiting_review(user).count()
    return [Todo(title=_("Plans awaiting review"), count=count,
                 url=f"{reverse('rectification:plan_list')}?state={Plan.State.SUBMITTED}", level="warning")] \
        if count else []


@provider
def liaison_plan_todos(user) -> list[Todo]:
    """For the organization's liaison: feedback still without a plan, and plans returned."""
    if not _liaison(user) or not can_any(user, CREATE, Plan):
        return []
    url = reverse("rectification:unit_plans")
    todos = []
    without = unit_feedback_without_plan(user).count()
    if without:
        todos.append(Todo(title=_("Feedback without a rectification plan"), count=without, url=url,
                          level="warning"))
    returned = returned_to_writer(user).count()
    if returned:
        todos.append(Todo(title=_("Plans returned for revision"), count=returned, url=url, level="danger"))
    return todos
