"""Recurring, common and systemic problems: the detection job over a committee's problems.

`detect(committee)` brings the detector's results up to date:

1. Fingerprint. A problem's text is its title and description. Only problems without a
   ProblemFingerprint, or whose text hash changed since (an edited problem), get a new
   signature (`text.neardup.signatures`); `full=True` fingerprints every problem again (after
   the engine changed; a threshold change drops the committee's fingerprints instead, see
   services_detection.update_settings, so that the next run of any kind recomputes everything).
2. Match. When every problem is new (the first run, a full run, after a threshold change) all
   pairs are found at once (`neardup.find_pairs`); otherwise the other problems' stored
   signatures are loaded into one `neardup.Index` and the new and changed problems matched
   against it and each other (`neardup.match`: so against every other problem of the
   committee, without recomputing them). Their old pairs are deleted and the pairs found stored
   as ProblemMatch: `problem` is the later of the two by round start, then id; `earlier` the
   other.
3. Relate. Every stored pair of the committee is given its relation (see `relation`): the rule
   depends on the earlier problem's rectification, which moves on between runs, so it is
   recomputed on every run and only changed rows are written.
4. Cluster. Clusters are rebuilt from the pairs (detection_clusters): per term, connected
   components without leads spanning at least two organizations.

Everything is written in one transaction with bulk writes (executemany for the many rows),
a handful of queries per batch.
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
from django.db import connection, transaction
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


def _load_fingerprints(committee: Committee, rows: dict[int, Row],
                       full: bool) -> tuple[dict[int, str], dict[int, bytes], list[int]]:
    """The stored hashes, the signatures still valid, and the problems to fingerprint again:
    new ones, edited ones (their text hash changed), and those whose signature the engine no
    longer reads (its size changed with an upgrade); every one with `full`."""
    fingerprints = ProblemFingerprint.objects.filter(problem__round__committee=committee)
    if full:
        return dict(fingerprints.values_list("problem_id", "text_hash")), {}, list(rows)
    stored: dict[int, str] = {}
    valid: dict[int, bytes] = {}
    for pk, digest, sig in fingerprints.values_list("problem_id", "text_hash", "signature"):
        stored[pk] = digest
        sig = bytes(sig)
        if pk in rows and len(sig) == neardup.SIGNATURE_BYTES and digest == text_hash(rows[pk].text):
            valid[pk] = sig
    return stored, valid, [pk for pk in rows if pk not in valid]


def insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Insert rows of plain values (database-ready: datetimes through
    connection.ops.adapt_datetimefield_value) with executemany, without building model
    instances: the ORM's bulk_create prepares every value of every instance in Python and was
    most of a full run's time. Portable SQL; batches of BATCH rows."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, BATCH * 5):
            cursor.executemany(sql, chunk)


def _fingerprint(stale: list[int], rows: dict[int, Row], stored: dict[int, str], signatures: dict[int, bytes],
                 progress: Progress | None) -> None:
    """New signatures for the stale problems, written in bulk."""
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    done = 0
    for chunk in _chunks(stale, 1000):
        sigs = neardup.signatures([rows[pk].text for pk in chunk])
        create, update = [], []
        for pk, sig in zip(chunk, sigs, strict=True):
            signatures[pk] = sig
            if pk in stored:
                update.append(ProblemFingerprint(problem_id=pk, text_hash=text_hash(rows[pk].text), signature=sig,
                                                 computed_at=now))
            else:
                create.append((pk, text_hash(rows[pk].text), sig, stamp))
        insert_rows(ProblemFingerprint, ["problem", "text_hash", "signature", "computed_at"], create)
        ProblemFingerprint.objects.bulk_update(update, ["text_hash", "signature", "computed_at"], batch_size=BATCH)
        done += len(chunk)
        if progress:
            progress(done, len(stale))


def _match(stale: list[int], rows: dict[int, Row], signatures: dict[int, bytes],
           threshold: float) -> dict[tuple[int, int], float]:
    """The pairs (later id, earlier id) → similarity that involve a stale problem. When every
    problem is stale, all pairs at once (`find_pairs`); else the stale ones against an index of
    the others' stored signatures (`match`: the new ones among themselves too)."""
    if len(stale) == len(rows):
        found_pairs = neardup.find_pairs([rows[pk].text for pk in stale], threshold, keys=stale)
    else:
        fresh = set(stale)
        index = neardup.Index(threshold)
        others = [pk for pk in signatures if pk not in fresh]
        index.add(others, [signatures[pk] for pk in others])

        def texts(wanted: Iterable[int]) -> dict[int, str]:
            return {k: rows[k].text for k in wanted if k in rows}

        found_pairs = neardup.match({pk: rows[pk].text for pk in stale}, index, texts, threshold)
    found: dict[tuple[int, int], float] = {}
    for a, b, sim in found_pairs:
        if a == b or a not in rows or b not in rows:
            continue
        later, earlier = ordered(rows[a], rows[b])
        found[(later.id, earlier.id)] = max(round(sim, 4), found.get((later.id, earlier.id), 0.0))
    return found


def _stored_pairs(committee: Committee) -> list[tuple[int, int, int, str, float]]:
    """(id, problem, earlier, relation, similarity) of every stored pair of the committee."""
    return list(ProblemMatch.objects.filter(problem__round__committee=committee)
                .values_list("id", "problem_id", "earlier_id", "relation", "similarity").order_by("id"))


def _delete(ids: list[int]) -> None:
    for chunk in _chunks(ids):
        ProblemMatch.objects.filter(pk__in=chunk).delete()


def _relate(kept: list[tuple[int, int, int, str, float]], rows: dict[int, Row], rectified: set[int]) -> int:
    """Give the kept pairs their current relation (it moves with the earlier problem's
    rectification); the number changed."""
    changed = []
    for pk, later, earlier, current, _ in kept:
        wanted = relation(rows[later], rows[earlier], rectified)
        if current != wanted:
            changed.append(ProblemMatch(pk=pk, relation=wanted))
    ProblemMatch.objects.bulk_update(changed, ["relation"], batch_size=BATCH)
    return len(changed)


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
        stored, signatures, stale = _load_fingerprints(committee, rows, full)
        fresh = set(stale)
        if progress:
            progress(0, len(stale))
        _fingerprint(stale, rows, stored, signatures, progress)
        result.fingerprinted = result.matched = len(stale)
        existing = _stored_pairs(committee)
        kept = [p for p in existing if p[1] not in fresh and p[2] not in fresh and p[1] in rows and p[2] in rows]
        kept_ids = {p[0] for p in kept}
        _delete([p[0] for p in existing if p[0] not in kept_ids])
        result.removed = len(existing) - len(kept)
        found = _match(stale, rows, signatures, limits.threshold) if stale else {}
        rectified = rectified_problems(committee)
        stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        insert_rows(ProblemMatch, ["problem", "earlier", "similarity", "relation", "found_at"],
                    [(later, earlier, sim, relation(rows[later], rows[earlier], rectified), stamp)
                     for (later, earlier), sim in sorted(found.items())])
        result.pairs = len(found)
        result.relations = _relate(kept, rows, rectified)
        pairs = [(later, earlier, sim) for _, later, earlier, _, sim in kept]
        pairs += [(later, earlier, sim) for (later, earlier), sim in found.items()]
        built = detection_clusters.rebuild(committee, rows, pairs)
        result.clusters, result.clusters_written, result.clusters_deleted = built.total, built.written, built.deleted
        result.terms = built.terms
        if progress:
            progress(len(stale), len(stale))
    result.seconds = time.perf_counter() - began
    return result
