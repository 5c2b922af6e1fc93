"""Menu entries and to-dos of the review pages (stage "fieldwork").

The visibility checks read only the request's cached role assignments: no query per page.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access import policy
from xuncha.access.policy import VIEW, can_any
from xuncha.access.roles import GROUP_ROLES, Role
from xuncha.findings.models import ReviewSession
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider

REVIEWER_ROLES = {*GROUP_ROLES, Role.OFFICE_ADMIN, Role.OFFICE_STAFF}


def _sees_sessions(user) -> bool:
    return not user.system_role and can_any(user, VIEW, ReviewSession)


def _may_review(user) -> bool:
    return not user.system_role and any(a.role in REVIEWER_ROLES for a in policy.assignments(user))


def _in_a_group(user) -> bool:
    return not user.system_role and any(a.role in GROUP_ROLES and a.group_id for a in policy.assignments(user))


nav.add(nav.NavItem("fieldwork", gettext_lazy("Peer review of papers"), "findings:review_sessions",
                    _sees_sessions, icon="clipboard2-check"))
nav.add(nav.NavItem("fieldwork", gettext_lazy("My reviews"), "findings:my_reviews", _may_review,
                    icon="pencil-square"))
nav.add(nav.NavItem("fieldwork", gettext_lazy("Our review scores"), "findings:our_scores", _in_a_group,
                    icon="bar-chart"))


@provider
def papers_to_review(user) -> list[Todo]:
    """For reviewers: papers given to them in open sessions and not yet scored."""
    if not _may_review(user):
        return []
    from xuncha.findings.selectors import review as selectors

    n = selectors.pending_count(user)
    return [Todo(title=_("Working papers to review"), count=n, url=reverse("findings:my_reviews"),
                 level="warning")] if n else []
