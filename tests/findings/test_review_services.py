"""Peer review writes: rubrics, sampling, independent assignment, scoring, closing."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.findings.review_helpers import CONSOLE, full_marks, open_session, signed_papers
from xuncha.access import policy
from xuncha.access.models import AuditEvent
from xuncha.findings import services_review as services
from xuncha.findings.models import Review, ReviewSession, Rubric


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked as written (English); tests/test_translations.py checks the
    Chinese catalogue whole."""
    with translation.override("en"):
        yield


def _messages(exc) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


# -- rubrics ---------------------------------------------------------------------------------

def test_it_creates_the_default_rubric_once(world):
    rubric = services.rubric_default(actor=world.office_admin, committee=world.county)
    again = services.rubric_default(actor=world.leader, committee=world.county)
    assert rubric == again
    assert rubric.name == "四个准确"
    assert rubric.criteria == [{"name": "事实准确", "max": 25}, {"name": "定性准确", "max": 25},
                               {"name": "依据准确", "max": 25}, {"name": "表述准确", "max": 25}]


def test_only_the_office_creates_the_default_rubric(world):
    with pytest.raises(policy.PermissionDenied):
        services.rubric_default(actor=world.leader, committee=world.county)
    assert not Rubric.objects.exists()


@pytest.mark.parametrize("criteria, message", [
    ([], "at least one"),
    ([{"name": "", "max": 10}], "Criterion 1: the name is required"),
    ([{"name": "事实", "max": 10}, {"name": "事实", "max": 5}], "Criterion 2: “事实” appears twice"),
    ([{"name": "事实", "max": 0}], "Criterion 1: the maximum must be a whole number from 1 to 100"),
    ([{"name": "事实", "max": 101}], "from 1 to 100"),
    ([{"name": "事实", "max": "abc"}], "from 1 to 100"),
])
def test_it_refuses_bad_criteria_naming_the_row(world, criteria, message):
    with pytest.raises(ValidationError) as exc:
        services.rubric_create(actor=world.office_admin, committee=world.county, name="自定", criteria=criteria)
    assert message in _messages(exc)
    assert not Rubric.objects.exists()


def test_it_updates_a_rubric_without_touching_open_sessions(world, findings, make_paper):
    signed_papers(make_paper, findings)
    session = open_session(world)
    rubric = Rubric.objects.get()
    services.rubric_update(actor=world.office_staff, rubric=rubric, criteria=[{"name": "准确", "max": 100}])
    rubric.refresh_from_db()
    session.refresh_from_db()
    assert rubric.criteria == [{"name": "准确", "max": 100}]
    assert [c["name"] for c in session.criteria] == ["事实准确", "定性准确", "依据准确", "表述准确"]
    assert AuditEvent.objects.filter(action="rubric.update").exists()


# -- opening a session -----------------------------------------------------------------------

def test_it_samples_every_signed_or_registered_paper(world, findings, make_paper):
    g1, g2 = signed_papers(make_paper, findings)
    session = open_session(world, sample="all")
    assert set(session.reviews.values_list("paper_id", flat=True)) == {p.pk for p in g1 + g2}
    assert session.criteria[0] == {"name": "事实准确", "max": 25}
    assert AuditEvent.objects.filter(action="review_session.open", object_id=str(session.pk)).exists()


def test_random_sample_is_reproducible_and_counts_per_group(world, findings, make_paper):
    g1, g2 = signed_papers(make_paper, findings, n1=6, n2=3)
    session = open_session(world, sample="random", per_group=2, seed=12345)
    drawn = list(session.reviews.values_list("paper_id", flat=True))
    groups = Counter(session.reviews.values_list("paper__group__number", flat=True))
    assert groups == {1: 2, 2: 2}
    assert session.seed == 12345 and session.per_group == 2
    again = services.draw_sample(world.round, sample="random", per_group=2, seed=session.seed)
    assert sorted(p.pk for p in again) == sorted(drawn)
    everything = services.draw_sample(world.round, sample="random", per_group=10, seed=1)
    assert len(everything) == 9  # a group with fewer papers gives them all


def test_random_sample_stores_a_seed_when_none_is_given(world, findings, make_paper):
    signed_papers(make_paper, findings)
    session = open_session(world, sample="random", per_group=1)
    assert session.seed > 0
    again = services.draw_sample(world.round, sample="random", per_group=1, seed=session.seed)
    assert sorted(p.pk for p in again) == sorted(session.reviews.values_list("paper_id", flat=True))


def test_nobody_reviews_their_own_groups_papers_and_the_load_is_even(world, findings, make_paper):
    signed_papers(make_paper, findings, n1=4, n2=4)
    session = open_session(world, reviewers=[world.office_staff, world.group_member, world.group_leader,
                                             world.group_deputy])
    for review in session.reviews.select_related("paper"):
        if review.paper.group_id == world.group1.pk:
            assert review.reviewer not in (world.group_leader, world.group_deputy)
        else:
            assert review.reviewer != world.group_member
    load = Counter(session.reviews.values_list("reviewer_id", flat=True))
    assert sorted(load.values()) == [2, 2, 2, 2]


def test_it_refuses_when_a_paper_has_no_reviewer_outside_its_group(world, findings, make_paper):
    g1, _ = signed_papers(make_paper, findings, n1=1, n2=1)
    with pytest.raises(ValidationError) as exc:
        open_session(world, reviewers=[world.group_leader, world.group_deputy])
    assert f"No reviewer outside 第一巡察组 for paper {g1[0].number}" in _messages(exc)
    assert "第二巡察组" not in _messages(exc)
    assert not ReviewSession.objects.exists() and not Review.objects.exists()


def test_it_refuses_reviewers_who_are_not_of_the_round(world, findings, make_paper):
    signed_papers(make_paper, findings)
    with pytest.raises(ValidationError) as exc:
        open_session(world, reviewers=[world.office_staff, world.leader, world.unit_liaison])
    assert "reviewers" in exc.value.message_dict
    assert "leader" in _messages(exc) and "unit_liaison" in _messages(exc)


def test_it_refuses_bad_sessions_naming_the_field(world, findings, make_paper):
    with pytest.raises(ValidationError) as exc:
        open_session(world, sample="random", per_group=None, title=" ")
    assert set(exc.value.message_dict) == {"title", "per_group"}
    with pytest.raises(ValidationError) as exc:
        open_session(world)
    assert "no signed or registered paper" in _messages(exc)


@pytest.mark.parametrize("role", ["leader", "group_leader", "group_member", "supervisor", "unit_liaison"])
def test_only_the_office_opens_a_session(world, findings, make_paper, role):
    signed_papers(make_paper, findings)
    with pytest.raises(policy.PermissionDenied):
        open_session(world, actor=world.users[role])


# -- reassigning -----------------------------------------------------------------------------

def test_reassigning_to_a_member_of_the_papers_group_is_refused(world, findings, make_paper):
    g1, _ = signed_papers(make_paper, findings)
    session = open_session(world)
    review = session.reviews.get(paper=g1[0])
    for insider in (world.group_leader, world.group_deputy):
        with pytest.raises(ValidationError) as exc:
            services.review_reassign(actor=world.office_admin, review=review, reviewer=insider)
        assert "may not review its paper" in _messages(exc)
    review.refresh_from_db()
    assert review.reviewer not in (world.group_leader, world.group_deputy)
    services.review_reassign(actor=world.office_admin, review=review, reviewer=world.office_admin)
    review.refresh_from_db()
    assert review.reviewer == world.office_admin


def test_only_the_office_reassigns(world, findings, make_paper):
    signed_papers(make_paper, findings)
    session = open_session(world)
    review = session.reviews.filter(reviewer=world.group_member).first()
    with pytest.raises(policy.PermissionDenied):
        services.review_reassign(actor=world.group_member, review=review, reviewer=world.office_admin)


# -- submitting ------------------------------------------------------------------------------

def _review_of(session, user):
    return session.reviews.filter(reviewer=user).select_related("paper").first()


def test_the_reviewer_submits_and_the_total_is_computed(world, findings, make_paper):
    signed_papers(make_paper, findings)
    session = open_session(world)
    review = _review_of(session, world.group_member)
    services.review_submit(actor=world.group_member, review=review,
                           scores={"事实准确": 20, "定性准确": 22.5, "依据准确": 14, "表述准确": 25},
                           comments={"依据准确": "未引用具体条款"}, defects=["basis_missing", "wording"])
    review.refresh_from_db()
    assert str(review.total) == "81.5"
    assert review.scores["定性准确"] == 22.5 and review.done
    assert review.comments == {"依据准确": "未引用具体条款"}
    assert review.defects == ["basis_missing", "wording"]


@pytest.mark.parametrize("scores, key, text", [
    ({"事实准确": 26, "定性准确": 20, "依据准确": 20, "表述准确": 20}, "scores.事实准确", "事实准确: the score must be from 0 to 25"),
    ({"事实准确": -1, "定性准确": 20, "依据准确": 20, "表述准确": 20}, "scores.事实准确", "from 0 to 25"),
    ({"事实准确": 20, "定性准确": 20, "依据准确": 20}, "scores.表述准确", "表述准确: give a score"),
    ({"事实准确": 20, "定性准确": 20, "依据准确": 20, "表述准确": 10}, "comments.表述准确", "表述准确: say why"),
    ({"事实准确": 20.25, "定性准确": 20, "依据准确": 20, "表述准确": 20}, "scores.事实准确", "one decimal"),
])
def test_bad_scores_are_refused_naming_the_criterion(world, findings, make_paper, scores, key, text):
    signed_papers(make_paper, findings)
    session = open_session(world)
    review = _review_of(session, world.group_member)
    with pytest.raises(ValidationError) as exc:
        services.review_submit(actor=world.group_member, review=review, scores=scores)
    assert key in exc.value.message_dict
    assert text in _messages(exc)
    review.refresh_from_db()
    assert not review.done and review.total is None


def test_unknown_defects_are_refused(world, findings, make_paper):
    signed_papers(make_paper, findings)
    session = open_session(world)
    review = _review_of(session, world.group_member)
    with pytest.raises(ValidationError) as exc:
        services.review_submit(actor=world.group_member, review=review, scores=full_marks(session),
                               defects=["nonsense"])
    assert "defects" in exc.value.message_dict


@pytest.mark.parametrize("role", ["office_admin", "group_leader", "group_deputy", "leader", "office_staff"])
def test_only_the_assigned_reviewer_submits(world, findings, make_paper, role):
    signed_papers(make_paper, findings)
    session = open_session(world)
    review = _review_of(session, world.group_member)
    with pytest.raises(policy.PermissionDenied):
        services.review_submit(actor=world.users[role], review=review, scores=full_marks(session))
    review.refresh_from_db()
    assert not review.done


def test_a_closed_session_refuses_submissions(world, findings, make_paper):
    signed_papers(make_paper, findings)
    session = open_session(world)
    review = _review_of(session, world.group_member)
    services.session_close(actor=world.office_admin, session=session, force=True)
    with pytest.raises(ValidationError) as exc:
        services.review_submit(actor=world.group_member, review=review, scores=full_marks(session))
    assert "closed" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        services.review_reassign(actor=world.office_admin, review=review, reviewer=world.office_admin)


# -- closing ---------------------------------------------------------------------------------

def test_closing_with_unsubmitted_reviews_is_refused_unless_forced(world, findings, make_paper):
    g1, g2 = signed_papers(make_paper, findings, n1=1, n2=1)
    session = open_session(world)
    with pytest.raises(ValidationError) as exc:
        services.session_close(actor=world.office_admin, session=session)
    assert g1[0].number in _messages(exc) and g2[0].number in _messages(exc)
    session.refresh_from_db()
    assert session.state == "open"
    for review in session.reviews.all():
        services.review_submit(actor=review.reviewer, review=review, scores=full_marks(session))
    services.session_close(actor=world.office_admin, session=session)
    session.refresh_from_db()
    assert session.state == "closed" and session.closed_at
    with pytest.raises(ValidationError):
        services.session_close(actor=world.office_admin, session=session)


def test_only_the_office_closes(world, findings, make_paper):
    signed_papers(make_paper, findings)
    session = open_session(world)
    with pytest.raises(policy.PermissionDenied):
        services.session_close(actor=world.leader, session=session, force=True)


def test_console_may_open_for_the_demo(world, findings, make_paper):
    signed_papers(make_paper, findings)
    session = open_session(world, actor=CONSOLE)
    assert session.opened_by is None
