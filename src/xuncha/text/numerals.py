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


_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_MULTIPLIERS = {"十": 10, "百": 100, "千": 1000}


def from_chinese(text: str) -> int:
    """三十二 → 32, 一百零一 → 101, 十 → 10, 两千 → 2000, 一万零五 → 10005; Arabic digits
    (full- or half-width) are read as they are. Anything else is a ValueError."""
    text = (text or "").strip()
    if not text:
        raise ValueError("empty numeral")
    digits = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if digits.isascii() and digits.isdigit():
        return int(digits)
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _VALUES:
            if digit is not None and _VALUES[ch] != 0:
                raise ValueError(f"{text!r} is not a numeral")
            digit = _VALUES[ch] or None
        elif ch in _MULTIPLIERS:
            section += (1 if digit is None else digit) * _MULTIPLIERS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            raise ValueError(f"{text!r} is not a numeral")
    return total + section + (digit or 0)
