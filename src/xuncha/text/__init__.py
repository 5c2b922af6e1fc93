"""Chinese text processing: pure functions, no Django."""

from xuncha.text.normalize import match_key, normalize, strip_pinyin_annotations
from xuncha.text.pinyin import pinyin_initials
from xuncha.text.strokes import sort_by_strokes, stroke_sort_key

__all__ = [
    "match_key",
    "normalize",
    "pinyin_initials",
    "sort_by_strokes",
    "stroke_sort_key",
    "strip_pinyin_annotations",
]
