"""Pinyin initials for searching names: 红山镇 → "hsz"."""

from __future__ import annotations

import unicodedata

from pypinyin import Style, lazy_pinyin


def pinyin_initials(text: str) -> str:
    """First letters of the Han characters; Latin letters and digits are kept as typed
    (full-width folded), so "第２村ABC" → "d2cabc". Punctuation is dropped."""
    folded = unicodedata.normalize("NFKC", text)
    letters = "".join(lazy_pinyin(folded, style=Style.FIRST_LETTER, errors="default"))
    return "".join(c for c in letters if c.isascii() and c.isalnum()).lower()
