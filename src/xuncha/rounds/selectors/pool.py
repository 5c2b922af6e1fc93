"""Reads of the inspector pool (巡察人才库): inspectors, evaluations, draws."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from xuncha.access.policy import CREATE, VIEW, scope
from xuncha.registry.models import Person
from xuncha.rounds.models import (
    DrawRecord,
    Group,
    GroupMember,
    InspectorEvaluation,
    InspectorProfile,
    Round,
    Skill,
)
from xuncha.rounds.transitions import PLAN_OPEN
from xuncha.text import match_key

GRADE_LABELS = dict(InspectorEvaluation.Grade.choices)
SKILL_LABELS = dict(Skill.choices)
PEOPLE_FOUND_MAX = 20


def skill_labels(skills: Iterable[str]) -> list:
    """The labels of known skills, in the order of the Skill choices."""
    held = set(skills or ())
    return [label for value, label in Skill.choices if value in held]


def _served(user) -> Prefetch:
    memberships = (scope(user, GroupMember).select_related("group__round__term")
                   .order_by("-group__round__term__number", "-group__round__number"))
    return Prefetch("person__group_memberships", queryset=memberships, to_attr="served")


def _evaluation_due() -> Exists:
    """A round the inspector served in has left the field and has no evaluation of them."""
    evaluated = InspectorEvaluation.objects.filter(profile_id=OuterRef(OuterRef("pk")),
                                                   round_id=OuterRef("group__round_id"))
    return Exists(GroupMember.objects.filter(person_id=OuterRef("person_id"),
                                             group__round__committee_id=OuterRef("committee_id"))
                  .exclude(group__round__state__in=PLAN_OPEN).filter(~Exists(evaluated)))


def evaluations_due(user) -> QuerySet[InspectorProfile]:
    """Inspectors waiting for an evaluation, in the committees where the user adds them
    (the pool's CREATE grant is the evaluations' own)."""
    return scope(user, InspectorProfile, CREATE).filter(_evaluation_due())


def profiles_for(user, *, action: str = VIEW, skill: str = "", available: bool | None = None,
                 committee: int | None = None, due: bool = False) -> QuerySet[InspectorProfile]:
    """Inspectors the user may see, in surname stroke order, with the rounds they served
    (prefetched as person.served) and their latest evaluation grade (latest_grade)."""
    latest = (InspectorEvaluation.objects.filter(profile=OuterRef("pk"))
              .order_by("-evaluated_at", "-id").values("grade")[:1])
    qs = (scope(user, InspectorProfile, action)
          .select_related("person__organization", "committee")
          .annotate(latest_grade=Subquery(latest))
          .prefetch_related(_served(user))
          .order_by("person__stroke_key", "person__name", "id"))
    if skill:
        # The skills are a JSON list; its text holds each value in quotes on every backend.
        qs = qs.filter(skills__icontains=f'"{skill}"')
    if available is not None:
        qs = qs.filter(available=available)
    if committee:
        qs = qs.filter(committee_id=committee)
    if due:
        qs = qs.filter(_evaluation_due())
    return qs


def decorate(profiles: Iterable[InspectorProfile]) -> list[InspectorProfile]:
    """Labels for the page: skill_labels, latest_grade_label, rounds (distinct, newest first)."""
    rows = list(profiles)
    for profile in rows:
        profile.skill_labels = skill_labels(profile.skills)
        profile.latest_grade_label = GRADE_LABELS.get(getattr(profile, "latest_grade", None) or "")
        seen: dict[int, Round] = {}
        for member in getattr(profile.person, "served", ()):
            seen.setdefault(member.group.round_id, member.group.round)
        profile.rounds = list(seen.values())
    return rows


def get_profile_for_user(user, pk: int, *, action: str = VIEW) -> InspectorProfile:
    profile = profiles_for(user, action=action).filter(pk=pk).first()
    if profile is None:
        raise Http404
    decorate([profile])
    return profile


def service_of(user, profile: InspectorProfile) -> list[GroupMember]:
    """Where the inspector served: group memberships with their rounds, newest first."""
    return list(scope(user, GroupMember).filter(person_id=profile.person_id)
                .select_related("group__round__term")
                .order_by("-group__round__term__number", "-group__round__number"))


def evaluations_of(user, profile: InspectorProfile) -> QuerySet[InspectorEvaluation]:
    return (scope(user, InspectorEvaluation).filter(profile=profile)
            .select_related("round__term", "evaluated_by").order_by("-evaluated_at", "-id"))


def rounds_to_evaluate(profile: InspectorProfile) -> QuerySet[Round]:
    """Rounds the inspector served in, out of the field, not yet evaluated."""
    return (Round.objects.filter(groups__members__person_id=profile.person_id)
            .exclude(state__in=PLAN_OPEN)
            .exclude(pk__in=InspectorEvaluation.objects.filter(profile=profile).values("round_id"))
            .select_related("term").distinct().order_by("-term__number", "-number"))


def people_to_add(user, *, committee: int, query: str = "") -> QuerySet[Person]:
    """People of the committee not yet in the pool, matching the query, in stroke order."""
    qs = (scope(user, Person).filter(committee_id=committee, inspector_profile__isnull=True)
          .select_related("organization").order_by("stroke_key", "name", "id"))
    query = query.strip()
    if query:
        key = match_key(query)
        qs = qs.filter(Q(name_key__contains=key) | Q(pinyin__startswith=key.lower())
                       | Q(post__icontains=query) | Q(organization__name__icontains=query))
    return qs


# -- draws -----------------------------------------------------------------------------------

def get_group_for_user(user, pk: int) -> Group:
    group = (scope(user, Group).select_related("round__term", "round__committee")
             .filter(pk=pk).first())
    if group is None:
        raise Http404
    return group


def draws_of(user, group: Group) -> QuerySet[DrawRecord]:
    return scope(user, DrawRecord).filter(group=group).select_related("drawn_by").order_by("-drawn_at", "-id")


def get_draw_for_user(user, group: Group, pk: int) -> DrawRecord:
    record = draws_of(user, group).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def profiles_by_person(user, person_ids: Iterable[int]) -> dict[int, InspectorProfile]:
    """The inspectors behind a draw's person ids, decorated, keyed by person id."""
    ids = list(person_ids)
    profiles = (scope(user, InspectorProfile).filter(person_id__in=ids)
                .select_related("person__organization"))
    return {p.person_id: p for p in decorate(profiles)}


def people_named(user, person_ids: Iterable[int]) -> dict[int, Person]:
    return {p.pk: p for p in scope(user, Person).filter(pk__in=list(person_ids))}


def members_of(user, group: Group) -> set[int]:
    """The person ids already serving in the group."""
    return set(scope(user, GroupMember).filter(group=group).values_list("person_id", flat=True))
