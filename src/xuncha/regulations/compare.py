"""Article-by-article old/new comparison (新旧对照表) of two versions of a regulation.

Pure Python, no Django: `align(old, new)` takes the articles of both versions in document order
and returns the rows of the table, each with its change kind and a character-level diff.

How articles are paired:
1. Identical texts (after normalization: NFKC, traditional → simplified, no whitespace, no
   punctuation) are paired. The longest in-order chain of them is the backbone; an identical
   text out of that order was moved.
2. The remaining articles are scored by character-bigram Jaccard similarity. Pairs above
   MATCH_THRESHOLD are taken best score first, first only those that keep the document order
   (that do not cross an accepted pair), then the rest (moved and modified).
3. What is still unpaired may be part of a split (one old → several new) or a merge (several
   old → one new): a piece whose bigrams lie mostly (CONTAIN_THRESHOLD) in one article of the
   other version is grouped with it. A single such piece of an otherwise unpaired article is
   a 修改 (the article was cut down or much extended).
4. Anything left is 新增 or 删除 — including an article rewritten beyond recognition.

Change kinds:
- 未变 (UNCHANGED): same text, in order. Its number may differ because articles before it were
  inserted or deleted; the note then says so (原第五条，现第六条) — a renumbering alone is not a change.
- 调整位置 (MOVED): same text, taken out of its place among its neighbours.
- 修改 (MODIFIED): the text changed. An article both renumbered (or moved) and modified is 修改:
  the change of text is what the reader must study; `moved` is set and the note names both numbers.
- 新增 / 删除 (INSERTED / DELETED), 拆分 (SPLIT, one old row, several new), 合并 (MERGED).
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from xuncha.text import normalize

# Bigram Jaccard above which two articles are the same article modified. Articles of one
# regulation share their vocabulary (巡察, 应当, 党组织…): unrelated articles score 0.05–0.2,
# a few words changed ~0.9, an article with a sentence of its own length added ~0.5.
MATCH_THRESHOLD = 0.4
# Share of a piece's bigrams found in one article of the other version for the piece to count
# as split off from (or merged into) that article.
CONTAIN_THRESHOLD = 0.7
# A piece shorter than this (in bigrams) is too generic to be called part of another article.
MIN_PIECE_BIGRAMS = 6

UNCHANGED = "unchanged"
MODIFIED = "modified"
MOVED = "moved"
INSERTED = "inserted"
DELETED = "deleted"
SPLIT = "split"
MERGED = "merged"
KINDS = (MODIFIED, INSERTED, DELETED, MOVED, SPLIT, MERGED, UNCHANGED)
KIND_LABELS = {UNCHANGED: "未变", MODIFIED: "修改", MOVED: "调整位置", INSERTED: "新增", DELETED: "删除",
               SPLIT: "拆分", MERGED: "合并"}

_LEADING_LABEL = re.compile(r"^\s*第[零〇一二两三四五六七八九十百千\d]+条(之[一二三四五六七八九十]+)?[\s\u3000]*")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Article:
    number: int
    label: str  # 第三十二条
    text: str   # the article's text (a leading 第X条 is dropped when compared and shown)


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" (only in the new text) or "delete" (only in the old text)
    text: str


@dataclass
class Row:
    kind: str
    old: list[Article] = field(default_factory=list)
    new: list[Article] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    similarity: float = 1.0
    moved: bool = False
    note: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def old_labels(self) -> str:
        return "、".join(a.label for a in self.old)

    @property
    def new_labels(self) -> str:
        return "、".join(a.label for a in self.new)

    @property
    def old_text(self) -> str:
        return "\n".join(body(a.text) for a in self.old)

    @property
    def new_text(self) -> str:
        return "\n".join(body(a.text) for a in self.new)

    @property
    def old_segments(self) -> list[Segment]:
        """What the old column shows: equal and deleted parts."""
        return [s for s in self.segments if s.op != "insert"]

    @property
    def new_segments(self) -> list[Segment]:
        return [s for s in self.segments if s.op != "delete"]


@dataclass
class Comparison:
    rows: list[Row]

    def counts(self) -> dict[str, int]:
        found = {kind: 0 for kind in KINDS}
        for row in self.rows:
            found[row.kind] += 1
        return found

    def of_kind(self, *kinds: str) -> list[Row]:
        return [row for row in self.rows if not kinds or row.kind in kinds]


def body(text: str) -> str:
    """An article's text without its leading 第X条 and surrounding whitespace."""
    return _LEADING_LABEL.sub("", text or "", count=1).strip()


def similarity_key(text: str) -> str:
    """Normalized text without whitespace and punctuation: what similarity is computed on."""
    return _NOT_WORD.sub("", normalize(body(text)))


def bigrams(key: str) -> frozenset[str]:
    if len(key) < 2:
        return frozenset([key]) if key else frozenset()
    return frozenset(key[i:i + 2] for i in range(len(key) - 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def containment(part: frozenset[str], whole: frozenset[str]) -> float:
    """Share of `part`'s bigrams found in `whole`."""
    return len(part & whole) / len(part) if part else 0.0


@lru_cache(maxsize=8192)
def _char_key(ch: str) -> str:
    # Per character so the diff can map back to the displayed text; full/half width and
    # traditional/simplified compare equal, and punctuation width never shows as a change.
    return normalize(ch) if not ch.isspace() else ""


def diff(old: str, new: str) -> list[Segment]:
    """Character diff of two texts, comparing normalized characters and ignoring whitespace;
    the segments carry the displayed text (the old side's for deletions, the new side's
    otherwise), whitespace included, so joining equal+insert gives back `new`."""
    old, new = old.strip(), new.strip()
    if old == new:
        return [Segment("equal", new)] if new else []
    old_pos, old_keys = _keyed(old)
    new_pos, new_keys = _keyed(new)
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    segments: list[Segment] = []

    def span(text: str, pos: list[int], a: int, b: int) -> str:
        start = 0 if a == 0 else pos[a]
        end = len(text) if b >= len(pos) else pos[b]
        return text[start:end]

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _push(segments, "equal", span(new, new_pos, j1, j2))
            continue
        if i2 > i1:
            _push(segments, "delete", span(old, old_pos, i1, i2))
        if j2 > j1:
            _push(segments, "insert", span(new, new_pos, j1, j2))
    return segments


def _keyed(text: str) -> tuple[list[int], list[str]]:
    positions, keys = [], []
    for index, ch in enumerate(text):
        key = _char_key(ch)
        if key:
            positions.append(index)
            keys.append(key)
    return positions, keys


def _push(segments: list[Segment], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].op == op:
        segments[-1] = Segment(op, segments[-1].text + text)
    else:
        segments.append(Segment(op, text))


class _Chain:
    """Accepted pairs (old index, new index) that keep document order on both sides."""

    def __init__(self) -> None:
        self.olds: list[int] = []
        self.news: list[int] = []

    def fits(self, i: int, j: int) -> bool:
        at = bisect_left(self.olds, i)
        before = self.news[at - 1] if at else -1
        after = self.news[at] if at < len(self.news) else None
        return before < j and (after is None or j < after)

    def add(self, i: int, j: int) -> None:
        at = bisect_left(self.olds, i)
        self.olds.insert(at, i)
        self.news.insert(at, j)


def _longest_chain(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest subset increasing on both sides (pairs sorted by old index; patience sort)."""
    pairs = sorted(pairs)
    tails: list[int] = []  # new index ending the best chain of each length
    tail_at: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        at = bisect_left(tails, j)
        if at == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[at] = j
            tail_at[at] = k
        back[k] = tail_at[at - 1] if at else -1
    chain: set[tuple[int, int]] = set()
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.add(pairs[k])
        k = back[k]
    return chain


def align(old: list[Article], new: list[Article]) -> Comparison:
    """The rows of the comparison, in the new version's order; a deleted article follows the
    row of the old article before it."""
    old_keys = [similarity_key(a.text) for a in old]
    new_keys = [similarity_key(a.text) for a in new]
    old_grams = [bigrams(k) for k in old_keys]
    new_grams = [bigrams(k) for k in new_keys]
    pair_of_old: dict[int, int] = {}
    pair_of_new: dict[int, int] = {}
    score: dict[tuple[int, int], float] = {}

    # 1. identical texts, paired in order of appearance
    by_key: dict[str, list[int]] = {}
    for j, key in enumerate(new_keys):
        by_key.setdefault(key, []).append(j)
    exact: list[tuple[int, int]] = []
    for i, key in enumerate(old_keys):
        waiting = by_key.get(key)
        if waiting:
            exact.append((i, waiting.pop(0)))
    chain = _Chain()
    in_order = _longest_chain(exact)
    for i, j in sorted(in_order):
        chain.add(i, j)
    for i, j in exact:
        pair_of_old[i], pair_of_new[j] = j, i
        score[(i, j)] = 1.0

    # 2. similar texts: in order first, then the moved ones
    free_old = [i for i in range(len(old)) if i not in pair_of_old]
    free_new = [j for j in range(len(new)) if j not in pair_of_new]
    candidates = []
    for i in free_old:
        grams = old_grams[i]
        size = len(grams)
        for j in free_new:
            other = len(new_grams[j])
            # Jaccard never exceeds the ratio of the sizes: skip the pairs that cannot reach it
            if min(size, other) < MATCH_THRESHOLD * max(size, other):
                continue
            s = jaccard(grams, new_grams[j])
            if s >= MATCH_THRESHOLD:
                candidates.append((-s, i, j))
    candidates.sort()
    for in_order_only in (True, False):
        for neg, i, j in candidates:
            if i in pair_of_old or j in pair_of_new:
                continue
            if in_order_only:
                if not chain.fits(i, j):
                    continue
                chain.add(i, j)
                in_order.add((i, j))
            pair_of_old[i], pair_of_new[j] = j, i
            score[(i, j)] = -neg

    # 3. splits and merges
    split_of: dict[int, list[int]] = {}  # old index → new pieces
    merge_of: dict[int, list[int]] = {}  # new index → old pieces
    for j in range(len(new)):
        if j in pair_of_new or len(new_grams[j]) < MIN_PIECE_BIGRAMS:
            continue
        best = max(((containment(new_grams[j], old_grams[i]), i) for i in range(len(old))), default=(0.0, -1))
        if best[0] >= CONTAIN_THRESHOLD and score.get((best[1], pair_of_old.get(best[1], -1))) != 1.0:
            split_of.setdefault(best[1], []).append(j)
    for i in range(len(old)):
        if i in pair_of_old or len(old_grams[i]) < MIN_PIECE_BIGRAMS:
            continue
        best = max(((containment(old_grams[i], new_grams[j]), j) for j in range(len(new))), default=(0.0, -1))
        if best[0] >= CONTAIN_THRESHOLD and score.get((pair_of_new.get(best[1], -1), best[1])) != 1.0:
            merge_of.setdefault(best[1], []).append(i)

    def _pair_late(i: int, j: int) -> None:
        # an article cut down or much extended: paired by containment, in order when it fits
        pair_of_old[i], pair_of_new[j] = j, i
        score[(i, j)] = jaccard(old_grams[i], new_grams[j])
        if chain.fits(i, j):
            chain.add(i, j)
            in_order.add((i, j))

    groups: list[tuple[str, list[int], list[int]]] = []
    grouped_old: set[int] = set()
    grouped_new: set[int] = set()
    for i, pieces in split_of.items():
        partner = pair_of_old.get(i)
        members = sorted(pieces + ([partner] if partner is not None else []))
        if partner is None and len(members) == 1:  # cut down or extended, not split
            _pair_late(i, members[0])
            continue
        groups.append((SPLIT, [i], members))
        grouped_old.add(i)
        grouped_new.update(members)
    for j, pieces in merge_of.items():
        pieces = [i for i in pieces if i not in grouped_old and i not in pair_of_old]
        if not pieces or j in grouped_new:
            continue
        partner = pair_of_new.get(j)
        members = sorted(pieces + ([partner] if partner is not None else []))
        if partner is None and len(members) == 1:
            _pair_late(members[0], j)
            continue
        groups.append((MERGED, members, [j]))
        grouped_old.update(members)
        grouped_new.add(j)

    # 4. the rows
    rows: list[tuple[tuple, Row]] = []
    placed_old: dict[int, tuple] = {}  # old index → sort key of its row
    for kind, olds, news in groups:
        row = Row(kind=kind, old=[old[i] for i in olds], new=[new[j] for j in news])
        row.segments = diff(row.old_text, row.new_text)
        row.similarity = jaccard(frozenset().union(*(old_grams[i] for i in olds)),
                                 frozenset().union(*(new_grams[j] for j in news)))
        verb = "拆分为" if kind == SPLIT else "合并为"
        row.note = f"原{row.old_labels}{verb}{row.new_labels}"
        rows.append(((min(news), 1, min(olds)), row))
        placed_old.update((i, rows[-1][0]) for i in olds)
    for i, j in pair_of_old.items():
        if i in grouped_old or j in grouped_new:
            continue
        a, b = old[i], new[j]
        row = Row(kind=UNCHANGED, old=[a], new=[b], similarity=score[(i, j)], moved=(i, j) not in in_order)
        renumbered = a.number != b.number
        if old_keys[i] == new_keys[j]:
            row.kind = MOVED if row.moved else UNCHANGED
        else:
            row.kind = MODIFIED
        row.segments = diff(row.old_text, row.new_text)
        if row.moved:
            row.note = f"位置调整：原{a.label}，现{b.label}"
        elif renumbered:
            row.note = f"条号调整：原{a.label}，现{b.label}"
        rows.append(((j, 1, i), row))
        placed_old[i] = rows[-1][0]
    placed = sorted(placed_old)
    for i in range(len(old)):
        if i in pair_of_old or i in grouped_old:
            continue
        row = Row(kind=DELETED, old=[old[i]], similarity=0.0)
        row.segments = diff(row.old_text, "")
        at = bisect_left(placed, i)
        key = (placed_old[placed[at - 1]][0], 2, i) if at else (-1, 2, i)
        rows.append((key, row))
    for j in range(len(new)):
        if j in pair_of_new or j in grouped_new:
            continue
        row = Row(kind=INSERTED, new=[new[j]], similarity=0.0)
        row.segments = diff("", row.new_text)
        rows.append(((j, 1, -1), row))
    rows.sort(key=lambda item: item[0])
    return Comparison(rows=[row for _, row in rows])

