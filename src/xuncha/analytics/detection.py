"""Recurring, common and systemic problems: the detection job over a committee's problems.

`detect(committee)` brings the detector's results up to date:

1. Fingerprint. A problem's text is its title and description. Only problems without a
   ProblemFingerprint, or whose text hash changed since (an edited problem), get a new
   signature (`text.neardup.signatures`); `full=True` fingerprints every problem again (after
   the engine changed; a threshold change drops the committee's fingerprints instead, see
   services_detection.update_settings, so that the next run of any kind recomputes everything).
2. Match. Every fingerprint of the committee is loaded into one `neardup.Index`; the new and
   changed problems are matched against it (so against every other problem of the committee,
   and each other). Their old pairs are deleted and the pairs found stored as ProblemMatch:
   `problem` is the later of the two by round start, then id; `earlier` the other.
3. Relate. Every stored pair of the committee is given its relation (see `relation`): the rule
   depends on the earlier problem's rectification, which moves on between runs, so it is
   recomputed on every run and only changed rows are written.
4. Cluster. Clusters are rebuilt from the pairs (detection_clusters): per term, connected
   components without leads spanning at least two organizations.

Everything is written in one transaction with bulk writes, a handful of queries per batch.
Thresholds come from the committee's DetectionSettings, else settings.XUNCHA_MATCH_THRESHOLD and
settings.XUNCHA_COMMON_MIN_ORGANIZATIONS.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from xuncha.analytics.models import DetectionSettings, ProblemFingerprint, ProblemMatch
from xuncha.findings.models import Kind, Problem
from xuncha.rectification.models import Task
from xuncha.registry.models import Committee
from xuncha.text import neardup

Relation = ProblemMatch.Relation
Progress = Callable[[int, int], None]
BATCH = 500


@dataclass(frozen=True)
class Thresholds:
    threshold: float
    common_min_organizations: int


@dataclass
class DetectionResult:
    """What one run did. `fingerprinted`: problems given a new signature; `matched`: problems
    matched against the index (the same ones); `pairs`: pairs stored by this run; `removed`:
    pairs of re-matched problems deleted first; `relations`: stored pairs whose relation changed;
    `clusters`: clusters of the committee after the run; `clusters_written`: created or updated."""

    committee_id: int
    full: bool
    problems: int = 0
    fingerprinted: int = 0
    matched: int = 0
    pairs: int = 0
    removed: int = 0
    relations: int = 0
    clusters: int = 0
    clusters_written: int = 0
    clusters_deleted: int = 0
    terms: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in (
            "committee_id", "full", "problems", "fingerprinted", "matched", "pairs", "removed", "relations",
            "clusters", "clusters_written", "clusters_deleted", "terms")} | {"seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class Row:
    """What the detector knows of one problem."""

    id: int
    title: str
    text: str
    organization_id: int
    round_id: int
    start: date
    term_id: int
    lead: bool
    point_id: int | None
    amount: Decimal | None

    @property
    def order(self) -> tuple[date, int]:
        """Later problems sort after earlier ones: by the start of their round, then by id."""
        return (self.start, self.id)


def thresholds(committee: Committee) -> Thresholds:
    """The committee's thresholds, or the installation's defaults when it has no settings row."""
    row = DetectionSettings.objects.filter(committee=committee).first()
    if row is None:
        return Thresholds(settings.XUNCHA_MATCH_THRESHOLD, settings.XUNCHA_COMMON_MIN_ORGANIZATIONS)
    return Thresholds(row.threshold, row.common_min_organizations)


def problem_text(title: str, description: str) -> str:
    """The text compared: title and description."""
    return f"{title or ''}\n{description or ''}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load_rows(committee: Committee) -> dict[int, Row]:
    """Every problem of the committee (one query)."""
    rows = (Problem.objects.filter(round__committee=committee)
            .values_list("id", "title", "description", "organization_id", "round_id", "round__planned_entry",
                         "round__term_id", "kind", "classification__parent_id", "amount")
            .order_by("id"))
    return {pk: Row(pk, title, problem_text(title, description), org, round_id, start, term, kind == Kind.LEAD,
                    point, amount)
            for pk, title, description, org, round_id, start, term, kind, point, amount in rows}


def rectified_problems(committee: Committee) -> set[int]:
    """Problems that have been rectified: at least one rectification task, every one closed."""
    return set(Task.objects.filter(problem__round__committee=committee)
               .values("problem_id")
               .annotate(open=Count("id", filter=~Q(state=Task.State.CLOSED)))
               .filter(open=0).values_list("problem_id", flat=True))


def ordered(a: Row, b: Row) -> tuple[Row, Row]:
    """(later, earlier) of two problems."""
    return (a, b) if a.order > b.order else (b, a)


def relation(later: Row, earlier: Row, rectified: set[int]) -> str:
    """How two near-duplicate problems relate.

    - The same round (or rounds that started the same day, found side by side): same_round.
    - The same organization, the earlier found in a round that started before: recurring
      (反复发生), or persistent (屡禁不止) when the earlier problem had been rectified — it has
      rectification tasks and every one of them is closed.
    - Otherwise (another organization, another round): other_org.
    """
    if later.round_id == earlier.round_id or later.start == earlier.start:
        return Relation.SAME_ROUND
    if later.organization_id == earlier.organization_id:
        return Relation.RECURRING_AFTER_CLOSURE if earlier.id in rectified else Relation.RECURRING
    return Relation.OTHER_ORGANIZATION


def _stale(rows: dict[int, Row], stored: dict[int, str], full: bool) -> list[int]:
    if full:
        return list(rows)
    return [pk for pk, row in rows.items() if stored.get(pk) != text_hash(row.text)]


def _fingerprint(stale: list[int], rows: dict[int, Row], stored: dict[int, str],
                 signatures: dict[int, bytes]) -> None:
    """New signatures for the stale problems, written in bulk."""
    now = timezone.now()
    for chunk in _chunks(stale):
        sigs = neardup.signatures([rows[pk].text for pk in chunk])
        create, update = [], []
        for pk, sig in zip(chunk, sigs, strict=True):
            signatures[pk] = sig
            fp = ProblemFingerprint(problem_id=pk, text_hash=text_hash(rows[pk].text), signature=sig,
                                    computed_at=now)
            (update if pk in stored else create).append(fp)
        ProblemFingerprint.objects.bulk_create(create)
        ProblemFingerprint.objects.bulk_update(update, ["text_hash", "signature", "computed_at"])


def _match(stale: list[int], rows: dict[int, Row], signatures: dict[int, bytes], threshold: float,
           progress: Progress | None) -> dict[tuple[int, int], float]:
    """The pairs (later id, earlier id) → similarity that involve a stale problem."""
    index = neardup.Index(threshold)
    keys = list(signatures)
    for chunk in _chunks(keys, 5000):
        index.add(chunk, [signatures[k] for k in chunk])

    def texts(wanted: Iterable[int]) -> dict[int, str]:
        return {k: rows[k].text for k in wanted if k in rows}

    found: dict[tuple[int, int], float] = {}
    done = 0
    for chunk in _chunks(stale):
        for a, b, sim in neardup.match({pk: rows[pk].text for pk in chunk}, index, texts, threshold):
            if a == b or a not in rows or b not in rows:
                continue
            later, earlier = ordered(rows[a], rows[b])
            found[(later.id, earlier.id)] = max(sim, found.get((later.id, earlier.id), 0.0))
        done += len(chunk)
        if progress:
            progress(done, len(stale))
    return found


def _delete_pairs(committee: Committee, stale: list[int], full: bool) -> int:
    if full:
        return ProblemMatch.objects.filter(problem__round__committee=committee).delete()[0]
    removed = 0
    for chunk in _chunks(stale):
        removed += ProblemMatch.objects.filter(Q(problem_id__in=chunk) | Q(earlier_id__in=chunk)).delete()[0]
    return removed


def _relate(committee: Committee, rows: dict[int, Row],
            rectified: set[int]) -> tuple[list[tuple[int, int, float]], int]:
    """Give every stored pair its current relation; the pairs (later, earlier, similarity)."""
    changed = []
    pairs = []
    for match in ProblemMatch.objects.filter(problem__round__committee=committee).only(
            "id", "problem_id", "earlier_id", "relation", "similarity").order_by("id"):
        later, earlier = rows.get(match.problem_id), rows.get(match.earlier_id)
        if later is None or earlier is None:
            continue
        pairs.append((later.id, earlier.id, match.similarity))
        wanted = relation(later, earlier, rectified)
        if match.relation != wanted:
            match.relation = wanted
            changed.append(match)
    ProblemMatch.objects.bulk_update(changed, ["relation"], batch_size=BATCH)
    return pairs, len(changed)


def detect(committee: Committee, *, full: bool = False, progress: Progress | None = None) -> DetectionResult:
    """Bring the committee's pairs and clusters up to date (see the module's docstring). The
    caller checks permission (services_detection.run_detection, or the console)."""
    from xuncha.analytics import detection_clusters

    began = time.perf_counter()
    limits = thresholds(committee)
    result = DetectionResult(committee_id=committee.pk, full=full)
    with transaction.atomic():
        # One run at a time per committee (PostgreSQL; SQLite serializes writers anyway).
        Committee.objects.select_for_update().filter(pk=committee.pk).first()
        rows = load_rows(committee)
        result.problems = len(rows)
        stored = dict(ProblemFingerprint.objects.filter(problem__round__committee=committee)
                      .values_list("problem_id", "text_hash"))
        stale = _stale(rows, stored, full)
        if progress:
            progress(0, len(stale))
        signatures: dict[int, bytes] = {}
        if len(stale) < len(rows):
            fresh = set(stale)
            keep = [pk for pk in rows if pk not in fresh]
            for chunk in _chunks(keep, 5000):
                signatures.update((pk, bytes(sig)) for pk, sig in ProblemFingerprint.objects
                                  .filter(problem_id__in=chunk).values_list("problem_id", "signature"))
        _fingerprint(stale, rows, stored, signatures)
        result.fingerprinted = len(stale)
        result.removed = _delete_pairs(committee, stale, full) if stale else 0
        found = _match(stale, rows, signatures, limits.threshold, progress) if stale else {}
        result.matched = len(stale)
        rectified = rectified_problems(committee)
        ProblemMatch.objects.bulk_create(
            [ProblemMatch(problem_id=later, earlier_id=earlier, similarity=round(sim, 4),
                          relation=relation(rows[later], rows[earlier], rectified))
             for (later, earlier), sim in sorted(found.items())],
            batch_size=BATCH)
        result.pairs = len(found)
        pairs, result.relations = _relate(committee, rows, rectified)
        built = detection_clusters.rebuild(committee, rows, pairs)
        result.clusters, result.clusters_written, result.clusters_deleted = built.total, built.written, built.deleted
        result.terms = built.terms
        if progress:
            progress(len(stale), len(stale))
    result.seconds = time.perf_counter() - began
    return result
