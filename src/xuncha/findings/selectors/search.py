"""Full-text search filter shared by papers and problems (see xuncha.text.search)."""

from __future__ import annotations

from django.db.models import QuerySet

from xuncha.text.search import query_terms


def matching(qs: QuerySet, query: str) -> QuerySet:
    """Records whose search_text contains every word of the query; all when it has none."""
    for term in query_terms(query or ""):
        qs = qs.filter(search_text__contains=term)
    return qs
