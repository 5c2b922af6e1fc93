"""Menu entries and workbench to-dos of the recommendation and campaign pages: the ledger for the
office, the leading group and the superior office, "Recommendations to us" for an addressed
department, "Special campaigns"; to-dos for the leading group (letters awaiting approval), the
receiver (letters to answer, due soon or overdue) and the office (responses overdue)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.analytics.selectors import campaigns as campaign_selectors
from xuncha.analytics.selectors import recommendations as selectors
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _ledger(user) -> bool:
    return not user.system_role and selectors.reads_ledger(user)


def _receiver(user) -> bool:
    return not user.system_role and selectors.is_receiver(user)


def _campaigns(user) -> bool:
    return not user.system_role and campaign_selectors.reads_campaigns(user)


nav.add(nav.NavItem("analytics", gettext_lazy("Recommendations"), "analytics:recommendation_list", _ledger,
                    icon="envelope-paper"))
nav.add(nav.NavItem("analytics", gettext_lazy("Recommendations to us"), "analytics:received_recommendations",
                    _receiver, icon="envelope-open"))
nav.add(nav.NavItem("analytics", gettext_lazy("Special campaigns"), "analytics:campaign_list", _campaigns,
                    icon="flag"))


@provider
def recommendations_to_approve(user) -> list[Todo]:
    """For the leading group: letters submitted for approval."""
    if user.system_role:
        return []
    count = selectors.awaiting_approval(user).count() if selectors.reads_ledger(user) else 0
    url = f"{reverse('analytics:recommendation_list')}?state=submitted"
    return [Todo(title=_("Recommendations awaiting approval"), count=count, url=url, level="warning")] if count else []


@provider
def recommendations_to_answer(user) -> list[Todo]:
    """For an addressed department: issued letters not answered whose deadline is near or past."""
    if not _receiver(user):
        return []
    warned, overdue = selectors.to_answer(user, selectors.today())
    return [Todo(title=_("Recommendations to answer"), count=warned,
                 url=reverse("analytics:received_recommendations"),
                 level="danger" if overdue else "warning")] if warned else []


@provider
def recommendation_responses_overdue(user) -> list[Todo]:
    """For the office: issued letters whose deadline passed with an addressee still silent."""
    if user.system_role or not selectors.reads_ledger(user):
        return []
    count = selectors.overdue_for_office(user, selectors.today()).count()
    url = f"{reverse('analytics:recommendation_list')}?overdue=on"
    return [Todo(title=_("Recommendation responses overdue"), count=count, url=url, level="danger")] if count else []
