"""The search page's reads: papers and problems the user may see that hold every word."""

from __future__ import annotations

from django.db.models import QuerySet

from xuncha.access.policy import VIEW, scope
from xuncha.findings.models import Problem, WorkingPaper
from xuncha.findings.selectors.search import matching


def search_papers(user, q: str) -> QuerySet[WorkingPaper]:
    return (matching(scope(user, WorkingPaper, VIEW), q)
            .select_related("group__round__term", "assignment__organization")
            .order_by("-round__term__start_date", "-round__number", "group__number", "-seq", "id"))


def search_problems(user, q: str) -> QuerySet[Problem]:
    return (matching(scope(user, Problem, VIEW), q)
            .select_related("group__round__term", "organization")
            .order_by("-round__term__start_date", "-round__number", "group__number", "-seq", "id"))
