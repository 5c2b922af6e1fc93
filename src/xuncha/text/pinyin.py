"""Pinyin initials for searching names: 红山镇 → "hsz"."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def pinyin_initials(text: str) -> str:
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letter for letter in letters if letter.isascii() and letter.isalnum()).lower()
