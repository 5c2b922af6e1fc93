"""A person's career and family are sensitive: every viewing is in the audit log."""

from django.urls import reverse

from tests.conftest import PASSWORD
from xuncha.access.models import AuditEvent
from xuncha.access.services import token_create


def _reads(person):
    return AuditEvent.objects.filter(action="person.read", object_id=str(person.pk))


def test_it_audits_the_office_reading_a_person_page(client, world):
    client.login(username="office_admin", password=PASSWORD)
    response = client.get(reverse("registry:person_detail", args=[world.villager.pk]))
    assert response.status_code == 200
    event = _reads(world.villager).get()
    assert event.actor_id == world.office_admin.pk


def test_it_does_not_log_a_read_the_liaison_cannot_make(client, world):
    client.login(username="unit_liaison", password=PASSWORD)
    response = client.get(reverse("registry:person_detail", args=[world.villager.pk]))
    assert response.status_code == 200
    assert not _reads(world.villager).exists()


def test_it_audits_the_api_detail_with_family(client, world):
    _, key = token_create(actor=world.group_member, user=world.group_member)
    response = client.get(f"/api/v1/people/{world.villager.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert "relatives" in response.json()
    assert _reads(world.villager).get().actor_id == world.group_member.pk
