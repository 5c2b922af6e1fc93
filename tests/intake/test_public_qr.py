"""QR codes (码上巡): the public SVG/PNG of the form's address, and the staff's printable page."""

from __future__ import annotations

import io
import re

import segno
from django.test import Client
from django.urls import reverse

from tests.intake.public_helpers import client_for, media_fixture, portal_fixture  # noqa: F401
from xuncha.workbench import nav

BASE = "https://xuncha.example.gov.cn"


def _expected_svg(url: str, title: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=4, xmldecl=False, title=title, desc=url)
    return buffer.getvalue()


def _qr(portal, query=""):
    return Client().get(reverse("public:qr", args=[portal.world.county.pk]) + query)


def test_qr_of_a_group_encodes_the_absolute_form_url(portal, settings):
    settings.XUNCHA_BASE_URL = BASE
    world = portal.world
    response = _qr(portal, f"?group={world.group1.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    url = f"{BASE}/public/{world.county.pk}/complain/?group={world.group1.pk}&via=qr"
    assert url == BASE + reverse("public:complain", args=[world.county.pk]) + f"?group={world.group1.pk}&via=qr"
    assert response.content == _expected_svg(url, world.county.name)
    assert url.replace("&", "&amp;").encode() in response.content and b"<script" not in response.content


def test_qr_of_an_organization_and_of_the_committee(portal, settings):
    settings.XUNCHA_BASE_URL = BASE
    world = portal.world
    form = BASE + reverse("public:complain", args=[world.county.pk])
    assert _qr(portal, f"?organization={world.department.pk}").content == _expected_svg(
        f"{form}?organization={world.department.pk}&via=qr", world.county.name)
    assert _qr(portal).content == _expected_svg(f"{form}?via=qr", world.county.name)
    png = _qr(portal, f"?group={world.group1.pk}&format=png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_qr_for_a_group_announced_ahead_but_not_for_others(portal):
    g3, g4, g5 = portal.groups
    assert _qr(portal, f"?group={g5.pk}").status_code == 200  # posters are printed before the period
    for query in (f"?group={g3.pk}", f"?group={g4.pk}", f"?group={portal.other_group.pk}",
                  f"?organization={portal.world.other_township.pk}", "?group=abc"):
        assert _qr(portal, query).status_code == 404, query


def _cards(html: str) -> int:
    return html.count('data-testid="qr-card"')


def test_staff_page_lists_the_groups_the_user_reads(portal, settings, django_assert_max_num_queries):
    settings.XUNCHA_BASE_URL = BASE
    world = portal.world
    client = client_for(world.office_admin)
    url = reverse("intake:qr_codes")
    client.get(url)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    g3, g4, g5 = portal.groups
    shown = {int(g) for g in re.findall(r'data-testid="qr-group" data-group="(\d+)"', html)}
    assert shown == {world.group1.pk, world.group2.pk, g5.pk}
    # group 1: itself + 城关镇, 东门村 and the two villages of the disclosures; group 2: itself + 县财政局; group 5: itself
    assert _cards(html) == 5 + 2 + 1
    assert f"{BASE}/public/{world.county.pk}/complain/?organization={world.village.pk}&amp;via=qr" in html
    assert "<svg" in html and "@media print" in html
    leader = client_for(world.group_leader).get(url).content.decode()
    assert f'data-testid="qr-group" data-group="{world.group1.pk}"' in leader
    assert f'data-group="{world.group2.pk}"' not in leader


def test_staff_page_refuses_others(portal):
    url = reverse("intake:qr_codes")
    for name in ("unit_liaison", "receiver", "sysadmin", "auditor", "outsider"):
        assert client_for(portal.world.users[name]).get(url).status_code == 403, name
    assert Client().get(url).status_code == 302


def test_navigation_entry_for_staff_only(portal):
    url = reverse("intake:qr_codes")

    def visible(user) -> bool:
        return any(e["url"] == url for stage in nav.menu_for(user) for e in stage["items"])

    world = portal.world
    assert visible(world.office_admin) and visible(world.group_member)
    assert not visible(world.unit_liaison) and not visible(world.leader) and not visible(world.sysadmin)
