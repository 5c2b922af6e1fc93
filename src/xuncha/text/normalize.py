"""Normalization of Chinese text before it is matched or searched.

The display always keeps what was typed; these functions produce keys for comparison.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
# A parenthesised Latin word right after a Han character: a candidate pinyin annotation.
_ANNOTATION = re.compile(rf"(?<={_HAN})\s?[(（]\s?([a-zA-Zü\u00c0-\u024f\u0300-\u036f]+[1-5]?)\s?[)）]")
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


def strip_pinyin_annotations(text: str) -> str:
    """Remove pinyin that web copies put after characters: "机(jī)构(gòu)" → "机构".

    Only a bracket holding exactly one valid pinyin syllable right after a Han character
    is removed, so "党委（党组）" or "附件(A)"-like text that is not pinyin stays.
    """

    def replace(match: re.Match[str]) -> str:
        word = match.group(1)
        key = _toneless(word)
        if key in _syllables() and (key != word.lower() or len(word) > 1):
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
