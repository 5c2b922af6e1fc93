"""The public portal's study section: what the committee chose to publish of its study
activities. No login; no JavaScript needed; nothing but published material is read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from xuncha.regulations.selectors.study import public_committee, published_study

PER_PAGE = 20


def study(request, committee_id: int):
    committee = public_committee(committee_id)
    page = Paginator(published_study(committee), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "regulations/public/study.html", {"committee": committee, "page": page})
