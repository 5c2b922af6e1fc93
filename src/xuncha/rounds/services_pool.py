"""Writes for the inspector pool: inspectors, evaluations (鉴定) and the random draw (随机抽取).

The draw only proposes a roster; `draw_accept` adds it to the group through
`services.member_add`, which checks recusal again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, require
from xuncha.registry.models import Committee, Person
from xuncha.rounds import draw as draw_algorithm
from xuncha.rounds import services
from xuncha.rounds.models import (
    DrawRecord,
    Group,
    GroupMember,
    InspectorEvaluation,
    InspectorProfile,
    Round,
    Skill,
)
from xuncha.rounds.recusal import conflicts_between, lookback_years
from xuncha.rounds.transitions import PLAN_OPEN

MAX_PER_SKILL = 20
SEED_LIMIT = 2**31


# -- inspectors ------------------------------------------------------------------------------

def _clean_skills(skills) -> list[str]:
    chosen = set(skills or ())
    unknown = chosen - set(Skill.values)
    if unknown:
        raise ValidationError({"skills": [_("Unknown skill: %(skill)s.") % {"skill": ", ".join(sorted(unknown))}]})
    if not chosen:
        raise ValidationError({"skills": [_("Choose at least one skill.")]})
    return [value for value in Skill.values if value in chosen]


@transaction.atomic
def profile_create(*, actor, committee: Committee, person: Person, skills: list[str], approved_on: date,
                   available: bool = True, note: str = "") -> InspectorProfile:
    """Approve a person of the committee as an inspector."""
    profile = InspectorProfile(committee=committee, person=person, available=available,
                               note=note.strip(), approved_on=approved_on)
    require(actor, CREATE, profile)
    if person.committee_id != committee.pk:
        raise ValidationError({"person": [_("The person belongs to another committee.")]})
    if InspectorProfile.objects.filter(person=person).exists():
        raise ValidationError({"person": [_("%(name)s is already in the inspector pool.") % {"name": person.name}]})
    profile.skills = _clean_skills(skills)
    profile.save()
    audit.record(actor=actor, action="pool.add", obj=profile, summary=person.name,
                 detail={"skills": profile.skills, "available": available})
    return profile


@transaction.atomic
def profile_update(*, actor, profile: InspectorProfile, skills: list[str], available: bool,
                   approved_on: date, note: str = "") -> InspectorProfile:
    require(actor, CHANGE, profile)
    profile = InspectorProfile.objects.select_for_update().select_related("person").get(pk=profile.pk)
    new = {"skills": _clean_skills(skills), "available": available, "approved_on": approved_on,
           "note": note.strip()}
    diff = {name: [getattr(profile, name), value] for name, value in new.items()
            if getattr(profile, name) != value}
    if diff:
        for name, value in new.items():
            setattr(profile, name, value)
        profile.save(update_fields=list(new))
        audit.record(actor=actor, action="pool.update", obj=profile, summary=profile.person.name,
                     detail={"changes": diff})
    return profile


@transaction.atomic
def evaluation_add(*, actor, profile: InspectorProfile, round: Round, grade: str,
                   comment: str = "") -> InspectorEvaluation:
    """Record the evaluation of an inspector for a round they served in, once it left the field."""
    evaluation = InspectorEvaluation(profile=profile, round=round, grade=grade, comment=comment.strip(),
                                     evaluated_by=actor if getattr(actor, "pk", None) else None)
    require(actor, CREATE, evaluation)
    if grade not in InspectorEvaluation.Grade.values:
        raise ValidationError({"grade": [_("Unknown grade.")]})
    if not GroupMember.objects.filter(group__round=round, person_id=profile.person_id).exists():
        raise ValidationError({"round": [_("%(name)s did not serve in %(round)s.")
                                         % {"name": profile.person.name, "round": round.label}]})
    if round.state in PLAN_OPEN:
        raise ValidationError({"round": [_("An inspector is evaluated once the round has left the field.")]})
    if InspectorEvaluation.objects.filter(profile=profile, round=round).exists():
        raise ValidationError({"round": [_("%(name)s has already been evaluated for %(round)s.")
                                         % {"name": profile.person.name, "round": round.label}]})
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:  # evaluated at the same moment by someone else
        raise ValidationError({"round": [_("%(name)s has already been evaluated for %(round)s.")
                                         % {"name": profile.person.name, "round": round.label}]}) from None
    audit.record(actor=actor, action="pool.evaluate", obj=evaluation,
                 summary=f"{profile.person.name} {round.label}", detail={"grade": grade})
    return evaluation


# -- the draw --------------------------------------------------------------------------------

@dataclass
class Skipped:
    """Why pool members were not candidates (each person counted once, in this order)."""

    unavailable: int = 0
    serving: int = 0  # already in a group of this round
    conflicts: int = 0  # a recusal conflict with one of the group's targets
    previous: int = 0  # served or drawn in the previous round: kept back unless needed

    def as_dict(self) -> dict[str, int]:
        return {"unavailable": self.unavailable, "serving": self.serving,
                "conflicts": self.conflicts, "previous": self.previous}


@dataclass
class DrawOutcome:
    record: DrawRecord
    picks: list[draw_algorithm.Pick]
    skipped: Skipped = field(default_factory=Skipped)


def _clean_request(requested: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for skill, count in (requested or {}).items():
        if skill not in Skill.values:
            raise ValidationError(_("Unknown skill: %(skill)s.") % {"skill": skill})
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_PER_SKILL:
            raise ValidationError({skill: [_("Ask for between 0 and %(max)d people.") % {"max": MAX_PER_SKILL}]})
        if count:
            counts[skill] = count
    if not counts:
        raise ValidationError(_("Ask for at least one person."))
    return {skill: counts[skill] for skill in Skill.values if skill in counts}


def previous_round(rnd: Round) -> Round | None:
    """The round before this one in the same term."""
    return (Round.objects.filter(term_id=rnd.term_id, number__lt=rnd.number)
            .order_by("-number").first())


def _previous_people(rnd: Round) -> set[int]:
    before = previous_round(rnd)
    if before is None:
        return set()
    people = set(GroupMember.objects.filter(group__round=before).values_list("person_id", flat=True))
    for result in DrawRecord.objects.filter(group__round=before).values_list("result", flat=True):
        people.update(int(pk) for pk in result or ())
    return people


def _candidates(group: Group) -> tuple[list[draw_algorithm.Candidate], Skipped]:
    rnd = group.round
    skipped = Skipped()
    serving = set(GroupMember.objects.filter(group__round=rnd).values_list("person_id", flat=True))
    previous = _previous_people(rnd)
    targets = [a.organization for a in group.assignments.select_related("organization")]
    today = timezone.localdate()
    years = lookback_years(rnd.committee_id)
    candidates = []
    profiles = (InspectorProfile.objects.filter(committee_id=rnd.committee_id)
                .select_related("person__organization").order_by("person_id"))
    for profile in profiles:
        if not profile.available:
            skipped.unavailable += 1
        elif profile.person_id in serving:
            skipped.serving += 1
        elif any(conflicts_between(profile.person, target, on=today, years=years) for target in targets):
            skipped.conflicts += 1
        else:
            was_there = profile.person_id in previous
            skipped.previous += was_there
            candidates.append(draw_algorithm.Candidate(profile.person_id, frozenset(profile.skills or ()),
                                                       previous=was_there))
    return candidates, skipped


@transaction.atomic
def draw_roster(*, actor, group: Group, requested: dict[str, int], seed: int | None = None) -> DrawOutcome:
    """Propose a roster for the group with the requested skill mix; records and audits the draw.

    Candidates: available inspectors of the committee, not serving in the round, with no
    recusal conflict against the group's current targets. Nothing is added to the group."""
    record = DrawRecord(group=group, drawn_by=actor if getattr(actor, "pk", None) else None)
    require(actor, CREATE, record)
    if group.round.state not in PLAN_OPEN:
        raise ValidationError(_("Groups and targets cannot change after the fieldwork ended."))
    counts = _clean_request(requested)
    if seed is None:
        seed = random.SystemRandom().randrange(SEED_LIMIT)
    elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
        raise ValidationError({"seed": [_("The seed is a whole number from 0 to %(max)d.") % {"max": SEED_LIMIT - 1}]})
    candidates, skipped = _candidates(group)
    result = draw_algorithm.draw(candidates, counts, seed)
    used_previous = sum(pick.previous for pick in result.picks)
    record.requested = counts
    record.seed = seed
    record.result = result.person_ids
    record.shortfall = result.shortfall
    record.save()
    audit.record(actor=actor, action="group.draw", obj=record, summary=group.full_name,
                 detail={"requested": counts, "seed": seed, "result": record.result,
                         "shortfall": result.shortfall, "skipped": skipped.as_dict(),
                         "previous_used": used_previous})
    return DrawOutcome(record=record, picks=result.picks, skipped=skipped)


@transaction.atomic
def draw_accept(*, actor, record: DrawRecord) -> list[GroupMember]:
    """Add everyone a draw proposed to its group as members, all or none. Recusal and the
    one-group-per-round rule are checked again by member_add; people already in the group
    are left as they are."""
    group = record.group
    require(actor, CREATE, GroupMember(group=group))
    already = set(group.members.values_list("person_id", flat=True))
    people = Person.objects.select_related("organization").in_bulk(record.result)
    added = []
    for person_id in record.result:
        person = people.get(int(person_id))
        if person is None or person.pk in already:
            continue
        added.append(services.member_add(actor=actor, group=group, person=person,
                                         role=GroupMember.Role.MEMBER))
    if added:
        audit.record(actor=actor, action="group.draw.accept", obj=record, summary=group.full_name,
                     detail={"added": [m.person_id for m in added]})
    return added
