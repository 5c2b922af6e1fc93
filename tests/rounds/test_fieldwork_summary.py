"""The group page's fieldwork card: counts that link to the group's logs."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.rounds.fieldwork_helpers import document_request, interview
from xuncha.rounds.selectors.fieldwork import fieldwork_summary


def test_it_counts_the_groups_own_records_only(world):
    today = timezone.localdate()
    interview(world)
    interview(world, world.group2)
    document_request(world, due=today - timedelta(days=1))
    document_request(world, due=today - timedelta(days=1), returned=True)
    document_request(world, world.group2, due=today - timedelta(days=1))
    summary = fieldwork_summary(world.group_leader, world.group1)
    assert summary == {"interviews": 1, "documents_open": 1, "documents_overdue": 1, "spot_fixes": 0,
                       "prescriptions_open": 0, "visits": 0, "has_announcement": False}
    assert fieldwork_summary(world.unit_liaison, world.group1) is None


def test_it_shows_the_card_with_links_on_the_group_page(client, world):
    document_request(world, due=timezone.localdate() - timedelta(days=3))
    client.force_login(world.group_leader)
    html = client.get(reverse("rounds:group_detail", args=[world.group1.pk])).content.decode()
    assert 'data-testid="fieldwork-summary"' in html
    assert reverse("rounds:document_requests", args=[world.group1.pk]) + "?overdue=1" in html
    assert reverse("rounds:interviews", args=[world.group1.pk]) in html
