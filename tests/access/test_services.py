"""Writes for accounts, roles and API tokens."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from xuncha.access import policy, services
from xuncha.access.models import ApiToken, AuditEvent, RoleAssignment, User
from xuncha.access.roles import Role
from xuncha.registry.models import Organization, Person

pytestmark = pytest.mark.usefixtures("english")


def _last_action() -> str:
    return AuditEvent.objects.order_by("-seq").values_list("action", flat=True).first()


# -- accounts ---------------------------------------------------------------------------------

def test_user_create_is_audited_and_returns_the_password(world):
    user, password = services.user_create(actor=world.sysadmin, username=" zhangsan ",
                                          full_name=" 张三 ", password="Harbour-lights-77")
    assert (user.username, user.full_name, password) == ("zhangsan", "张三", "Harbour-lights-77")
    assert user.must_change_password and user.check_password(password)
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_id, event.object_id) == ("account.create", world.sysadmin.pk, str(user.pk))


@pytest.mark.parametrize("duplicate", ["leader", "LEADER", " Leader "])
def test_user_create_refuses_a_duplicate_username_with_a_message(world, duplicate):
    with pytest.raises(ValidationError) as refused:
        services.user_create(actor=policy.CONSOLE, username=duplicate, password="Harbour-lights-77")
    assert refused.value.message_dict == {"username": ["An account with this username already exists."]}
    assert User.objects.filter(username__iexact="leader").count() == 1


@pytest.mark.parametrize("actor_role", ["secadmin", "auditor", "office_admin", "outsider"])
def test_only_the_sysadmin_creates_accounts(world, actor_role):
    with pytest.raises(policy.PermissionDenied):
        services.user_create(actor=world.users[actor_role], username="zhangsan", password="Harbour-lights-77")
    assert not User.objects.filter(username="zhangsan").exists()


def test_user_unlock_and_reset_password(world):
    staff = world.office_staff
    services.login_failed(username="office_staff", user=staff)
    User.objects.filter(pk=staff.pk).update(locked_until="2999-01-01T00:00:00Z")
    unlocked = services.user_unlock(actor=world.sysadmin, user=staff)
    assert unlocked.locked_until is None and unlocked.failed_logins == 0
    password = services.user_reset_password(actor=world.sysadmin, user=staff)
    staff.refresh_from_db()
    assert staff.check_password(password) and staff.must_change_password
    assert _last_action() == "account.reset_password"
    with pytest.raises(policy.PermissionDenied):
        services.user_reset_password(actor=world.secadmin, user=staff)


# -- roles ------------------------------------------------------------------------------------

def test_role_grant_is_audited(world):
    assignment = services.role_grant(actor=world.secadmin, user=world.outsider, role=Role.LEADER,
                                     committee=world.county)
    assert assignment.granted_by == world.secadmin
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.object_id) == ("role.grant", str(assignment.pk))
    assert event.detail["role"] == "leader"


def test_role_grant_refuses_a_duplicate(world):
    with pytest.raises(ValidationError, match="already holds this role"):
        services.role_grant(actor=world.secadmin, user=world.leader, role=Role.LEADER,
                            committee=world.county)
    with pytest.raises(ValidationError, match="already holds this role"):
        services.role_grant(actor=world.secadmin, user=world.unit_liaison, role=Role.UNIT_LIAISON,
                            organization=world.village, committee=world.county)
    assert RoleAssignment.objects.filter(user=world.leader).count() == 1


def test_the_same_role_in_another_scope_is_allowed(world):
    services.role_grant(actor=world.secadmin, user=world.leader, role=Role.LEADER, committee=world.other)
    assert RoleAssignment.objects.current().filter(user=world.leader).count() == 2


def test_a_revoked_role_can_be_granted_again(world):
    assignment = RoleAssignment.objects.get(user=world.leader)
    services.role_revoke(actor=world.secadmin, assignment=assignment)
    services.role_grant(actor=world.secadmin, user=world.leader, role=Role.LEADER, committee=world.county)
    assert RoleAssignment.objects.current().filter(user=world.leader).count() == 1


@pytest.mark.parametrize("given_committee", ["other", "city", None])
def test_an_organization_role_gets_the_organizations_committee(world, given_committee):
    committee = getattr(world, given_committee) if given_committee else None
    assignment = services.role_grant(actor=world.secadmin, user=world.outsider, role=Role.RECEIVER,
                                     organization=world.other_township, committee=committee)
    assert assignment.committee == world.other
    assert assignment.organization == world.other_township


def test_an_organization_role_needs_an_organization(world):
    with pytest.raises(ValidationError, match="needs an organization"):
        services.role_grant(actor=world.secadmin, user=world.outsider, role=Role.UNIT_LIAISON,
                            committee=world.county)


def test_a_committee_role_takes_no_organization(world):
    with pytest.raises(ValidationError, match="held for a committee"):
        services.role_grant(actor=world.secadmin, user=world.outsider, role=Role.LEADER,
                            committee=world.county, organization=world.village)


def test_a_committee_role_needs_a_committee(world):
    with pytest.raises(ValidationError, match="needs a committee"):
        services.role_grant(actor=world.secadmin, user=world.outsider, role=Role.LEADER, committee=None)
    assert not RoleAssignment.objects.filter(user=world.outsider).exists()


def test_an_unknown_role_is_refused(world):
    with pytest.raises(ValidationError):
        services.role_grant(actor=world.secadmin, user=world.outsider, role="boss", committee=world.county)


@pytest.mark.parametrize("actor_role", ["sysadmin", "auditor", "office_admin", "leader"])
def test_only_the_security_administrator_grants_and_revokes(world, actor_role):
    actor = world.users[actor_role]
    with pytest.raises(policy.PermissionDenied):
        services.role_grant(actor=actor, user=world.outsider, role=Role.LEADER, committee=world.county)
    with pytest.raises(policy.PermissionDenied):
        services.role_revoke(actor=actor, assignment=RoleAssignment.objects.get(user=world.leader))
    assert RoleAssignment.objects.current().filter(user=world.leader).exists()


def test_a_grant_opens_the_scope_and_a_revoke_closes_it(world):
    outsider = world.outsider
    assert not policy.scope(outsider, Person).exists()
    assignment = services.role_grant(actor=world.secadmin, user=outsider, role=Role.OFFICE_STAFF,
                                     committee=world.county)
    assert set(policy.scope(outsider, Person).values_list("name", flat=True)) == {"王建国"}
    revoked = services.role_revoke(actor=world.secadmin, assignment=assignment)
    assert revoked.revoked_at is not None
    assert _last_action() == "role.revoke"
    fresh = User.objects.get(pk=outsider.pk)
    assert not policy.scope(fresh, Person).exists()
    assert not policy.scope(fresh, Organization).exists()
    # revoking twice changes nothing and writes nothing
    count = AuditEvent.objects.count()
    services.role_revoke(actor=world.secadmin, assignment=assignment)
    assert AuditEvent.objects.count() == count


# -- API tokens ----------------------------------------------------------------------------------

def test_token_create_and_authenticate(world):
    token, key = services.token_create(actor=world.office_staff, user=world.office_staff, name="excel")
    assert key.startswith("xc_") and token.prefix == key[3:11]
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in (stored.key_hash, stored.prefix) and stored.key_hash == services.hash_token(key)
    assert services.token_authenticate(key) == world.office_staff
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert services.token_authenticate(key + "x") is None
    assert services.token_authenticate("") is None
    assert _last_action() == "token.create"


def test_a_revoked_token_is_refused(world):
    token, key = services.token_create(actor=world.office_staff, user=world.office_staff)
    services.token_revoke(actor=world.office_staff, token=token)
    assert services.token_authenticate(key) is None
    assert _last_action() == "token.revoke"


def test_a_token_of_an_inactive_user_is_refused(world):
    _, key = services.token_create(actor=world.office_staff, user=world.office_staff)
    services.user_set_active(actor=world.sysadmin, user=world.office_staff, active=False)
    assert services.token_authenticate(key) is None


def test_nobody_makes_a_token_for_somebody_else(world):
    with pytest.raises(policy.PermissionDenied):
        services.token_create(actor=world.office_admin, user=world.office_staff)
    token, _ = services.token_create(actor=world.office_staff, user=world.office_staff)
    with pytest.raises(policy.PermissionDenied):
        services.token_revoke(actor=world.office_admin, token=token)


@pytest.mark.parametrize("system_role", ["sysadmin", "secadmin", "auditor"])
def test_system_role_accounts_get_no_token(world, system_role):
    account = world.users[system_role]
    with pytest.raises(ValidationError):
        services.token_create(actor=policy.CONSOLE, user=account)
    smuggled = ApiToken.objects.create(user=account, name="x", prefix="smuggled",
                                       key_hash=services.hash_token("xc_smuggled"))
    assert smuggled.pk and services.token_authenticate("xc_smuggled") is None
