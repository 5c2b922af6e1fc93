"""Reads of working papers, always through the access policy: the ledger with its filters and
counts, one paper with its history, the review inbox of each role and the workbench counts."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from xuncha.access import policy
from xuncha.access.policy import VIEW, scope
from xuncha.access.roles import Role
from xuncha.findings.models import PaperAmendment, PaperStep, WorkingPaper
from xuncha.findings.selectors.search import matching
from xuncha.findings.signoff import OFFICE_ROLES
from xuncha.rounds.models import Assignment, Group, GroupMember, Round

S = WorkingPaper.State


def _authors() -> Prefetch:
    return Prefetch("authors", queryset=GroupMember.objects.select_related("person").order_by("person__stroke_key",
                                                                                               "pk"))


def papers_for(user) -> QuerySet[WorkingPaper]:
    """Every paper the user may see, with what a list row shows joined or prefetched."""
    return (scope(user, WorkingPaper, VIEW)
            .select_related("assignment__organization", "classification", "group__round__term")
            .prefetch_related(_authors()))


def get_paper_for_user(user, pk) -> WorkingPaper:
    steps = scope(user, PaperStep, VIEW).select_related("actor").order_by("at", "pk")
    amendments = scope(user, PaperAmendment, VIEW).select_related("actor").order_by("at", "pk")
    qs = (papers_for(user)
          .select_related("classification__parent__parent", "assignment__organization__kind", "round__committee",
                          "created_by")
          .prefetch_related(Prefetch("steps", queryset=steps, to_attr="history"),
                            Prefetch("amendments", queryset=amendments, to_attr="amendment_list")))
    try:
        return qs.get(pk=pk)
    except (WorkingPaper.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# -- the ledger ------------------------------------------------------------------------------

@dataclass
class LedgerFilters:
    state: str = ""
    target: int | None = None
    kind: str = ""
    source: str = ""
    author: int | None = None
    q: str = ""
    extra: dict = field(default_factory=dict)


def rounds_for(user) -> list[Round]:
    """Rounds in which the user sees at least one group, newest first."""
    groups = scope(user, Group, VIEW)
    return list(scope(user, Round, VIEW).filter(groups__in=groups).distinct()
                .select_related("term").order_by("-term__start_date", "-term__number", "-number", "-pk"))


def groups_for(user, rnd: Round) -> list[Group]:
    groups = list(scope(user, Group, VIEW).filter(round=rnd).order_by("number"))
    for group in groups:
        group.round = rnd
    return groups


def filtered(qs: QuerySet[WorkingPaper], filters: LedgerFilters) -> QuerySet[WorkingPaper]:
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.target:
        qs = qs.filter(assignment_id=filters.target)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.author:
        qs = qs.filter(authors__pk=filters.author)
    return matching(qs, filters.q)


def ledger(user, *, rnd: Round | None, group: Group | None, filters: LedgerFilters) -> QuerySet[WorkingPaper]:
    qs = papers_for(user)
    if group is not None:
        qs = qs.filter(group=group)
    elif rnd is not None:
        qs = qs.filter(round=rnd)
    return filtered(qs, filters).order_by("group__number", "seq", "pk")


def state_counts(qs: QuerySet[WorkingPaper]) -> dict[str, int]:
    rows = qs.order_by().values("state").annotate(n=Count("pk", distinct=True))
    counts = {state: 0 for state in S.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def targets_of(user, *, rnd: Round | None, group: Group | None) -> QuerySet[Assignment]:
    qs = scope(user, Assignment, VIEW).select_related("organization")
    if group is not None:
        qs = qs.filter(group=group)
    elif rnd is not None:
        qs = qs.filter(round=rnd)
    return qs.order_by("group__number", "organization__kind__sort_order", "organization__pinyin", "pk")


def members_of(user, group: Group) -> QuerySet[GroupMember]:
    """A group's members in 姓氏笔画 order (authors are chosen among them)."""
    return (scope(user, GroupMember, VIEW).filter(group=group).select_related("person")
            .order_by("person__stroke_key", "pk"))


# -- the review inbox ------------------------------------------------------------------------

def _inbox_parts(user) -> dict[str, Q]:
    """What waits for the user, by kind of to-do: the deputy reviews what was submitted, the
    leader signs what was reviewed, the office registers what was signed, authors rework what
    was returned to them."""
    parts: dict[str, list[Q]] = {"review": [], "sign": [], "register": [], "rework": []}
    for a in policy.assignments(user):
        if a.role == Role.GROUP_DEPUTY:
            parts["review"].append(Q(group_id=a.group_id, state=S.SUBMITTED))
        elif a.role == Role.GROUP_LEADER:
            parts["sign"].append(Q(group_id=a.group_id, state=S.REVIEWED))
        elif a.role in OFFICE_ROLES:
            parts["register"].append(Q(round__committee_id=a.committee_id, state=S.SIGNED))
    if getattr(user, "pk", None) and not getattr(user, "system_role", ""):
        parts["rework"].append(Q(state=S.RETURNED, authors__user_id=user.pk))
    return {key: reduce(operator.or_, qs) for key, qs in parts.items() if qs}


def inbox(user) -> QuerySet[WorkingPaper]:
    parts = _inbox_parts(user)
    if not parts:
        return WorkingPaper.objects.none()
    q = reduce(operator.or_, parts.values())
    ids = scope(user, WorkingPaper, VIEW).filter(q).values("pk")
    return papers_for(user).filter(pk__in=ids).order_by("state", "group__number", "seq", "pk")


def inbox_counts(user) -> dict[str, tuple[int, int | None]]:
    """{kind of to-do: (count, the group when they all belong to one)} for the workbench."""
    counts: dict[str, tuple[int, int | None]] = {}
    base = scope(user, WorkingPaper, VIEW)
    for key, q in _inbox_parts(user).items():
        rows = list(base.filter(q).order_by().values("group_id").annotate(n=Count("pk", distinct=True)))
        total = sum(row["n"] for row in rows)
        if total:
            counts[key] = (total, rows[0]["group_id"] if len(rows) == 1 else None)
    return counts
