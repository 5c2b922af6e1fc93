"""Menu entry and workbench to-dos of the progress report pages: the ledger of progress reports
and disclosure for the office (read by the leading group and the superior office) and the
inspected organization's liaison; to-dos for the liaison (a report due, a disclosure due) and for
the office (reports to review, disclosures overdue)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.rectification import warnings
from xuncha.rectification.selectors.reports import (
    LIAISON,
    OFFICE,
    REPORT_READERS,
    disclosures_overdue,
    disclosures_owed,
    holds,
    reports_owed,
    to_review,
)
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _list_url(**query) -> str:
    url = reverse("rectification:report_list")
    return f"{url}?{urlencode(query)}" if query else url


# The menu is drawn on every page: `holds` reads only the request's cached assignments.
nav.add(nav.NavItem("rectification", gettext_lazy("Progress reports and disclosure"), "rectification:report_list",
                    lambda user: holds(user, REPORT_READERS), icon="megaphone"))


@provider
def liaison_reports_due(user) -> list[Todo]:
    """For the liaison: reports not submitted whose due date is within the warning period or
    past (the thresholds of the policy each feedback was given under)."""
    if not holds(user, LIAISON):
        return []
    today = timezone.localdate()
    levels = [warnings.level_for(f.progress_report_due, today, f.policy) for f in reports_owed(user)]
    due = [level for level in levels if level != warnings.Level.NONE]
    if not due:
        return []
    return [Todo(title=_("Progress report due"), count=len(due), url=_list_url(),
                 level="danger" if warnings.Level.RED in due else "warning")]


@provider
def liaison_disclosures_due(user) -> list[Todo]:
    """For the liaison: reviewed reports whose rectification is not published yet."""
    if not holds(user, LIAISON):
        return []
    count = disclosures_owed(user).count()
    return [Todo(title=_("Disclosure due"), count=count, url=_list_url(state="reviewed"),
                 level="warning")] if count else []


@provider
def office_reports_to_review(user) -> list[Todo]:
    if not holds(user, OFFICE):
        return []
    count = to_review(user).count()
    return [Todo(title=_("Progress reports to review"), count=count, url=_list_url(state="submitted"),
                 level="primary")] if count else []


@provider
def office_disclosures_overdue(user) -> list[Todo]:
    if not holds(user, OFFICE):
        return []
    count = disclosures_overdue(user, timezone.localdate()).count()
    return [Todo(title=_("Disclosures overdue"), count=count, url=_list_url(state="reviewed", overdue="on"),
                 level="danger")] if count else []
