"""One search over the working papers and problems the user may see.

Scope first (the policy's filter in SQL), then the words (selectors.search.matching); results
grouped by type, each paginated on its own, the words marked in the text (escaped first).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from xuncha.access.policy import VIEW, can_any
from xuncha.findings.highlight import highlight
from xuncha.findings.models import Problem, WorkingPaper
from xuncha.findings.selectors.search_results import search_papers, search_problems
from xuncha.findings.views.evidence import paper_url
from xuncha.text.search import query_terms

PER_PAGE = 20
SNIPPET = 120


@login_required
def search(request):
    user = request.user
    sees_papers, sees_problems = can_any(user, VIEW, WorkingPaper), can_any(user, VIEW, Problem)
    if not sees_papers:  # the inspectorate only; a liaison has its feedback workspace
        raise PermissionDenied
    q = request.GET.get("q", "").strip()[:100]
    terms = query_terms(q) if q else ()
    context = {"q": q, "terms": terms, "papers": None, "problems": None}
    if terms:
        if sees_papers:
            page = Paginator(search_papers(user, q), PER_PAGE).get_page(request.GET.get("papers_page"))
            context["papers"] = page
            context["paper_rows"] = [{
                "paper": p, "url": paper_url(p), "title": highlight(p.title, terms),
                "snippet": highlight(p.facts, terms, width=SNIPPET),
            } for p in page.object_list]
        if sees_problems:
            page = Paginator(search_problems(user, q), PER_PAGE).get_page(request.GET.get("problems_page"))
            context["problems"] = page
            context["problem_rows"] = [{
                "problem": p, "title": highlight(p.title, terms),
                "snippet": highlight(p.description, terms, width=SNIPPET),
            } for p in page.object_list]
    return render(request, "findings/search/search.html", context)
