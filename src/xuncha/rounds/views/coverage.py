"""The coverage page (全覆盖) of a term: figures, tables by kind and by township, a chart,
the forecast warning and the organizations not yet covered."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from xuncha.access.policy import VIEW, can_any
from xuncha.rounds.models import Term
from xuncha.rounds.selectors import coverage as selectors

PER_PAGE = 50


def may_view_coverage(user) -> bool:
    """Whoever may see terms may see their coverage; the 三员 read no business data."""
    return bool(getattr(user, "is_authenticated", False)) and not user.system_role and can_any(user, VIEW, Term)


def _chart_data(figures: selectors.Coverage) -> dict:
    def series(rows):
        return [{"label": r.label, "covered": r.covered, "uncovered": r.uncovered} for r in rows]

    return {"kinds": series(figures.kinds), "townships": series(figures.townships),
            "labels": {"covered": _("Covered"), "uncovered": _("Not yet covered")}}


@login_required
def coverage_page(request):
    user = request.user
    if not may_view_coverage(user):
        raise PermissionDenied
    wanted = request.GET.get("term", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        term = selectors.get_term_for_user(user, int(wanted))
    else:
        assignment = getattr(request, "current_assignment", None)
        term = selectors.default_term(user, assignment.committee_id if assignment else None)
    context: dict = {"term": term, "terms": selectors.terms_for(user)}
    if term is not None:
        figures = selectors.coverage_for(user, term)
        kind = request.GET.get("kind", "")
        township = request.GET.get("township", "")
        missing = selectors.uncovered(user, term, kind=kind, township=township)
        context.update(
            figures=figures, warning=selectors.warning(figures.forecast),
            chart=_chart_data(figures), kind=kind, township=township,
            page=Paginator(missing, PER_PAGE).get_page(request.GET.get("page")),
        )
    return render(request, "rounds/coverage/coverage.html", context)
