"""Normalization of Chinese text before it is matched or searched.

The display always keeps what was typed; these functions produce keys for comparison.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_LATIN = r"a-zA-Zü\u00c0-\u024f\u0300-\u036f"
# Parenthesised Latin letters right after a Han character: a candidate pinyin annotation.
_ANNOTATION = re.compile(
    rf"(?<={_HAN})\s?[(（]\s*([{_LATIN}][{_LATIN}1-5\s'’]*?)\s*[)）]"
)
_NUMBERED = re.compile(r"[a-zü]+[1-5]")
_HAN_RUN = re.compile(rf"{_HAN}+$")
_SPACES = re.compile(r"\s+")
_TONE_MARKS = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ",
    "aaaaeeeeiiiioooouuuuüüüünnnm",
)

_lock = threading.Lock()
_converter = None


def _t2s(text: str) -> str:
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return _converter.convert(text)


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable (lower case, ü kept), from pypinyin's dictionary."""
    from pypinyin.pinyin_dict import pinyin_dict

    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            found.add(_toneless(reading))
    return frozenset(found)


def _toneless(syllable: str) -> str:
    plain = unicodedata.normalize("NFC", syllable.lower()).translate(_TONE_MARKS)
    plain = plain.rstrip("12345")
    return plain.replace("v", "ü")


def _segments(word: str) -> int | None:
    """How many pinyin syllables `word` (tone marks kept, no spaces) is made of; None if
    it is not pinyin. Shortest segmentation, so "xian" counts once, not as "xi'an"."""
    syllables = _syllables()
    best: list[int | None] = [0] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            before = best[start]
            if before is not None and _toneless(word[start:end]) in syllables:
                if best[end] is None or before + 1 < best[end]:  # type: ignore[operator]
                    best[end] = before + 1
    return best[-1]


def _pinyin_length(annotation: str) -> int | None:
    """Syllables in a bracket that reads as pinyin, or None when it is something else.

    Tone marks or tone numbers make pinyin certain, so "zhōngguó" or "zhong1guo2" may run
    together. Without tones only lower-case syllables separated by spaces count, and a lone
    letter never does: "(A)", "(AI)", "(WTO)" and English words are kept."""
    words = [w for w in re.split(r"[\s'’]+", annotation) if w]
    toned = any(_toneless(w) != w.lower() for w in words) or any(c.isdigit() for c in annotation)
    total = 0
    for word in words:
        if toned:
            parts = [word]
            if any(c.isdigit() for c in word):
                parts = _NUMBERED.findall(word.lower())
                if "".join(parts) != word.lower():
                    return None
            for part in parts:
                count = _segments(_toneless(part))
                if count is None:
                    return None
                total += count
        else:
            if not word.islower() or _toneless(word) not in _syllables():
                return None
            total += 1
    if not toned and total == 1 and len(words[0]) == 1:
        return None
    return total


def strip_pinyin_annotations(text: str) -> str:
    """Remove pinyin that web copies put after characters: "机(jī)构(gòu)" → "机构",
    "巡察(xún chá)" → "巡察".

    Only a bracket that reads as pinyin for at most as many Han characters as stand right
    before it is removed, so "党委（党组）", "附件(A)" or "(WTO)" stay.
    """

    def replace(match: re.Match[str]) -> str:
        count = _pinyin_length(match.group(1))
        han = _HAN_RUN.search(match.string, 0, match.start())
        if count and han and count <= len(han.group(0)):
            return ""
        return match.group(0)

    return _ANNOTATION.sub(replace, unicodedata.normalize("NFC", text))


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), pinyin annotations removed, traditional → simplified,
    whitespace collapsed to single spaces."""
    if not text:
        return ""
    stripped = strip_pinyin_annotations(text)
    folded = unicodedata.normalize("NFKC", stripped)
    simplified = _t2s(folded)
    return _SPACES.sub(" ", simplified).strip()


def match_key(text: str) -> str:
    """Key for equality matching of names: normalized, case-folded, without any whitespace."""
    return _SPACES.sub("", normalize(text)).casefold()
