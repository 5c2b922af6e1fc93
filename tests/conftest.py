"""Shared fixtures: a small invented world with a named account for every role.

The world: 示例市委 (city) over 示例县委 (our county) and 邻县县委 (another county).
In our county: 城关镇 (township) with 东门村 (village), 县财政局 (department).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import translation

from xuncha.access import policy, services
from xuncha.access.roles import Role
from xuncha.registry.models import Committee, Organization, OrganizationKind, Person
from xuncha.rounds.models import Group, Round, Term

PASSWORD = "Xuncha-test-2024"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_purge_for_teardown(request):
    """PostgreSQL refuses TRUNCATE of the audit log; transactional tests empty their tables
    at teardown, so they are allowed to for that connection (see access migration 0002)."""
    yield
    if "transactional_db" in request.fixturenames and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET xuncha.audit_purge = 'on'")


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (zh-hans); a test that wants English says so."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def english(settings):
    """Messages and pages in English, for tests that match wording the catalogue may change:
    `pytestmark = pytest.mark.usefixtures("english")`."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def make_user(db):
    def make(username: str, *, role: str | None = None, committee=None, organization=None,
             system_role: str = "", full_name: str = ""):
        user, _ = services.user_create(
            actor=policy.CONSOLE, username=username, full_name=full_name or username,
            password=PASSWORD, system_role=system_role, must_change_password=False,
        )
        if role:
            services.role_grant(actor=policy.CONSOLE, user=user, role=role,
                                committee=committee, organization=organization)
        return user
    return make


@pytest.fixture
def world(db, make_user):
    kinds = {k.code: k for k in OrganizationKind.objects.all()}
    city = Committee.objects.create(name="示例市委", level=Committee.Level.CITY)
    county = Committee.objects.create(name="示例县委", level=Committee.Level.COUNTY, parent=city)
    other = Committee.objects.create(name="邻县县委", level=Committee.Level.COUNTY, parent=city)
    township = Organization.objects.create(committee=county, name="城关镇", kind=kinds["township"])
    village = Organization.objects.create(committee=county, name="东门村", kind=kinds["village"], parent=township)
    department = Organization.objects.create(committee=county, name="县财政局", kind=kinds["department"])
    other_township = Organization.objects.create(committee=other, name="河口镇", kind=kinds["township"])
    villager = Person.objects.create(committee=county, name="王建国", organization=village, post="村党支部书记")
    outsider_person = Person.objects.create(committee=other, name="李明", organization=other_township, post="镇长")
    w = SimpleNamespace(
        city=city, county=county, other=other, township=township, village=village,
        department=department, other_township=other_township, villager=villager,
        outsider_person=outsider_person, kinds=kinds,
    )
    w.users = {
        "leader": make_user("leader", role=Role.LEADER, committee=county),
        "office_admin": make_user("office_admin", role=Role.OFFICE_ADMIN, committee=county),
        "office_staff": make_user("office_staff", role=Role.OFFICE_STAFF, committee=county),
        "group_leader": make_user("group_leader"),
        "group_deputy": make_user("group_deputy"),
        "group_member": make_user("group_member"),
        "unit_liaison": make_user("unit_liaison", role=Role.UNIT_LIAISON, organization=village),
        "receiver": make_user("receiver", role=Role.RECEIVER, organization=department),
        "supervisor": make_user("supervisor", role=Role.SUPERVISOR, committee=city),
        "sysadmin": make_user("sysadmin", system_role=Role.SYSADMIN),
        "secadmin": make_user("secadmin", system_role=Role.SECADMIN),
        "auditor": make_user("auditor", system_role=Role.AUDITOR),
        "outsider": make_user("outsider"),
    }
    for name, user in w.users.items():
        setattr(w, name, user)
    # One round being inspected, two groups: the group leader and deputy serve in group 1,
    # the group member in group 2 (their access comes from group membership).
    w.term = Term.objects.create(committee=county, number=1, name="第一届", start_date=date(2024, 1, 1))
    w.round = Round.objects.create(term=w.term, number=1, planned_entry=date(2024, 3, 1),
                                   planned_exit=date(2024, 4, 30), state=Round.State.STATIONED)
    w.group1 = Group.objects.create(round=w.round, number=1)
    w.group2 = Group.objects.create(round=w.round, number=2)
    for name, role, group in (("group_leader", Role.GROUP_LEADER, w.group1),
                              ("group_deputy", Role.GROUP_DEPUTY, w.group1),
                              ("group_member", Role.GROUP_MEMBER, w.group2)):
        services.group_role_grant(actor=policy.CONSOLE, user=w.users[name], role=role, group=group)
    return w
