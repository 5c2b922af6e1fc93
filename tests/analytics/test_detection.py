"""The detection job: planted recurrences found and explained, persistent after rectification,
common clusters at and below k, incremental runs equal to full runs, edited problems re-matched,
cluster identity kept across rebuilds."""

from __future__ import annotations

from datetime import date

import pytest

from tests.analytics.clusters_helpers import add_problem, county_fixture, rectify  # noqa: F401 - fixtures
from xuncha.analytics import detection
from xuncha.analytics.detection_explain import explain_problems
from xuncha.analytics.models import (
    Cluster,
    ClusterMember,
    DetectionSettings,
    ProblemFingerprint,
    ProblemMatch,
)
from xuncha.findings.models import Problem
from xuncha.rounds.models import Round
from xuncha.text import neardup

Relation = ProblemMatch.Relation


def pairs(committee) -> dict[tuple[int, int], tuple[str, float]]:
    return {(m.problem_id, m.earlier_id): (m.relation, m.similarity)
            for m in ProblemMatch.objects.filter(problem__round__committee=committee)}


def clusters(committee) -> dict[int, tuple]:
    return {c.key: (c.term_id, c.organization_count, c.problem_count, c.round_count,
                    sorted(c.members.values_list("problem_id", flat=True)))
            for c in Cluster.objects.filter(committee=committee)}


def test_planted_recurrence_is_found_and_explained(county):
    result = detection.detect(county.world.county)
    assert result.fingerprinted == result.problems == Problem.objects.count()
    match = ProblemMatch.objects.get(problem=county.late, earlier=county.early)
    assert match.relation == Relation.RECURRING
    assert match.similarity >= 0.6
    explained = explain_problems(match.problem, match.earlier)
    assert explained.phrases and any("坐收坐支" in p for p in explained.phrases)
    assert abs(explained.similarity - match.similarity) < 1e-3
    # The marks fall on the shared words of each original text; words only one has stay unmarked.
    assert "<mark>" in explained.a.title and "<mark>" in explained.b.description
    found = neardup.explain(detection.problem_text(county.late.title, county.late.description),
                            detection.problem_text(county.early.title, county.early.description))
    late_text = detection.problem_text(county.late.title, county.late.description)
    marked = "".join(late_text[a:b] for a, b in found.spans_a)
    assert "坐收坐支" in marked and "鱼塘" not in marked
    assert all(0 <= a < b <= len(late_text) for a, b in found.spans_a)
    assert "鱼塘" in explained.a.description and "<mark>鱼塘" not in explained.a.description


def test_recurring_after_rectification_is_persistent(county):
    task = rectify(county.early)
    detection.detect(county.world.county)
    assert ProblemMatch.objects.get(problem=county.late, earlier=county.early).relation == Relation.RECURRING_AFTER_CLOSURE
    # Reopened: recurring again on the next run, without refingerprinting anything.
    task.state, task.closed_at = task.State.OPEN, None
    task.save()
    result = detection.detect(county.world.county)
    assert result.fingerprinted == 0 and result.relations == 1
    assert ProblemMatch.objects.get(problem=county.late, earlier=county.early).relation == Relation.RECURRING


def test_an_open_task_is_not_rectified(county):
    rectify(county.early)
    rectify(county.early, closed=False)
    detection.detect(county.world.county)
    assert ProblemMatch.objects.get(problem=county.late, earlier=county.early).relation == Relation.RECURRING


def test_relations_of_other_pairs(county):
    detection.detect(county.world.county)
    found = pairs(county.world.county)
    a, b, *_ = county.common
    later, earlier = (b, a) if b.pk > a.pk else (a, b)
    assert found[(later.pk, earlier.pk)][0] == Relation.SAME_ROUND
    # A later round's problem of another organization: other_org.
    other = add_problem(county.round3, county.villages[4], "惠农补贴发放不及时", "耕地地力保护补贴延迟6个月才发放到农户。",
                        county.items["C1.2.1"])
    detection.detect(county.world.county)
    found = pairs(county.world.county)
    assert found[(other.pk, county.common[0].pk)][0] == Relation.OTHER_ORGANIZATION  # 河口村 and 西门村
    assert found[(other.pk, county.common[3].pk)][0] == Relation.RECURRING  # 河口村 in the round before
    # The later of a pair is always `problem`: the new round's one.
    assert all(later == other.pk for later, earlier in found if other.pk in (later, earlier))


def test_leads_are_matched_but_never_clustered(county):
    detection.detect(county.world.county)
    assert ProblemMatch.objects.filter(problem=county.lead).exists() or \
        ProblemMatch.objects.filter(earlier=county.lead).exists()
    assert not ClusterMember.objects.filter(problem=county.lead).exists()


def test_common_cluster_at_and_below_k(county):
    result = detection.detect(county.world.county)
    found = clusters(county.world.county)
    common = found[min(p.pk for p in county.common)]
    assert common[:4] == (county.term1.pk, 4, 4, 1)
    assert common[4] == sorted(p.pk for p in county.common)
    pair = found[min(p.pk for p in county.pair)]
    assert pair[1] == 2
    # The recurrence is one organization: no cluster.
    assert not ClusterMember.objects.filter(problem__in=[county.early, county.late]).exists()
    assert result.clusters == len(found) == 2
    cluster = Cluster.objects.get(key=min(p.pk for p in county.common))
    assert cluster.point == county.items["C1.2"]
    assert cluster.amount == 1000 + 2000 + 3000 + 4000
    assert cluster.label in {t for t, _ in [(p.title, 0) for p in county.common]}


def test_clusters_stay_within_a_term(county):
    other = add_problem(county.round3, county.villages[4], "惠农补贴发放不及时", "耕地地力保护补贴延迟6个月才发放到农户。",
                        county.items["C1.2.1"])
    detection.detect(county.world.county)
    assert not ClusterMember.objects.filter(problem=other).exists()
    assert ProblemMatch.objects.filter(problem=other).count() >= 4


def test_incremental_run_touches_only_new_problems_and_equals_a_full_run(county, monkeypatch):
    committee = county.world.county
    detection.detect(committee)
    computed = []
    real = neardup.signatures
    monkeypatch.setattr(neardup, "signatures", lambda texts: computed.extend(texts) or real(texts))
    new = [add_problem(county.round3, county.villages[0], "村集体资金坐收坐支", "2025年收取的租金2万元未入账，直接用于开支。",
                       county.items["C1.1.1"]),
           add_problem(county.round3, county.villages[2], "惠农补贴发放不及时", "耕地地力保护补贴延迟6个月才发放到农户。",
                       county.items["C1.2.1"]),
           add_problem(county.round3, county.villages[3], "惠农补贴发放不及时", "耕地地力保护补贴延迟7个月才发放到农户。",
                       county.items["C1.2.1"])]
    result = detection.detect(committee)
    assert result.fingerprinted == result.matched == 3 and len(computed) == 3
    incremental, incremental_clusters = pairs(committee), clusters(committee)
    assert (new[0].pk, county.late.pk) in incremental and (new[0].pk, county.early.pk) in incremental
    assert incremental[(new[0].pk, county.early.pk)][0] == Relation.RECURRING
    computed.clear()
    full = detection.detect(committee, full=True)
    assert full.fingerprinted == Problem.objects.count() == len(computed)
    assert pairs(committee).keys() == incremental.keys()
    assert all(abs(pairs(committee)[k][1] - v[1]) < 1e-9 for k, v in incremental.items())
    assert clusters(committee) == incremental_clusters
    # The new term has its own common cluster of the two new villages.
    assert any(c[0] == county.term2.pk and c[1] == 2 for c in incremental_clusters.values())


def test_nothing_to_do_writes_nothing(county, django_assert_max_num_queries):
    detection.detect(county.world.county)
    with django_assert_max_num_queries(14):
        result = detection.detect(county.world.county)
    assert (result.fingerprinted, result.pairs, result.removed, result.clusters_written) == (0, 0, 0, 0)


def test_an_edited_problem_is_matched_again(county):
    committee = county.world.county
    detection.detect(committee)
    assert ProblemMatch.objects.filter(problem=county.late, earlier=county.early).exists()
    county.late.title, county.late.description = "党员发展程序不严格", "入党积极分子未经培训即被列为发展对象。"
    county.late.save()
    result = detection.detect(committee)
    assert result.fingerprinted == 1
    assert not ProblemMatch.objects.filter(problem=county.late, earlier=county.early).exists()
    assert ProblemMatch.objects.filter(problem=county.late, earlier=county.noise[1]).exists()
    assert ProblemFingerprint.objects.get(problem=county.late).text_hash == detection.text_hash(
        detection.problem_text(county.late.title, county.late.description))


def test_cluster_rows_keep_their_identity(county):
    committee = county.world.county
    detection.detect(committee)
    key = min(p.pk for p in county.common)
    row = Cluster.objects.get(key=key)
    # A fifth village joins: same row, updated counts.
    add_problem(county.round2, county.villages[0], "惠农补贴发放不及时", "2024年耕地地力保护补贴延迟3个月才发放到农户。",
                county.items["C1.2.1"])
    detection.detect(committee)
    row.refresh_from_db()
    assert (row.key, row.organization_count, row.problem_count) == (key, 5, 5)
    # The lowest member is edited away: the row is kept under the next lowest id.
    first = Problem.objects.get(pk=key)
    first.title, first.description = "村务监督委员会履职缺位", "村务监督委员会全年未对工程项目开展监督。"
    first.save()
    detection.detect(committee)
    row.refresh_from_db()
    assert row.key == sorted(p.pk for p in county.common)[1]
    assert row.problem_count == 4 and Cluster.objects.filter(committee=committee).count() == 2


def test_thresholds_come_from_the_settings(county, settings):
    committee = county.world.county
    settings.XUNCHA_MATCH_THRESHOLD = 0.95
    detection.detect(committee)
    assert not ProblemMatch.objects.filter(problem=county.late).exists()
    DetectionSettings.objects.create(committee=committee, threshold=0.6)
    detection.detect(committee, full=True)
    assert ProblemMatch.objects.filter(problem=county.late, earlier=county.early).exists()


def test_same_day_rounds_are_the_same_round(county):
    parallel = Round.objects.create(term=county.term1, number=3, planned_entry=county.round2.planned_entry,
                                    planned_exit=date(2024, 10, 31))
    twin = add_problem(parallel, county.villages[0], *("村集体资金坐收坐支", "2024年租金4万元未入账，直接用于开支。"),
                       county.items["C1.1.1"])
    detection.detect(county.world.county)
    match = ProblemMatch.objects.get(problem=twin, earlier=county.late)
    assert match.relation == Relation.SAME_ROUND


def test_progress_is_reported(county):
    seen = []
    result = detection.detect(county.world.county, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, result.fingerprinted) and seen[-1] == (result.fingerprinted, result.fingerprinted)


@pytest.mark.parametrize("full", [False, True])
def test_empty_committee(world, full):
    result = detection.detect(world.other, full=full)
    assert (result.problems, result.pairs, result.clusters) == (0, 0, 0)


def test_signatures_the_engine_no_longer_reads_are_recomputed(county):
    """After an engine upgrade that changes the signature's size, the next run fingerprints
    those problems again instead of failing."""
    committee = county.world.county
    detection.detect(committee)
    ProblemFingerprint.objects.filter(problem=county.late).update(signature=b"\0" * 8)
    result = detection.detect(committee)
    assert result.fingerprinted == 1
    assert len(bytes(ProblemFingerprint.objects.get(problem=county.late).signature)) == neardup.SIGNATURE_BYTES
    assert ProblemMatch.objects.filter(problem=county.late, earlier=county.early).exists()
