"""Clusters of near-duplicate problems, rebuilt from the stored pairs after each detection run.

Per term: the connected components (union-find) of the pairs between two problems of that term,
leads left out (a lead is never a common problem to be written up). A component spanning at
least two organizations is a Cluster; the common-problems page shows those spanning at least
the committee's `common_min_organizations`, so a change of that setting needs no rebuild.

A cluster's `key` is its lowest member id. Rows are updated in place by (term, key), so that a
recommendation drafted from a cluster keeps pointing at it; when a component's lowest member
changes (the old one was edited away or deleted), the row of the component that holds most of
its old members is kept and re-keyed rather than deleted. Only what changed is written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from xuncha.analytics.detection import insert_rows
from xuncha.analytics.models import Cluster, ClusterMember
from xuncha.registry.models import Committee

FIELDS = ("key", "label", "point_id", "problem_count", "organization_count", "round_count", "amount")


@dataclass
class Component:
    term_id: int
    key: int
    members: list[int]
    label: str
    point_id: int | None
    problem_count: int
    organization_count: int
    round_count: int
    amount: Decimal | None
    representative: int


@dataclass
class Built:
    total: int = 0
    written: int = 0
    deleted: int = 0
    terms: list[int] = field(default_factory=list)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The lower id becomes the root: deterministic, whatever the order of the pairs.
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def components(rows: dict, pairs: list[tuple[int, int, float]]) -> dict[tuple[int, int], Component]:
    """The clusters wanted, by (term, key), from the problems (detection.Row) and the pairs
    (later id, earlier id, similarity)."""
    uf = _UnionFind()
    weight: dict[int, float] = defaultdict(float)
    for later, earlier, sim in pairs:
        a, b = rows.get(later), rows.get(earlier)
        if a is None or b is None or a.lead or b.lead or a.term_id != b.term_id:
            continue
        uf.union(a.id, b.id)
        weight[a.id] += sim
        weight[b.id] += sim
    groups: dict[int, list[int]] = defaultdict(list)
    for pk in list(uf.parent):
        groups[uf.find(pk)].append(pk)
    wanted: dict[tuple[int, int], Component] = {}
    for members in groups.values():
        members.sort()
        members_rows = [rows[pk] for pk in members]
        organizations = {r.organization_id for r in members_rows}
        if len(organizations) < 2:
            continue
        # The most representative member: the most (and most strongly) matched; ties to the lowest id.
        representative = max(members, key=lambda pk: (round(weight[pk], 6), -pk))
        points = Counter(r.point_id for r in members_rows if r.point_id is not None)
        point_id = min(points, key=lambda p: (-points[p], p)) if points else None
        amounts = [r.amount for r in members_rows if r.amount is not None]
        term_id = members_rows[0].term_id
        wanted[(term_id, members[0])] = Component(
            term_id=term_id, key=members[0], members=members, label=rows[representative].title[:200],
            point_id=point_id, problem_count=len(members), organization_count=len(organizations),
            round_count=len({r.round_id for r in members_rows}),
            amount=sum(amounts, Decimal(0)) if amounts else None, representative=representative)
    return wanted


def _assign_rows(existing: dict[tuple[int, int], Cluster], stored: dict[int, set[int]],
                 wanted: dict[tuple[int, int], Component]) -> tuple[dict[tuple[int, int], Cluster], list[Cluster]]:
    """Which stored row each wanted component is written to, and the rows left over."""
    rows_for = {k: row for k, row in existing.items() if k in wanted}
    component_of = {pk: k for k, comp in wanted.items() for pk in comp.members}
    leftover = []
    for k, row in sorted(existing.items()):
        if k in wanted:
            continue
        votes = Counter(component_of[pk] for pk in stored.get(row.pk, ()) if pk in component_of)
        target = next((t for t, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
                       if t not in rows_for and t[0] == row.term_id), None)
        if target is None:
            leftover.append(row)
        else:
            rows_for[target] = row
    return rows_for, leftover


def rebuild(committee: Committee, rows: dict, pairs: list[tuple[int, int, float]]) -> Built:
    """Write the committee's clusters so that they are the components of `pairs`."""
    wanted = components(rows, pairs)
    existing = {(c.term_id, c.key): c for c in Cluster.objects.filter(committee=committee).order_by("id")}
    stored: dict[int, dict[int, int]] = defaultdict(dict)
    for member_id, cluster_id, problem_id in (ClusterMember.objects.filter(cluster__committee=committee)
                                              .values_list("id", "cluster_id", "problem_id")):
        stored[cluster_id][problem_id] = member_id
    rows_for, leftover = _assign_rows(existing, {cid: set(m) for cid, m in stored.items()}, wanted)
    built = Built(total=len(wanted), deleted=len(leftover))
    terms: set[int] = {row.term_id for row in leftover}
    if leftover:
        Cluster.objects.filter(pk__in=[row.pk for row in leftover]).delete()
    now = timezone.now()
    create, update = [], []
    for k, comp in wanted.items():
        row = rows_for.get(k)
        values = {"key": comp.key, "label": comp.label, "point_id": comp.point_id,
                  "problem_count": comp.problem_count, "organization_count": comp.organization_count,
                  "round_count": comp.round_count, "amount": comp.amount}
        if row is None:
            row = Cluster(committee=committee, term_id=comp.term_id, built_at=now, **values)
            rows_for[k] = row
            create.append(row)
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.built_at = now
            update.append(row)
    Cluster.objects.bulk_create(create, batch_size=500)
    Cluster.objects.bulk_update(update, [*FIELDS, "built_at"], batch_size=500)
    built.written = len(create) + len(update)
    terms.update(row.term_id for row in (*create, *update))
    remove: list[int] = []
    add: list[tuple[int, int]] = []
    for k, comp in wanted.items():
        row = rows_for[k]
        have = stored.get(row.pk, {})
        want = set(comp.members)
        remove.extend(member_id for problem_id, member_id in have.items() if problem_id not in want)
        add.extend((row.pk, pk) for pk in comp.members if pk not in have)
        if want != set(have):
            terms.add(comp.term_id)
    for start in range(0, len(remove), 500):
        ClusterMember.objects.filter(pk__in=remove[start:start + 500]).delete()
    insert_rows(ClusterMember, ["cluster", "problem"], add)
    built.terms = sorted(terms)
    return built
