"""Coverage selectors against a constructed county: the SQL aggregates agree with counts made
independently in Python, and the figures take a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest

from xuncha.registry.models import Organization
from xuncha.rounds.models import Assignment, Group, Round, RoundsPolicy, Term
from xuncha.rounds.selectors import coverage as selectors


@pytest.fixture
def county(world):
    """Three townships with villages, departments, schools, an "other" unit, an inactive village;
    targets in two rounds of the term and one round of an older term."""
    k = world.kinds
    orgs = {"城关镇": world.township, "东门村": world.village, "县财政局": world.department}
    for t in ("河西镇", "山口乡"):
        orgs[t] = Organization.objects.create(committee=world.county, name=t, kind=k["township"])
    for i in range(6):
        orgs[f"河西{i}村"] = Organization.objects.create(committee=world.county, name=f"河西{i}村",
                                                        kind=k["village"], parent=orgs["河西镇"])
    for i in range(4):
        orgs[f"山口{i}村"] = Organization.objects.create(committee=world.county, name=f"山口{i}村",
                                                        kind=k["village"], parent=orgs["山口乡"])
    orgs["城关二村"] = Organization.objects.create(committee=world.county, name="城关二村", kind=k["village"],
                                                  parent=world.township)
    orgs["废止村"] = Organization.objects.create(committee=world.county, name="废止村", kind=k["village"],
                                                parent=orgs["山口乡"], active=False)
    for name in ("县教育局", "县水务局"):
        orgs[name] = Organization.objects.create(committee=world.county, name=name, kind=k["department"])
    orgs["县一中"] = Organization.objects.create(committee=world.county, name="县一中", kind=k["school"])
    orgs["河西小学"] = Organization.objects.create(committee=world.county, name="河西小学", kind=k["school"],
                                                  parent=orgs["河西镇"])
    orgs["县老协"] = Organization.objects.create(committee=world.county, name="县老协", kind=k["other"])

    round2 = Round.objects.create(term=world.term, number=2, planned_entry=date(2024, 6, 1),
                                  planned_exit=date(2024, 7, 31), state=Round.State.COMPLETED)
    Round.objects.create(term=world.term, number=3, planned_entry=date(2024, 9, 1),
                         planned_exit=date(2024, 10, 31), state=Round.State.PLANNED)  # idle
    g21 = Group.objects.create(round=round2, number=1)
    old_term = Term.objects.create(committee=world.county, number=0, name="上一届", start_date=date(2019, 1, 1))
    old_round = Round.objects.create(term=old_term, number=1, planned_entry=date(2019, 3, 1),
                                     planned_exit=date(2019, 4, 1), state=Round.State.COMPLETED)
    old_group = Group.objects.create(round=old_round, number=1)

    def target(group, name):
        Assignment.objects.create(group=group, organization=orgs[name])

    for name in ("城关镇", "东门村", "河西0村", "河西1村", "县老协"):  # 县老协: "other", not required
        target(world.group1, name)
    for name in ("县财政局", "河西小学", "废止村"):  # 废止村: inactive, not required
        target(world.group2, name)
    for name in ("东门村", "河西2村", "县一中"):  # 东门村 again: counted once
        target(g21, name)
    target(old_group, "山口0村")  # another term: does not count
    return orgs


def _independent(world, kinds_required):
    """The same figures, counted one organization at a time."""
    term_targets = set(Assignment.objects.filter(round__term=world.term).values_list("organization_id", flat=True))
    required = [o for o in Organization.objects.select_related("kind", "parent__kind")
                if o.committee_id == world.county.pk and o.active and o.kind.code in kinds_required]
    by_kind: dict[str, list[int]] = {}
    by_township: dict[str, list[int]] = {}
    for o in required:
        covered = int(o.pk in term_targets)
        if o.kind.code == "township":
            town = str(o.pk)
        elif o.parent is not None and o.parent.kind.code == "township":
            town = str(o.parent_id)
        else:
            town = "other"
        for table, key in ((by_kind, o.kind.code), (by_township, town)):
            table.setdefault(key, [0, 0])
            table[key][0] += 1
            table[key][1] += covered
    return by_kind, by_township


def _table(rows):
    return {r.key: [r.total, r.covered] for r in rows}


def test_it_counts_what_python_counts(world, county):
    figures = selectors.coverage_for(world.office_admin, world.term)
    by_kind, by_township = _independent(world, {"township", "department", "village", "soe", "school", "hospital"})
    assert _table(figures.kinds) == by_kind
    assert _table(figures.townships) == by_township
    assert figures.total.total == sum(v[0] for v in by_kind.values()) == 20
    assert figures.total.covered == sum(v[1] for v in by_kind.values()) == 8
    assert [r.key for r in figures.townships][-1] == "other"
    assert {r.label for r in figures.townships} >= {"城关镇", "河西镇", "山口乡"}


def test_it_counts_the_rounds_of_the_term(world, county):
    figures = selectors.coverage_for(world.office_admin, world.term)
    assert figures.rounds == selectors.RoundCounts(created=3, with_targets=2, targets=11, idle=1)
    # planned 9, created 3, one of them idle: 7 rounds to come at 5.5 a round → 38 ≥ 12 uncovered
    assert figures.forecast.remaining == 7
    assert figures.forecast.capacity == 38
    assert not figures.forecast.short
    assert selectors.warning(figures.forecast) == ""


def test_it_warns_when_the_rounds_left_cannot_cover_the_rest(world, county):
    Term.objects.filter(pk=world.term.pk).update(planned_rounds=3)
    world.term.refresh_from_db()
    figures = selectors.coverage_for(world.office_admin, world.term)
    # only the idle round remains: 5.5 targets → 5 < 12
    assert (figures.forecast.remaining, figures.forecast.capacity, figures.forecast.uncovered) == (1, 5, 12)
    assert figures.forecast.short
    assert "5.5" in selectors.warning(figures.forecast)


def test_the_committee_policy_chooses_the_kinds(world, county):
    policy = RoundsPolicy.objects.create(committee=world.county)
    policy.covered_kinds.set([world.kinds["village"], world.kinds["other"]])
    figures = selectors.coverage_for(world.office_admin, world.term)
    by_kind, by_township = _independent(world, {"village", "other"})
    assert _table(figures.kinds) == by_kind
    assert _table(figures.townships) == by_township
    assert set(by_kind) == {"village", "other"}


@pytest.mark.parametrize("kind, township, expected", [
    ("", "", 12),
    ("village", "", 8),
    ("", "河西镇", 4),  # 河西镇 itself and three of its villages (its school is covered)
    ("village", "河西镇", 3),
    ("", "other", 2),  # 县教育局, 县水务局 (县一中 is covered, 县老协 is not required)
    ("department", "other", 2),
    ("", "nonsense", 0),
])
def test_it_lists_what_is_not_covered(world, county, kind, township, expected):
    if township == "河西镇":
        township = str(county["河西镇"].pk)
    missing = selectors.uncovered(world.office_admin, world.term, kind=kind, township=township)
    assert missing.count() == expected
    assert all(o.active and not o.is_covered for o in missing)


def test_it_reads_the_figures_in_a_fixed_number_of_queries(world, county, django_assert_num_queries):
    for i in range(40):
        Organization.objects.create(committee=world.county, name=f"新{i}村", kind=world.kinds["village"],
                                    parent=county["山口乡"])
    user = world.office_admin
    selectors.terms_for(user).count()  # the role assignments are read once per request
    # covered kinds, by kind, by township, rounds
    with django_assert_num_queries(4):
        figures = selectors.coverage_for(user, world.term)
    assert figures.total.total == 60
    with django_assert_num_queries(2):  # covered kinds, the page
        rows = list(selectors.uncovered(user, world.term)[:50])
    assert [o.parent.name for o in rows if o.parent]  # parents come with the rows


def test_the_other_committee_does_not_count(world, county):
    other_term = Term.objects.create(committee=world.other, number=1, name="邻县第一届", start_date=date(2024, 1, 1))
    figures = selectors.coverage_for(world.supervisor, other_term)
    assert figures.total.total == 1  # 河口镇
    assert figures.total.covered == 0
    assert figures.forecast.remaining == 9 and not figures.forecast.short  # no pace yet


def test_terms_are_scoped(world):
    assert list(selectors.terms_for(world.unit_liaison)) == []
    assert list(selectors.terms_for(world.group_member)) == [world.term]
    assert selectors.default_term(world.office_admin, world.county.pk) == world.term
