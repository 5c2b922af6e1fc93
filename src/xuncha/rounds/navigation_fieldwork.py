"""Menu entry and workbench to-dos of fieldwork.

The logs themselves are reached from the group's page and the to-dos (they need a group);
the menu only holds the guidance rounds list of the leading group and the office.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access import policy
from xuncha.access.policy import CREATE, can_any
from xuncha.rounds.models import GuidanceVisit
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _directs_guidance(user) -> bool:
    return not user.system_role and can_any(user, CREATE, GuidanceVisit)


nav.add(nav.NavItem("fieldwork", gettext_lazy("Mid-term guidance"), "rounds:guidance_index",
                    _directs_guidance, icon="clipboard2-pulse"))


def _group_names(user) -> dict[int, str]:
    # policy.assignments() is cached per request and already joins group → round → term.
    return {a.group_id: a.group.full_name for a in policy.assignments(user) if a.group_id}


@provider
def documents_overdue_for_return(user) -> list[Todo]:
    """For a group's members: documents the group holds past their return date."""
    if user.system_role:
        return []
    from xuncha.rounds.selectors import fieldwork as selectors

    rows = selectors.overdue_documents_by_group(user)
    names = _group_names(user) if rows else {}
    return [Todo(title=_("%(group)s: documents overdue for return") % {"group": names.get(row["group_id"], "")},
                 count=row["n"], url=reverse("rounds:document_requests", args=[row["group_id"]]) + "?overdue=1",
                 level="danger") for row in rows]


@provider
def prescriptions_to_answer(user) -> list[Todo]:
    """For a group's members: prescriptions of the mid-term guidance still unanswered."""
    if user.system_role:
        return []
    from xuncha.rounds.selectors import fieldwork as selectors

    rows = selectors.open_prescriptions_by_group(user)
    names = _group_names(user) if rows else {}
    return [Todo(title=_("%(group)s: guidance prescriptions to answer") % {"group": names.get(row["visit__group_id"], "")},
                 count=row["n"], url=reverse("rounds:guidance", args=[row["visit__group_id"]]),
                 level="warning") for row in rows]
