"""Vectorized shingles, MinHash and LSH banding for xuncha.text.neardup (numpy, no Django).

Shingles are the character bigrams of prepared text (a one-character text is its own
shingle), coded exactly as integers below 2**42: first code point << 21 | second. All the
shingles of many texts are handled at once as CSR arrays (`codes`, `starts`): the texts'
sorted, distinct codes end to end, and where each text's run begins.

MinHash: each code is mixed to 32 bits (splitmix64), then hashed by PERMUTATIONS
multiply-add-shift functions h_k(x) = (a_k·x + b_k mod 2**64) >> 32 (strongly universal for
32-bit keys); a text's signature is the minimum of each over its shingles
(np.minimum.reduceat), PERMUTATIONS little-endian uint32 values. A text without shingles has
every value 0xFFFFFFFF.

LSH: the signature is cut into `bands` bands of `rows` values; two texts are candidates when
all values of one band agree. Each band's values are hashed to one uint64, kept sorted per
band, so candidates are found by sorting and searching, not in Python dicts: a million
signatures take about 8 bytes × bands of memory each.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

import numpy as np

PERMUTATIONS = 128
SIGNATURE_BYTES = PERMUTATIONS * 4
EMPTY = np.uint32(0xFFFFFFFF)
_SEED = 20240611
_rng = np.random.default_rng(_SEED)
_A = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
_BAND_MULT = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_SHIFT21 = np.uint64(21)
# shingles per chunk of the MinHash (a chunk's matrix is shingles × PERMUTATIONS × 8 bytes)
CHUNK_SHINGLES = 1 << 17
# standard deviations of the MinHash estimate below the threshold from which a candidate is
# not verified (at Z = 3 a pair right at the threshold is lost with probability about 0.2 %)
Z = 3.0


# ---- shingles ---------------------------------------------------------------------------------
def shingle_set(prepared: str) -> frozenset[str]:
    """The shingles of one prepared text, as strings (what `similarity` compares)."""
    if len(prepared) < 2:
        return frozenset((prepared,)) if prepared else frozenset()
    return frozenset(prepared[i:i + 2] for i in range(len(prepared) - 1))


def shingle_codes(prepared: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """CSR of the texts' distinct shingle codes: (codes uint64, starts int64 of len n+1)."""
    n = len(prepared)
    lengths = np.fromiter((len(p) for p in prepared), dtype=np.int64, count=n)
    if n == 0 or lengths.sum() == 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(n + 1, dtype=np.int64)
    points = np.frombuffer("".join(prepared).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    ends = np.cumsum(lengths)
    begins = ends - lengths
    # bigram at every position but a text's last; unigram for one-character texts
    bigram = np.ones(len(points), dtype=bool)
    bigram[ends[lengths > 0] - 1] = False
    positions = np.flatnonzero(bigram)
    codes = (points[positions] << _SHIFT21) | points[positions + 1]
    owner = np.repeat(np.arange(n, dtype=np.int64), np.maximum(lengths - 1, 0))
    single = np.flatnonzero(lengths == 1)
    if len(single):
        codes = np.concatenate([codes, (points[begins[single]] << _SHIFT21) | np.uint64(0x1FFFFF)])
        owner = np.concatenate([owner, single])
    order = np.lexsort((codes, owner))
    codes, owner = codes[order], owner[order]
    keep = np.ones(len(codes), dtype=bool)
    keep[1:] = (codes[1:] != codes[:-1]) | (owner[1:] != owner[:-1])
    codes, owner = codes[keep], owner[keep]
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=n), out=starts[1:])
    return codes, starts


def _mix32(codes: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer, high 32 bits, as uint64."""
    x = codes + np.uint64(0x9E3779B97F4A7C15)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x >> np.uint64(32)


_MASK_POINTS = np.array([ord("#"), ord("@"), ord("某")], dtype=np.uint64)
# a text keeps all its shingles in the MinHash when fewer than this many are informative
MIN_INFORMATIVE = 4


def informative(codes: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The CSR without the shingles holding a mask (#年, @#, #元 …): in most texts they say
    little about which problem it states. A text left with fewer than MIN_INFORMATIVE keeps
    all its shingles (so that short texts do not all look alike)."""
    n = len(starts) - 1
    first, second = codes >> _SHIFT21, codes & np.uint64(0x1FFFFF)
    keep = ~(np.isin(first, _MASK_POINTS) | np.isin(second, _MASK_POINTS))
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(starts))
    kept = np.bincount(owner[keep], minlength=n)
    keep |= (kept < MIN_INFORMATIVE)[owner]
    new_starts = np.zeros_like(starts)
    np.cumsum(np.bincount(owner[keep], minlength=n), out=new_starts[1:])
    return codes[keep], new_starts


def minhash(codes: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """(n, PERMUTATIONS) uint32 signatures of the CSR texts, over their informative shingles."""
    codes, starts = informative(codes, starts)
    n = len(starts) - 1
    out = np.full((n, PERMUTATIONS), EMPTY, dtype=np.uint32)
    counts = np.diff(starts)
    first = 0
    while first < n:
        # as many texts as fit CHUNK_SHINGLES (at least one)
        last = int(np.searchsorted(starts, starts[first] + CHUNK_SHINGLES, side="right")) - 1
        last = min(max(last, first + 1), n)
        lo, hi = int(starts[first]), int(starts[last])
        if hi > lo:
            x = _mix32(codes[lo:hi])
            h = np.multiply.outer(x, _A)
            h += _B
            present = np.flatnonzero(counts[first:last] > 0)
            # x >> 32 is monotonic: the minimum of the shifted values is the shifted minimum
            mins = np.minimum.reduceat(h, (starts[first:last][present] - lo), axis=0)
            out[first + present] = (mins >> np.uint64(32)).astype(np.uint32)
        first = last
    return out


# ---- exact similarity of many pairs at once ---------------------------------------------------
def _gather(codes: np.ndarray, starts: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The codes of `rows` end to end, and the position in `rows` each belongs to."""
    lengths = starts[rows + 1] - starts[rows]
    total = int(lengths.sum())
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return codes[starts[rows][owner] + offsets], owner


def dice(codes: np.ndarray, starts: np.ndarray, left: np.ndarray, right: np.ndarray,
         batch: int = 1 << 16) -> np.ndarray:
    """Dice coefficient 2|A∩B| / (|A|+|B|) of the shingle sets of rows left[i], right[i]
    (1.0 when both are empty), exactly as `similarity` computes it."""
    out = np.empty(len(left), dtype=np.float64)
    sizes = np.diff(starts)
    for first in range(0, len(left), batch):
        lrows, rrows = left[first:first + batch], right[first:first + batch]
        a, a_pair = _gather(codes, starts, lrows)
        b, b_pair = _gather(codes, starts, rrows)
        # codes < 2**42 and pair < 2**21: the tagged codes are sorted within and across pairs
        a_key = (a_pair.astype(np.uint64) << np.uint64(42)) | a
        b_key = (b_pair.astype(np.uint64) << np.uint64(42)) | b
        found = np.searchsorted(b_key, a_key)
        found[found == len(b_key)] = 0
        hit = b_key[found] == a_key if len(b_key) else np.zeros(len(a_key), dtype=bool)
        common = np.bincount(a_pair[hit], minlength=len(lrows)).astype(np.float64)
        total = (sizes[lrows] + sizes[rrows]).astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = 2.0 * common / total
        score[total == 0] = 1.0
        out[first:first + len(lrows)] = score
    return out


def likely(sigs: np.ndarray, left: np.ndarray, right: np.ndarray, jaccard: float,
           other: np.ndarray | None = None, batch: int = 1 << 18) -> np.ndarray:
    """Which candidate pairs may reach `jaccard`: the share of agreeing signature values
    estimates the pair's Jaccard similarity, and pairs more than Z standard deviations below
    are dropped before the exact (costlier) count. `other` holds the right rows' signatures
    when they are not in `sigs`."""
    other = sigs if other is None else other
    floor = jaccard - Z * np.sqrt(jaccard * (1.0 - jaccard) / PERMUTATIONS)
    keep = np.empty(len(left), dtype=bool)
    for first in range(0, len(left), batch):
        agree = (sigs[left[first:first + batch]] == other[right[first:first + batch]]).sum(axis=1)
        keep[first:first + batch] = agree >= floor * PERMUTATIONS
    return keep


# ---- LSH ----------------------------------------------------------------------------------------
def _collision(jaccard: np.ndarray, bands: int, rows: int) -> np.ndarray:
    return 1.0 - (1.0 - jaccard ** rows) ** bands


# a pair at the Jaccard similarity given to bands_for is a candidate with at least this probability
RECALL_AT_THRESHOLD = 0.95


@lru_cache(maxsize=64)
def bands_for(jaccard: float) -> tuple[int, int]:
    """(bands, rows) with bands·rows ≤ PERMUTATIONS making a pair at `jaccard` a candidate with
    probability ≥ RECALL_AT_THRESHOLD (candidates are verified exactly, a missed pair is
    lost), and among those the fewest false candidates (area below `jaccard`)."""
    grid = np.linspace(0.0, max(jaccard, 1e-3), 501)
    best, best_cost = (PERMUTATIONS, 1), np.inf
    for rows in range(1, PERMUTATIONS + 1):
        bands = PERMUTATIONS // rows
        if _collision(np.array(jaccard), bands, rows) < RECALL_AT_THRESHOLD:
            continue
        cost = np.trapezoid(_collision(grid, bands, rows), grid)
        if cost < best_cost:
            best, best_cost = (bands, rows), cost
    return best


def band_hashes(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64: each band's values hashed to one number (a different mix per band)."""
    out = np.zeros((len(sigs), bands), dtype=np.uint64)
    wide = sigs.astype(np.uint64)
    for band in range(bands):
        block = wide[:, band * rows:(band + 1) * rows]
        h = (block * _BAND_MULT[band * rows:(band + 1) * rows]).sum(axis=1, dtype=np.uint64)
        out[:, band] = _mix32(h) << np.uint64(32) | _mix32(h ^ np.uint64(band + 1))
    return out


class Bands:
    """Band hashes of added signatures, sorted per band; rows are numbered in order of adding."""

    def __init__(self, bands: int, rows: int) -> None:
        self.bands, self.rows = bands, rows
        self._pending: list[np.ndarray] = []
        self._sorted: np.ndarray = np.zeros((bands, 0), dtype=np.uint64)  # values per band
        self._order: np.ndarray = np.zeros((bands, 0), dtype=np.int64)    # their rows
        self.size = 0

    def copy(self) -> Bands:
        """Another Bands with the same rows (the sorted arrays shared until either adds)."""
        other = Bands(self.bands, self.rows)
        other._pending = list(self._pending)
        other._sorted, other._order, other.size = self._sorted, self._order, self.size
        return other

    def add(self, sigs: np.ndarray) -> None:
        if len(sigs):
            self._pending.append(band_hashes(sigs, self.bands, self.rows))
            self.size += len(sigs)

    def _settle(self) -> None:
        if not self._pending:
            return
        fresh = np.concatenate(self._pending).T  # (bands, new)
        self._pending = []
        before = self._sorted.shape[1]
        values = np.concatenate([self._sorted, fresh], axis=1)
        rows = np.concatenate([self._order, np.broadcast_to(
            np.arange(before, before + fresh.shape[1], dtype=np.int64), fresh.shape)], axis=1)
        order = np.argsort(values, axis=1, kind="stable")
        self._sorted = np.take_along_axis(values, order, axis=1)
        self._order = np.take_along_axis(rows, order, axis=1)

    def query(self, sigs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(query position, row) of every band hit, possibly repeated."""
        self._settle()
        hashes = band_hashes(sigs, self.bands, self.rows)
        qs, hits = [], []
        for band in range(self.bands):
            values = self._sorted[band]
            lo = np.searchsorted(values, hashes[:, band], side="left")
            hi = np.searchsorted(values, hashes[:, band], side="right")
            counts = hi - lo
            total = int(counts.sum())
            if not total:
                continue
            q = np.repeat(np.arange(len(sigs), dtype=np.int64), counts)
            offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
            qs.append(q)
            hits.append(self._order[band][np.repeat(lo, counts) + offsets])
        if not qs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(qs), np.concatenate(hits)

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct (row, row) candidate pairs, smaller row first, sorted."""
        self._settle()
        n = self._sorted.shape[1]
        found = []
        for band in range(self.bands):
            a, b = self.band_pairs(band)
            if len(a):
                found.append(a * n + b)
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        codes = np.unique(np.concatenate(found))
        return codes // n, codes % n

    def band_pairs(self, band: int) -> tuple[np.ndarray, np.ndarray]:
        """The (row, row) pairs agreeing on `band`, smaller row first, unsorted (bands settled)."""
        values = self._sorted[band]
        n = len(values)
        empty = np.zeros(0, dtype=np.int64)
        if n < 2:
            return empty, empty
        same = values[1:] == values[:-1]
        if not same.any():
            return empty, empty
        # runs of equal values: every position pairs with the later ones of its run
        run_start = np.flatnonzero(np.concatenate([[True], ~same]))
        run_len = np.diff(np.concatenate([run_start, [n]]))
        big = run_len > 1
        run_start, run_len = run_start[big], run_len[big]
        pos = _run_positions(run_start, run_len)
        run_end = np.repeat(run_start + run_len, run_len - 1)
        after = run_end - pos - 1
        total = int(after.sum())
        left = np.repeat(pos, after)
        right = left + 1 + (np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(after) - after, after))
        a, b = self._order[band][left], self._order[band][right]
        return np.minimum(a, b), np.maximum(a, b)

    def hashes(self) -> np.ndarray:
        """(rows, bands) uint64: each row's band values (bands settled)."""
        out = np.empty((self._sorted.shape[1], self.bands), dtype=np.uint64)
        for band in range(self.bands):
            out[self._order[band], band] = self._sorted[band]
        return out


def _run_positions(run_start: np.ndarray, run_len: np.ndarray) -> np.ndarray:
    """Every position of each run but its last, end to end."""
    counts = run_len - 1
    total = int(counts.sum())
    return np.repeat(run_start, counts) + (np.arange(total, dtype=np.int64)
                                           - np.repeat(np.cumsum(counts) - counts, counts))


def iterate_pairs(keys: np.ndarray, left: np.ndarray, right: np.ndarray) -> Iterator[tuple[int, int]]:
    a, b = keys[left], keys[right]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    yield from zip(lo.tolist(), hi.tolist(), strict=True)
