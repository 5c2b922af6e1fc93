"""三员 separation: system administrator, security administrator and auditor are three
different accounts, none of which holds a business role or reads business records."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from xuncha.access import policy, services
from xuncha.access.models import RoleAssignment, User
from xuncha.access.policy import ACTIONS
from xuncha.access.roles import BUSINESS_ROLES, ORGANIZATION_ROLES, Role, SystemRole
from xuncha.registry.models import Organization, Person, Relative, WorkHistory

pytestmark = pytest.mark.usefixtures("english")

SYSTEM = ["sysadmin", "secadmin", "auditor"]
BUSINESS = sorted(str(r) for r in BUSINESS_ROLES)

# The only registry access of the 三员, as the permission matrix pins it: the system
# administrator keeps the committee tree and the kinds of organization; the security
# administrator sees committees and organizations to grant roles in them.
ALLOWED = {
    ("Committee", "sysadmin"): {"view", "create", "change"},
    ("Committee", "secadmin"): {"view"},
    ("OrganizationKind", "sysadmin"): {"view", "create", "change"},
    ("Organization", "secadmin"): {"view"},
}


def _scope_kwargs(world, role: str) -> dict:
    if role in ORGANIZATION_ROLES:
        return {"organization": world.village, "committee": world.county}
    return {"committee": world.county}


@pytest.mark.parametrize("system_role", SYSTEM)
@pytest.mark.parametrize("role", BUSINESS)
def test_a_system_role_account_cannot_be_granted_a_business_role(world, system_role, role):
    account = world.users[system_role]
    for actor in (policy.CONSOLE, world.users["secadmin"]):
        with pytest.raises(ValidationError, match="cannot also hold a business role"):
            services.role_grant(actor=actor, user=account, role=role, **_scope_kwargs(world, role))
    with pytest.raises(ValidationError):
        RoleAssignment(user=account, role=role, **_scope_kwargs(world, role)).save()
    assert not RoleAssignment.objects.filter(user=account).exists()


@pytest.mark.parametrize("role", SYSTEM)
def test_a_system_role_is_never_granted_in_a_scope(world, role):
    with pytest.raises(ValidationError, match="System roles are set on the account"):
        services.role_grant(actor=policy.CONSOLE, user=world.users["outsider"], role=role,
                            committee=world.county)
    assert not RoleAssignment.objects.filter(user=world.users["outsider"]).exists()


def test_one_account_holds_at_most_one_system_role_by_construction():
    field = User._meta.get_field("system_role")
    assert not field.many_to_many and not field.is_relation
    assert {value for value, _ in field.choices} == {"", "sysadmin", "secadmin", "auditor"}
    assert set(SystemRole.values) - {""} == {str(r) for r in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)}


@pytest.mark.parametrize("bad", ["superuser", "sysadmin,auditor", "office_admin"])
def test_an_unknown_system_role_is_refused(db, bad):
    with pytest.raises(ValidationError):
        services.user_create(actor=policy.CONSOLE, username="someone", password="Harbour-lights-77",
                             system_role=bad)
    with pytest.raises(ValidationError):
        User(username="someone", system_role=bad).full_clean(exclude=["password"])
    assert not User.objects.filter(username="someone").exists()


@pytest.mark.parametrize("actor_role", [*SYSTEM, "office_admin", "leader"])
@pytest.mark.parametrize("system_role", SYSTEM)
def test_no_web_actor_creates_a_system_role_account(world, actor_role, system_role):
    with pytest.raises(policy.PermissionDenied):
        services.user_create(actor=world.users[actor_role], username="newadmin",
                             password="Harbour-lights-77", system_role=system_role)
    assert not User.objects.filter(username="newadmin").exists()


def test_the_console_creates_system_role_accounts(db):
    user, _ = services.user_create(actor=policy.CONSOLE, username="auditor2",
                                   password="Harbour-lights-77", system_role="auditor")
    assert user.system_role == "auditor"


def _business_models():
    return [m for m in policy.RULES if m._meta.app_label != "access"]


def test_every_business_model_is_covered():
    assert {Person, Organization, WorkHistory, Relative} <= set(_business_models())


@pytest.mark.parametrize("system_role", SYSTEM)
def test_system_roles_read_no_business_record(world, system_role):
    account = world.users[system_role]
    WorkHistory.objects.create(person=world.villager, organization=world.township, start_date="2015-01-01")
    Relative.objects.create(person=world.villager, relation="spouse", name="张秀英")
    leaks = []
    for model in _business_models():
        allowed = ALLOWED.get((model.__name__, system_role), set())
        for action in ACTIONS:
            visible = policy.scope(account, model, action)
            if action in allowed:
                continue
            if policy.scope_q(account, model, action) is not None or visible.exists():
                leaks.append(f"{model.__name__}/{action}")
            for obj in model._default_manager.all()[:3]:
                if policy.can(account, action, obj):
                    leaks.append(f"{model.__name__}/{action}/can")
    assert not leaks, leaks
    assert not policy.scope(account, Person).exists()
    assert Person.objects.exists()


@pytest.mark.parametrize("system_role", SYSTEM)
def test_a_smuggled_assignment_gives_a_system_role_nothing(world, system_role):
    """Even a business assignment written past the model's checks does not open business data:
    the policy answers a system-role account from its system role alone."""
    account = world.users[system_role]
    RoleAssignment.objects.bulk_create([
        RoleAssignment(user=account, role=Role.OFFICE_ADMIN, committee=world.county),
    ])
    fresh = User.objects.get(pk=account.pk)
    assert len(policy.assignments(fresh)) == 1
    assert not policy.scope(fresh, Person).exists()
    assert not policy.can(fresh, "view", world.villager)


@pytest.mark.parametrize("role", SYSTEM)
def test_the_database_refuses_a_system_role_assignment(world, role):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.bulk_create([
            RoleAssignment(user=world.users["outsider"], role=role, committee=world.county),
        ])
    assert not RoleAssignment.objects.filter(role=role).exists()


def test_the_database_refuses_an_organization_role_without_organization(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.bulk_create([
            RoleAssignment(user=world.users["outsider"], role=Role.UNIT_LIAISON, committee=world.county),
        ])
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.bulk_create([
            RoleAssignment(user=world.users["outsider"], role=Role.LEADER, committee=world.county,
                           organization=world.village),
        ])
