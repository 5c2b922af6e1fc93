"""The outline of official documents: 一、 → （一） → 1. → （1）.

A report's sections are [{"key", "title", "body"}]; a body is plain text, one paragraph per
line. A paragraph that starts with a number of the outline is a heading of that level, as in
any Chinese official document; Word output and the pages style it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xuncha.text.numerals import to_chinese

BODY, LEVEL1, LEVEL2, LEVEL3, LEVEL4 = 0, 1, 2, 3, 4

_PATTERNS = (
    (LEVEL1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (LEVEL2, re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")),
    (LEVEL3, re.compile(r"^\d+[.．、]\s*")),
    (LEVEL4, re.compile(r"^[（(]\d+[）)]")),
)


def number(level: int, n: int) -> str:
    """The number of the n-th heading (1-based) at a level: 一、 （一） 1. （1）"""
    if level == LEVEL1:
        return f"{to_chinese(n)}、"
    if level == LEVEL2:
        return f"（{to_chinese(n)}）"
    if level == LEVEL3:
        return f"{n}."
    if level == LEVEL4:
        return f"（{n}）"
    raise ValueError(f"no numbering at level {level}")


def level_of(paragraph: str) -> int:
    text = paragraph.lstrip()
    for level, pattern in _PATTERNS:
        if pattern.match(text):
            return level
    return BODY


@dataclass(frozen=True)
class Block:
    level: int  # BODY or LEVEL1..LEVEL4
    text: str


def blocks(sections: list[dict]) -> list[Block]:
    """Every section as a level-1 heading (一、 + its title, numbered in order) followed by the
    paragraphs of its body, each with its level. Empty lines are dropped."""
    out: list[Block] = []
    for i, section in enumerate(sections, start=1):
        title = (section.get("title") or "").strip()
        if title:
            out.append(Block(LEVEL1, title if level_of(title) == LEVEL1 else f"{number(LEVEL1, i)}{title}"))
        for line in (section.get("body") or "").splitlines():
            line = line.strip()
            if line:
                out.append(Block(level_of(line), line))
    return out
