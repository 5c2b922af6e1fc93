"""Near-duplicates at province scale: exact classes first, then matching between classes
(numpy, no Django; used by xuncha.text.neardup).

Registers repeat the same problem thousands of times with only masked differences
("三会一课落实不到位", "东门村2023年有白条入账3笔" / "西山村2022年有白条入账5笔"): after
`prepare()` those texts are equal, so every pair among them scores 1.0 and listing them is
quadratic in the register while saying nothing new. `find_groups` therefore

  1. prepares every text (in `processes` forked processes, chunk by chunk) and groups the
     texts whose prepared form is equal into exact classes (a dict of prepared text → class,
     classes numbered in order of first occurrence);
  2. fingerprints one representative per class (MinHash, also in processes) and runs the LSH
     and the exact verification between representatives only: the same bands, MinHash
     pre-filter and Dice coefficient as `find_pairs`, so a pair of classes is an edge exactly
     when any pair of their members would be one of `find_pairs`' pairs;
  3. answers a `Groups`: per input its class, and the verified edges (class_a < class_b,
     similarity) between classes. Its size is that of the classes and edges, not of the pairs.
     `Groups.pairs()` expands it to `find_pairs`' list (equal to it, element for element) —
     for small inputs: a class of k members alone is k(k−1)/2 pairs.

Incremental (a new round against an existing register): `Groups.extend(texts, keys=...)`
prepares only the new texts; one that equals an existing class after prepare() joins it (no
matching at all), the others form new classes whose representatives are matched against the
existing classes' LSH bands (kept sorted in the Groups, built once) and against each other.
It answers a new Groups over old + new inputs (the old one is not changed) whose edges are the
old edges followed by the new ones (`first_new_edge` says where they start), so that
`extended.pairs()` equals `find_pairs(old + new)`. The design choice: the classes of the old
set are passed in as the Groups object itself (in a long-lived process, or pickled: it holds
only numpy arrays and the representatives' prepared texts, about 0.6 KB per class), rather
than rebuilt from stored signatures, because the exact verification needs the prepared texts
and equal signatures do not prove equal texts.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from xuncha.text import neardup_lsh as lsh
from xuncha.text.neardup_prepare import prepare_uncached

# texts per chunk handed to a forked process
CHUNK = 20_000


# ---- the linear steps, optionally in several processes ----------------------------------------
_WORK: Sequence[str] = ()


def _prepare_chunk(bounds: tuple[int, int]) -> list[str]:
    return [prepare_uncached(t) for t in _WORK[bounds[0]:bounds[1]]]


def _minhash_chunk(bounds: tuple[int, int]) -> np.ndarray:
    codes, starts = lsh.shingle_codes(_WORK[bounds[0]:bounds[1]])
    return lsh.minhash(codes, starts)


def _in_processes(func: Callable, items: Sequence[str], processes: int) -> list:
    """func over chunks of `items` (read by the forked children from a module global, so that
    the texts are not pickled), results in order."""
    global _WORK
    bounds = [(i, min(i + CHUNK, len(items))) for i in range(0, len(items), CHUNK)]
    if processes <= 1 or len(bounds) <= 1:
        _WORK = items
        try:
            return [func(b) for b in bounds]
        finally:
            _WORK = ()
    _WORK = items
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            return pool.map(func, bounds, chunksize=1)
    finally:
        _WORK = ()


def prepare_all(texts: Sequence[str], processes: int = 1) -> list[str]:
    """prepare() of every text (uncached), in `processes` processes when there are many."""
    return [p for chunk in _in_processes(_prepare_chunk, texts, processes) for p in chunk]


def minhash_all(prepared: Sequence[str], processes: int = 1) -> np.ndarray:
    """(n, PERMUTATIONS) MinHash signatures of prepared texts, chunk by chunk."""
    if not prepared:
        return np.zeros((0, lsh.PERMUTATIONS), dtype=np.uint32)
    return np.concatenate(_in_processes(_minhash_chunk, prepared, processes))


# ---- matching between representatives ---------------------------------------------------------
def _verify(reps: Sequence[str], left: np.ndarray, right: np.ndarray, threshold: float,
            csr: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes, starts = csr if csr is not None else lsh.shingle_codes(reps)
    scores = lsh.dice(codes, starts, left, right)
    keep = scores >= threshold
    return left[keep], right[keep], scores[keep]


def _jaccard(threshold: float) -> float:
    threshold = min(max(threshold, 0.0), 1.0)
    return threshold / (2.0 - threshold)


def bands_for_threshold(threshold: float) -> lsh.Bands:
    """Empty LSH bands as `neardup.Index` uses them at `threshold`."""
    sure = threshold + (1.0 - threshold) / 3.0
    bands, rows = lsh.bands_for(round(_jaccard(sure), 4))
    return lsh.Bands(bands, rows)


_CANDIDATES: tuple = ()
# candidate pairs checked at once (memory: about 1.3 KB each while checked)
PAIR_BATCH = 1 << 18


def _check_band(band: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Verified pairs of one band, each pair in the first band where its rows agree only (so
    that no pair is checked twice and no global de-duplication of candidates is needed)."""
    sigs, csr, bands, hashes, threshold = _CANDIDATES
    left, right = bands.band_pairs(band)
    jaccard = _jaccard(threshold)
    found = []
    for first in range(0, len(left), PAIR_BATCH):
        a, b = left[first:first + PAIR_BATCH], right[first:first + PAIR_BATCH]
        if band:
            a_hash, b_hash = hashes[a, :band], hashes[b, :band]
            fresh = ~(a_hash == b_hash).any(axis=1)
            a, b = a[fresh], b[fresh]
        keep = lsh.likely(sigs, a, b, jaccard)
        found.append(_verify((), a[keep], b[keep], threshold, csr))
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    return tuple(np.concatenate([f[k] for f in found]) for k in range(3))


def _among(reps: Sequence[str], sigs: np.ndarray, bands: lsh.Bands, threshold: float,
           processes: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Verified (i, j, score), i < j, among the rows of `bands` (which holds `sigs`): band by
    band, candidates through the MinHash pre-filter and the exact count, the bands shared
    among `processes` forked processes."""
    global _CANDIDATES
    bands.query(np.zeros((0, lsh.PERMUTATIONS), dtype=np.uint32))  # settles the bands
    _CANDIDATES = (sigs, lsh.shingle_codes(reps), bands, bands.hashes(), threshold)
    try:
        if processes <= 1 or len(reps) < 2 * CHUNK:
            found = [_check_band(b) for b in range(bands.bands)]
        else:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                found = pool.map(_check_band, range(bands.bands), chunksize=1)
    finally:
        _CANDIDATES = ()
    return (np.concatenate([f[0] for f in found]).astype(np.int64),
            np.concatenate([f[1] for f in found]).astype(np.int64),
            np.concatenate([f[2] for f in found]).astype(np.float64))


# ---- the result -------------------------------------------------------------------------------
@dataclass(eq=False)
class Groups:
    """Exact classes of a batch of texts and the verified edges between classes.

    keys     int64 per input (default: positions)
    classes  int64 per input: its class, 0 … n_classes − 1 in order of first occurrence
    edge_a, edge_b, edge_score   the edges, class a < class b, similarity ≥ threshold, sorted
    prepared the representatives' prepared texts, one per class
    signatures (n_classes, PERMUTATIONS) uint32 MinHash of each class"""

    threshold: float
    keys: np.ndarray
    classes: np.ndarray
    edge_a: np.ndarray
    edge_b: np.ndarray
    edge_score: np.ndarray
    prepared: list[str]
    signatures: np.ndarray
    first_new_edge: int = 0
    _class_of: dict[str, int] = field(default_factory=dict, repr=False)
    _bands: lsh.Bands | None = field(default=None, repr=False)

    @property
    def n_classes(self) -> int:
        return len(self.prepared)

    def __len__(self) -> int:
        return len(self.keys)

    def edges(self) -> list[tuple[int, int, float]]:
        """The edges as (class_a, class_b, similarity)."""
        return list(zip(self.edge_a.tolist(), self.edge_b.tolist(), self.edge_score.tolist(), strict=True))

    def sizes(self) -> np.ndarray:
        """Members per class."""
        return np.bincount(self.classes, minlength=self.n_classes)

    def members(self, cls: int) -> list[int]:
        """The keys of a class, in input order."""
        return self.keys[self.classes == cls].tolist()

    def bands(self) -> lsh.Bands:
        """The LSH bands of the classes' signatures (built on first use, kept)."""
        if self._bands is None or self._bands.size != self.n_classes:
            self._bands = bands_for_threshold(self.threshold)
            self._bands.add(self.signatures)
        return self._bands

    # ---- expansion ----------------------------------------------------------------------------
    def _membership(self) -> tuple[np.ndarray, np.ndarray]:
        """Input positions ordered by class, and where each class begins (CSR)."""
        order = np.argsort(self.classes, kind="stable")
        starts = np.zeros(self.n_classes + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.classes, minlength=self.n_classes), out=starts[1:])
        return order, starts

    def pairs(self) -> list[tuple[int, int, float]]:
        """Every pair of inputs, as find_pairs gives them: (key_i, key_j, similarity), key_i <
        key_j, sorted. Quadratic in the class sizes: for small inputs and tests."""
        order, starts = self._membership()
        sizes = np.diff(starts)
        lefts, rights, scores = [], [], []
        # inside each class: every member with every later one, similarity 1.0
        for cls in np.flatnonzero(sizes > 1).tolist():
            members = order[starts[cls]:starts[cls + 1]]
            i, j = np.triu_indices(len(members), k=1)
            lefts.append(members[i])
            rights.append(members[j])
            scores.append(np.ones(len(i)))
        # between classes: the product of their members
        for a, b, score in zip(self.edge_a.tolist(), self.edge_b.tolist(), self.edge_score.tolist(), strict=True):
            ma, mb = order[starts[a]:starts[a + 1]], order[starts[b]:starts[b + 1]]
            lefts.append(np.repeat(ma, len(mb)))
            rights.append(np.tile(mb, len(ma)))
            scores.append(np.full(len(ma) * len(mb), score))
        if not lefts:
            return []
        left, right = np.concatenate(lefts), np.concatenate(rights)
        a, b = self.keys[left], self.keys[right]
        s = np.concatenate(scores)
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        keep = lo != hi
        lo, hi, s = lo[keep], hi[keep], s[keep]
        # equal keys (given twice) keep the order of the inputs' positions, as find_pairs did
        first, second = np.minimum(left, right)[keep], np.maximum(left, right)[keep]
        order = np.lexsort((second, first, hi, lo))
        return list(zip(lo[order].tolist(), hi[order].tolist(), s[order].tolist(), strict=True))

    # ---- a new round ----------------------------------------------------------------------------
    def extend(self, texts: Sequence[str], *, keys: Sequence[int] | None = None, processes: int = 1) -> Groups:
        """This register with `texts` added (see the module's docstring): a new Groups whose
        inputs are the old ones followed by the new, whose edges from `first_new_edge` on are
        the new ones. Keys default to positions continuing the old ones."""
        start = len(self.keys)
        new_keys = (np.arange(start, start + len(texts), dtype=np.int64) if keys is None
                    else np.asarray(keys, dtype=np.int64).reshape(-1))
        if len(new_keys) != len(texts):
            raise ValueError("keys and texts differ in number")
        prepared = prepare_all(texts, processes)
        class_of = dict(self._class_of)
        reps = list(self.prepared)
        old_classes = len(reps)
        new_classes = np.fromiter((class_of.setdefault(p, len(class_of)) for p in prepared),
                                  dtype=np.int64, count=len(prepared))
        reps.extend(list(class_of)[old_classes:])
        fresh = reps[old_classes:]
        sigs = minhash_all(fresh, processes)
        edges = [(self.edge_a, self.edge_b, self.edge_score)]
        if fresh:
            # new classes among themselves
            own = bands_for_threshold(self.threshold)
            own.add(sigs)
            a, b, s = _among(fresh, sigs, own, self.threshold, processes)
            edges.append((a + old_classes, b + old_classes, s))
            # new classes against the old ones
            if old_classes:
                edges.append(self._against(fresh, sigs))
        a = np.concatenate([e[0] for e in edges]).astype(np.int64)
        b = np.concatenate([e[1] for e in edges]).astype(np.int64)
        s = np.concatenate([e[2] for e in edges]).astype(np.float64)
        n_old = len(self.edge_a)
        tail = np.lexsort((b[n_old:], a[n_old:])) + n_old
        order = np.concatenate([np.arange(n_old), tail])
        bands = None
        if self._bands is not None:
            bands = self._bands.copy()
            bands.add(sigs)
        return Groups(self.threshold, np.concatenate([self.keys, new_keys]),
                      np.concatenate([self.classes, new_classes]), a[order], b[order], s[order], reps,
                      np.concatenate([self.signatures, sigs]), n_old, class_of, bands)

    def _against(self, fresh: list[str], sigs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Verified (old class, new class, score) of new representatives against the old ones."""
        old_classes = self.n_classes
        q, rows = self.bands().query(sigs)
        if not len(q):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        codes = np.unique(q * old_classes + rows)
        q, rows = codes // old_classes, codes % old_classes
        keep = lsh.likely(sigs, q, rows, _jaccard(self.threshold), other=self.signatures)
        q, rows = q[keep], rows[keep]
        wanted = np.unique(rows)
        texts = fresh + [self.prepared[i] for i in wanted.tolist()]
        right = np.searchsorted(wanted, rows) + len(fresh)
        q, right, scores = _verify(texts, q, right, self.threshold)
        return wanted[right - len(fresh)], q + old_classes, scores


def group(prepared: Sequence[str], keys: np.ndarray, threshold: float, processes: int = 1,
          timings: dict[str, float] | None = None) -> Groups:
    """Groups of texts already prepared (see find_groups); `timings` gets the seconds of each
    step when given."""
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        if timings is not None:
            now = time.perf_counter()
            timings[step] = timings.get(step, 0.0) + now - clock
            clock = now

    class_of: dict[str, int] = {}
    classes = np.fromiter((class_of.setdefault(p, len(class_of)) for p in prepared), dtype=np.int64,
                          count=len(prepared))
    reps = list(class_of)
    lap("classes")
    sigs = minhash_all(reps, processes)
    lap("minhash")
    bands = bands_for_threshold(threshold)
    bands.add(sigs)
    a, b, s = _among(reps, sigs, bands, threshold, processes)
    lap("match")
    order = np.lexsort((b, a))
    return Groups(threshold, keys, classes, a[order].astype(np.int64), b[order].astype(np.int64),
                  s[order].astype(np.float64), reps, sigs, 0, class_of, bands)


def find_groups(texts: Sequence[str], threshold: float, *, keys: Sequence[int] | None = None,
                processes: int = 1, timings: dict[str, float] | None = None) -> Groups:
    """Exact classes of `texts` (equal after prepare()) and the verified edges between them;
    `Groups.pairs()` equals `find_pairs(texts, threshold, keys=keys)`. `processes` > 1 runs
    preparing and fingerprinting in that many forked processes."""
    keys_array = (np.arange(len(texts), dtype=np.int64) if keys is None
                  else np.asarray(keys, dtype=np.int64).reshape(-1))
    if len(keys_array) != len(texts):
        raise ValueError("keys and texts differ in number")
    started = time.perf_counter()
    prepared = prepare_all(texts, processes)
    if timings is not None:
        timings["prepare"] = time.perf_counter() - started
    return group(prepared, keys_array, threshold, processes, timings)
