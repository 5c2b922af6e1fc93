"""The public portal's home page: published, current announcements of the committee with their
organizations; the committee's disclosures, latest first; links to study and the form. No
login, no JavaScript."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.intake.public_helpers import media_fixture, portal_fixture  # noqa: F401


def _groups(html: str) -> list[int]:
    return [int(g) for g in re.findall(r'data-testid="announcement" data-group="(\d+)"', html)]


def test_portal_shows_current_published_announcements_of_the_committee(portal, django_assert_max_num_queries):
    world = portal.world
    with django_assert_max_num_queries(8):
        response = Client().get(reverse("public:portal", args=[world.county.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert _groups(html) == [world.group1.pk, world.group2.pk]  # not unpublished, over, future, foreign
    assert "城关镇" in html and "东门村" in html and "县财政局" in html and "河口镇" not in html
    assert "0871-1234567" in html and "0871-7654321" in html and "0999-0000000" not in html
    assert "xuncha@example.cn" in html and "巡察意见箱" in html
    assert f'href="{reverse("public:complain", args=[world.county.pk])}?group={world.group1.pk}"' in html
    assert reverse("public_study:study", args=[world.county.pk]) in html
    assert reverse("public:receipt", args=[world.county.pk]) in html


def test_portal_shows_the_committees_disclosures_latest_first(portal):
    html = Client().get(reverse("public:portal", args=[portal.world.county.pk])).content.decode()
    shown = [int(pk) for pk in re.findall(r'data-disclosure="(\d+)"', html)]
    assert shown == [portal.disclosures.new.pk, portal.disclosures.old.pk]
    assert "南门村整改通报" in html and "河口镇整改通报" not in html and "整改情况通报正文" in html


def test_disclosures_are_paginated(portal, monkeypatch):
    from xuncha.intake.views import public

    monkeypatch.setattr(public, "PER_PAGE", 1)
    url = reverse("public:portal", args=[portal.world.county.pk])
    first = Client().get(url).content.decode()
    second = Client().get(url + "?page=2").content.decode()
    assert "南门村整改通报" in first and "西门村整改通报" not in first
    assert "西门村整改通报" in second and 'class="pagination' in second


def test_the_other_committee_sees_its_own(portal):
    html = Client().get(reverse("public:portal", args=[portal.world.other.pk])).content.decode()
    assert _groups(html) == [portal.other_group.pk] and "河口镇整改通报" in html and "南门村" not in html


def test_unknown_or_inactive_committee_is_404(portal):
    assert Client().get(reverse("public:portal", args=[999999])).status_code == 404
    portal.world.other.active = False
    portal.world.other.save(update_fields=["active"])
    assert Client().get(reverse("public:portal", args=[portal.world.other.pk])).status_code == 404


def test_portal_without_announcements(world, media):
    response = Client().get(reverse("public:portal", args=[world.county.pk]))
    assert response.status_code == 200 and b'data-testid="no-announcement"' in response.content


@pytest.mark.parametrize("name", ["public:portal", "public:complain", "public:receipt"])
def test_portal_pages_need_no_login_and_carry_no_script(portal, name):
    response = Client().get(reverse(name, args=[portal.world.county.pk]))
    assert response.status_code == 200
    html = response.content.decode().lower()
    assert "<script" not in html and "javascript:" not in html and " onclick=" not in html \
        and " onchange=" not in html
