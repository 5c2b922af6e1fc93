"""Menu entries and to-dos of the papers pages: the ledger and the review inbox under
fieldwork, and what waits for each role's sign-off on the workbench."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from xuncha.access.policy import VIEW, can_any
from xuncha.findings.models import WorkingPaper
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _reads_papers(user) -> bool:
    return not user.system_role and can_any(user, VIEW, WorkingPaper)


def _signs_papers(user) -> bool:
    from xuncha.access import policy
    from xuncha.findings.signoff import GROUP, OFFICE_ROLES

    return not user.system_role and any(a.role in GROUP | OFFICE_ROLES for a in policy.assignments(user))


nav.add(nav.NavItem("fieldwork", gettext_lazy("Working papers"), "findings:papers", _reads_papers,
                    icon="file-earmark-text"))
nav.add(nav.NavItem("fieldwork", gettext_lazy("Papers to review"), "findings:paper_inbox", _signs_papers,
                    icon="inbox"))

TODO_TITLES = {
    "review": (gettext_lazy("Working papers submitted for your review"), "warning"),
    "sign": (gettext_lazy("Working papers reviewed, waiting for your signature"), "warning"),
    "register": (gettext_lazy("Signed working papers to register"), "primary"),
    "rework": (gettext_lazy("Your working papers returned for rework"), "danger"),
}


@provider
def papers_waiting(user) -> list[Todo]:
    """For each role in the sign-off chain: the papers waiting for its step."""
    if user.system_role or not _signs_papers(user):
        return []
    from xuncha.findings.selectors import papers as selectors

    url = reverse("findings:paper_inbox")
    return [Todo(title=TODO_TITLES[key][0], count=count, url=url, level=TODO_TITLES[key][1])
            for key, (count, _group) in selectors.inbox_counts(user).items()]
