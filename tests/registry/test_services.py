"""Registry services: permission, validation naming the field, audit, nothing half-written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.registry import services
from xuncha.registry.models import Organization, Person, Relative, WorkHistory


def _fields(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.message_dict)


def test_it_creates_an_organization_with_an_audit_event(world):
    events = AuditEvent.objects.count()
    org = services.organization_create(actor=world.office_admin, committee=world.county, name=" 西门村 ",
                                       kind=world.kinds["village"], parent=world.township)
    assert org.name == "西门村" and org.pinyin == "xmc"
    event = AuditEvent.objects.latest("seq")
    assert AuditEvent.objects.count() == events + 1
    assert (event.action, event.object_id, event.actor_id) == ("organization.create", str(org.pk), world.office_admin.pk)


@pytest.mark.parametrize("role", ["group_member", "leader", "supervisor", "unit_liaison"])
def test_it_refuses_organization_writes_to_readers(world, role):
    count, events = Organization.objects.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=world.users[role], committee=world.county, name="新村",
                                     kind=world.kinds["village"])
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=world.users[role], organization=world.village, name="改名")
    assert (Organization.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_it_names_the_field_of_a_bad_organization(world):
    with pytest.raises(ValidationError) as exc:
        services.organization_update(actor=world.office_admin, organization=world.township, parent=world.village)
    assert _fields(exc) == {"parent"}
    with pytest.raises(ValidationError) as exc:
        services.organization_update(actor=world.office_admin, organization=world.township,
                                     principal=world.outsider_person)
    assert _fields(exc) == {"principal"}
    with pytest.raises(ValidationError) as exc:
        services.organization_create(actor=world.office_admin, committee=world.county, name="县財政局",
                                     kind=world.kinds["department"])
    assert _fields(exc) == {"name"}  # the same name in traditional script
    world.township.refresh_from_db()
    assert world.township.parent is None and world.township.principal is None


def test_it_records_only_real_changes(world):
    events = AuditEvent.objects.count()
    services.organization_update(actor=world.office_admin, organization=world.township, name="城关镇")
    assert AuditEvent.objects.count() == events
    services.organization_update(actor=world.office_admin, organization=world.township, active=False)
    event = AuditEvent.objects.latest("seq")
    assert event.detail == {"changes": {"active": [True, False]}}


def test_it_checks_people(world):
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=world.office_admin, committee=world.county, name="马丽",
                               birth_date=date.today() + timedelta(days=1))
    assert _fields(exc) == {"birth_date"}
    with pytest.raises(ValidationError) as exc:
        services.person_update(actor=world.office_admin, person=world.villager,
                               organization=world.other_township)
    assert _fields(exc) == {"organization"}
    with pytest.raises(ValidationError):
        services.person_create(actor=world.office_admin, committee=world.county, name="马丽", phone="123")
    with pytest.raises(PermissionDenied):
        services.person_update(actor=world.unit_liaison, person=world.villager, post="主任")
    assert Person.objects.filter(name="马丽").count() == 0
    world.villager.refresh_from_db()
    assert world.villager.organization == world.village and world.villager.post == "村党支部书记"


def test_it_adds_and_removes_work_history_with_audit(world):
    entry = services.work_history_add(actor=world.office_admin, person=world.villager,
                                      start_date=date(2015, 2, 1), end_date=date(2024, 2, 28),
                                      organization=world.department, post="科员")
    event = AuditEvent.objects.latest("seq")
    assert event.action == "person.work_history.add"
    assert event.detail["from"] == "2015-02-01" and event.detail["to"] == "2024-02-28"
    pk = entry.pk
    services.work_history_remove(actor=world.office_admin, entry=entry)
    event = AuditEvent.objects.latest("seq")
    assert event.action == "person.work_history.remove" and event.detail == {"entry": pk}
    assert not WorkHistory.objects.exists()


def test_it_names_the_field_of_bad_work_history(world):
    with pytest.raises(ValidationError) as exc:
        services.work_history_add(actor=world.office_admin, person=world.villager, start_date=date(2020, 1, 1))
    assert _fields(exc) == {"organization"}
    with pytest.raises(ValidationError) as exc:
        services.work_history_add(actor=world.office_admin, person=world.villager, start_date=date(2020, 1, 1),
                                  end_date=date(2019, 1, 1), organization_name="某局")
    assert _fields(exc) == {"end_date"}
    with pytest.raises(PermissionDenied):
        services.work_history_add(actor=world.group_member, person=world.villager,
                                  start_date=date(2020, 1, 1), organization_name="某局")
    assert not WorkHistory.objects.exists()


def test_it_adds_and_removes_relatives_with_audit(world):
    relative = services.relative_add(actor=world.office_staff, person=world.villager, relation="spouse",
                                     name="刘芳", organization_name="县医院")
    assert AuditEvent.objects.latest("seq").action == "person.relative.add"
    pk = relative.pk
    services.relative_remove(actor=world.office_staff, relative=relative)
    event = AuditEvent.objects.latest("seq")
    assert event.action == "person.relative.remove" and event.detail == {"relative": pk}
    with pytest.raises(ValidationError) as exc:
        services.relative_add(actor=world.office_staff, person=world.villager, relation="cousin", name="刘某")
    assert _fields(exc) == {"relation"}
    with pytest.raises(PermissionDenied):
        services.relative_add(actor=world.unit_liaison, person=world.villager, relation="child", name="王小")
    assert not Relative.objects.exists()
