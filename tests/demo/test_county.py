"""The demo county as built by `xuncha demo`: registry, accounts, the accounts file, audit."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management.base import CommandError
from django.db.models import Count, F

from tests.demo.conftest import demo
from tests.test_demo import EXPECTED_ACCOUNTS
from xuncha.access import audit
from xuncha.access.models import AuditEvent, RoleAssignment, User
from xuncha.demo import DEFAULT_SEED, make_plan
from xuncha.registry.models import Committee, Organization, Person, Relative, WorkHistory
from xuncha.text import match_key, pinyin_initials, stroke_sort_key


@pytest.fixture(scope="module")
def plan():
    return make_plan(DEFAULT_SEED)


def test_it_builds_the_county_in_the_database(built, plan):
    county = Committee.objects.get(name="青崖县委")
    assert county.parent.name == "霁川市委"
    assert Committee.objects.get(name="栖梧县委").is_within(county.parent)
    assert Organization.objects.count() == len(plan.organizations)
    assert Organization.objects.filter(committee=county, kind__code="village").count() == 108
    assert Person.objects.count() == 600
    assert WorkHistory.objects.count() == sum(len(p.history) for p in plan.people)
    assert Relative.objects.count() == sum(len(p.relatives) for p in plan.people)
    assert not Organization.objects.filter(principal__isnull=True).exists()
    assert not Organization.objects.exclude(principal__organization=F("pk")).exists()
    assert sorted(Person.objects.values_list("name", flat=True)) == sorted(p.name for p in plan.people)


def test_every_person_organization_belongs_to_the_person_committee(built):
    assert not Person.objects.filter(organization__isnull=True).exists()
    assert not Person.objects.exclude(committee=F("organization__committee")).exists()
    assert not WorkHistory.objects.exclude(organization__committee=F("person__committee")).exists()


def test_no_two_organizations_share_a_name_under_one_parent(built):
    duplicates = (Organization.objects.values("committee", "parent", "name_key")
                  .annotate(n=Count("id")).filter(n__gt=1))
    assert not duplicates.exists()


def test_bulk_rows_carry_the_same_search_keys_as_saved_ones(built):
    for org in Organization.objects.all()[:20]:
        assert (org.name_key, org.pinyin) == (match_key(org.name), pinyin_initials(org.name))
    for person in Person.objects.all()[:20]:
        assert person.stroke_key == stroke_sort_key(person.name)
        assert person.name_key == match_key(person.name)


def test_every_role_is_held_exactly_as_listed(built):
    held = {}
    for a in (RoleAssignment.objects.current()
              .select_related("user", "committee", "organization", "group__round__term")):
        assert a.user.username not in held
        held[a.user.username] = (a.role, a.scope_label)
    for user in User.objects.exclude(system_role=""):
        held[user.username] = (user.system_role, "")
    assert set(held) == set(EXPECTED_ACCOUNTS)
    for username, (role, scope) in EXPECTED_ACCOUNTS.items():
        assert held[username][0] == role
        if scope is not None:
            assert held[username][1] == scope
    assert Organization.objects.get(name=held["liaison_village"][1]).kind.code == "village"
    assert Organization.objects.get(name=held["liaison_township"][1]).kind.code == "township"
    assert not User.objects.filter(must_change_password=True).exists()


def test_it_writes_the_accounts_file_and_each_account_can_log_in(built, data_dir, client, plan):
    path = data_dir / "demo-accounts.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert rows == [{"username": a.username, "password": a.password, "role": a.role,
                     "scope": a.scope} for a in plan.accounts]
    for row in rows:
        assert client.login(username=row["username"], password=row["password"]), row["username"]
        client.logout()
    assert not client.login(username="leader", password="Demo-wrong-2024")


def test_it_prints_the_accounts_and_the_address(built, plan):
    out = built
    assert "Building the demo county (seed 2024)" in out
    assert "organizations: 200" in out and "108" in out
    for a in plan.accounts:
        assert a.username in out and a.password in out
    assert "http://127.0.0.1:8000" in out


def test_it_audits_the_load_once_and_keeps_the_chain(built):
    events = AuditEvent.objects.filter(action="demo.load")
    assert events.count() == 1
    assert events.get().detail["seed"] == DEFAULT_SEED
    assert events.get().detail["villages"] == 108
    assert AuditEvent.objects.filter(action="account.create").count() == len(EXPECTED_ACCOUNTS)
    assert audit.verify().ok


def test_if_empty_on_a_built_database_shows_the_accounts_again(built, data_dir):
    out = demo("--if-empty")
    assert "already holds the demo county" in out
    assert "liaison_village" in out and "http://127.0.0.1:8000" in out
    assert Person.objects.count() == 600
    assert AuditEvent.objects.filter(action="demo.load").count() == 1


def test_if_empty_without_a_file_says_so_and_succeeds(built, data_dir):
    path = data_dir / "demo-accounts.json"
    saved = path.read_bytes()
    path.unlink()
    try:
        assert "no demo was built" in demo("--if-empty")
    finally:
        path.write_bytes(saved)
        path.chmod(0o600)


def test_it_refuses_a_database_that_is_not_empty(built):
    with pytest.raises(CommandError, match="already holds committees"):
        demo()
    assert Committee.objects.count() == 3
