"""Normalization of Chinese text before it is matched or searched.

The display always keeps what was typed; these functions produce keys for comparison.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# Basic Latin, Latin-1, Extended-A/B, combining marks and Extended Additional (ḿ, ế).
_LATIN = r"a-zA-Zü\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff"
# Parenthesised Latin letters right after a Han character: a candidate pinyin annotation.
_ANNOTATION = re.compile(
    rf"(?<={_HAN})\s?[(（]\s*([{_LATIN}][{_LATIN}0-5:\s'’]*?)\s*[)）]"
)
# A syllable with its tone as a digit: 1-4, and 5 or 0 for the neutral tone.
_NUMBERED = re.compile(r"[a-zü:]+[0-5]")
_HAN_RUN = re.compile(rf"{_HAN}+$")
_SPACES = re.compile(r"\s+")
_DIAERESIS = "\u0308"

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


@lru_cache(maxsize=4096)
def _toneless(syllable: str) -> str:
    """The syllable without its tone (mark or digit), lower case, with ü for v and u:."""
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    plain = "".join(c for c in decomposed if c == _DIAERESIS or not unicodedata.combining(c))
    plain = unicodedata.normalize("NFC", plain).rstrip("012345")
    return plain.replace("u:", "ü").replace("v", "ü")


def _readings(char: str) -> frozenset[str]:
    """The toneless readings of one Han character (empty when pypinyin does not know it)."""
    from pypinyin.pinyin_dict import pinyin_dict

    return _readings_of(pinyin_dict.get(ord(char), ""))


@lru_cache(maxsize=8192)
def _readings_of(readings: str) -> frozenset[str]:
    return frozenset(_toneless(r) for r in readings.split(",") if r)


def _reads_as(han: str, letters: str) -> bool:
    """Whether `letters` (toneless, no separators) spells a reading of the last few characters
    of `han`, one syllable per character: "zhongguo" for "…中国"."""
    ends = {len(letters)}
    for char in reversed(han):
        readings = _readings(char)
        ends = {end - len(r) for end in ends for r in readings if letters.endswith(r, 0, end)}
        if not ends:
            return False
        if 0 in ends:
            return True
    return False


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


def _pinyin_length(annotation: str, han: str) -> int | None:
    """Syllables in a bracket that reads as pinyin of the characters `han` right before it,
    or None when it is something else.

    Tone marks or tone numbers make pinyin certain, so "zhōngguó" or "zhong1guo2" may run
    together and only have to be syllables. Without tones the letters must spell a reading of
    the characters before the bracket, so "他们(ta men)" or "中国(zhongguo)" go while
    "工具(ping)", "附件(A)", "(WTO)" and English words are kept."""
    words = [w for w in re.split(r"[\s'’]+", annotation) if w]
    if not words:
        return None
    toned = any(_toneless(w) != w.lower().replace("u:", "ü").replace("v", "ü") for w in words)
    toned = toned or any(c.isdigit() for c in annotation)
    if not toned:
        letters = "".join(_toneless(w) for w in words)
        if len(letters) == 1 or not letters.isalpha() or not _reads_as(han, letters):
            return None
        return _segments(letters)
    total = 0
    for word in words:
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
    return total


def strip_pinyin_annotations(text: str) -> str:
    """Remove pinyin that web copies put after characters: "机(jī)构(gòu)" → "机构",
    "巡察(xún chá)" → "巡察", "機(ji1)構(gou4)" → "機構".

    Only a bracket that reads as pinyin for at most as many Han characters as stand right
    before it is removed, so "党委（党组）", "附件(A)", "Word(docx)" or "(WTO)" stay.
    """

    def replace(match: re.Match[str]) -> str:
        han = _HAN_RUN.search(match.string, 0, match.start())
        if not han:
            return match.group(0)
        count = _pinyin_length(match.group(1), han.group(0))
        if count and count <= len(han.group(0)):
            return ""
        return match.group(0)

    return _ANNOTATION.sub(replace, unicodedata.normalize("NFC", text))


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), pinyin annotations removed, traditional → simplified,
    whitespace collapsed to single spaces."""
    if not text:
        return ""
    # NFKC first, so that full-width letters in an annotation ("（ｊī）") read as pinyin.
    folded = unicodedata.normalize("NFKC", text)
    stripped = strip_pinyin_annotations(folded)
    simplified = _t2s(stripped)
    return _SPACES.sub(" ", simplified).strip()


def match_key(text: str) -> str:
    """Key for equality matching of names: normalized, case-folded, without any whitespace."""
    return _SPACES.sub("", normalize(text)).casefold()
