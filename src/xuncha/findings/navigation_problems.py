"""Menu entries and to-dos of the problems pages and the search."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.access.policy import CREATE, VIEW, can_any
from xuncha.findings.models import Problem, WorkingPaper
from xuncha.workbench import nav
from xuncha.workbench.todos import Todo, provider


def _inspectorate(user) -> bool:
    """Whoever reads working papers; a liaison sees its fed-back problems in its feedback workspace."""
    return not user.system_role and can_any(user, VIEW, WorkingPaper)


nav.add(nav.NavItem("fieldwork", gettext_lazy("Problems"), "findings:problem_list", _inspectorate,
                    icon="exclamation-diamond"))
nav.add(nav.NavItem("fieldwork", gettext_lazy("Search papers and problems"), "findings:search", _inspectorate,
                    icon="search"))


@provider
def papers_waiting_for_a_problem(user) -> list[Todo]:
    """For those who make problems (group heads, the office): signed papers in no problem yet."""
    if user.system_role or not can_any(user, CREATE, Problem):
        return []
    from xuncha.findings.selectors.problems import papers_without_problem

    count = papers_without_problem(user).count()
    if not count:
        return []
    return [Todo(title=_("Signed papers not yet in a problem"), count=count,
                 url=reverse("findings:problem_candidates"), level="info")]
