"""Study services: who records for which organization, validation naming the field, campaigns,
adding organizations by township or kind, publishing and the portal's selector."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from tests.regulations.study_helpers import activity, campaign, rule, villages
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.registry.models import Organization
from xuncha.regulations import services_study as services
from xuncha.regulations.models import StudyActivity
from xuncha.regulations.selectors.study import published_study


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are checked as written (English, a switch away for users); the Chinese
    catalogue is checked whole by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

DAY = date(2024, 3, 10)


def _record(actor, organization, **overrides):
    values = dict(kind="branch_meeting", held_on=DAY, topic="学习新规则", versions=[], articles=[], attendees=10,
                  expected=12, materials="学习了第一条。")
    values.update(overrides)
    return services.activity_record(actor=actor, organization=organization, **values)


def _fields(exc: ValidationError) -> set[str]:
    return set(exc.value.message_dict)


def test_the_liaison_records_for_its_own_organization(world):
    version = rule(world.county)
    articles = list(version.provisions.all()[:2])
    a = _record(world.unit_liaison, world.village, versions=[version], articles=articles)
    assert a.committee_id == world.county.pk and a.created_by == world.unit_liaison
    assert set(a.articles.all()) == set(articles)
    assert AuditEvent.objects.filter(action="study.activity_record", object_id=str(a.pk)).exists()


@pytest.mark.parametrize("organization", ["township", "department", "other_township"])
def test_the_liaison_is_refused_for_another_organization(world, organization):
    with pytest.raises(PermissionDenied):
        _record(world.unit_liaison, getattr(world, organization))
    assert not StudyActivity.objects.exists()


def test_the_office_records_for_any_organization_of_its_committee_only(world):
    for org in (world.township, world.village, world.department):
        _record(world.office_staff, org)
    with pytest.raises(PermissionDenied):
        _record(world.office_admin, world.other_township)
    for role in ("leader", "supervisor", "receiver", "group_leader", "sysadmin"):
        with pytest.raises(PermissionDenied):
            _record(world.users[role], world.village)


@pytest.mark.parametrize("overrides, field", [
    ({"topic": "  "}, "topic"),
    ({"kind": "party"}, "kind"),
    ({"attendees": 13, "expected": 12}, "attendees"),
    ({"held_on": None}, "held_on"),
])
def test_validation_names_the_field(world, overrides, field):
    with pytest.raises(ValidationError) as exc:
        _record(world.unit_liaison, world.village, **overrides)
    assert field in _fields(exc)
    assert not StudyActivity.objects.exists()


def test_the_date_cannot_be_in_the_future(world):
    with pytest.raises(ValidationError) as exc:
        _record(world.unit_liaison, world.village, held_on=timezone.localdate() + timedelta(days=1))
    assert "future" in exc.value.message_dict["held_on"][0]


def test_articles_must_belong_to_the_chosen_versions(world):
    first, second = rule(world.county), rule(world.county, short_title="办法")
    stray = second.provisions.first()
    with pytest.raises(ValidationError) as exc:
        _record(world.unit_liaison, world.village, versions=[first], articles=[stray])
    assert "第一条" in exc.value.message_dict["articles"][0]


def test_a_campaign_activity_counts_the_campaign_rule_as_studied(world):
    version = rule(world.county)
    c = campaign(world.county, version, [world.village])
    a = _record(world.unit_liaison, world.village, campaign=c)
    assert list(a.versions.all()) == [version]


def test_update_and_delete_stay_within_the_organization(world):
    a = _record(world.unit_liaison, world.village)
    services.activity_update(actor=world.unit_liaison, activity=a, topic="再学习", attendees=5)
    a.refresh_from_db()
    assert (a.topic, a.attendees) == ("再学习", 5)
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=world.unit_liaison, activity=a, organization=world.township)
    with pytest.raises(ValidationError) as exc:
        services.activity_update(actor=world.unit_liaison, activity=a, expected=2)
    assert "attendees" in _fields(exc)
    other = _record(world.office_admin, world.township)
    with pytest.raises(PermissionDenied):
        services.activity_delete(actor=world.unit_liaison, activity=other)
    services.activity_delete(actor=world.unit_liaison, activity=a)
    assert not StudyActivity.objects.filter(pk=a.pk).exists()


def test_only_the_office_publishes_and_the_portal_reads_what_is_published(world):
    a = _record(world.unit_liaison, world.village)
    activity(world.other_township, published=True)
    with pytest.raises(PermissionDenied):
        services.activity_publish(actor=world.unit_liaison, activity=a)
    assert list(published_study(world.county)) == []
    services.activity_publish(actor=world.office_staff, activity=a)
    a.refresh_from_db()
    assert a.published and a.published_at is not None
    assert list(published_study(world.county)) == [a]
    services.activity_unpublish(actor=world.office_admin, activity=a)
    a.refresh_from_db()
    assert not a.published and a.published_at is None
    assert list(published_study(world.county)) == []


def test_the_office_creates_a_campaign_over_its_own_organizations(world):
    version = rule(world.county)
    c = services.campaign_create(actor=world.office_admin, committee=world.county, title="学习新规则",
                                 version=version, starts_on=DAY, due_on=DAY + timedelta(days=30),
                                 organizations=[world.village, world.township])
    assert set(c.organizations.all()) == {world.village, world.township}
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=world.office_admin, committee=world.county, title="x", version=version,
                                 starts_on=DAY, due_on=DAY - timedelta(days=1),
                                 organizations=[world.other_township])
    assert _fields(exc) == {"due_on", "organizations"}
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(actor=world.office_admin, committee=world.county, title="x",
                                 version=rule(world.other), starts_on=DAY, due_on=DAY)
    assert _fields(exc) == {"version"}
    for role in ("leader", "unit_liaison", "supervisor"):
        with pytest.raises(PermissionDenied):
            services.campaign_create(actor=world.users[role], committee=world.county, title="x", version=version,
                                     starts_on=DAY, due_on=DAY)
    services.campaign_update(actor=world.office_staff, campaign=c, title="学习新规则（二）", organizations=[world.village])
    c.refresh_from_db()
    assert c.title == "学习新规则（二）" and list(c.organizations.all()) == [world.village]


def test_organizations_are_added_by_township_or_kind(world):
    version = rule(world.county)
    west, = villages(world, world.township, ["西门村"])
    new_town = Organization.objects.create(committee=world.county, name="新城镇", kind=world.kinds["township"])
    north, = villages(world, new_town, ["北村"])
    c = campaign(world.county, version, [world.village])
    added = services.campaign_add_organizations(actor=world.office_admin, campaign=c, township=world.township,
                                                kind=world.kinds["village"])
    assert added == 1 and set(c.organizations.all()) == {world.village, west}
    assert services.campaign_add_organizations(actor=world.office_admin, campaign=c, township=new_town) == 2
    assert services.campaign_add_organizations(actor=world.office_admin, campaign=c,
                                               kind=world.kinds["department"]) == 1
    assert set(c.organizations.all()) == {world.village, west, new_town, north, world.department}
    with pytest.raises(ValidationError) as exc:
        services.campaign_add_organizations(actor=world.office_admin, campaign=c, township=world.other_township)
    assert "township" in _fields(exc)
    with pytest.raises(PermissionDenied):
        services.campaign_add_organizations(actor=world.unit_liaison, campaign=c, township=world.township)
