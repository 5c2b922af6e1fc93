"""Peer review pages: who opens what (404 out of scope, 403 without the right), writes by POST
only, the reviewer's form, a group's scores without the reviewer's name, query counts."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from tests.findings.review_helpers import full_marks, open_session, signed_papers
from xuncha.access.policy import scope
from xuncha.findings import services_review as services
from xuncha.findings.models import Review, ReviewSession, Rubric, WorkingPaper


@pytest.fixture(autouse=True)
def _english(client, settings):
    """These tests read the messages as written (English, the switch the pages offer); the
    Chinese catalogue is checked whole by tests/test_translations.py."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def session(world, findings, make_paper):
    signed_papers(make_paper, findings)
    return open_session(world)


def _html(response) -> str:
    return response.content.decode()


# -- sessions --------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["office_admin", "office_staff", "leader", "group_leader", "group_member"])
def test_the_session_pages_open_for_the_committee(client, world, session, role):
    client.force_login(world.users[role])
    assert client.get(reverse("findings:review_sessions")).status_code == 200
    assert client.get(reverse("findings:review_session", args=[session.pk])).status_code == 200


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "outsider", "sysadmin", "auditor"])
def test_other_roles_get_403_on_the_list_and_404_on_a_session(client, world, session, role):
    client.force_login(world.users[role])
    assert client.get(reverse("findings:review_sessions")).status_code == 403
    assert client.get(reverse("findings:review_session", args=[session.pk])).status_code == 404


def test_the_superior_office_does_not_see_a_lower_committees_sessions(client, world, session):
    client.force_login(world.supervisor)
    assert client.get(reverse("findings:review_session", args=[session.pk])).status_code == 404


@pytest.mark.parametrize("role", ["leader", "group_leader", "group_member"])
def test_only_the_office_may_open_a_session(client, world, session, role):
    client.force_login(world.users[role])
    assert client.get(reverse("findings:review_session_open")).status_code == 403
    assert client.post(reverse("findings:review_session_close", args=[session.pk]), {"force": "1"}).status_code == 403


def test_the_office_opens_a_session_from_the_form(client, world, findings, make_paper):
    g1, g2 = signed_papers(make_paper, findings)
    client.force_login(world.office_admin)
    url = reverse("findings:review_session_open")
    page = client.get(url)
    assert page.status_code == 200
    assert "group_member" in _html(page)  # eligible reviewers of the round are offered
    response = client.post(url, {"round": world.round.pk, "title": "交叉评查", "rubric": "", "sample": "all",
                                 "reviewers": [world.office_staff.pk, world.group_member.pk]})
    session = ReviewSession.objects.get()
    assert response.status_code == 302 and response.url == reverse("findings:review_session", args=[session.pk])
    assert session.reviews.count() == len(g1) + len(g2)
    assert Rubric.objects.filter(name="四个准确").exists()


def test_the_form_shows_the_refusal_when_a_group_has_no_reviewer(client, world, findings, make_paper):
    signed_papers(make_paper, findings)
    client.force_login(world.office_admin)
    response = client.post(reverse("findings:review_session_open"), {
        "round": world.round.pk, "title": "交叉评查", "sample": "all", "reviewers": [world.group_member.pk]})
    assert response.status_code == 200
    assert "No reviewer outside 第二巡察组" in _html(response)
    assert not ReviewSession.objects.exists()


def test_writes_are_post_only(client, world, session):
    client.force_login(world.office_admin)
    review = session.reviews.first()
    assert client.get(reverse("findings:review_session_close", args=[session.pk])).status_code == 405
    assert client.get(reverse("findings:review_reassign", args=[review.pk])).status_code == 405
    assert client.get(reverse("findings:review_rubric_default")).status_code == 405


def test_the_office_reassigns_but_never_to_the_papers_group(client, world, session):
    client.force_login(world.office_admin)
    review = session.reviews.filter(paper__group=world.group1).first()
    url = reverse("findings:review_reassign", args=[review.pk])
    response = client.post(url, {"reviewer": world.group_leader.pk}, follow=True)
    assert "may not review its paper" in _html(response)
    review.refresh_from_db()
    assert review.reviewer != world.group_leader
    client.post(url, {"reviewer": world.office_admin.pk})
    review.refresh_from_db()
    assert review.reviewer == world.office_admin


def test_a_reviewer_may_not_reassign(client, world, session):
    review = session.reviews.filter(reviewer=world.group_member).first()
    client.force_login(world.group_member)
    assert client.post(reverse("findings:review_reassign", args=[review.pk]),
                       {"reviewer": world.office_admin.pk}).status_code == 404


def test_closing_refuses_with_the_pending_papers_then_closes_when_forced(client, world, session):
    client.force_login(world.office_admin)
    url = reverse("findings:review_session_close", args=[session.pk])
    response = client.post(url, follow=True)
    assert "are not submitted yet" in _html(response)
    client.post(url, {"force": "1"})
    session.refresh_from_db()
    assert session.state == "closed"


def test_the_group_sees_its_scores_but_not_the_reviewer(client, world, session):
    for review in session.reviews.select_related("reviewer"):
        services.review_submit(actor=review.reviewer, review=review, scores=full_marks(session),
                               comments={"事实准确": f"评语{review.paper.number}"})
    client.force_login(world.group_member)  # group 2
    html = _html(client.get(reverse("findings:review_session", args=[session.pk])))
    mine = session.reviews.filter(paper__group=world.group2)
    others = session.reviews.filter(paper__group=world.group1)
    for review in mine:
        assert f"评语{review.paper.number}" in html
    for review in others:
        assert review.paper.number not in html
    assert 'data-review' in html and "Reassign" not in html
    for name in ("office_staff", "group_leader"):
        assert f">{name}<" not in html
    ours = _html(client.get(reverse("findings:our_scores")))
    assert all(f"评语{r.paper.number}" in ours for r in mine)
    assert not any(r.paper.number in ours for r in others)
    client.force_login(world.office_admin)
    assert "office_staff" in _html(client.get(reverse("findings:review_session", args=[session.pk])))


def test_the_session_page_keeps_its_query_count(client, world, findings, make_paper,
                                                django_assert_max_num_queries):
    signed_papers(make_paper, findings, n1=8, n2=8)
    session = open_session(world)
    for review in session.reviews.select_related("reviewer")[:10]:
        services.review_submit(actor=review.reviewer, review=review, scores=full_marks(session),
                               defects=["wording"])
    client.force_login(world.office_admin)
    url = reverse("findings:review_session", args=[session.pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


# -- the reviewer ----------------------------------------------------------------------------

def test_the_inbox_lists_the_reviews_given_and_keeps_its_query_count(client, world, findings, make_paper,
                                                                     django_assert_max_num_queries):
    signed_papers(make_paper, findings, n1=10, n2=2)
    open_session(world, reviewers=[world.group_member, world.group_leader])
    client.force_login(world.group_member)
    url = reverse("findings:my_reviews")
    client.get(url)
    with django_assert_max_num_queries(8):
        html = _html(client.get(url))
    for review in Review.objects.filter(reviewer=world.group_member):
        assert review.paper.number in html
    assert Review.objects.filter(reviewer=world.group_member).count() == 10


@pytest.mark.parametrize("role", ["unit_liaison", "leader", "outsider"])
def test_the_inbox_is_403_for_roles_that_never_review(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("findings:my_reviews")).status_code == 403


def test_the_reviewer_reads_the_paper_and_submits(client, world, session):
    review = session.reviews.filter(reviewer=world.group_member).select_related("paper").first()
    client.force_login(world.group_member)
    url = reverse("findings:review_form", args=[review.pk])
    page = client.get(url)
    assert page.status_code == 200 and review.paper.facts in _html(page)
    data = {"score_0": "25", "score_1": "10", "score_2": "20", "score_3": "20", "comment_1": "",
            "defects": ["wording"]}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "定性准确: say why" in _html(refused)
    data["comment_1"] = "定性偏重"
    assert client.post(url, data).status_code == 302
    review.refresh_from_db()
    assert review.done and str(review.total) == "75.0" and review.comments == {"定性准确": "定性偏重"}


def test_scores_out_of_range_are_refused_on_the_form(client, world, session):
    review = session.reviews.filter(reviewer=world.group_member).first()
    client.force_login(world.group_member)
    response = client.post(reverse("findings:review_form", args=[review.pk]),
                           {"score_0": "30", "score_1": "20", "score_2": "20", "score_3": "20"})
    assert response.status_code == 200 and "is-invalid" in _html(response)
    review.refresh_from_db()
    assert not review.done


def test_the_reviewer_reaches_only_the_paper_under_review(client, world, findings, make_paper):
    g1, _ = signed_papers(make_paper, findings, n1=3, n2=1)
    session = open_session(world, sample="random", per_group=1, seed=7,
                           reviewers=[world.group_member, world.group_leader])
    review = session.reviews.get(paper__group=world.group1)
    assert review.reviewer == world.group_member
    other_papers = [p for p in g1 if p.pk != review.paper_id]
    client.force_login(world.group_member)
    assert client.get(reverse("findings:review_form", args=[review.pk])).status_code == 200
    # the paper's own rules still hide group 1's papers from a member of group 2
    visible = scope(world.group_member, WorkingPaper)
    assert not visible.filter(pk__in=[p.pk for p in g1]).exists()
    try:
        detail = reverse("findings:paper_detail", args=[other_papers[0].pk])
    except NoReverseMatch:
        detail = None
    if detail:
        assert client.get(detail).status_code == 404
    # nor another reviewer's review of this session
    foreign = session.reviews.exclude(reviewer=world.group_member).first()
    assert client.get(reverse("findings:review_form", args=[foreign.pk])).status_code == 404


def test_the_office_gets_404_on_a_review_form_not_given_to_it(client, world, session):
    review = session.reviews.filter(reviewer=world.group_member).first()
    client.force_login(world.office_admin)
    assert client.get(reverse("findings:review_form", args=[review.pk])).status_code == 404


def test_a_closed_session_refuses_the_form(client, world, session):
    review = session.reviews.filter(reviewer=world.group_member).first()
    services.session_close(actor=world.office_admin, session=session, force=True)
    client.force_login(world.group_member)
    url = reverse("findings:review_form", args=[review.pk])
    response = client.post(url, {f"score_{i}": "20" for i in range(4)})
    assert response.status_code == 200 and "closed" in _html(response)
    review.refresh_from_db()
    assert not review.done


# -- rubrics ---------------------------------------------------------------------------------

def test_the_office_edits_a_rubric(client, world):
    client.force_login(world.office_admin)
    assert client.post(reverse("findings:review_rubric_default")).status_code == 302
    rubric = Rubric.objects.get()
    url = reverse("findings:review_rubric_edit", args=[rubric.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"name": "四个准确", "criteria": "事实准确 25\n事实准确 25", "active": "on"})
    assert "appears twice" in _html(bad)
    client.post(url, {"name": "四个准确", "criteria": "事实准确 40\n定性准确 30\n表述准确 30", "active": "on"})
    rubric.refresh_from_db()
    assert rubric.criteria == [{"name": "事实准确", "max": 40}, {"name": "定性准确", "max": 30},
                               {"name": "表述准确", "max": 30}]


def test_the_leader_reads_rubrics_but_may_not_edit(client, world):
    rubric = services.rubric_default(actor=world.office_admin, committee=world.county)
    client.force_login(world.leader)
    assert client.get(reverse("findings:review_rubrics")).status_code == 200
    assert client.get(reverse("findings:review_rubric_edit", args=[rubric.pk])).status_code == 403
    assert client.get(reverse("findings:review_rubric_create")).status_code == 403
    client.force_login(world.group_member)
    assert client.get(reverse("findings:review_rubrics")).status_code == 403
    assert client.get(reverse("findings:review_rubric_edit", args=[rubric.pk])).status_code == 404
