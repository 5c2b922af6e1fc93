"""Request and response shapes of the peer review API (底稿评查)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class Criterion(Schema):
    name: str
    max: int


class SessionFilters(PageParams):
    round: int | None = None
    state: str = Field("", description="open or closed.")


class SessionOut(Schema):
    id: int
    round: int
    round_label: str
    title: str
    sample: str
    per_group: int | None
    state: str
    criteria: list[Criterion]
    reviews: int = Field(..., description="Papers in the session.")
    submitted: int = Field(..., description="Reviews submitted.")
    opened_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_round(obj) -> int:
        return obj.round_id

    @staticmethod
    def resolve_round_label(obj) -> str:
        return obj.round.label

    @staticmethod
    def resolve_reviews(obj) -> int:
        return obj.n_reviews

    @staticmethod
    def resolve_submitted(obj) -> int:
        return obj.n_done


class SessionPage(Schema):
    count: int
    items: list[SessionOut]


class ReviewOut(Schema):
    id: int
    session: int
    paper: int
    paper_number: str
    paper_title: str
    group: int
    reviewer: int | None = Field(None, description="Shown to the office only.")
    scores: dict[str, float]
    comments: dict[str, str]
    defects: list[str]
    total: Decimal | None
    submitted_at: datetime | None

    @staticmethod
    def resolve_session(obj) -> int:
        return obj.session_id

    @staticmethod
    def resolve_paper(obj) -> int:
        return obj.paper_id

    @staticmethod
    def resolve_paper_number(obj) -> str:
        return obj.paper.number

    @staticmethod
    def resolve_paper_title(obj) -> str:
        return obj.paper.title

    @staticmethod
    def resolve_group(obj) -> int:
        return obj.paper.group_id

    @staticmethod
    def resolve_reviewer(obj) -> int | None:
        return obj.reviewer_id if getattr(obj, "show_reviewer", False) else None


class SessionDetail(SessionOut):
    seed: int | None = Field(None, description="The random draw's seed; shown to the office only.")
    items: list[ReviewOut] = Field(..., description="The reviews you may read: all for the office and the "
                                                    "leading group, your group's papers for a group.")

    @staticmethod
    def resolve_seed(obj) -> int | None:
        return obj.seed if getattr(obj, "show_reviewer", False) else None

    @staticmethod
    def resolve_items(obj):
        return obj.shown_reviews


class SessionIn(Payload):
    round: int
    title: str
    rubric: int | None = Field(None, description="Defaults to the committee's rubric 四个准确.")
    sample: str = Field("all", description="all, or random (per_group papers drawn in each group).")
    per_group: int | None = Field(None, ge=1, le=999)
    reviewers: list[int] = Field(..., description="Ids of the accounts to review.")
    seed: int | None = Field(None, ge=1, le=2**62, description="Seed of the random draw; chosen when left out.")


class CloseIn(Payload):
    force: bool = Field(False, description="Close even with reviews not submitted (they count in no result).")


class ReassignIn(Payload):
    reviewer: int


class PaperUnderReview(Schema):
    id: int
    number: str
    title: str
    target: str
    source: str
    facts: str
    informants: str
    learned_on: date | None
    place: str
    classification: str
    basis: str
    amount: Decimal | None
    persons_involved: str
    kind: str

    @staticmethod
    def resolve_target(obj) -> str:
        return obj.assignment.organization.name

    @staticmethod
    def resolve_classification(obj) -> str:
        return obj.classification.title if obj.classification_id else ""


class MyReviewOut(ReviewOut):
    session_title: str
    session_state: str
    criteria: list[Criterion]

    @staticmethod
    def resolve_session_title(obj) -> str:
        return obj.session.title

    @staticmethod
    def resolve_session_state(obj) -> str:
        return obj.session.state

    @staticmethod
    def resolve_criteria(obj):
        return obj.session.criteria


class MyReviewPage(Schema):
    count: int
    items: list[MyReviewOut]


class MyReviewDetail(MyReviewOut):
    paper_text: PaperUnderReview

    @staticmethod
    def resolve_paper_text(obj):
        return obj.paper


class ReviewIn(Payload):
    scores: dict[str, Decimal] = Field(..., description="{criterion name: score}")
    comments: dict[str, str] = Field(default_factory=dict)
    defects: list[str] = Field(default_factory=list)


class ResultRow(Schema):
    n: int
    average: float | None
    criteria: list[float | None]


class GroupResult(ResultRow):
    group: int
    group_number: int


class AuthorResult(ResultRow):
    member: int
    name: str
    group_number: int


class DefectCount(Schema):
    code: str
    label: str
    n: int


class Band(Schema):
    low: int | None = Field(None, description="Percent of the maximum total, inclusive.")
    high: int | None = Field(None, description="Percent of the maximum total, exclusive.")
    n: int


class ResultsOut(Schema):
    session: int
    criteria: list[Criterion]
    max_total: int
    overall: ResultRow
    by_group: list[GroupResult]
    by_author: list[AuthorResult]
    defects: list[DefectCount]
    distribution: list[Band]
