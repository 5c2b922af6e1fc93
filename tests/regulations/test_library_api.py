"""The rules library API: reads, resolve, search, import; refusals 401/403/404/422."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from django.utils import translation

from tests.regulations.library_sample import RULES, import_rules
from xuncha.access import services


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are checked as written (English, a switch away for users); the Chinese
    catalogue is checked whole by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield

BASE = "/api/v1/regulations"


@pytest.fixture
def api_client(db):
    def make(user) -> Client:
        _, key = services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
    return make


def test_it_needs_a_token(db):
    assert Client().get(BASE).status_code == 401


def test_reads(world, api_client):
    version = import_rules(world)
    client = api_client(world.unit_liaison)
    listed = client.get(BASE).json()
    assert listed["count"] == 1 and listed["items"][0]["short_title"] == "规则"
    detail = client.get(f"{BASE}/{version.regulation_id}").json()
    assert [v["label"] for v in detail["versions"]] == ["2024"]
    tree = client.get(f"{BASE}/versions/{version.pk}").json()
    by_address = {p["address"]: p for p in tree["provisions"]}
    assert by_address["第四条第一款第（二）项"]["parent"] == by_address["第四条第一款"]["id"]
    article = client.get(f"{BASE}/versions/{version.pk}/articles/第三条第二款").json()
    assert article["provision"]["text"] == "领导小组办公室设在县纪委监委。"
    assert article["citation"] == "规则(2024)第三条第二款"
    assert client.get(f"{BASE}/versions/{version.pk}/articles/6-1").json()["article"]["label"] == "第六条之一"


def test_resolve_and_search(world, api_client):
    import_rules(world)
    client = api_client(world.group_member)
    found = client.get(f"{BASE}/resolve", {"citation": "《规则》(2024)第二条第（三）项"}).json()
    assert found["provision"]["text"] == "坚持依规依纪。"
    assert client.get(f"{BASE}/resolve", {"citation": "规则(2024)第九十条"}).status_code == 404
    hits = client.get(f"{BASE}/search", {"q": "舉報電話"}).json()
    assert hits["count"] == 1 and hits["items"][0]["citation"] == "规则(2024)第七条"
    assert "<mark>举报电话</mark>" in hits["items"][0]["snippet"]


def test_out_of_scope_is_not_found(world, api_client):
    version = import_rules(world, committee=world.other)
    client = api_client(world.office_admin)
    assert client.get(f"{BASE}/{version.regulation_id}").status_code == 404
    assert client.get(f"{BASE}/versions/{version.pk}").status_code == 404
    assert client.get(f"{BASE}/versions/{version.pk}/articles/1").status_code == 404
    assert client.get(f"{BASE}/resolve", {"citation": "规则(2024)第一条"}).status_code == 404
    assert client.post(f"{BASE}/{version.regulation_id}/versions", json.dumps({"label": "2025", "text": RULES}),
                       content_type="application/json").status_code == 404


def test_outsider_is_refused(world, api_client):
    assert api_client(world.outsider).get(BASE).status_code == 403


def test_import(world, api_client):
    version = import_rules(world)
    url = f"{BASE}/{version.regulation_id}/versions"
    body = json.dumps({"label": "2025", "text": RULES.replace("第八条", "第十条")})
    assert api_client(world.leader).post(url, body, content_type="application/json").status_code == 403
    client = api_client(world.office_admin)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["articles"] == 9 and any("gap" in w for w in response.json()["warnings"])
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "label"
    bad = client.post(url, json.dumps({"label": "2026", "docx_base64": base64.b64encode(b"x").decode()}),
                      content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "docx_base64"
    empty = client.post(url, json.dumps({"label": "2026", "text": "没有条文"}), content_type="application/json")
    assert empty.status_code == 422 and empty.json()["detail"][0]["field"] == "text"
