"""Request and response shapes of the recommendations API."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class RecommendationFilters(PageParams):
    term: int | None = Field(None, description="Only letters of this term.")
    state: str = Field("", description="draft, submitted, returned, approved, issued or closed.")
    overdue: bool = Field(False, description="Only issued letters past their response deadline with an addressee "
                                             "still silent.")


class OutcomeOut(Schema):
    id: int
    title: str
    adopted_on: date
    kind: str = Field(..., description="new (established) or improved.")
    document_name: str


class AddresseeOut(Schema):
    id: int
    organization: int
    organization_name: str
    received_on: date | None
    responded_on: date | None
    response: str
    response_file_name: str
    outcomes: list[OutcomeOut]


class ItemOut(Schema):
    seq: int
    text: str


class StepOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    at: datetime
    comment: str


class ProblemRef(Schema):
    id: int
    number: str
    title: str
    organization_name: str


class RecommendationOut(Schema):
    id: int
    number: str = Field(..., description="〔year〕seq号")
    doc_number: str = Field(..., description="The reference as printed, e.g. 县巡察办〔2024〕3号.")
    title: str
    committee: int
    term: int
    state: str
    issued_on: date | None
    response_due: date | None
    responded: int = Field(..., description="Addressees that have responded.")
    overdue: bool
    outcome_count: int = Field(..., description="Systems established or improved in response.")
    addressees: list[AddresseeOut]


class RecommendationDetail(RecommendationOut):
    symptoms: str
    causes: str
    cluster: int | None
    round: int | None
    items: list[ItemOut]
    steps: list[StepOut]
    problems: list[ProblemRef] = Field(..., description="The source problems the user may read.")


class RecommendationPage(Schema):
    count: int
    items: list[RecommendationOut]


class ReceivedLetter(Schema):
    id: int
    number: str
    doc_number: str
    title: str
    state: str
    symptoms: str
    causes: str
    issued_on: date | None
    response_due: date | None
    items: list[ItemOut]


class ReceivedOut(AddresseeOut):
    recommendation: ReceivedLetter
    overdue: bool


class ReceivedPage(Schema):
    count: int
    items: list[ReceivedOut]


class DraftIn(Payload):
    term_id: int
    title: str
    cluster_id: int | None = Field(None, description="Draft from this cluster's members (leads left out) …")
    problem_ids: list[int] = Field(default_factory=list, description="… or from these problems (never a lead).")
    addressee_ids: list[int] = Field(default_factory=list, description="The departments addressed.")
    round_id: int | None = None


class RecommendationPatch(Payload):
    title: str | None = None
    symptoms: str | None = None
    causes: str | None = None
    addressee_ids: list[int] | None = None
    problem_ids: list[int] | None = None
    refill_symptoms: bool = Field(False, description="Write the symptoms again from the problems.")


class ItemsIn(Payload):
    items: list[str] = Field(..., description="The recommendations in order; they replace the ones written.")


class CommentIn(Payload):
    comment: str = ""


class IssueIn(Payload):
    issued_on: date
    comment: str = ""


class ReceiptIn(Payload):
    received_on: date


class ResponseIn(Payload):
    responded_on: date
    response: str


class OutcomeIn(Payload):
    title: str
    adopted_on: date
    kind: str = Field("new", description="new (established) or improved.")
