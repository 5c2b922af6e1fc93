"""Near-duplicate problem descriptions: the same problem restated, found by the meaning of the
normalized text (pure Python + numpy, no Django).

How texts are compared
  `prepare(text)` normalizes (full width, traditional script, pinyin annotations), masks
  numbers, dates, persons and place names, folds paraphrases (没有/尚未 → 未, 不到位/不严格 →
  不规范 …) and drops filler and punctuation (xuncha.text.neardup_prepare). The shingles of a
  prepared text are its character bigrams. `similarity(a, b)` is the Dice coefficient of the two
  shingle sets, 2|A∩B| / (|A|+|B|): the share of the two texts' wording they have in common,
  insensitive to the order of clauses; 1.0 for texts equal after prepare().

How pairs are found without comparing all of them
  `signature(text)` is a MinHash of the shingle set (PERMUTATIONS uint32 values, SIGNATURE_BYTES
  bytes, fixed); `Index` cuts signatures into LSH bands tuned so that a pair at the threshold is
  a candidate with high probability (Dice t ⇔ Jaccard t / (2 − t)); every candidate is then
  verified with the exact similarity, so the LSH only decides what is compared, never what
  matches. `find_pairs` does it all at once for a batch (vectorized: 3,000 texts in well under a
  second); `match` matches a new round's texts against an existing index without recomputing
  it. Figures: bench/neardup_bench.py and bench/README.md.

At province scale (xuncha.text.neardup_groups)
  `find_groups` groups the texts equal after prepare() into exact classes and matches one
  representative per class (same LSH, pre-filter and exact score), answering per input its
  class and the verified edges between classes, not the pairs inside a class (a problem
  repeated thousands of times is one class, not millions of pairs); `Groups.pairs()` expands
  it to find_pairs' list, which find_pairs itself now computes that way. `Groups.extend` matches
  a new round against the classes. 1,000,000 generated texts: bench/neardup_province.py.

`explain(a, b)` says why a pair matches: the similarity, the spans of each ORIGINAL text that
share wording with the other (for <mark>), and the shared phrases, longest first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from xuncha.text import neardup_groups
from xuncha.text import neardup_lsh as lsh
from xuncha.text.neardup_groups import Groups
from xuncha.text.neardup_prepare import (
    NUMBER,
    PERSON,
    PLACE,
    prepare,
    prepare_mapped,
    prepare_uncached,
)
from xuncha.text.normalize import normalize

DEFAULT_THRESHOLD = 0.6
# bumped whenever prepare() or the MinHash change, so that stored signatures can be recomputed
VERSION = 3
SIGNATURE_BYTES = lsh.SIGNATURE_BYTES
PERMUTATIONS = lsh.PERMUTATIONS

__all__ = [
    "DEFAULT_THRESHOLD", "SIGNATURE_BYTES", "VERSION", "Explanation", "Groups", "Index", "explain", "find_groups",
    "find_pairs", "match",
    "prepare", "signature", "signatures", "similarity",
]


def jaccard_for(threshold: float) -> float:
    """The Jaccard similarity of shingle sets at which their Dice coefficient is `threshold`."""
    threshold = min(max(threshold, 0.0), 1.0)
    return threshold / (2.0 - threshold)


def sure_for(threshold: float) -> float:
    """The similarity from which a pair is a candidate with probability ≥
    lsh.RECALL_AT_THRESHOLD: a third of the way from the threshold to 1. Pairs between the
    threshold and this are found with lower probability (at 0.6 → 0.733: bands of 4 rows, a
    pair at 0.6 is a candidate with probability 0.67, at 0.733 0.98, at 0.8 0.997); requiring
    certainty at the threshold itself would take bands of 3 rows and five to ten times the
    candidates on a large register."""
    return threshold + (1.0 - threshold) / 3.0


# ---- signatures -------------------------------------------------------------------------------
def _matrix(prepared: Sequence[str]) -> np.ndarray:
    codes, starts = lsh.shingle_codes(prepared)
    return lsh.minhash(codes, starts)


def _to_bytes(matrix: np.ndarray) -> list[bytes]:
    raw = matrix.astype("<u4", copy=False).tobytes()
    return [raw[i:i + SIGNATURE_BYTES] for i in range(0, len(raw), SIGNATURE_BYTES)]


def _from_bytes(sigs: Sequence[bytes]) -> np.ndarray:
    for sig in sigs:
        if len(sig) != SIGNATURE_BYTES:
            raise ValueError(f"a signature has {SIGNATURE_BYTES} bytes, not {len(sig)}")
    if not sigs:
        return np.zeros((0, PERMUTATIONS), dtype=np.uint32)
    return np.frombuffer(b"".join(sigs), dtype="<u4").reshape(-1, PERMUTATIONS).astype(np.uint32)


def signature(text: str) -> bytes:
    """The MinHash fingerprint of `text` (SIGNATURE_BYTES bytes), to store with a problem."""
    return _to_bytes(_matrix([prepare(text)]))[0]


def signatures(texts: Sequence[str]) -> list[bytes]:
    """`signature` of every text, computed together (the fast way for many)."""
    return _to_bytes(_matrix([prepare_uncached(t) for t in texts]))


# ---- the index --------------------------------------------------------------------------------
class Index:
    """In-memory LSH over signatures. Keys are integers (problem ids), each added once."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        bands, rows = lsh.bands_for(round(jaccard_for(sure_for(threshold)), 4))
        self._bands = lsh.Bands(bands, rows)
        self._keys: list[np.ndarray] = []
        self._key_array: np.ndarray | None = None
        self._sigs: list[np.ndarray] = []

    def __len__(self) -> int:
        return self._bands.size

    def _add_matrix(self, keys: Sequence[int], matrix: np.ndarray) -> None:
        if len(keys) != len(matrix):
            raise ValueError("keys and signatures differ in number")
        self._keys.append(np.asarray(keys, dtype=np.int64).reshape(-1))
        self._key_array = None
        self._sigs.append(matrix)
        self._bands.add(matrix)

    def _signatures(self) -> np.ndarray:
        if len(self._sigs) > 1:
            self._sigs = [np.concatenate(self._sigs)]
        return self._sigs[0] if self._sigs else np.zeros((0, PERMUTATIONS), dtype=np.uint32)

    def _all_keys(self) -> np.ndarray:
        if self._key_array is None:
            self._key_array = np.concatenate(self._keys) if self._keys else np.zeros(0, dtype=np.int64)
        return self._key_array

    def add(self, keys: Sequence[int], sigs: Sequence[bytes]) -> None:
        self._add_matrix(keys, _from_bytes(sigs))

    def _query_matrix(self, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct (query position, key, row) candidates, sorted by position and row."""
        q, rows = self._bands.query(matrix)
        if not len(q):
            return q, rows, rows
        size = max(1, len(self))
        codes = np.unique(q * size + rows)
        q, rows = codes // size, codes % size
        return q, self._all_keys()[rows], rows

    def query(self, sigs: Sequence[bytes]) -> list[list[int]]:
        """The candidate keys of each signature (sorted, distinct)."""
        out: list[list[int]] = [[] for _ in sigs]
        q, keys, _rows = self._query_matrix(_from_bytes(sigs))
        for position, key in zip(q.tolist(), keys.tolist(), strict=True):
            if not out[position] or out[position][-1] != key:
                out[position].append(key)
        return [sorted(set(found)) for found in out]

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Candidate pairs among the added keys, (smaller key, larger key), each once."""
        left, right = self._bands.pairs()
        return lsh.iterate_pairs(self._all_keys(), left, right)


# ---- the exact score --------------------------------------------------------------------------
def _dice(pa: str, pb: str) -> float:
    if pa == pb:
        return 1.0
    sa, sb = lsh.shingle_set(pa), lsh.shingle_set(pb)
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def similarity(a: str, b: str) -> float:
    """The score shown to users, in [0, 1]: the Dice coefficient of the prepared texts'
    bigram sets; symmetric, 1.0 for texts equal after prepare()."""
    return _dice(prepare(a or ""), prepare(b or ""))


@dataclass(frozen=True)
class Explanation:
    similarity: float
    spans_a: list[tuple[int, int]] = field(default_factory=list)  # in the original a
    spans_b: list[tuple[int, int]] = field(default_factory=list)  # in the original b
    phrases: list[str] = field(default_factory=list)  # shared phrases, longest first


_MASKS = {NUMBER, PLACE, PERSON}


def _shared(prepared: str, spans: list[tuple[int, int]], other: frozenset[str]) -> list[tuple[int, int]]:
    """Runs [i, j) of prepared characters covered by a shingle the other text has."""
    covered = [False] * len(prepared)
    if len(prepared) == 1:
        covered[0] = prepared in other
    for i in range(len(prepared) - 1):
        if prepared[i:i + 2] in other:
            covered[i] = covered[i + 1] = True
    runs, start = [], None
    for i, flag in enumerate([*covered, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def explain(a: str, b: str) -> Explanation:
    """Why `a` and `b` match: similarity, spans of each original text sharing wording with the
    other, and the shared phrases (as written in `a`, normalized), longest first."""
    a, b = a or "", b or ""
    pa, map_a = prepare_mapped(a)
    pb, map_b = prepare_mapped(b)
    score = _dice(pa, pb)
    sa, sb = lsh.shingle_set(pa), lsh.shingle_set(pb)
    runs_a, runs_b = _shared(pa, map_a, sb), _shared(pb, map_b, sa)
    spans_a = _merge([(map_a[i][0], map_a[j - 1][1]) for i, j in runs_a])
    spans_b = _merge([(map_b[i][0], map_b[j - 1][1]) for i, j in runs_b])
    phrases: dict[str, int] = {}
    for i, j in runs_a:
        if sum(ch not in _MASKS for ch in pa[i:j]) < 2:
            continue
        phrase = normalize(a[map_a[i][0]:map_a[j - 1][1]])
        phrases.setdefault(phrase, map_a[i][0])
    ordered = sorted(phrases, key=lambda p: (-len(p), phrases[p]))
    return Explanation(score, [s for s in spans_a if s[1] > s[0]], [s for s in spans_b if s[1] > s[0]], ordered)


# ---- batches ----------------------------------------------------------------------------------
def _verified(prepared: Sequence[str], left: np.ndarray, right: np.ndarray, threshold: float,
              csr: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes, starts = csr if csr is not None else lsh.shingle_codes(prepared)
    scores = lsh.dice(codes, starts, left, right)
    keep = scores >= threshold
    return left[keep], right[keep], scores[keep]


def find_pairs(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD, *,
               keys: Sequence[int] | None = None) -> list[tuple[int, int, float]]:
    """Every pair (key_i, key_j, similarity) with key_i < key_j and similarity ≥ threshold;
    keys default to the texts' positions. Sorted by keys."""
    keys_array = np.arange(len(texts), dtype=np.int64) if keys is None else np.asarray(keys, dtype=np.int64)
    if len(keys_array) != len(texts):
        raise ValueError("keys and texts differ in number")
    return _find_pairs([prepare_uncached(t) for t in texts], keys_array, threshold)


def _find_pairs(prepared: list[str], keys_array: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    # texts equal after prepare() are matched once, as one class (xuncha.text.neardup_groups)
    return neardup_groups.group(prepared, keys_array, threshold).pairs()


def find_groups(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD, *,
                keys: Sequence[int] | None = None, processes: int = 1,
                timings: dict[str, float] | None = None) -> Groups:
    """The output-sensitive form of find_pairs, for registers where the same problem recurs
    thousands of times: the exact classes of `texts` (equal after prepare()), one class id per
    input, and the verified (class_a, class_b, similarity) edges between classes, without
    listing the pairs inside a class. `Groups.pairs()` equals find_pairs' list;
    `Groups.extend(new_texts)` matches a new round against it. `processes` > 1 prepares and
    fingerprints in that many forked processes; `timings` gets each step's seconds. See
    xuncha.text.neardup_groups."""
    return neardup_groups.find_groups(texts, threshold, keys=keys, processes=processes, timings=timings)


def match(new: Mapping[int, str], index: Index, texts: Callable[[Iterable[int]], Mapping[int, str]],
          threshold: float = DEFAULT_THRESHOLD) -> list[tuple[int, int, float]]:
    """Match a new batch incrementally: each new text against the index (its candidates'
    texts fetched with `texts(keys)`, verified with the exact similarity) and against the
    other new texts. Returns (new_key, other_key, similarity), pairs of two new texts once
    with the smaller key first. Keys of `new` already in the index are not matched twice.
    Does not add to the index (the caller adds the new signatures when it has stored them)."""
    new_keys = list(new)
    new_texts = [new[k] for k in new_keys]
    prepared = [prepare_uncached(t) for t in new_texts]
    out = _find_pairs(prepared, np.asarray(new_keys, dtype=np.int64), threshold) if len(new_keys) > 1 else []
    if not new_keys or not len(index):
        return out
    sigs = _matrix(prepared)
    q, cand, rows = index._query_matrix(sigs)
    fresh = np.isin(cand, np.asarray(new_keys, dtype=np.int64), invert=True)
    fresh &= lsh.likely(sigs, q, rows, jaccard_for(threshold), other=index._signatures())
    q, cand = q[fresh], cand[fresh]
    if not len(q):
        return out
    wanted = np.unique(cand)
    fetched = texts(wanted.tolist())
    known = np.asarray([k for k in wanted.tolist() if k in fetched], dtype=np.int64)
    prepared.extend(prepare_uncached(fetched[k]) for k in known.tolist())
    at = np.minimum(np.searchsorted(known, cand), max(0, len(known) - 1))
    have = known[at] == cand if len(known) else np.zeros(len(cand), dtype=bool)
    q, right = q[have], at[have] + len(new_keys)
    left, right, scores = _verified(prepared, q, right, threshold)
    others = known[right - len(new_keys)]
    for i, j, s in zip(left.tolist(), others.tolist(), scores.tolist(), strict=True):
        out.append((new_keys[i], j, s))
    return out
