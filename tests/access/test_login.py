"""Login, lockout, password policy, forced password change and session expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from xuncha.access import policy, services
from xuncha.access.models import AuditEvent, User

pytestmark = pytest.mark.usefixtures("english")

LOGIN = "/accounts/login/"


@pytest.fixture
def client():
    english = Client()
    english.cookies["django_language"] = "en"  # what the language switch sets
    return english


@pytest.fixture
def staff(make_user, world):
    return world.users["office_staff"]


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def _errors(response) -> list[tuple[str, str]]:
    form = response.context["form"]
    return [(e.code, " ".join(e.messages)) for e in form.non_field_errors().as_data()]


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_login_page_renders(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content and b'name="password"' in response.content


def test_successful_login_is_audited(client, staff):
    before = AuditEvent.objects.count()
    response = _login(client, "office_staff", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert _logged_in(client)
    event = AuditEvent.objects.get(seq=before + 1)
    assert (event.action, event.actor_id, event.ip) == ("login", staff.pk, "127.0.0.1")


def test_username_is_case_insensitive(client, staff):
    assert _login(client, "Office_Staff", PASSWORD).status_code == 302


def test_wrong_password_is_refused_and_audited(client, staff):
    response = _login(client, "office_staff", "not-the-password")
    assert response.status_code == 200
    assert _errors(response) == [("invalid_login", "The username or password is not correct.")]
    assert _actions()[-1] == "login.failed"
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.actor_id, event.actor_name, event.object_id) == (None, "office_staff", str(staff.pk))
    staff.refresh_from_db()
    assert staff.failed_logins == 1
    assert not _logged_in(client)


def test_unknown_username_gets_the_same_answer_and_is_audited(client, staff):
    wrong_password = _errors(_login(client, "office_staff", "not-the-password"))
    unknown_user = _errors(_login(client, "nobody-here", PASSWORD))
    assert unknown_user == wrong_password
    event = AuditEvent.objects.order_by("-seq").first()
    assert (event.action, event.actor_name, event.object_id) == ("login.failed", "nobody-here", "")


def test_five_failures_lock_the_account_for_fifteen_minutes(client, staff):
    for _ in range(4):
        _login(client, "office_staff", "wrong-password")
    staff.refresh_from_db()
    assert staff.locked_until is None and staff.failed_logins == 4
    _login(client, "office_staff", "wrong-password")
    staff.refresh_from_db()
    assert staff.is_locked()
    remaining = staff.locked_until - timezone.now()
    assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)
    assert _actions()[-2:] == ["login.failed", "account.locked"]

    refused = _login(client, "office_staff", PASSWORD)
    [(code, message)] = _errors(refused)
    assert code == "locked"
    assert message.startswith("This account is locked after repeated failed logins.")
    assert timezone.localtime(staff.locked_until).strftime("%H:%M") in message
    assert _actions()[-1] == "login.locked"
    assert not _logged_in(client)


def test_login_works_again_after_the_lock_expires(client, staff, monkeypatch):
    for _ in range(5):
        _login(client, "office_staff", "wrong-password")
    assert _errors(_login(client, "office_staff", PASSWORD))[0][0] == "locked"

    later = timezone.now() + timedelta(minutes=15, seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert _login(client, "office_staff", PASSWORD).status_code == 302
    staff.refresh_from_db()
    assert staff.failed_logins == 0
    assert _actions()[-1] == "login"


def test_lock_moved_into_the_past_lets_the_account_in(client, staff):
    User.objects.filter(pk=staff.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _login(client, "office_staff", PASSWORD).status_code == 302


def test_success_resets_the_failure_count(client, staff):
    for _ in range(3):
        _login(client, "office_staff", "wrong-password")
    _login(client, "office_staff", PASSWORD)
    staff.refresh_from_db()
    assert staff.failed_logins == 0


def test_deactivated_account_cannot_log_in(client, world):
    staff = world.users["office_staff"]
    services.user_set_active(actor=world.users["sysadmin"], user=staff, active=False)
    response = _login(client, "office_staff", PASSWORD)
    assert response.status_code == 200
    assert _errors(response)[0][0] == "invalid_login"
    assert not _logged_in(client)


def test_deactivating_ends_an_open_session(client, world):
    staff = world.users["office_staff"]
    client.force_login(staff)
    assert _logged_in(client)
    services.user_set_active(actor=world.users["sysadmin"], user=staff, active=False)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_logout_is_post_only_and_audited(client, staff):
    _login(client, "office_staff", PASSWORD)
    assert client.get("/accounts/logout/").status_code == 405
    assert _logged_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert _actions()[-1] == "logout"
    assert AuditEvent.objects.order_by("-seq").first().actor_id == staff.pk
    assert not _logged_in(client)


# -- password policy ------------------------------------------------------------------------

BAD_PASSWORDS = {
    "too short": "Ab3-xyz",
    "all digits": "20240520123456",
    "like the username": "wangjianguo2024",
    "common": "qwertyuiop",
}


@pytest.mark.parametrize("why", sorted(BAD_PASSWORDS))
def test_password_change_refuses_weak_passwords(make_user, why):
    user = make_user("wangjianguo", full_name="王建国")
    with pytest.raises(ValidationError):
        services.password_change(actor=user, old_password=PASSWORD, new_password=BAD_PASSWORDS[why])
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("why", sorted(BAD_PASSWORDS))
def test_user_create_refuses_weak_passwords(db, why):
    with pytest.raises(ValidationError):
        services.user_create(actor=policy.CONSOLE, username="wangjianguo",
                             password=BAD_PASSWORDS[why])
    assert not User.objects.filter(username="wangjianguo").exists()
    assert not AuditEvent.objects.filter(action="account.create").exists()


def test_password_change_needs_the_current_password_and_a_new_one(make_user):
    user = make_user("zhaoliu")
    with pytest.raises(ValidationError) as wrong:
        services.password_change(actor=user, old_password="wrong", new_password="Harbour-lights-77")
    assert "old_password" in wrong.value.message_dict
    with pytest.raises(ValidationError) as same:
        services.password_change(actor=user, old_password=PASSWORD, new_password=PASSWORD)
    assert "new_password" in same.value.message_dict


def test_generated_passwords_pass_the_policy(db):
    user, password = services.user_create(actor=policy.CONSOLE, username="generated")
    assert user.check_password(password) and user.must_change_password


# -- forced password change ------------------------------------------------------------------

PAGES = ["/", "/registry/", "/system/", "/no-such-page/", "/accounts/login/"]


def test_must_change_password_is_sent_to_the_password_page_everywhere(client, db):
    services.user_create(actor=policy.CONSOLE, username="newcomer", password=PASSWORD)
    assert _login(client, "newcomer", PASSWORD).status_code == 302
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/password/", path
    response = client.post("/accounts/role/", {"assignment": "1"})
    assert response["Location"] == "/accounts/password/"
    assert client.get("/accounts/password/").status_code == 200

    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password": "Harbour-lights-77",
        "new_password_again": "Harbour-lights-77",
    })
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert b"Your password has been changed." in home.content
    assert _actions()[-1] == "account.password_change"
    user = User.objects.get(username="newcomer")
    assert not user.must_change_password and user.check_password("Harbour-lights-77")


def test_password_page_shows_policy_errors_on_the_field(client, db):
    services.user_create(actor=policy.CONSOLE, username="newcomer", password=PASSWORD)
    _login(client, "newcomer", PASSWORD)
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password": "1234567890", "new_password_again": "1234567890",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["new_password"]
    mismatch = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password": "Harbour-lights-77",
        "new_password_again": "Harbour-lights-78",
    })
    assert mismatch.context["form"].errors["new_password_again"]
    assert User.objects.get(username="newcomer").must_change_password


# -- sessions and hashing ------------------------------------------------------------------

def test_session_policy_settings():
    import xuncha.settings as configured

    assert configured.SESSION_COOKIE_AGE == 1800
    assert configured.SESSION_SAVE_EVERY_REQUEST is True
    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert configured.LOGIN_MAX_FAILURES == 5 and configured.LOGIN_LOCKOUT_MINUTES == 15
    assert configured.SESSION_COOKIE_HTTPONLY


def test_passwords_are_stored_with_argon2(staff):
    assert staff.password.startswith("argon2$")


def test_sessions_expire_after_thirty_idle_minutes(client, staff, monkeypatch):
    _login(client, "office_staff", PASSWORD)
    session = Session.objects.get()
    start = timezone.now()
    assert abs((session.expire_date - start) - timedelta(minutes=30)) < timedelta(seconds=10)

    # activity within the half hour slides the expiry forward
    later = start + timedelta(minutes=20)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert _logged_in(client)
    session.refresh_from_db()
    assert session.expire_date > later + timedelta(minutes=29)

    # thirty minutes without a request: the session is gone
    idle = later + timedelta(minutes=31)
    monkeypatch.setattr("django.utils.timezone.now", lambda: idle)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_an_expired_session_is_sent_to_login(client, staff):
    _login(client, "office_staff", PASSWORD)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next=/"

