"""Menu entries and workbench to-dos of the tasks pages: the liaison's 整改工作台 and the
office's closure requests (销号审核)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access import policy
from xuncha.rectification.policy import LIAISON, OFFICE
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _holds(user, roles) -> bool:
    return not user.system_role and any(a.role in roles for a in policy.assignments(user))


def _liaison(user) -> bool:
    return _holds(user, LIAISON)


def _office(user) -> bool:
    return _holds(user, OFFICE)


nav.add(nav.NavItem("rectification", gettext_lazy("Rectification workspace"), "rectification:workspace", _liaison,
                    icon="list-check"))
nav.add(nav.NavItem("rectification", gettext_lazy("Closure requests"), "rectification:closure_queue", _office,
                    icon="patch-check"))


@provider
def liaison_tasks(user) -> list[Todo]:
    """For the liaison: open tasks overdue, within the warning period, and returned requests."""
    if not _liaison(user):
        return []
    from xuncha.rectification.selectors.tasks import liaison_todo_counts

    counts = liaison_todo_counts(user, timezone.localdate())
    url = reverse("rectification:workspace")
    return [
        Todo(title=_("Tasks overdue"), count=counts["overdue"], url=url, level="danger"),
        Todo(title=_("Tasks due within the warning period"), count=counts["due_soon"], url=url, level="warning"),
        Todo(title=_("Closure requests returned"), count=counts["returned"], url=url, level="warning"),
    ]


@provider
def closure_requests(user) -> list[Todo]:
    """For the office: tasks whose closure was requested, to verify."""
    if not _office(user):
        return []
    from xuncha.rectification.selectors.tasks import closure_requests_to_verify

    return [Todo(title=_("Closure requests to verify"), count=closure_requests_to_verify(user),
                 url=reverse("rectification:closure_queue"), level="primary")]
