"""The demo county's analytics: common and recurring problems planted in the findings and found by
the detector, checklist points mapped to departments, recommendations in every state with their
histories and outcomes, the campaigns they started, and what the agriculture bureau's receiver
sees; checked on the shared build."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pytest
from django.utils import timezone

from xuncha.access.models import User
from xuncha.access.policy import scope
from xuncha.analytics.models import (
    Campaign,
    CampaignItem,
    Cluster,
    ClusterMember,
    DepartmentMapping,
    ProblemMatch,
    Recommendation,
    RecommendationAddressee,
    SystemOutcome,
)
from xuncha.checklist.models import Item
from xuncha.demo import analytics_text as text
from xuncha.findings.models import Problem
from xuncha.rectification import deadlines
from xuncha.rectification.models import Task
from xuncha.registry.models import Committee

S = Recommendation.State
CHAIN = {  # the states a letter passed through to reach its state, in order
    S.DRAFT: [], S.SUBMITTED: [S.SUBMITTED], S.APPROVED: [S.SUBMITTED, S.APPROVED],
    S.ISSUED: [S.SUBMITTED, S.APPROVED, S.ISSUED], S.CLOSED: [S.SUBMITTED, S.APPROVED, S.ISSUED, S.CLOSED],
}


@pytest.fixture
def county(built, db):
    return Committee.objects.get(name="青崖县委")


def _today() -> date:
    return timezone.localdate()


def _planted_common(county) -> dict[str, list[Problem]]:
    out = {}
    for theme in text.THEMES:
        out[theme.key] = list(Problem.objects.filter(round__committee=county, title__in=theme.titles,
                                                     classification__parent__key=theme.point,
                                                     organization__kind__code="village").order_by("pk"))
    return out


def _planted_pairs(county) -> list[tuple[Problem, Problem]]:
    pairs = []
    for r in text.RECURRENCES:
        earlier = {p.organization_id: p for p in Problem.objects.filter(round__committee=county, title=r.title)}
        for later in Problem.objects.filter(round__committee=county, title=r.title_again):
            if later.organization_id in earlier:
                pairs.append((earlier[later.organization_id], later))
    return pairs


def test_common_themes_are_planted_at_villages_in_varied_wording(county):
    for key, problems in _planted_common(county).items():
        assert len({p.organization_id for p in problems}) >= 4, key
        assert len({p.round_id for p in problems}) >= 2, key
        # Other words and figures at each village, not one sentence copied.
        masked = {re.sub(r"[\d.]+", "#", p.description.replace(p.organization.name, "")) for p in problems}
        assert len(masked) == len(problems), key


def test_common_themes_are_found_as_common_clusters(county):
    for key, problems in _planted_common(county).items():
        clusters = defaultdict(set)
        for cluster, organization in ClusterMember.objects.filter(problem__in=problems).values_list(
                "cluster_id", "problem__organization_id"):
            clusters[cluster].add(organization)
        best = max(clusters.values(), key=len, default=set())
        assert len(best) >= 3, key
        cluster = Cluster.objects.get(pk=max(clusters, key=lambda c: len(clusters[c])))
        assert cluster.organization_count >= 3 and cluster.term.number == 14


def test_recurring_problems_are_planted_twice_at_one_organization_and_found(county):
    pairs = _planted_pairs(county)
    assert len(pairs) >= 5
    relations = []
    for earlier, later in pairs:
        assert earlier.round.number < later.round.number and earlier.organization_id == later.organization_id
        assert earlier.description != later.description
        match = ProblemMatch.objects.get(problem=later, earlier=earlier)
        relations.append(match.relation)
        assert match.relation in (ProblemMatch.Relation.RECURRING, ProblemMatch.Relation.RECURRING_AFTER_CLOSURE)
    assert ProblemMatch.Relation.RECURRING_AFTER_CLOSURE in relations
    closed = [e for e, _later in pairs if set(Task.objects.filter(problem=e).values_list("state", flat=True))
              == {Task.State.CLOSED}]
    assert closed
    assert any(later.round.kind == "follow_up" for _e, later in pairs)


def test_planted_texts_reach_the_papers_and_reports(county):
    earlier, later = _planted_pairs(county)[0]
    for problem in (earlier, later):
        paper = problem.papers.order_by("pk").first()
        assert paper.title == problem.title and problem.description in paper.facts
    assert Problem.objects.filter(pk=earlier.pk, search_text__contains=earlier.title[:4]).exists()


def test_points_are_mapped_to_their_departments(county):
    mapped = defaultdict(set)
    for key, department in DepartmentMapping.objects.filter(committee=county).values_list(
            "point__key", "department__name"):
        mapped[key].add(department)
    assert mapped["V2.1"] == {"县农业农村局"}
    assert mapped["V2.2"] == {"县民政局", "县财政局"}
    assert mapped["V2.3"] == {"县住房和城乡建设局", "县水务局"}
    assert not DepartmentMapping.objects.exclude(point__level=Item.Level.POINT).exists()
    assert not DepartmentMapping.objects.exclude(department__committee=county).exists()
    # One mapping per point and department: it holds for the point in every version (by key).
    assert DepartmentMapping.objects.filter(point__key="V2.1").count() == 1


def test_recommendations_in_every_state_with_their_histories(county):
    letters = list(Recommendation.objects.filter(committee=county).order_by("year", "seq"))
    assert len(letters) == 6
    assert {r.state for r in letters} == {S.CLOSED, S.ISSUED, S.SUBMITTED, S.DRAFT}
    today = _today()
    issued = [r for r in letters if r.state == S.ISSUED]
    overdue = [r for r in issued if r.response_due < today]
    assert len(overdue) == 1 and len(issued) == 2
    assert not overdue[0].addressees.exclude(responded_on=None).exists()
    for r in letters:
        steps = list(r.steps.order_by("at", "id"))
        reached = [s.to_state for s in steps if s.to_state != S.RETURNED]
        assert [s for i, s in enumerate(reached) if i == 0 or s != reached[i - 1]] == CHAIN[r.state], r.number
        for a, b in zip(steps, steps[1:], strict=False):
            assert a.to_state == b.from_state
        assert 3 <= r.items.count() <= 5
        assert list(r.items.values_list("seq", flat=True)) == list(range(1, r.items.count() + 1))
        assert r.problems.exists() and "共发现此类问题" in r.symptoms and r.causes
        assert r.addressees.exists()
        if r.issued_on:
            assert r.policy == deadlines.in_force(county, r.issued_on)
            assert r.response_due == deadlines.add_months(r.issued_on, r.policy.recommendation_response_months)
            assert r.approved_by.username == "leader"
        else:
            assert r.response_due is None and r.policy is None
    assert any(s.action == "return" for r in letters for s in r.steps.all())
    assert len({r.policy_id for r in letters if r.policy_id}) == 2  # before and after the policy changed
    numbers = [(r.year, r.seq) for r in letters]
    assert len(set(numbers)) == len(numbers)


def test_closed_recommendations_have_responses_and_systems(county):
    closed = Recommendation.objects.filter(committee=county, state=S.CLOSED)
    assert closed.count() == 2
    for r in closed:
        for addressee in r.addressees.all():
            assert addressee.response and addressee.responded_on and addressee.received_on
            assert 1 <= addressee.outcomes.count() <= 3
        assert r.addressees.count() >= 1
    titles = set(SystemOutcome.objects.values_list("title", "kind"))
    assert ("青崖县农村集体资产管理办法", "new") in titles
    assert ("惠民惠农补贴资金发放管理制度", "improved") in titles
    assert not SystemOutcome.objects.exclude(addressee__recommendation__state=S.CLOSED).exists()


def test_themed_recommendations_point_at_the_cluster_of_their_problems(county):
    themed = Recommendation.objects.filter(committee=county).exclude(cluster=None)
    assert themed.count() >= 5
    for r in themed:
        members = set(r.cluster.members.values_list("problem_id", flat=True))
        assert members & set(r.problems.values_list("pk", flat=True)), r.number
    assert Recommendation.objects.filter(addressees__organization__kind__code="township").exists()


def test_the_agriculture_receiver_sees_exactly_its_issued_letters(county):
    user = User.objects.get(username="receiver_agriculture")
    mine = RecommendationAddressee.objects.filter(organization__name="县农业农村局",
                                                  recommendation__state__in=[S.ISSUED, S.CLOSED])
    assert mine.count() == 2
    assert set(scope(user, RecommendationAddressee)) == set(mine)
    assert RecommendationAddressee.objects.filter(organization__name="县农业农村局",
                                                  recommendation__state=S.DRAFT).exists()
    assert set(scope(user, SystemOutcome)) == set(SystemOutcome.objects.filter(addressee__in=mine))
    assert not scope(user, Recommendation).exists()
    other = User.objects.get(username="receiver_discipline")
    assert not scope(other, RecommendationAddressee).exists()


def test_campaigns_started_from_recommendations(county):
    campaigns = list(Campaign.objects.filter(committee=county).order_by("started_on"))
    assert len(campaigns) == 3
    assert all(c.recommendation_id and c.lead_department_id for c in campaigns)
    closed = [c for c in campaigns if c.state == Campaign.State.CLOSED]
    active = [c for c in campaigns if c.state == Campaign.State.ACTIVE]
    assert len(closed) == 2 and len(active) == 1
    for c in closed:
        assert c.summary and not c.items.exclude(state=CampaignItem.State.DONE).exists()
        assert sum(i.money_recovered for i in c.items.all()) > 0
        assert all(i.result and i.completed_on and i.problems_fixed for i in c.items.all())
    items = active[0].items.all()
    assert items.filter(state=CampaignItem.State.OPEN).exists() and items.filter(state=CampaignItem.State.DONE).exists()
    assert not CampaignItem.objects.filter(state=CampaignItem.State.DONE, completed_on__gt=_today()).exists()


def test_it_prints_the_analytics_figures(built):
    assert "analytics:" in built and "detection:" in built and "recommendations: 6" in built
