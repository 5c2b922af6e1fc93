"""Registry selectors: scoped reads, search keys, the tree and stroke order."""

from __future__ import annotations

import pytest
from django.http import Http404

from xuncha.access.policy import CHANGE
from xuncha.registry import selectors
from xuncha.registry.models import Organization, Person, WorkHistory


def _names(qs) -> list[str]:
    return [obj.name for obj in qs]


@pytest.mark.parametrize("query", ["hsz", "红山", "紅山鎮", "红 山 镇", "红山"])
def test_it_finds_organizations_by_key_or_initials(world, query):
    Organization.objects.create(committee=world.county, name="红山镇", kind=world.kinds["township"])
    assert _names(selectors.organizations_for(world.office_admin, query=query)) == ["红山镇"]


def test_it_lists_organizations_with_people_counted_and_without_principal(world):
    Organization.objects.filter(pk=world.township.pk).update(principal=world.villager)
    rows = list(selectors.organization_list(world.office_admin))
    assert _names(rows) == ["城关镇", "县财政局", "东门村"]  # by kind, then pinyin
    assert {org.name: org.n_people for org in rows} == {"城关镇": 0, "县财政局": 0, "东门村": 1}
    assert _names(selectors.organization_list(world.office_admin, without_principal=True)) == ["县财政局", "东门村"]
    assert _names(selectors.organization_list(world.unit_liaison)) == ["东门村"]
    assert _names(selectors.organization_list(world.group_member, action=CHANGE)) == []


def test_it_builds_the_forest_by_committee_and_kind(world):
    forest = selectors.organization_forest(world.supervisor)
    assert [s["committee"].name for s in forest] == ["示例县委", "邻县县委"]
    county = {g["kind"].code: g["nodes"] for g in forest[0]["kinds"]}
    assert list(county) == ["township", "department"]
    assert county["township"][0]["children"][0]["org"] == world.village
    only_other = selectors.organization_forest(world.supervisor, committee=world.other.pk)
    assert [s["committee"] for s in only_other] == [world.other]


def test_it_puts_an_organization_whose_parent_is_hidden_at_the_top(world):
    forest = selectors.organization_forest(world.unit_liaison)
    assert len(forest) == 1 and forest[0]["kinds"][0]["kind"].code == "village"
    assert forest[0]["kinds"][0]["nodes"][0]["org"] == world.village


def test_it_offers_committees_to_create_in(world):
    assert selectors.committees_to_create(world.office_admin, Organization) == [world.county]
    assert selectors.committees_to_create(world.office_staff, Person) == [world.county]
    for role in ("supervisor", "group_member", "leader", "unit_liaison", "sysadmin"):
        assert selectors.committees_to_create(world.users[role], Organization) == [], role


def test_it_orders_people_by_surname_strokes(world):
    for name in ("赵八", "丁一", "李六", "王五"):
        Person.objects.create(committee=world.county, name=name)
    assert _names(selectors.people_for(world.office_admin)) == ["丁一", "王五", "王建国", "李六", "赵八"]
    assert _names(selectors.people_for(world.office_admin, query="書記")) == ["王建国"]


def test_it_hides_work_history_from_units_and_other_people(world):
    entry = WorkHistory.objects.create(person=world.villager, organization_name="某局", start_date="2010-01-01")
    assert list(selectors.work_history_for(world.office_admin, world.villager)) == [entry]
    assert list(selectors.work_history_for(world.unit_liaison, world.villager)) == []
    assert selectors.get_work_history_for_user(world.group_member, world.villager, entry.pk) == entry
    with pytest.raises(Http404):
        selectors.get_work_history_for_user(world.unit_liaison, world.villager, entry.pk)
    with pytest.raises(Http404):
        selectors.get_work_history_for_user(world.office_admin, world.outsider_person, entry.pk)
    with pytest.raises(Http404):
        selectors.get_relative_for_user(world.office_admin, world.villager, 999)
