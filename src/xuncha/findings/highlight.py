"""Marking the words of a search in the text shown: escape first, then mark.

The stored search key is normalized (full-width folded, traditional → simplified, pinyin
annotations dropped, case folded, no spaces), so the words are found in a per-character key
of the original text and the marks are put back on the original characters: a search for
资金 marks 資金 in a traditional text, and 机构 marks 機(jī)構(gòu) whole.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xuncha.text.normalize import match_key, strip_pinyin_annotations


@lru_cache(maxsize=8192)
def _char_key(ch: str) -> str:
    return match_key(ch)


def _annotation_spans(text: str) -> list[tuple[int, int]]:
    """Where the pinyin annotations are that the search key leaves out."""
    spans = []
    start = 0
    while True:
        open_at = min((i for i in (text.find("(", start), text.find("（", start)) if i >= 0), default=-1)
        if open_at < 0:
            return spans
        close_at = min((i for i in (text.find(")", open_at), text.find("）", open_at)) if i >= 0), default=-1)
        if close_at < 0:
            return spans
        piece = text[max(0, open_at - 8):close_at + 1]
        if strip_pinyin_annotations(piece) != piece:
            spans.append((open_at, close_at + 1))
        start = close_at + 1


def _keyed(text: str) -> tuple[str, list[int]]:
    """The key of `text` and, for each key character, the index of its original character."""
    skip = set()
    for a, b in _annotation_spans(text):
        skip.update(range(a, b))
    key: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        if index in skip:
            continue
        for k in _char_key(ch):
            key.append(k)
            origin.append(index)
    return "".join(key), origin


def _marked(text: str, terms: tuple[str, ...]) -> list[bool]:
    key, origin = _keyed(text)
    marked = [False] * len(text)
    for term in terms:
        if not term:
            continue
        at = key.find(term)
        while at >= 0:
            first, last = origin[at], origin[at + len(term) - 1]
            for i in range(first, last + 1):
                marked[i] = True
            at = key.find(term, at + 1)
    return marked


def highlight(text: str, terms: tuple[str, ...], *, width: int | None = None) -> SafeString:
    """The text, escaped, with the words marked; cut to about `width` characters around the
    first mark when a width is given."""
    text = text or ""
    marked = _marked(text, terms) if terms else [False] * len(text)
    start, end = 0, len(text)
    if width and len(text) > width:
        first = next((i for i, m in enumerate(marked) if m), 0)
        start = max(0, first - width // 4)
        end = min(len(text), start + width)
    out: list[str] = ["…" if start else ""]
    i = start
    while i < end:
        j = i
        while j < end and marked[j] == marked[i]:
            j += 1
        piece = escape(text[i:j])
        out.append(f"<mark>{piece}</mark>" if marked[i] else piece)
        i = j
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text was escaped above
