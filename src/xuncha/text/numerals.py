"""Chinese numerals as official documents write them: 14 → 十四, 108 → 一百零八."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_UNITS = ["", "十", "百", "千"]


def _below_10000(n: int) -> str:
    out, zero = [], False
    for power in (3, 2, 1, 0):
        digit = n // 10**power % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[digit] + _UNITS[power])
    return "".join(out)


def to_chinese(n: int) -> str:
    """Non-negative integers below 10^8; 10–19 are written 十, 十一 … as in 第十一轮."""
    if n < 0 or n >= 10**8:
        raise ValueError(f"{n} is out of range")
    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    text = ""
    if high:
        text = _below_10000(high) + "万"
        if 0 < low < 1000:
            text += "零"
    if low:
        text += _below_10000(low)
    if text.startswith("一十"):
        text = text[1:]
    return text
