"""Campaign progress, computed by the database, on a small hand-made county: per organization,
per township, overall and those behind after the due date; the reminders on the workbench."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.regulations.study_helpers import activity, campaign, rule, villages
from xuncha.access.roles import Role
from xuncha.registry.models import Organization
from xuncha.regulations.navigation_study import campaign_reminders, study_reminders
from xuncha.regulations.selectors import study as selectors


@pytest.fixture
def county(world):
    """城关镇 (itself, 东门村, 西门村, 南门村), 新城镇 (itself, 北村) and 县财政局 must study 规则(2024)
    from 3月1日 to 4月30日."""
    version = rule(world.county)
    other_version = rule(world.county, short_title="办法")
    west, south = villages(world, world.township, ["西门村", "南门村"])
    new_town = Organization.objects.create(committee=world.county, name="新城镇", kind=world.kinds["township"])
    (north,) = villages(world, new_town, ["北村"])
    required = [world.township, world.village, west, south, new_town, north, world.department]
    c = campaign(world.county, version, required)
    activity(world.village, campaign=c, held_on=date(2024, 3, 10))          # studied
    activity(world.village, versions=[version], held_on=date(2024, 4, 1))  # studied again
    activity(west, versions=[version], held_on=date(2024, 2, 20))           # before the start
    activity(south, campaign=c, held_on=date(2024, 5, 5))                   # after the due date
    activity(world.township, versions=[version], held_on=date(2024, 4, 30))  # on the last day
    activity(new_town, versions=[other_version], held_on=date(2024, 3, 15))  # another rule
    activity(world.department, campaign=c, held_on=date(2024, 3, 1))        # on the first day
    world.campaign, world.version = c, version
    world.west, world.south, world.new_town, world.north = west, south, new_town, north
    return world


def test_it_gives_each_organization_studied_count_and_last_date(county):
    rows = {o.name: o for o in selectors.required_organizations(county.office_admin, county.campaign)}
    assert {name: (o.studied, o.n_activities, o.last_held_on) for name, o in rows.items()} == {
        "城关镇": (True, 1, date(2024, 4, 30)),
        "东门村": (True, 2, date(2024, 4, 1)),
        "西门村": (False, 0, None),
        "南门村": (False, 0, None),
        "新城镇": (False, 0, None),
        "北村": (False, 0, None),
        "县财政局": (True, 1, date(2024, 3, 1)),
    }
    assert rows["东门村"].township_name == "城关镇" and rows["北村"].township_name == "新城镇"
    assert rows["县财政局"].township_key is None


def test_it_counts_per_township_and_overall(county):
    progress = selectors.campaign_progress(county.office_admin, county.campaign, today=date(2024, 4, 15))
    assert [(t.name, t.required, t.studied, t.percent) for t in progress.townships] == [
        ("城关镇", 4, 2, 50), ("新城镇", 2, 0, 0), ("", 1, 1, 100)]
    assert (progress.required, progress.studied, progress.percent) == (7, 3, 43)
    assert progress.behind == 0 and not progress.overdue


def test_after_the_due_date_those_not_studied_are_behind(county):
    progress = selectors.campaign_progress(county.office_admin, county.campaign, today=date(2024, 5, 1))
    assert progress.overdue and progress.behind == 4


def test_a_liaison_sees_only_its_own_organization_in_the_progress(county):
    progress = selectors.campaign_progress(county.unit_liaison, county.campaign, today=date(2024, 5, 1))
    assert (progress.required, progress.studied, progress.behind) == (1, 1, 0)
    assert [o.name for o in selectors.required_organizations(county.unit_liaison, county.campaign)] == ["东门村"]


def test_the_office_is_reminded_of_organizations_behind(county):
    today = timezone.localdate()
    county.campaign.starts_on, county.campaign.due_on = today - timedelta(days=60), today + timedelta(days=3)
    county.campaign.save()
    # Only activities dated within the new window count: none of the 2024 ones (unless today is then).
    todos = campaign_reminders(county.office_admin)
    assert len(todos) == 1 and todos[0].count == 7 and "学习新规则" in str(todos[0].title)
    assert campaign_reminders(county.unit_liaison) == []
    county.campaign.due_on = today + timedelta(days=30)
    county.campaign.save()
    assert campaign_reminders(county.office_admin) == []


def test_a_liaison_is_reminded_to_study_until_it_has(county, make_user):
    today = timezone.localdate()
    county.campaign.starts_on, county.campaign.due_on = today - timedelta(days=5), today + timedelta(days=20)
    county.campaign.save()
    liaison = make_user("north_liaison", role=Role.UNIT_LIAISON, organization=county.north)
    (todo,) = study_reminders(liaison)
    assert "青崖县巡察工作规则" in str(todo.title) and todo.count == 1
    assert str(county.campaign.pk) in todo.url
    activity(county.north, campaign=county.campaign, held_on=today)
    assert study_reminders(liaison) == []
    assert study_reminders(county.office_admin) == []


def test_a_campaign_not_yet_started_reminds_nobody(county, make_user):
    today = timezone.localdate()
    county.campaign.starts_on, county.campaign.due_on = today + timedelta(days=1), today + timedelta(days=20)
    county.campaign.save()
    liaison = make_user("north_liaison", role=Role.UNIT_LIAISON, organization=county.north)
    assert study_reminders(liaison) == []
