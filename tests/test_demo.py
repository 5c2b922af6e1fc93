"""The demo county: the seeded plan as data, then one real build through `xuncha demo`."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import password_validation
from django.core.management import call_command
from django.core.management.base import CommandError

from xuncha.access import policy, services
from xuncha.access.models import User
from xuncha.demo import DEFAULT_SEED, accounts, make_plan
from xuncha.demo.catalog import COMMITTEE_STEMS
from xuncha.demo.names import FAMOUS_PEOPLE, REAL_PLACE_STEMS
from xuncha.demo.plan import _CODE_CHARS, COUNTY, TODAY
from xuncha.registry.models import Committee, Organization, Person

EXPECTED_ACCOUNTS = {
    # username: (role, scope)
    "leader": ("leader", "青崖县委"),
    "office_admin": ("office_admin", "青崖县委"),
    "office_staff": ("office_staff", "青崖县委"),
    # Group roles are held for one group of the running round.
    "group_leader": ("group_leader", "十四届第九轮第一巡察组"),
    "group_deputy": ("group_deputy", "十四届第九轮第一巡察组"),
    "group_member1": ("group_member", "十四届第九轮第一巡察组"),
    "group_member2": ("group_member", "十四届第九轮第二巡察组"),
    "liaison_village": ("unit_liaison", None),  # a village of the county, drawn by the seed
    "liaison_township": ("unit_liaison", None),
    "receiver_discipline": ("receiver", "县纪委监委"),
    "receiver_organization": ("receiver", "县委组织部"),
    "receiver_agriculture": ("receiver", "县农业农村局"),
    "supervisor": ("supervisor", "霁川市委"),
    "sysadmin": ("sysadmin", ""),
    "secadmin": ("secadmin", ""),
    "auditor": ("auditor", ""),
}


@pytest.fixture(scope="module")
def plan():
    return make_plan(DEFAULT_SEED)


def _stem(name: str) -> str:
    for suffix in ("街道", "社区", "镇", "乡", "村"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


# -- the plan, as data ---------------------------------------------------------------------

def test_it_draws_the_same_plan_for_the_same_seed():
    assert make_plan(7) == make_plan(7)


def test_it_draws_different_people_and_places_for_different_seeds():
    one, two = make_plan(1), make_plan(2)
    assert one != two
    assert {p.name for p in one.people} != {p.name for p in two.people}
    assert [o.name for o in one.organizations] != [o.name for o in two.organizations]
    assert [a.password for a in one.accounts] != [a.password for a in two.accounts]


@pytest.mark.parametrize("seed", [DEFAULT_SEED, 1, 2, 3, 99])
def test_it_plans_the_county_of_the_design_for_every_seed(seed):
    plan = make_plan(seed)
    county = [o for o in plan.organizations if o.committee == COUNTY]
    kinds = Counter(o.kind for o in county)
    assert kinds["village"] == 108
    assert kinds["township"] == 12
    assert 35 <= kinds["department"] <= 50
    assert kinds["soe"] and kinds["school"] and kinds["hospital"]
    assert 190 <= len(plan.organizations) <= 210
    assert len(plan.people) == 600
    assert [c.name for c in plan.committees] == ["霁川市委", "青崖县委", "栖梧县委"]
    assert {o.committee for o in plan.organizations} == {"city", "county", "neighbour"}
    for index, org in enumerate(plan.organizations):
        assert org.principal is not None, org.name
        assert plan.people[org.principal].organization == index
        if org.kind == "village":
            assert plan.organizations[org.parent].kind == "township"
            assert org.parent < index  # parents come first, so they can be stored first


def test_names_are_unique_under_one_parent_and_in_the_county(plan):
    keys = Counter((o.committee, o.parent, o.name) for o in plan.organizations)
    assert max(keys.values()) == 1
    places = [o.name for o in plan.organizations if o.kind in ("township", "village")]
    assert len(places) == len(set(places))
    assert len({p.name for p in plan.people}) == len(plan.people)


@pytest.mark.parametrize("seed", [DEFAULT_SEED, 5, 6])
def test_no_name_is_a_real_place_or_a_famous_person(seed):
    plan = make_plan(seed)
    for org in plan.organizations:
        if org.kind in ("township", "village"):
            stem = _stem(org.name)
            assert stem not in REAL_PLACE_STEMS and stem not in COMMITTEE_STEMS, org.name
    names = {p.name for p in plan.people} | {r.name for p in plan.people for r in p.relatives}
    assert not names & FAMOUS_PEOPLE


def test_every_person_belongs_to_the_committee_of_their_organization(plan):
    for person in plan.people:
        assert plan.organizations[person.organization].committee == person.committee


def test_people_have_plausible_details(plan):
    phones = [p.phone for p in plan.people]
    assert len(set(phones)) == len(phones)
    assert all(len(p) == 11 and p.startswith("1380000") for p in phones)
    assert {p.gender for p in plan.people} == {"M", "F"}
    for person in plan.people:
        assert 2 <= len(person.name) <= 3
        assert date(1960, 1, 1) <= person.birth_date <= date(2000, 12, 31)
        assert person.post
        assert 1 <= len(person.history) <= 3
        previous_end = None
        for h in person.history:
            assert h.start < h.end < TODAY
            assert h.start.year - person.birth_date.year >= 21
            assert previous_end is None or previous_end < h.start
            assert plan.organizations[h.organization].committee == person.committee
            previous_end = h.end


def test_some_relatives_work_in_county_organizations(plan):
    relatives = [r for p in plan.people for r in p.relatives]
    relations = Counter(r.relation for r in relatives)
    assert relations["spouse"] >= 20 and relations["child"] and relations["sibling"]
    working = [r for r in relatives if r.organization is not None]
    assert len(working) >= 30
    assert all(plan.organizations[r.organization].committee == COUNTY for r in working)
    # Spouses who both work for the county name each other.
    by_name = {p.name: p for p in plan.people}
    for person in plan.people:
        for r in person.relatives:
            if r.relation == "spouse":
                other = by_name[r.name]
                assert any(s.name == person.name for s in other.relatives if s.relation == "spouse")


def test_unified_codes_are_invented_but_well_formed(plan):
    codes = [o.unified_code for o in plan.organizations if o.unified_code]
    assert len(codes) >= 40 and len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == 18 and code[2:8] == "990000"
        total = sum(_CODE_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
        assert _CODE_CHARS.index(code[17]) == (31 - total % 31) % 31


def test_accounts_cover_every_role_with_passwords_that_pass_the_policy(plan):
    assert [a.username for a in plan.accounts] == list(EXPECTED_ACCOUNTS)
    for a in plan.accounts:
        role, scope = EXPECTED_ACCOUNTS[a.username]
        assert a.role == role
        if scope is not None:
            assert a.scope == scope
        assert a.password.startswith("Demo-") and len(a.password) >= 10
        password_validation.validate_password(a.password, User(username=a.username, full_name=a.full_name))
    liaisons = {a.username: plan.organizations[a.organization] for a in plan.accounts
                if a.role == "unit_liaison"}
    assert liaisons["liaison_village"].kind == "village"
    assert liaisons["liaison_township"].kind == "township"
    full_names = [a.full_name for a in plan.accounts]
    assert len(set(full_names)) == len(full_names)
    assert set(full_names) <= {p.name for p in plan.people}


def test_the_accounts_table_aligns_chinese_text():
    rows = [{"username": "a", "password": "p", "role": "r", "scope": "青崖县委"},
            {"username": "bb", "password": "pp", "role": "rr", "scope": ""}]
    lines = accounts.table(rows).splitlines()
    assert lines[0].split() == ["username", "password", "role", "scope"]
    assert lines[2].endswith("青崖县委") and lines[3].endswith("—")


# -- builds of their own (the shared build is in tests/demo) ------------------------------

@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_if_empty_builds_into_an_empty_database(db, data_dir):
    out = _demo("--if-empty", "--quiet", "--seed", "3")
    assert "office_admin" in out and "http://127.0.0.1:8000" in out
    assert "Building" not in out and "Done in" not in out
    assert Person.objects.count() == 600
    assert {p.name for p in Person.objects.all()} == {p.name for p in make_plan(3).people}


def test_a_failure_leaves_nothing_half_written(db, data_dir):
    services.user_create(actor=policy.CONSOLE, username="auditor", password="Another-pass-77")
    with pytest.raises(CommandError, match="已被使用"):
        _demo("--quiet")
    assert not Committee.objects.exists()
    assert not Organization.objects.exists() and not Person.objects.exists()
    assert User.objects.count() == 1
    assert not (data_dir / "demo-accounts.json").exists()
