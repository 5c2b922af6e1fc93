"""Menu entries and to-dos of the feedback pages: the round's feedback for the inspectorate,
本单位反馈意见 for the inspected organization's liaison."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access import policy
from xuncha.access.policy import CREATE, VIEW, can_any
from xuncha.access.roles import Role
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Assignment
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _inspectorate(user) -> bool:
    return not user.system_role and can_any(user, VIEW, Feedback) and can_any(user, VIEW, Assignment)


def _liaison(user) -> bool:
    return not user.system_role and any(a.role == Role.UNIT_LIAISON for a in policy.assignments(user))


nav.add(nav.NavItem("reports", gettext_lazy("Feedback"), "reports:feedback_list", _inspectorate,
                    icon="send"))
nav.add(nav.NavItem("reports", gettext_lazy("Our organization's feedback"), "reports:unit_feedback", _liaison,
                    icon="envelope-open"))


@provider
def feedback_to_acknowledge(user) -> list[Todo]:
    """For the inspected organization's liaison: issued feedback not yet acknowledged."""
    if not _liaison(user):
        return []
    from xuncha.reports.selectors.feedback import awaiting_acknowledgement

    count = awaiting_acknowledgement(user).count()
    return [Todo(title=_("Feedback to acknowledge"), count=count, url=reverse("reports:unit_feedback"),
                 level="warning")] if count else []


@provider
def reports_not_fed_back(user) -> list[Todo]:
    """For those who make feedback (group leader, office): approved reports not yet fed back."""
    if user.system_role or not can_any(user, CREATE, Feedback):
        return []
    from xuncha.reports.selectors.feedback import approved_reports_not_fed_back

    count = approved_reports_not_fed_back(user).count()
    return [Todo(title=_("Approved reports not yet fed back"), count=count,
                 url=reverse("reports:feedback_list"), level="info")] if count else []
