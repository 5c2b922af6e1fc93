"""Menu entries and to-dos of the reports pages: the reports of a round, the approval inbox
and the approval chains under "reports", and the reports waiting for one's step."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from xuncha.access import policy
from xuncha.access.policy import VIEW, can_any
from xuncha.reports.models import ApprovalChain, Report
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _reads_reports(user) -> bool:
    return not user.system_role and can_any(user, VIEW, Report)


def _approves(user) -> bool:
    from xuncha.reports.chain import STEP_ROLES

    return _reads_reports(user) and any(a.role in STEP_ROLES for a in policy.assignments(user))


def _sees_chains(user) -> bool:
    return not user.system_role and can_any(user, VIEW, ApprovalChain)


nav.add(nav.NavItem("reports", gettext_lazy("Reports"), "reports:reports", _reads_reports, icon="journal-text"))
nav.add(nav.NavItem("reports", gettext_lazy("Reports to approve"), "reports:report_inbox", _approves,
                    icon="inbox"))
nav.add(nav.NavItem("reports", gettext_lazy("Approval chains"), "reports:chain_settings", _sees_chains,
                    icon="diagram-3"))


@provider
def reports_waiting(user) -> list[Todo]:
    """The reports whose current approval step is the user's."""
    if not _approves(user):
        return []
    from xuncha.reports.selectors.reports import inbox

    count = len(inbox(user))
    return [Todo(title=gettext_lazy("Reports waiting for your approval"), count=count,
                 url=reverse("reports:report_inbox"), level="warning")] if count else []
