"""Recusal rules, one row each: who may not inspect which organization, and why."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha.registry.models import Person, Relative, WorkHistory
from xuncha.rounds.models import ConflictDeclaration, RoundsPolicy
from xuncha.rounds.recusal import conflicts_between, lookback_years

ON = date(2024, 6, 15)
YEARS = 5
EXACTLY_N_YEARS_AGO = date(2019, 6, 15)
N_YEARS_AND_A_DAY_AGO = date(2019, 6, 14)


def _works_in(org):
    return lambda w, p: setattr(p, "organization", org(w)) or p.save()


def _worked(end):
    return lambda w, p: WorkHistory.objects.create(person=p, organization=w.village, post="会计",
                                                   start_date=date(2010, 1, 1), end_date=end)


def _relative(relation):
    return lambda w, p: Relative.objects.create(person=p, relation=relation, name="王秀英", organization=w.village)


def _declared(w, p):
    ConflictDeclaration.objects.create(person=p, organization=w.village, reason="曾与该村有经济往来",
                                       declared_on=date(2024, 1, 5))


CASES = [
    # (case, arrange(world, person), expected kinds) — the target is always 东门村, under 城关镇.
    ("no conflict", lambda w, p: None, []),
    ("own organization is the target", _works_in(lambda w: w.village), ["own"]),
    ("own organization is the target's parent", _works_in(lambda w: w.township), ["parent"]),
    ("own organization is the target's child", None, ["child"]),  # arranged below: target 城关镇
    ("worked there, ended exactly N years ago", _worked(EXACTLY_N_YEARS_AGO), ["worked"]),
    ("worked there, ended N years and a day ago", _worked(N_YEARS_AND_A_DAY_AGO), []),
    ("worked there, ended long ago", _worked(date(2012, 12, 31)), []),
    ("worked there, ended last year", _worked(date(2023, 3, 1)), ["worked"]),
    ("still works there (no end date)", _worked(None), ["worked"]),
    ("spouse works there", _relative(Relative.Relation.SPOUSE), ["relative"]),
    ("parent works there", _relative(Relative.Relation.PARENT), ["relative"]),
    ("child works there", _relative(Relative.Relation.CHILD), ["relative"]),
    ("sibling works there", _relative(Relative.Relation.SIBLING), ["relative"]),
    ("in-law works there", _relative(Relative.Relation.IN_LAW), ["relative"]),
    ("an 'other' relative works there", _relative(Relative.Relation.OTHER), []),
    ("declared a conflict", _declared, ["declared"]),
]


@pytest.mark.parametrize(("case", "arrange", "expected"), CASES, ids=[c[0] for c in CASES])
def test_it_finds_each_rule(world, case, arrange, expected):
    person = Person.objects.create(committee=world.county, name="赵文华", organization=world.department)
    target = world.village
    if arrange is None:  # the person's own organization reports to the target
        person.organization = world.village
        person.save()
        target = world.township
    else:
        arrange(world, person)
    conflicts = conflicts_between(person, target, on=ON, years=YEARS)
    assert [c.kind for c in conflicts] == expected
    for conflict in conflicts:
        assert person.name in conflict.sentence
        assert target.name in conflict.sentence


def test_the_sentences_name_the_relative_and_the_own_organization(world):
    person = Person.objects.create(committee=world.county, name="赵文华", organization=world.township)
    Relative.objects.create(person=person, relation=Relative.Relation.SPOUSE, name="王秀英", organization=world.village)
    sentences = [c.sentence for c in conflicts_between(person, world.village, on=ON, years=YEARS)]
    assert len(sentences) == 2
    assert "城关镇" in sentences[0]
    assert "王秀英" in sentences[1]


def test_it_finds_every_conflict_at_once(world):
    person = Person.objects.create(committee=world.county, name="赵文华", organization=world.village)
    _worked(None)(world, person)
    _relative(Relative.Relation.SIBLING)(world, person)
    _declared(world, person)
    kinds = [c.kind for c in conflicts_between(person, world.village, on=ON, years=YEARS)]
    assert kinds == ["own", "worked", "relative", "declared"]


def test_work_in_another_organization_does_not_count(world):
    person = Person.objects.create(committee=world.county, name="赵文华", organization=world.department)
    WorkHistory.objects.create(person=person, organization=world.department, start_date=date(2020, 1, 1))
    assert conflicts_between(person, world.village, on=ON, years=YEARS) == []


@pytest.mark.parametrize(("years", "expected"), [(3, []), (4, []), (5, ["worked"]), (6, ["worked"])])
def test_the_look_back_follows_the_committees_policy(world, years, expected):
    RoundsPolicy.objects.create(committee=world.county, recusal_years=years)
    person = Person.objects.create(committee=world.county, name="赵文华", organization=world.department)
    _worked(date(2019, 12, 31))(world, person)  # four and a half years before ON
    n = lookback_years(world.county.pk)
    assert n == years
    assert [c.kind for c in conflicts_between(person, world.village, on=ON, years=n)] == expected


def test_the_look_back_is_five_years_without_a_policy(world):
    assert lookback_years(world.county.pk) == 5


def test_the_29th_of_february_looks_back_to_the_28th(world):
    person = Person.objects.create(committee=world.county, name="赵文华", organization=world.department)
    _worked(date(2019, 2, 28))(world, person)
    assert [c.kind for c in conflicts_between(person, world.village, on=date(2024, 2, 29), years=5)] == ["worked"]
    assert conflicts_between(person, world.village, on=date(2024, 3, 1), years=5) == []
