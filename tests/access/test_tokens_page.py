"""Every business account's own API tokens: list, create (key shown once), revoke."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuncha.access import policy, services
from xuncha.access.models import ApiToken, AuditEvent

BUSINESS = ["leader", "office_admin", "office_staff", "group_leader", "group_deputy", "group_member",
            "unit_liaison", "receiver", "supervisor", "outsider"]
SYSTEM = ["sysadmin", "secadmin", "auditor"]


@pytest.mark.parametrize("role", BUSINESS)
def test_every_business_account_opens_its_tokens(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("system:tokens")).status_code == 200


@pytest.mark.parametrize("role", SYSTEM)
def test_system_accounts_get_no_tokens(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("system:tokens")).status_code == 403
    assert client.post(reverse("system:token_create"), {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_it_creates_a_token_and_shows_the_key_once(client, world):
    client.force_login(world.leader)
    response = client.post(reverse("system:token_create"), {"name": "统计脚本"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = response.context["key"]
    assert key.startswith("xc_") and key in response.content.decode()
    token = ApiToken.objects.get(user=world.leader)
    assert token.name == "统计脚本"
    assert token.key_hash == services.hash_token(key) and token.key_hash != key
    assert key not in {token.name, token.prefix}
    assert services.token_authenticate(key) == world.leader
    assert AuditEvent.objects.filter(action="token.create", object_id=str(token.pk)).exists()
    assert key not in str(AuditEvent.objects.filter(action="token.create").values().get())
    listing = client.get(reverse("system:tokens")).content.decode()
    assert key not in listing and token.prefix in listing and "统计脚本" in listing


def test_it_needs_a_name(client, world):
    client.force_login(world.leader)
    response = client.post(reverse("system:token_create"), {"name": "  "})
    assert response.status_code == 400 and "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_it_lists_only_the_accounts_own_tokens(client, world):
    services.token_create(actor=world.leader, user=world.leader, name="mine")
    services.token_create(actor=world.receiver, user=world.receiver, name="theirs")
    client.force_login(world.leader)
    assert [t.name for t in client.get(reverse("system:tokens")).context["tokens"]] == ["mine"]


def test_it_revokes_a_token(client, world):
    token, key = services.token_create(actor=world.leader, user=world.leader, name="old")
    client.force_login(world.leader)
    assert client.post(reverse("system:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.token_authenticate(key) is None
    assert AuditEvent.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()


def test_another_accounts_token_is_404(client, world):
    token, key = services.token_create(actor=world.receiver, user=world.receiver, name="theirs")
    client.force_login(world.leader)
    assert client.post(reverse("system:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and services.token_authenticate(key) == world.receiver


def test_revoke_is_post_only(client, world):
    token, _key = services.token_create(actor=policy.CONSOLE, user=world.leader, name="t")
    client.force_login(world.leader)
    assert client.get(reverse("system:token_revoke", args=[token.pk])).status_code == 405
