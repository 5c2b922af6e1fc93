"""Menu entries of the checklist: the library under planning (the office keeps it, the
others read it) and "what to check here" under fieldwork for those serving in a group."""

from django.utils.translation import gettext_lazy as _

from xuncha.access import policy
from xuncha.access.policy import VIEW, can_any
from xuncha.checklist.models import Library
from xuncha.workbench import nav


def _reads_checklists(user) -> bool:
    return not user.system_role and can_any(user, VIEW, Library)


def _serves_in_a_group(user) -> bool:
    return not user.system_role and any(a.group_id for a in policy.assignments(user))


nav.add(nav.NavItem("plan", _("Guidance checklist"), "checklist:library_list", _reads_checklists,
                    icon="list-check"))
nav.add(nav.NavItem("fieldwork", _("What to check here"), "checklist:guide_index", _serves_in_a_group,
                    icon="signpost-split"))
