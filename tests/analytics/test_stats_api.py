"""GET /api/v1/analytics/statistics and /summary: the page's figures and paragraph, each reader's
own scope, 403 for roles that read no statistics, 404 for a filter out of scope."""

from __future__ import annotations

import pytest

from tests.analytics.stats_helpers import TODAY, dataset, stats_build  # noqa: F401
from tests.api.conftest import api_client, token_for  # noqa: F401
from xuncha.analytics import filters, statistics
from xuncha.analytics.summary import summary

URL = "/api/v1/analytics/statistics"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def test_the_figures_and_breakdowns(world, dataset, api_client):  # noqa: F811
    response = api_client(world.office_admin).get(URL, {"term": dataset.term.pk})
    assert response.status_code == 200
    data = response.json()
    assert data["committee"] == world.county.pk and data["term"] == dataset.term.pk
    figures = {f["key"]: f["value"] for f in data["figures"]}
    assert figures["problems"] == 6 and figures["money_recovered"] == "123456.78"
    assert figures["rectification_rate"] == 50.0 and figures["coverage"] == 85.7
    assert all(f["link"].startswith("/analytics/statistics/drilldown/?") for f in data["figures"])
    assert [r["value"] for r in data["breakdowns"]["by_focus"]] == [4, 2]
    assert {(r["kind"], r["mode"], r["value"]) for r in data["breakdowns"]["inspected"]} == {
        ("township", "direct", 1), ("department", "direct", 1), ("village", "direct", 3), ("village", "sinking", 1)}


def test_the_summary(world, dataset, api_client):  # noqa: F811
    response = api_client(world.leader).get(f"{URL}/summary", {"round": dataset.rounds[0].pk})
    assert response.status_code == 200
    chosen = filters.parse(world.leader, {"round": dataset.rounds[0].pk})
    assert response.json() == {"text": summary(statistics.compute(world.leader, chosen, today=TODAY))}
    assert response.json()["text"].startswith("十四届示例县委第一轮巡察")


def test_each_reader_counts_its_own_scope(world, dataset, stats_build, make_user, api_client):  # noqa: F811
    member = stats_build.member(make_user, "stats_member", dataset.groups[0])
    figures = {f["key"]: f["value"] for f in api_client(member).get(URL, {"term": dataset.term.pk}).json()["figures"]}
    assert figures["problems"] == 4 and "transfers" not in figures
    supervisor = {f["key"]: f["value"] for f in api_client(world.supervisor).get(URL).json()["figures"]}
    assert supervisor["leads"] == 0 and "complaints" not in supervisor


@pytest.mark.parametrize("name", ["unit_liaison", "receiver", "outsider"])
@pytest.mark.parametrize("path", [URL, f"{URL}/summary"])
def test_roles_without_statistics_get_403(world, api_client, name, path):  # noqa: F811
    assert api_client(world.users[name]).get(path).status_code == 403


@pytest.mark.parametrize("params", [{"committee": "other"}, {"term": 999999}, {"round": 999999}, {"township": "village"}])
def test_filters_out_of_scope_are_404(world, api_client, params):  # noqa: F811
    values = {"other": world.other.pk, "village": world.village.pk}
    query = {k: values.get(v, v) for k, v in params.items()}
    assert api_client(world.office_admin).get(URL, query).status_code == 404


def test_without_a_token_401(world, client):
    assert client.get(URL).status_code == 401
