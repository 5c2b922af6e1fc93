"""The system administrator manages business accounts only: the 三员 accounts and its own
are managed at the console, so no web account can take over the auditor's."""

import pytest

from xuncha.access import policy, services


@pytest.mark.parametrize("target", ["secadmin", "auditor", "sysadmin"])
@pytest.mark.parametrize("operation", ["deactivate", "unlock", "reset"])
def test_it_refuses_to_manage_system_accounts_from_the_web(world, target, operation):
    actor, user = world.users["sysadmin"], world.users[target]
    call = {
        "deactivate": lambda: services.user_set_active(actor=actor, user=user, active=False),
        "unlock": lambda: services.user_unlock(actor=actor, user=user),
        "reset": lambda: services.user_reset_password(actor=actor, user=user),
    }[operation]
    with pytest.raises(policy.PermissionDenied):
        call()
    user.refresh_from_db()
    assert user.is_active and user.check_password("Xuncha-test-2024")


def test_it_lets_the_console_reset_a_system_account(world):
    password = services.user_reset_password(actor=policy.CONSOLE, user=world.users["auditor"])
    world.users["auditor"].refresh_from_db()
    assert world.users["auditor"].check_password(password)


def test_it_lets_the_sysadmin_manage_business_accounts(world):
    user = services.user_set_active(actor=world.users["sysadmin"], user=world.users["group_member"], active=False)
    assert not user.is_active
