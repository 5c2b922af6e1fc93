"""Peer review results on a small hand-made set: exact figures, and who sees which."""

from __future__ import annotations

import pytest

from tests.findings.review_helpers import open_session, signed_papers
from xuncha.findings import services_review as services
from xuncha.findings.selectors import review as selectors


def _scores(a, b, c, d):
    return {"事实准确": a, "定性准确": b, "依据准确": c, "表述准确": d}


@pytest.fixture
def scored(world, findings, make_paper):
    """Group 1: papers A (20,20,20,20 = 80) and B (25,25,25,15 = 90); group 2: paper C
    (10,20,20,20 = 70, a comment). Authors: 赵刚 wrote A and B, 钱敏 wrote A, 孙丽 wrote C.
    Defects: A wording; B wording, basis_missing; C wording, facts_unclear."""
    g1, g2 = signed_papers(make_paper, findings, n1=2, n2=1)
    a, b = g1
    c = g2[0]
    a.authors.set([findings.members["group_leader"], findings.members["group_deputy"]])
    b.authors.set([findings.members["group_leader"]])
    c.authors.set([findings.members["group_member"]])
    session = open_session(world, reviewers=[world.office_staff])
    plan = {a.pk: (_scores(20, 20, 20, 20), {}, ["wording"]),
            b.pk: (_scores(25, 25, 25, 15), {}, ["wording", "basis_missing"]),
            c.pk: (_scores(10, 20, 20, 20), {"事实准确": "事实不清"}, ["facts_unclear", "wording"])}
    for review in session.reviews.all():
        scores, comments, defects = plan[review.paper_id]
        services.review_submit(actor=world.office_staff, review=review, scores=scores, comments=comments,
                               defects=defects)
    return session


def test_results_are_exact(world, scored):
    res = selectors.results(selectors.session_reviews(world.office_admin, scored), scored)
    assert res.max_total == 100
    assert res.overall["n"] == 3 and res.overall["average"] == 80.0
    assert res.overall["criteria"] == [18.3, 21.7, 21.7, 18.3]
    assert [(g["group_number"], g["n"], g["average"], g["criteria"]) for g in res.by_group] == [
        (1, 2, 85.0, [22.5, 22.5, 22.5, 17.5]), (2, 1, 70.0, [10.0, 20.0, 20.0, 20.0])]
    # 姓氏笔画: 孙 (6) before 赵 (9) before 钱 (10)
    assert [(a["name"], a["n"], a["average"]) for a in res.by_author] == [
        ("孙丽", 1, 70.0), ("赵刚", 2, 85.0), ("钱敏", 1, 80.0)]
    assert [(d["code"], d["n"]) for d in res.defects] == [("wording", 3), ("facts_unclear", 1), ("basis_missing", 1)]
    assert [(b["low"], b["high"], b["n"]) for b in res.distribution] == [
        (90, None, 1), (80, 90, 1), (70, 80, 1), (60, 70, 0), (None, 60, 0)]


def test_unsubmitted_reviews_count_in_no_result(world, findings, make_paper, scored):
    extra = make_paper(state="signed", target=findings.target2)
    session = open_session(world, reviewers=[world.office_staff], title="第二次")
    assert session.reviews.filter(paper=extra).exists()
    res = selectors.results(selectors.session_reviews(world.office_admin, session), session)
    assert res.overall["n"] == 0 and res.by_group == [] and res.defects == []


def test_a_group_sees_only_its_own_papers_results(world, scored):
    reviews = selectors.session_reviews(world.group_member, scored)
    assert {r.paper.group_id for r in reviews} == {world.group2.pk}
    res = selectors.results(reviews, scored)
    assert [g["group_number"] for g in res.by_group] == [2]
    assert [a["name"] for a in res.by_author] == ["孙丽"]
    assert not selectors.sees_reviewers(world.group_member, scored)
    assert selectors.sees_reviewers(world.office_admin, scored)


def test_a_reviewer_does_not_count_the_reviews_they_give_as_their_groups(world, findings, make_paper):
    signed_papers(make_paper, findings, n1=1, n2=0)
    session = open_session(world, reviewers=[world.group_member])
    assert session.reviews.filter(reviewer=world.group_member).count() == 1
    assert not selectors.session_reviews(world.group_member, session).exists()
    assert selectors.my_reviews(world.group_member).count() == 1


def test_the_leading_group_sees_every_group(world, scored):
    res = selectors.results(selectors.session_reviews(world.leader, scored), scored)
    assert [g["group_number"] for g in res.by_group] == [1, 2]
    assert not selectors.sees_reviewers(world.leader, scored)

