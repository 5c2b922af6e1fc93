"""A regulation's text → its provisions 编/章/节/条/款/项, in document order.

Rules (what the import page tells the office):
- 第X编, 第X章, 第X节 on a line of their own (short, not ending a sentence) start a part,
  chapter or section; the rest of the line is its heading. Sections number within their chapter.
- 第X条 at the start of a line starts an article; the article runs to the next article or
  heading. 第X条之一 (an article inserted by a revision) is kept with the number X and the
  label 第X条之一; anything past 之九 is refused as not a numeral.
- 款: every line of an article that is not an item is a paragraph (款), numbered 1..n. An
  article of one paragraph has no 款 rows: its 款 is the article itself, so 第三条第一款 of such
  an article is the article, and its items are cited 第三条第（一）项 as the drafting rules do.
- 项: a line starting with （一） or (一) is an item of the paragraph above it (of the article
  when the article has a single paragraph).
- Numerals may be Chinese or Arabic, brackets full- or half-width, with stray spaces
  (第 三 条). Labels are stored in the canonical form: 第三条, （一）.
- Lines before the first heading or article are the preamble (title, issuing note); a
  table of contents (headings repeated before the body) is dropped.
- Warnings, never refusals: gaps, duplicates and numbers out of order. A text without any
  article is refused.

Display keeps the text as written; xuncha.text.search_key makes the search keys elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from xuncha.text.numerals import from_chinese, to_chinese

PART, CHAPTER, SECTION, ARTICLE, PARAGRAPH, ITEM = 1, 2, 3, 4, 5, 6
UNIT = {PART: "编", CHAPTER: "章", SECTION: "节"}
LEVEL_OF_UNIT = {"编": PART, "章": CHAPTER, "节": SECTION}

_NUM = r"[零〇一二两三四五六七八九十百千万0-9０-９]+"
_S = r"[ \t\u3000]*"
_HEAD = re.compile(rf"^第{_S}(?P<num>{_NUM}(?:{_S}{_NUM})*){_S}(?P<unit>[编章节条])"
                   rf"(?:{_S}之{_S}(?P<sub>[一二三四五六七八九]))?(?![款项])")
_ITEM = re.compile(rf"^[(（]{_S}(?P<num>{_NUM}){_S}[)）]")
_SPACES = re.compile(r"[ \t\u3000]+")
_SENTENCE_END = ("。", "；", ";", "：", ":")
MAX_HEADING = 60


class ParseError(ValueError):
    """The text cannot be a regulation (no article found)."""


@dataclass
class Unit:
    """One provision as parsed; `parent` is the index of its parent in ParseResult.units."""

    level: int
    number: int
    label: str
    heading: str = ""
    lines: list[str] = field(default_factory=list)
    address: str = ""
    parent: int | None = None
    sub: int = 0  # 1 for 第X条之一
    line_no: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class ParseResult:
    units: list[Unit]
    preamble: str
    warnings: list[str]

    @property
    def articles(self) -> list[Unit]:
        return [u for u in self.units if u.level == ARTICLE]


def article_label(number: int, sub: int = 0) -> str:
    return f"第{to_chinese(number)}条" + (f"之{to_chinese(sub)}" if sub else "")


def item_label(number: int) -> str:
    return f"（{to_chinese(number)}）"


def _number(raw: str) -> int:
    return from_chinese(_SPACES.sub("", raw))


def _clean_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return [line.strip(" \t\u3000\ufeff\xa0") for line in text.split("\n")]


class _Parser:
    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.preamble: list[str] = []
        self.warnings: list[str] = []
        self.current: dict[int, int] = {}  # level → index of the open unit of that level
        self.article: Unit | None = None
        self.paragraphs: list[tuple[str, list[str]]] = []  # of the open article: (text, items)

    # -- structure ------------------------------------------------------------------------
    def _open(self, unit: Unit) -> int:
        parents = [self.current[lv] for lv in (SECTION, CHAPTER, PART) if lv in self.current and lv < unit.level]
        unit.parent = parents[0] if parents else None
        self.units.append(unit)
        index = len(self.units) - 1
        self.current = {lv: i for lv, i in self.current.items() if lv < unit.level}
        self.current[unit.level] = index
        return index

    def _close_article(self) -> None:
        article = self.article
        if article is None:
            return
        self.article = None
        article_index = self.units.index(article)
        paragraphs, self.paragraphs = self.paragraphs, []
        article.lines = [line for text, items in paragraphs for line in (text, *items) if line]
        several = len(paragraphs) > 1
        for p_no, (text, items) in enumerate(paragraphs, start=1):
            parent = article_index
            prefix = article.address
            if several:
                label = f"第{to_chinese(p_no)}款"
                self.units.append(Unit(PARAGRAPH, p_no, label, lines=[line for line in (text, *items) if line],
                                       address=prefix + label, parent=article_index))
                parent = len(self.units) - 1
                prefix += label
            expected = 1
            for item in items:
                match = _ITEM.match(item)
                assert match is not None
                number = _number(match["num"])
                if number != expected:
                    self.warnings.append(_("%(address)s: item %(found)s where %(expected)s was expected.")
                                         % {"address": prefix, "found": item_label(number),
                                            "expected": item_label(expected)})
                expected = number + 1
                label = item_label(number)
                self.units.append(Unit(ITEM, number, label, lines=[item[match.end():].strip()],
                                       address=f"{prefix}第{label}项", parent=parent))

    def heading(self, level: int, number: int, heading: str, line_no: int) -> None:
        self._close_article()
        label = f"第{to_chinese(number)}{UNIT[level]}"
        address = label
        if level == SECTION and CHAPTER in self.current:
            address = self.units[self.current[CHAPTER]].label + label
        self._open(Unit(level, number, label, heading=heading, address=address, line_no=line_no))

    def start_article(self, number: int, sub: int, rest: str, line_no: int) -> None:
        self._close_article()
        label = article_label(number, sub)
        unit = Unit(ARTICLE, number, label, address=label, sub=sub, line_no=line_no)
        self._open(unit)
        self.current.pop(ARTICLE, None)
        self.article = unit
        self.paragraphs = [(rest, [])] if rest else []

    def line(self, line: str) -> None:
        if self.article is None:
            if not self.units:
                self.preamble.append(line)
            elif not self.units[-1].heading and len(line) <= MAX_HEADING:  # 第一章 / 总则 on two lines
                self.units[-1].heading = line
            else:
                self.warnings.append(_("Text outside any article is not part of a provision: %(text)s")
                                     % {"text": line[:30]})
            return
        if _ITEM.match(line):
            if not self.paragraphs:
                self.paragraphs.append(("", []))
            self.paragraphs[-1][1].append(line)
        else:
            self.paragraphs.append((line, []))

    def finish(self) -> None:
        self._close_article()


def _structural(line: str) -> tuple[str, int, int, str] | None:
    """(unit, number, sub, rest) when the line opens a heading or an article."""
    match = _HEAD.match(line)
    if not match:
        return None
    try:
        number = _number(match["num"])
        sub = from_chinese(match["sub"]) if match["sub"] else 0
    except ValueError:
        return None
    rest = line[match.end():].strip(" \t\u3000")
    unit = match["unit"]
    if unit != "条" and (len(rest) > MAX_HEADING or rest.endswith(_SENTENCE_END)):
        return None  # a sentence that starts with 第二章 is text, not a heading
    if sub and unit != "条":
        return None
    return unit, number, sub, rest


def _drop_contents(units: list[Unit]) -> list[Unit]:
    """Headings listed before the body (a 目录) come back with the same label later, with
    nothing under them the first time: drop the first, empty, copies."""
    has_children = {u.parent for u in units if u.parent is not None}
    later: set[str] = set()
    drop: set[int] = set()
    for index in range(len(units) - 1, -1, -1):
        unit = units[index]
        if unit.level < ARTICLE:
            if unit.address in later and index not in has_children:
                drop.add(index)
            later.add(unit.address)
    if not drop:
        return units
    kept = [i for i in range(len(units)) if i not in drop]
    new_index = {old: new for new, old in enumerate(kept)}
    out = []
    for old in kept:
        unit = units[old]
        unit.parent = new_index.get(unit.parent) if unit.parent is not None else None
        out.append(unit)
    return out


def _check_numbering(units: list[Unit], warnings: list[str]) -> None:
    seen: set[tuple] = set()
    last: dict[tuple[int, int | None], int] = {}
    for unit in units:
        if unit.level > ARTICLE:
            continue
        scope = (unit.level, unit.parent if unit.level == SECTION else None)
        where = unit.label + (_(" (line %(line)d)") % {"line": unit.line_no} if unit.line_no else "")
        ident = (scope, unit.number, unit.sub)
        if ident in seen:
            warnings.append(_("%(where)s: the number appears twice.") % {"where": where})
            continue
        seen.add(ident)
        previous = last.get(scope)
        if unit.sub:
            if previous != unit.number:
                warnings.append(_("%(where)s: does not follow %(label)s.")
                                % {"where": where, "label": article_label(unit.number)})
            continue
        if previous is not None and unit.number <= previous:
            warnings.append(_("%(where)s: out of order, after number %(previous)s.")
                            % {"where": where, "previous": to_chinese(previous)})
        elif unit.number > (previous or 0) + 1:
            first, last_missing = (previous or 0) + 1, unit.number - 1
            missing = to_chinese(first) + (f"–{to_chinese(last_missing)}" if last_missing > first else "")
            warnings.append(_("%(where)s: numbering gap, %(missing)s missing.")
                            % {"where": where, "missing": f"第{missing}{UNIT.get(unit.level, '条')}"})
        last[scope] = unit.number


def parse(text: str) -> ParseResult:
    """Parse a regulation's text (see the module's rules). Raises ParseError without articles."""
    parser = _Parser()
    for line_no, line in enumerate(_clean_lines(text or ""), start=1):
        if not line:
            continue
        found = _structural(line)
        if found is None:
            parser.line(line)
            continue
        unit, number, sub, rest = found
        if unit == "条":
            parser.start_article(number, sub, rest, line_no)
        else:
            parser.heading(LEVEL_OF_UNIT[unit], number, rest, line_no)
    parser.finish()
    units = _drop_contents(parser.units)
    if not any(u.level == ARTICLE for u in units):
        raise ParseError(_("No article (第一条, 第二条 …) was found: each article must start a line "
                           "with 第X条."))
    warnings = list(parser.warnings)
    _check_numbering(units, warnings)
    return ParseResult(units=units, preamble="\n".join(parser.preamble), warnings=warnings)
