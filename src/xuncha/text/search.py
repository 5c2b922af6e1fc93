"""Search keys and query terms for full-text search over Chinese text.

Stored text is kept as a search key: normalized (full-width, script, pinyin annotations),
case-folded, whitespace removed. A query is normalized the same way and cut into words with
jieba; a record matches when its key contains every word. So "挪用村集体资金" finds
"村集體的資金被挪用" (traditional script, other word order), and a query typed in full-width
characters finds half-width text.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from functools import lru_cache

from xuncha.text.normalize import match_key

_lock = threading.Lock()
_ready = False
MAX_TERMS = 12


def _jieba():
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def search_key(*parts: str) -> str:
    """The key stored next to a record, from its searchable fields."""
    return "\n".join(match_key(p) for p in parts if p)


def _is_word(token: str) -> bool:
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


@lru_cache(maxsize=1024)
def query_terms(query: str) -> tuple[str, ...]:
    """The words a record's key must all contain; empty when the query has no words.
    Single characters next to longer words are dropped as particles (的, 了, 和 …) unless the
    query is a single character."""
    key = match_key(query)
    if not key:
        return ()
    words = [t for t in _jieba().cut(key) if _is_word(t)]
    longer = [w for w in words if len(w) > 1]
    terms = longer if longer else words
    seen: dict[str, None] = {}
    for term in terms:
        if not any(term in other and term != other for other in terms):
            seen.setdefault(term, None)
    return tuple(seen)[:MAX_TERMS]
