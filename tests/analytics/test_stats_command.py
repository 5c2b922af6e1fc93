"""`xuncha stats`: the same figures and summary as the page, for the whole committee subtree."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.analytics.stats_helpers import TODAY, dataset, stats_build  # noqa: F401
from xuncha.analytics import filters, statistics
from xuncha.analytics.summary import summary


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def run(*args) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_json_holds_the_same_figures_as_the_office_sees(world, dataset):  # noqa: F811
    data = json.loads(run("--committee", str(world.county.pk), "--term", "14", "--json"))
    office = world.office_admin
    chosen = filters.parse(office, {"term": dataset.term.pk})
    stats = statistics.compute(office, chosen, today=TODAY)
    assert data["term"]["id"] == dataset.term.pk
    assert data["figures"]["money_recovered"] == "123456.78"
    assert {k: v for k, v in data["figures"].items() if k != "money_recovered"} == {
        k: f.value for k, f in stats.figures.items() if k != "money_recovered"}
    assert data["summary"] == summary(stats, chosen)
    assert data["breakdowns"]["by_focus"][0]["value"] == 4


def test_the_table_and_the_summary(world, dataset):  # noqa: F811
    output = run("--committee", "示例县委", "--term", str(dataset.term.pk))
    assert "123456.78" in output
    assert output.rstrip().endswith("开展专项治理1项。")
    assert "十四届示例县委巡察工作开展以来" in output


def test_a_round_and_the_subtree(world, dataset):  # noqa: F811
    data = json.loads(run("--committee", "示例市委", "--round", str(dataset.rounds[0].pk), "--json"))
    assert data["figures"]["problems"] == 5
    assert data["summary"].startswith("十四届示例县委第一轮巡察")
    everything = json.loads(run("--committee", str(world.city.pk), "--json"))
    assert everything["figures"]["leads"] == 1  # the console reads leads, unlike the superior office


@pytest.mark.parametrize("args", [("--committee", "无此党委"), ("--committee", "示例县委", "--term", "99"),
                                  ("--committee", "示例县委", "--term", "x"),
                                  ("--committee", "邻县县委", "--round", "0")])
def test_bad_arguments_are_named(world, args):
    with pytest.raises(CommandError):
        run(*args)


def test_the_round_must_be_in_the_subtree(world, dataset):  # noqa: F811
    with pytest.raises(CommandError, match="no round"):
        run("--committee", "邻县县委", "--round", str(dataset.rounds[0].pk))
