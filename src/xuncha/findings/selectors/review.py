"""Reads of peer review (底稿评查): sessions, assignments, the reviewer's inbox, results.

A reviewer reaches the paper under review only through their Review (scope(user, Review)
and then review.paper), never through the paper's own rules. Results are computed by the
database; a group sees its own papers' scores and comments, never who gave them; the office
sees everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, FloatField, Max, Min, Prefetch, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.http import Http404

from xuncha.access import policy
from xuncha.access.policy import CHANGE, VIEW, can, scope
from xuncha.access.roles import GROUP_ROLES, Role
from xuncha.findings.models import Defect, Review, ReviewSession, Rubric
from xuncha.rounds.models import Group, GroupMember

# Shares of the maximum total: the distribution's bands, best first.
BANDS = [(Decimal("0.9"), None), (Decimal("0.8"), Decimal("0.9")), (Decimal("0.7"), Decimal("0.8")),
         (Decimal("0.6"), Decimal("0.7")), (None, Decimal("0.6"))]


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# -- who sees what ---------------------------------------------------------------------------

def own_group_ids(user) -> set[int]:
    """The inspection groups the user serves in (from the request's cached assignments)."""
    return {a.group_id for a in policy.assignments(user) if a.role in GROUP_ROLES and a.group_id}


def sees_reviewers(user, session: ReviewSession) -> bool:
    """Only the office, which assigns reviewers, sees who reviewed which paper."""
    return can(user, CHANGE, session)


def sees_all_groups(user, session: ReviewSession) -> bool:
    """The office and the leading group read every group's results of their committee."""
    committee = session.round.committee_id
    return any(a.role in (Role.LEADER, Role.OFFICE_ADMIN, Role.OFFICE_STAFF) and a.committee_id == committee
               for a in policy.assignments(user))


# -- sessions --------------------------------------------------------------------------------

def sessions_for(user) -> QuerySet[ReviewSession]:
    return (scope(user, ReviewSession, VIEW).select_related("round__term")
            .annotate(n_reviews=Count("reviews"), n_done=Count("reviews", filter=Q(reviews__submitted_at__isnull=False)))
            .order_by("-opened_at", "-id"))


def get_session_for_user(user, pk) -> ReviewSession:
    return _get(scope(user, ReviewSession, VIEW).select_related("round__term", "round__committee", "opened_by"), pk)


def session_reviews(user, session: ReviewSession) -> QuerySet[Review]:
    """The session's reviews the user may read as results: all of them for the office and the
    leading group, the reviews of their own group's papers for a group (not the ones they give)."""
    qs = scope(user, Review, VIEW).filter(session=session)
    if not sees_all_groups(user, session):
        qs = qs.filter(paper__group_id__in=own_group_ids(user))
    return qs


def assignments_table(user, session: ReviewSession) -> QuerySet[Review]:
    return (session_reviews(user, session)
            .select_related("paper__group", "paper__assignment__organization", "reviewer")
            .order_by("paper__group__number", "paper__seq"))


def progress(session: ReviewSession) -> dict:
    """How far the whole session has come (counts only; nothing confidential)."""
    figures = session.reviews.aggregate(total=Count("pk"), done=Count("pk", filter=Q(submitted_at__isnull=False)))
    figures["percent"] = round(100 * figures["done"] / figures["total"]) if figures["total"] else 0
    return figures


# -- results ---------------------------------------------------------------------------------

@dataclass
class Results:
    criteria: list[dict]
    max_total: int
    overall: dict
    by_group: list[dict] = field(default_factory=list)
    by_author: list[dict] = field(default_factory=list)
    defects: list[dict] = field(default_factory=list)
    distribution: list[dict] = field(default_factory=list)


def _criterion_averages(criteria: list[dict]) -> dict:
    return {f"c{i}": Avg(Cast(KeyTextTransform(c["name"], "scores"), FloatField()))
            for i, c in enumerate(criteria)}


def _rounded(row: dict, criteria: list[dict]) -> dict:
    row["average"] = None if row.get("average") is None else round(float(row["average"]), 1)
    row["criteria"] = [None if row.get(f"c{i}") is None else round(float(row[f"c{i}"]), 1)
                       for i in range(len(criteria))]
    return row


def results(reviews: QuerySet[Review], session: ReviewSession) -> Results:
    """Averages of the submitted reviews in `reviews` (already scoped): overall, by group, by
    author (names in 姓氏笔画 order), the defects with their counts (most common first) and the
    distribution of totals over bands of the maximum."""
    criteria = list(session.criteria)
    max_total = sum(int(c["max"]) for c in criteria)
    done = reviews.filter(submitted_at__isnull=False).order_by()
    averages = _criterion_averages(criteria)
    overall = _rounded(done.aggregate(n=Count("pk"), average=Avg("total"), highest=Max("total"), lowest=Min("total"),
                                      **averages), criteria)
    by_group = [_rounded(row, criteria) for row in (
        done.values("paper__group_id", group_number=F("paper__group__number"))
        .annotate(n=Count("pk"), average=Avg("total"), **averages).order_by("group_number"))]
    by_author = [_rounded(row, criteria) for row in (
        done.filter(paper__authors__isnull=False)
        .values(member_id=F("paper__authors__id"), name=F("paper__authors__person__name"),
                stroke_key=F("paper__authors__person__stroke_key"), group_number=F("paper__authors__group__number"))
        .annotate(n=Count("pk"), average=Avg("total"), **averages)
        .order_by("stroke_key", "name", "member_id"))]
    counts = done.aggregate(**{code: Count("pk", filter=Q(defects__icontains=f'"{code}"')) for code in Defect.values})
    defects = sorted(({"code": code, "label": Defect(code).label, "n": n} for code, n in counts.items() if n),
                     key=lambda d: (-d["n"], Defect.values.index(d["code"])))
    distribution = _distribution(done, max_total)
    for row in (*by_group, *by_author):
        row["group_name"] = Group(number=row["group_number"]).name  # 第一巡察组
    return Results(criteria=criteria, max_total=max_total, overall=overall, by_group=by_group, by_author=by_author,
                   defects=defects, distribution=distribution)


def _distribution(done: QuerySet[Review], max_total: int) -> list[dict]:
    bands = []
    for i, (low, high) in enumerate(BANDS):
        q = Q()
        if low is not None:
            q &= Q(total__gte=low * max_total)
        if high is not None:
            q &= Q(total__lt=high * max_total)
        bands.append((f"b{i}", q, low, high))
    counts = done.aggregate(**{key: Count("pk", filter=q) for key, q, _, _ in bands})
    return [{"low": None if low is None else int(low * 100), "high": None if high is None else int(high * 100),
             "n": counts[key]} for key, _, low, high in bands]


# -- the reviewer ----------------------------------------------------------------------------

def my_reviews(user, *, pending: bool | None = None) -> QuerySet[Review]:
    """The reviews given to the user, open sessions first."""
    qs = (scope(user, Review, VIEW).filter(reviewer_id=user.pk)
          .select_related("session__round__term", "paper__group", "paper__assignment__organization")
          .order_by("-session__state", "submitted_at", "-session__opened_at", "paper__group__number", "paper__seq"))
    if pending is True:
        qs = qs.filter(submitted_at__isnull=True, session__state=ReviewSession.State.OPEN)
    return qs


def pending_count(user) -> int:
    return my_reviews(user, pending=True).count()


def get_review_for_reviewer(user, pk) -> Review:
    """A review given to the user, with the paper under review (read through the review)."""
    authors = GroupMember.objects.select_related("person").order_by("person__stroke_key", "person__name")
    qs = (scope(user, Review, VIEW).filter(reviewer_id=user.pk)
          .select_related("session__round__term", "paper__group__round__term", "paper__assignment__organization",
                          "paper__classification")
          .prefetch_related(Prefetch("paper__authors", queryset=authors)))
    return _get(qs, pk)


def get_review_for_office(user, pk) -> Review:
    """A review the user may reassign (the office of its committee)."""
    review = _get(scope(user, Review, VIEW).select_related("session__round", "paper__group", "reviewer"), pk)
    if not can(user, CHANGE, review.session):
        raise Http404
    return review


# -- a group's own scores --------------------------------------------------------------------

def our_reviews(user) -> QuerySet[Review]:
    """Submitted reviews of the papers of the user's own groups (no reviewer)."""
    return (scope(user, Review, VIEW).filter(paper__group_id__in=own_group_ids(user), submitted_at__isnull=False)
            .select_related("session", "paper__group", "paper__assignment__organization")
            .order_by("-session__opened_at", "paper__group__number", "paper__seq"))


# -- rubrics ---------------------------------------------------------------------------------

def rubrics_for(user) -> QuerySet[Rubric]:
    return scope(user, Rubric, VIEW).select_related("committee").order_by("committee__path", "-active", "name")


def get_rubric_for_user(user, pk) -> Rubric:
    return _get(scope(user, Rubric, VIEW).select_related("committee"), pk)


# -- what the office may pick ----------------------------------------------------------------

def office_committee_ids(user) -> set[int]:
    return {a.committee_id for a in policy.assignments(user)
            if a.role in (Role.OFFICE_ADMIN, Role.OFFICE_STAFF) and a.committee_id}


def rounds_to_review(user):
    """Rounds of the committees whose office the user is, latest first."""
    from xuncha.rounds.models import Round

    return (scope(user, Round, VIEW).filter(committee_id__in=office_committee_ids(user))
            .select_related("term").order_by("-term__start_date", "-number"))


def rubrics_to_use(user) -> QuerySet[Rubric]:
    return rubrics_for(user).filter(committee_id__in=office_committee_ids(user), active=True)


def reviewers_for(rnd):
    """Accounts the office may pick as reviewers of the round (none without a round)."""
    from xuncha.access.models import User
    from xuncha.findings.services_review import eligible_reviewers

    return User.objects.none() if rnd is None else eligible_reviewers(rnd)
