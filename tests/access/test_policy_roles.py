"""`roles=` narrows can/scope to grants held through the named roles."""

from __future__ import annotations

from xuncha.access import policy, services
from xuncha.access.roles import Role


def test_roles_narrow_can_and_scope(world):
    township = world.township
    liaison = world.users["unit_liaison"]
    office = world.users["office_admin"]
    assert policy.can(office, "view", township)
    assert policy.can(office, "view", township, roles=[Role.OFFICE_ADMIN])
    assert not policy.can(office, "view", township, roles=[Role.UNIT_LIAISON])
    assert policy.scope(office, type(township), roles=[Role.OFFICE_STAFF]).count() == 0
    assert policy.scope(office, type(township), roles=[Role.OFFICE_ADMIN]).filter(pk=township.pk).exists()
    assert not policy.can_any(liaison, "view", type(township), roles=[Role.OFFICE_ADMIN])
    assert policy.can_any(liaison, "view", type(township), roles=[Role.UNIT_LIAISON])


def test_roles_apply_to_system_roles_and_require(world):
    import pytest

    sysadmin = world.users["sysadmin"]
    assert policy.can(sysadmin, "view", world.county)
    assert not policy.can(sysadmin, "view", world.county, roles=[Role.OFFICE_ADMIN])
    with pytest.raises(policy.PermissionDenied):
        policy.require(sysadmin, "view", world.county, roles=[Role.OFFICE_ADMIN])
    policy.require(sysadmin, "view", world.county, roles=[Role.SYSADMIN])
    services.role_grant(actor=policy.CONSOLE, user=world.users["outsider"], role=Role.OFFICE_STAFF,
                        committee=world.county)
    outsider = world.users["outsider"]
    policy.forget(outsider)
    assert policy.can(outsider, "view", world.township, roles=[Role.OFFICE_STAFF])
