"""Explaining a near-duplicate pair to a reader: the two texts (title and description) with the
phrases they share marked, the similarity, and why the pair has its relation.

The engine (xuncha.text.neardup.explain) gives spans into the compared text, which is the
title, a newline, then the description (detection.problem_text); the marks are put back on the
title and the description separately. Every piece of text is escaped before it is marked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xuncha.analytics.detection import problem_text
from xuncha.text import neardup


@dataclass(frozen=True)
class Marked:
    title: SafeString
    description: SafeString


@dataclass(frozen=True)
class Explained:
    similarity: float
    phrases: list[str]
    a: Marked
    b: Marked

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


def _merge(spans) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans, *, offset: int = 0) -> SafeString:
    """`text` escaped, with the characters of `spans` (into a longer string where `text` starts
    at `offset`) in <mark>."""
    text = text or ""
    out: list[str] = []
    at = 0
    for start, end in _merge(spans):
        start, end = max(start - offset, 0), min(end - offset, len(text))
        if end <= start or start < at:
            continue
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text was escaped above


def _marked(title: str, description: str, spans) -> Marked:
    title = title or ""
    return Marked(title=mark(title, spans), description=mark(description or "", spans, offset=len(title) + 1))


def explain(a_title: str, a_description: str, b_title: str, b_description: str) -> Explained:
    """The pair explained: shared phrases marked on both sides, and the similarity."""
    found = neardup.explain(problem_text(a_title, a_description), problem_text(b_title, b_description))
    return Explained(similarity=float(found.similarity), phrases=list(found.phrases),
                     a=_marked(a_title, a_description, found.spans_a),
                     b=_marked(b_title, b_description, found.spans_b))


def explain_problems(a, b) -> Explained:
    return explain(a.title, a.description, b.title, b.description)
