"""Request and response shapes of the progress report API."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class ProgressReportFilters(PageParams):
    round: int | None = None
    organization: int | None = None
    state: str = Field("", description="draft, submitted, returned or reviewed.")
    overdue: bool | None = Field(None, description="Only reports overdue (not submitted after the due date, or "
                                                   "nothing published after the disclosure deadline), or only those "
                                                   "that are not.")


class DisclosurePolicyOut(Schema):
    id: int
    effective_from: date
    basis: str
    progress_report_months: int
    disclosure_months: int


class ProgressReportOut(Schema):
    id: int
    feedback: int
    organization: int
    organization_name: str
    round: int
    state: str
    title: str
    due: date = Field(..., description="The feedback's progress-report deadline.")
    submitted_on: date | None
    late: bool = Field(..., description="Submitted after the due date.")
    overdue: bool = Field(..., description="Not submitted and past the due date, or the disclosure overdue.")
    reviewed_on: date | None
    disclosure_due: date | None = Field(None, description="Set by the review opinion, from the policy in force "
                                                          "on its date.")
    policy: DisclosurePolicyOut | None = Field(None, description="The policy the disclosure deadline came from.")
    disclosure_state: str = Field(..., description="'' before the review opinion, then pending (not yet due), "
                                                   "on_time, late or overdue.")
    file_name: str

    @staticmethod
    def resolve_feedback(obj) -> int:
        return obj.feedback_id

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_round(obj) -> int:
        return obj.round_id

    @staticmethod
    def resolve_late(obj) -> bool:
        return bool(obj.submitted_late)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return bool(obj.overdue)

    @staticmethod
    def resolve_file_name(obj) -> str:
        return obj.original_name if obj.file else ""


class ProgressReportPage(Schema):
    count: int
    items: list[ProgressReportOut]


class ReportDisclosureOut(Schema):
    id: int
    published_on: date
    channel: str
    place: str
    title: str
    content: str


class ProgressReportDetail(ProgressReportOut):
    text: str
    opinion: str = Field(..., description="The review opinion once reviewed; the latest return comment before.")
    disclosures: list[ReportDisclosureOut]

    @staticmethod
    def resolve_disclosures(obj) -> list:
        return obj.shown_disclosures


class ProgressReportIn(Payload):
    feedback_id: int = Field(..., description="The issued feedback the report answers.")


class ProgressReportPatch(Payload):
    title: str | None = None
    text: str | None = None


class ProgressReviewIn(Payload):
    decision: str = Field(..., description="accept (with opinion and reviewed_on) or return (with comment).")
    opinion: str = ""
    reviewed_on: date | None = None
    comment: str = ""


class ReportDisclosureIn(Payload):
    published_on: date
    channel: str = Field(..., description="notice_board, website, wechat, newspaper, meeting or other.")
    place: str
    title: str
    content: str = ""
