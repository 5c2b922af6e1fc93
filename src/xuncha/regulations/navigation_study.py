"""Menu entries and to-dos of the study pages: study activities and campaigns; reminders to an
organization that has not yet studied a running campaign's rule, and to the office of the
organizations behind in campaigns past or near their due date."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access.policy import CHANGE, VIEW, assignments, can_any, rules_for
from xuncha.access.roles import SCOPE_OF_ROLE, ScopeKind
from xuncha.regulations.models import StudyActivity, StudyCampaign
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _reads_activities(user) -> bool:
    return not user.system_role and can_any(user, VIEW, StudyActivity)


def _reads_campaigns(user) -> bool:
    return not user.system_role and can_any(user, VIEW, StudyCampaign)


nav.add(nav.NavItem("study", gettext_lazy("Study activities"), "regulations:study_activities", _reads_activities,
                    icon="journal-bookmark"))
nav.add(nav.NavItem("study", gettext_lazy("Study campaigns"), "regulations:study_campaigns", _reads_campaigns,
                    icon="flag"))


def _recording_organizations(user) -> list[int]:
    """The organizations the user records study for as their own (an organization's liaison)."""
    grants = rules_for(StudyActivity).grants
    return [a.organization_id for a in assignments(user)
            if a.organization_id and SCOPE_OF_ROLE[a.role] == ScopeKind.ORGANIZATION
            and "create" in grants.get(a.role, ())]


@provider
def study_reminders(user) -> list[Todo]:
    """请于X月X日前完成《…》学习: a running campaign requires the user's organization, which has not studied."""
    if user.system_role:
        return []
    organizations = _recording_organizations(user)
    if not organizations:
        return []
    from xuncha.regulations.selectors.study import campaigns_to_study

    todos = []
    for campaign, _org in campaigns_to_study(user, organizations):
        todos.append(Todo(
            title=_("Complete the study of 《%(title)s》 by %(date)s")
            % {"title": campaign.version.regulation.title, "date": date_format(campaign.due_on, "MONTH_DAY_FORMAT")},
            count=1, url=reverse("regulations:study_campaign_detail", args=[campaign.pk]), level="warning"))
    return todos


@provider
def campaign_reminders(user) -> list[Todo]:
    """For the office: organizations behind in each campaign past or near its due date."""
    if user.system_role or not can_any(user, CHANGE, StudyCampaign):
        return []
    from django.utils import timezone

    from xuncha.regulations.selectors.study import campaigns_behind

    today = timezone.localdate()
    return [Todo(title=_("Organizations behind in the study campaign “%(title)s” (due %(date)s)")
                 % {"title": c.title, "date": date_format(c.due_on, "MONTH_DAY_FORMAT")},
                 count=c.n_behind, url=reverse("regulations:study_campaign_detail", args=[c.pk]),
                 level="danger" if c.due_on < today else "warning")
            for c in campaigns_behind(user, today=today)]
