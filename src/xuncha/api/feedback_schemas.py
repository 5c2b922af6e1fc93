"""Request and response shapes of the feedback API."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from xuncha.api.problems_schemas import ClassificationOut
from xuncha.api.schemas import PageParams, Payload


class FeedbackFilters(PageParams):
    round: int | None = None
    assignment: int | None = Field(None, description="The inspection target.")
    state: str = Field("", description="draft or issued.")


class PolicyOut(Schema):
    id: int
    effective_from: date
    basis: str
    rectification_months: int
    progress_report_months: int


class FeedbackOut(Schema):
    id: int
    assignment: int
    round: int
    group: int
    organization: int
    organization_name: str
    report: int
    state: str
    fed_back_on: date | None
    rectification_due: date | None
    progress_report_due: date | None
    policy: PolicyOut | None = Field(None, description="The deadline policy the deadlines came from.")
    issued_at: datetime | None
    acknowledged_at: datetime | None

    @staticmethod
    def resolve_assignment(obj) -> int:
        return obj.assignment_id

    @staticmethod
    def resolve_round(obj) -> int:
        return obj.assignment.round_id

    @staticmethod
    def resolve_group(obj) -> int:
        return obj.assignment.group_id

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.assignment.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.assignment.organization.name

    @staticmethod
    def resolve_report(obj) -> int:
        return obj.report_id


class FeedbackPage(Schema):
    count: int
    items: list[FeedbackOut]


class FedBackProblem(Schema):
    id: int
    number: str
    title: str
    description: str
    kind: str
    classification: ClassificationOut


class MeetingOut(Schema):
    held_on: date
    place: str
    attendees: str
    receipt_acknowledged: bool
    notes: str


class CopyOut(Schema):
    id: int
    organization: int
    organization_name: str
    role: str
    sent_on: date

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name


class FeedbackDetail(FeedbackOut):
    requirements: str
    problems: list[FedBackProblem]
    meeting: MeetingOut | None
    copies: list[CopyOut]

    @staticmethod
    def resolve_problems(obj) -> list:
        return obj.shown_problems

    @staticmethod
    def resolve_meeting(obj):
        return getattr(obj, "meeting", None)

    @staticmethod
    def resolve_copies(obj) -> list:
        return obj.shown_copies


class FeedbackIn(Payload):
    assignment: int = Field(..., description="The inspection target whose approved report is fed back.")


class FeedbackPatch(Payload):
    problems: list[int] | None = Field(None, description="Ids of the target's problems fed back (never leads).")
    requirements: str | None = None


class IssueIn(Payload):
    fed_back_on: date


class MeetingIn(Payload):
    held_on: date
    place: str = ""
    attendees: str
    receipt_acknowledged: bool = False
    notes: str = ""


class CopyIn(Payload):
    organization: int
    role: str = Field(..., description="leader_in_charge, lead_department, discipline, organization or other.")
    sent_on: date
