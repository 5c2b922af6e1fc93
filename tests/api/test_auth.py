"""Bearer tokens: who gets in, who gets 401, and what the audit log records."""

from __future__ import annotations

import secrets

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import PASSWORD
from xuncha.access import policy, services
from xuncha.access.models import ApiToken, AuditEvent

URL = "/api/v1/organizations"


def _assert_401(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


def test_it_refuses_a_request_without_a_token(world):
    _assert_401(Client().get(URL))


def test_it_refuses_an_unknown_token_and_other_schemes(world):
    _assert_401(Client(headers={"Authorization": "Bearer xc_not-a-token"}).get(URL))
    _assert_401(Client(headers={"Authorization": "Bearer "}).get(URL))
    _assert_401(Client(headers={"Authorization": "Basic b2ZmaWNlX2FkbWluOng="}).get(URL))


def test_it_accepts_a_valid_token(world, api_client):
    response = api_client(world.office_admin).get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_it_refuses_a_revoked_token(world):
    user = world.office_admin
    token, key = services.token_create(actor=user, user=user)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get(URL).status_code == 200
    services.token_revoke(actor=user, token=token)
    _assert_401(client.get(URL))


def test_it_refuses_the_token_of_a_deactivated_account(world, token_for):
    key = token_for(world.office_staff)
    world.office_staff.is_active = False
    world.office_staff.save(update_fields=["is_active"])
    _assert_401(Client(headers={"Authorization": f"Bearer {key}"}).get(URL))


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_it_refuses_a_token_of_the_three_administrators(world, role):
    user = world.users[role]
    with pytest.raises(ValidationError):
        services.token_create(actor=policy.CONSOLE, user=user)
    # A token row made behind the service's back still opens nothing.
    key = "xc_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name="smuggled", prefix=key[3:11],
                            key_hash=services.hash_token(key))
    assert services.token_authenticate(key) is None
    _assert_401(Client(headers={"Authorization": f"Bearer {key}"}).get(URL))


def test_it_does_not_accept_a_session_login(world):
    client = Client()
    assert client.login(username="office_admin", password=PASSWORD)
    _assert_401(client.get(URL))


def test_it_needs_no_csrf_token_and_audits_the_write_as_api(world, api_client):
    client = api_client(world.office_admin)  # enforce_csrf_checks=True
    response = client.post(URL, {"name": "县教育局", "kind": "department",
                                 "committee": world.county.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    event = AuditEvent.objects.filter(action="organization.create").get()
    assert event.actor_id == world.office_admin.pk
    assert event.role == "api"
    assert event.ip == "127.0.0.1"
    assert event.object_id == str(response.json()["id"])


def test_it_marks_the_token_as_used(world, token_for):
    key = token_for(world.leader)
    Client(headers={"Authorization": f"Bearer {key}"}).get(URL)
    assert ApiToken.objects.get(user=world.leader).last_used_at is not None
