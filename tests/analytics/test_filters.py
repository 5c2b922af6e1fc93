"""The filters every statistic is computed over: choices and parsing stay inside the user's scope."""

from __future__ import annotations

import pytest
from django.http import Http404

from xuncha.analytics import filters
from xuncha.findings.models import Problem
from xuncha.rounds.models import Round


def test_default_committee_is_the_users_own(world):
    assert filters.parse(world.users["office_admin"], {}).committee == world.county
    assert filters.parse(world.users["group_member"], {}).committee == world.county
    assert filters.parse(world.users["supervisor"], {}).committee == world.city


def test_a_committee_out_of_scope_answers_404(world):
    with pytest.raises(Http404):
        filters.parse(world.users["office_admin"], {"committee": world.other.pk})
    with pytest.raises(Http404):
        filters.parse(world.users["office_admin"], {"committee": "x"})
    assert filters.parse(world.users["supervisor"], {"committee": world.other.pk}).committee == world.other


def test_round_and_term_narrow_the_rounds(world):
    chosen = filters.parse(world.users["office_admin"], {"term": world.term.pk})
    assert set(Round.objects.filter(chosen.round_q())) == {world.round}
    city = filters.parse(world.users["supervisor"], {})
    assert world.round in Round.objects.filter(city.round_q())
    by_round = filters.parse(world.users["office_admin"], {"round": world.round.pk})
    assert Problem.objects.filter(by_round.round_q("round__")).count() == 0
    assert f"round={world.round.pk}" in by_round.query()


def test_township_covers_itself_and_its_villages(world):
    chosen = filters.parse(world.users["office_admin"], {"township": world.township.pk})
    from xuncha.registry.models import Organization
    assert set(Organization.objects.filter(chosen.organization_q())) == {world.township, world.village}
    with pytest.raises(Http404):
        filters.parse(world.users["office_admin"], {"township": world.village.pk})
    with pytest.raises(Http404):
        filters.parse(world.users["office_admin"], {"round": 10**6})


def test_a_term_of_another_committee_left_in_the_bar_is_dropped(world):
    # The supervisor changes the committee from the county to its neighbour: the county's term and
    # round, still in the form, are dropped rather than refused.
    chosen = filters.parse(world.users["supervisor"], {"committee": world.other.pk, "term": world.term.pk,
                                                       "round": world.round.pk, "township": world.township.pk})
    assert (chosen.committee, chosen.term, chosen.round, chosen.township) == (world.other, None, None, None)


def test_the_filter_bar_keeps_the_page_s_own_fields(world, client):
    from tests.conftest import PASSWORD
    client.login(username="office_admin", password=PASSWORD)
    html = client.get("/analytics/clusters/", {"tab": "common"}).content.decode()
    assert '<input type="hidden" name="tab" value="common">' in html

