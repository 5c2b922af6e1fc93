"""Request and response shapes of the transfers API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload
from xuncha.rectification.selectors import transfers as selectors


class TransferFilters(PageParams):
    round: int | None = None
    receiver: int | None = Field(None, description="The receiving organization.")
    state: str = Field("", description="transferred, received or answered.")
    kind: str = Field("", description="problem (general and cadre-selection problems) or lead.")
    overdue: bool = Field(False, description="Only transfers not answered by their feedback deadline.")

    def ledger_filters(self) -> selectors.LedgerFilters:
        return selectors.LedgerFilters(round=self.round, receiver=self.receiver, state=self.state, kind=self.kind,
                                       overdue=self.overdue)


class PolicyOut(Schema):
    id: int
    effective_from: date
    basis: str
    transfer_feedback_months: int


class ProblemRef(Schema):
    id: int
    number: str
    title: str


class TransferOut(Schema):
    id: int
    number: str = Field(..., description="The transfer letter's reference number.")
    round: int
    round_label: str
    kind: str = Field(..., description="general, cadre or lead: what kind of problem was handed over.")
    summary: str = Field(..., description="What was handed over (all a receiver reads).")
    receiver: int
    receiver_name: str
    transferred_on: date
    handler: str = Field(..., description="The office's handler.")
    feedback_due: date
    policy: PolicyOut = Field(..., description="The deadline policy the feedback deadline came from.")
    state: str
    received_on: date | None
    receiver_handler: str
    answered_on: date | None
    people_disciplined: int
    people_handled: int
    money_recovered: Decimal
    systems_established: int
    result: str
    warning: str = Field(..., description="green, yellow, red, or empty: the deadline warning today.")
    overdue: bool
    answered_late: bool
    problem: ProblemRef | None = Field(None, description="The problem behind it, for those who may read it "
                                                         "(never a receiver).")

    @staticmethod
    def resolve_round(obj) -> int:
        return obj.round_id

    @staticmethod
    def resolve_round_label(obj) -> str:
        return obj.round.label

    @staticmethod
    def resolve_receiver(obj) -> int:
        return obj.receiver_id

    @staticmethod
    def resolve_receiver_name(obj) -> str:
        return obj.receiver.name

    @staticmethod
    def resolve_handler(obj) -> str:
        return obj.handler.display_name if obj.handler_id else ""

    @staticmethod
    def resolve_warning(obj) -> str:
        return str(obj.deadline.level.value)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.deadline.overdue

    @staticmethod
    def resolve_answered_late(obj) -> bool:
        return obj.deadline.answered_late

    @staticmethod
    def resolve_problem(obj):
        return getattr(obj, "shown_problem", None)


class TransferPage(Schema):
    count: int
    items: list[TransferOut]


class ActionOut(Schema):
    id: int
    on: date
    method: str
    note: str


class TransferDetail(TransferOut):
    actions: list[ActionOut]

    @staticmethod
    def resolve_actions(obj) -> list:
        return obj.shown_actions


class TransferIn(Payload):
    problem_ids: list[int] = Field(..., description="Problems or leads handed over together: one transfer each.")
    receiver_id: int = Field(..., description="An organization of the problems' committee.")
    transferred_on: date
    summary: str | None = Field(None, description="What is handed over, for a single problem; by default its "
                                                  "title and description.")
    number: str = Field("", description="The transfer letter's reference number, shared by all.")


class TransferPatch(Payload):
    summary: str | None = None
    number: str | None = None


class ReceiptIn(Payload):
    received_on: date
    receiver_handler: str


class ActionIn(Payload):
    on: date
    method: str = Field(..., description="talk_inquiry, preliminary, case, organizational, rectify, concluded or "
                                         "other.")
    note: str = ""


class ResultsIn(Payload):
    answered_on: date
    people_disciplined: int = 0
    people_handled: int = 0
    money_recovered: Decimal = Decimal(0)
    systems_established: int = 0
    result: str
