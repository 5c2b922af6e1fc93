"""Reads of the plan: terms, rounds, their groups and history, the transitions a user may take.

Every query starts from access.policy.scope; a missing or out-of-scope object is a 404.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from xuncha.access import policy
from xuncha.access.policy import CREATE, VIEW, can, scope
from xuncha.registry.models import Committee
from xuncha.rounds.models import Assignment, Group, GroupMember, Round, RoundTransition, Term
from xuncha.rounds.transitions import Transition, available


def terms_for(user, *, action: str = VIEW) -> QuerySet[Term]:
    return scope(user, Term, action).select_related("committee").order_by("committee__name", "-number")


def term_summaries(user, *, limit: int = 6) -> list[Term]:
    """The newest terms the user may see, each with `n_rounds` planned so far."""
    return list(terms_for(user).order_by("-start_date", "committee__name")
                .annotate(n_rounds=Count("rounds"))[:limit])


def get_term_for_user(user, pk: int, *, action: str = VIEW) -> Term:
    term = terms_for(user, action=action).filter(pk=pk).first()
    if term is None:
        raise Http404
    return term


def committees_to_plan(user) -> list[Committee]:
    """Committees in which the user may open a term (the office's own)."""
    seen: dict[int, Committee] = {}
    for assignment in policy.assignments(user):
        committee = assignment.committee
        if committee.pk not in seen and can(user, CREATE, Term(committee=committee)):
            seen[committee.pk] = committee
    return list(seen.values())


def round_list(user, *, term: int | None = None, state: str = "", kind: str = "") -> QuerySet[Round]:
    """Rounds the user may see, newest term and round first, with their group and target counts."""
    qs = scope(user, Round, VIEW).select_related("term", "committee")
    if term:
        qs = qs.filter(term_id=term)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    # Subqueries rather than two joins, so the counts do not multiply each other.
    return qs.annotate(
        n_groups=Count("groups", distinct=True),
        n_targets=Count("assignments", distinct=True),
    ).order_by("committee__name", "-term__number", "-number")


def get_round_for_user(user, pk: int, *, action: str = VIEW) -> Round:
    """The round with `n_groups` and `n_targets` (the whole plan's, whichever groups the user sees)."""
    rnd = (scope(user, Round, action).select_related("term", "committee").filter(pk=pk)
           .annotate(n_groups=Count("groups", distinct=True), n_targets=Count("assignments", distinct=True))
           .first())
    if rnd is None:
        raise Http404
    return rnd


def round_groups(user, rnd: Round) -> list[Group]:
    """The groups of a round the user may see (a group's own members see only their group),
    with `leaders`, `deputies`, `others` (members and liaisons) in surname stroke order and
    `targets`. The plan export uses it too: those who may export see every group."""
    members = GroupMember.objects.select_related("person").order_by("person__stroke_key", "person__name")
    targets = Assignment.objects.select_related("organization__kind").order_by(
        "organization__kind__sort_order", "organization__pinyin")
    groups = list(
        scope(user, Group, VIEW).filter(round=rnd).order_by("number")
        .prefetch_related(Prefetch("members", queryset=members, to_attr="member_list"),
                          Prefetch("assignments", queryset=targets, to_attr="targets"))
    )
    for group in groups:
        group.round = rnd  # the caller's round: group.full_name without another query
        group.leaders = [m for m in group.member_list if m.role == GroupMember.Role.LEADER]
        group.deputies = [m for m in group.member_list if m.role == GroupMember.Role.DEPUTY]
        group.others = [m for m in group.member_list
                        if m.role in (GroupMember.Role.MEMBER, GroupMember.Role.LIAISON)]
        group.n_members = len(group.member_list)
    return groups


def round_timeline(user, rnd: Round) -> QuerySet[RoundTransition]:
    return scope(user, RoundTransition, VIEW).filter(round=rnd).select_related("actor").order_by("at", "id")


def acting_roles(user, rnd: Round) -> set[str]:
    """The roles the user holds in the round's committee itself (not through a group)."""
    return {a.role for a in policy.assignments(user)
            if a.committee_id == rnd.committee_id and a.group_id is None}


def transitions_for(user, rnd: Round) -> list[Transition]:
    """The transitions the user's roles allow from the round's current state."""
    roles = acting_roles(user, rnd)
    return [t for t in available(rnd.state) if t.roles & roles]
