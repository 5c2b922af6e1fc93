"""Peer review of working papers (底稿评查) through the review services and the policy's scope.

Sessions: list, detail, open (the office), close (the office), results. A reviewer's own
reviews: list, one with the paper under review, submit. Missing and out-of-scope records
answer 404 alike; a write the role may not make answers 403; bad input 422 naming the field
(a score: "scores.<criterion>").
"""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router, Status

from xuncha.access.policy import CHANGE, CREATE, VIEW, require, scope
from xuncha.api.common import not_visible, page
from xuncha.api.reviews_schemas import (
    CloseIn,
    MyReviewDetail,
    MyReviewPage,
    ReassignIn,
    ResultsOut,
    ReviewIn,
    ReviewOut,
    SessionDetail,
    SessionFilters,
    SessionIn,
    SessionPage,
)
from xuncha.api.schemas import ErrorOut, PageParams, ValidationErrorOut
from xuncha.findings import services_review as services
from xuncha.findings.models import Review, ReviewSession, Rubric
from xuncha.findings.selectors import review as selectors
from xuncha.rounds.models import Round

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _session(user, pk: int) -> ReviewSession:
    session = selectors.sessions_for(user).filter(pk=pk).select_related("round__committee").first()
    if session is None:
        raise Http404
    return session


def _detail(user, pk: int) -> ReviewSession:
    session = _session(user, pk)
    session.show_reviewer = selectors.sees_reviewers(user, session)
    reviews = list(selectors.assignments_table(user, session))
    for review in reviews:
        review.show_reviewer = session.show_reviewer
    session.shown_reviews = reviews
    return session


@router.get("/sessions", response=SessionPage, summary="List review sessions")
def session_list(request, filters: Query[SessionFilters]):
    qs = selectors.sessions_for(request.auth)
    if filters.round:
        qs = qs.filter(round_id=filters.round)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return page(qs, filters)


@router.get("/sessions/{int:session_id}", response={200: SessionDetail, 404: ErrorOut},
            summary="One session, with the reviews you may read")
def session_detail(request, session_id: int):
    return _detail(request.auth, session_id)


@router.post("/sessions", response={201: SessionDetail, **WRITE_ERRORS},
             summary="Open a session over a sample of a round's signed papers")
def session_open(request, payload: SessionIn):
    user = request.auth
    rnd = scope(user, Round, VIEW).select_related("committee", "term").filter(pk=payload.round).first()
    if rnd is None:
        raise not_visible("round")
    require(user, CREATE, ReviewSession(round=rnd))  # before looking at the rest of the payload
    if payload.rubric is None:
        rubric = services.rubric_default(actor=user, committee=rnd.committee)
    else:
        rubric = scope(user, Rubric, VIEW).filter(pk=payload.rubric).first()
        if rubric is None:
            raise not_visible("rubric")
    reviewers = list(selectors.reviewers_for(rnd).filter(pk__in=payload.reviewers))
    if len(reviewers) != len(set(payload.reviewers)):
        raise not_visible("reviewers")
    order = {pk: i for i, pk in enumerate(payload.reviewers)}
    reviewers.sort(key=lambda u: order[u.pk])
    session = services.session_open(actor=user, round=rnd, title=payload.title, rubric=rubric,
                                    sample=payload.sample, per_group=payload.per_group, reviewers=reviewers,
                                    seed=payload.seed)
    return Status(201, _detail(user, session.pk))


@router.post("/sessions/{int:session_id}/close", response={200: SessionDetail, **WRITE_ERRORS},
             summary="Close a session")
def session_close(request, session_id: int, payload: CloseIn):
    user = request.auth
    session = _session(user, session_id)
    services.session_close(actor=user, session=session, force=payload.force)
    return _detail(user, session.pk)


@router.get("/sessions/{int:session_id}/results", response={200: ResultsOut, 404: ErrorOut},
            summary="Averages by group and author, defects, distribution")
def session_results(request, session_id: int):
    user = request.auth
    session = _session(user, session_id)
    res = selectors.results(selectors.session_reviews(user, session), session)
    return {
        "session": session.pk, "criteria": res.criteria, "max_total": res.max_total,
        "overall": res.overall,
        "by_group": [{**row, "group": row["paper__group_id"]} for row in res.by_group],
        "by_author": [{**row, "member": row["member_id"]} for row in res.by_author],
        "defects": res.defects, "distribution": res.distribution,
    }


@router.post("/assignments/{int:review_id}/reassign", response={200: ReviewOut, **WRITE_ERRORS},
             summary="Give an unsubmitted review to another reviewer (the office)")
def review_reassign(request, review_id: int, payload: ReassignIn):
    user = request.auth
    review = scope(user, Review, VIEW).select_related("session__round", "paper__group").filter(
        pk=review_id).first()
    if review is None:
        raise Http404
    require(user, CHANGE, review.session)
    reviewer = selectors.reviewers_for(review.session.round).filter(pk=payload.reviewer).first()
    if reviewer is None:
        raise not_visible("reviewer")
    review = services.review_reassign(actor=user, review=review, reviewer=reviewer)
    review.show_reviewer = True
    return review


# -- the reviewer ----------------------------------------------------------------------------

@router.get("/mine", response=MyReviewPage, summary="The reviews given to you")
def my_reviews(request, filters: Query[PageParams]):
    return page(selectors.my_reviews(request.auth), filters)


@router.get("/mine/{int:review_id}", response={200: MyReviewDetail, 404: ErrorOut},
            summary="One review given to you, with the paper under review")
def my_review(request, review_id: int):
    return selectors.get_review_for_reviewer(request.auth, review_id)


@router.post("/mine/{int:review_id}", response={200: MyReviewDetail, **WRITE_ERRORS},
             summary="Submit your scores, comments and defects")
def review_submit(request, review_id: int, payload: ReviewIn):
    user = request.auth
    review = selectors.get_review_for_reviewer(user, review_id)
    services.review_submit(actor=user, review=review, scores=payload.scores, comments=payload.comments,
                           defects=payload.defects)
    return selectors.get_review_for_reviewer(user, review_id)
