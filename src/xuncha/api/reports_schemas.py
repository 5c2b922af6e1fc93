"""Request and response shapes of the reports API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class ReportFilters(PageParams):
    round: int | None = None
    assignment: int | None = Field(None, description="The inspection target.")
    state: str = Field("", description="draft, in_review, returned or approved.")
    kind: str = Field("", description="report (巡察报告) or leads (专题报告, confidential).")


class ChainStepOut(Schema):
    name: str
    roles: list[str]


class ReportOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    round: int
    group: int
    assignment: int
    organization: int
    organization_name: str
    step: int | None = Field(None, description="Index of the step now due, while in approval.")
    step_name: str = Field("", description="Name of the step now due, while in approval.")
    approved_version: int | None = Field(None, description="Number of the approved version.")
    updated_at: datetime

    @staticmethod
    def resolve_round(obj) -> int:
        return obj.assignment.round_id

    @staticmethod
    def resolve_group(obj) -> int:
        return obj.assignment.group_id

    @staticmethod
    def resolve_assignment(obj) -> int:
        return obj.assignment_id

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.assignment.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.assignment.organization.name

    @staticmethod
    def resolve_step(obj) -> int | None:
        return obj.step if obj.state == "in_review" else None

    @staticmethod
    def resolve_step_name(obj) -> str:
        return obj.steps[obj.step]["name"] if obj.state == "in_review" and obj.step < len(obj.steps) else ""

    @staticmethod
    def resolve_approved_version(obj) -> int | None:
        return obj.approved_version.number if obj.approved_version_id else None


class ReportPage(Schema):
    count: int
    items: list[ReportOut]


class SectionIO(Schema):
    key: str
    title: str
    body: str


class VersionOut(Schema):
    number: int
    note: str
    created_at: datetime
    created_by: str

    @staticmethod
    def resolve_created_by(obj) -> str:
        return obj.created_by.display_name if obj.created_by_id else ""


class VersionDetail(VersionOut):
    sections: list[SectionIO]


class HistoryOut(Schema):
    step: int
    step_name: str
    action: str
    version: int
    actor: str
    role: str
    at: datetime
    comment: str

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.version.number

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.display_name if obj.actor_id else ""


class ReportDetail(ReportOut):
    steps: list[ChainStepOut] = Field(..., description="The approval steps (copied when first submitted).")
    sections: list[SectionIO] = Field(..., description="The sections of the latest version.")
    versions: list[VersionOut]
    history: list[HistoryOut]
    may_write: bool = Field(..., description="Whether you may edit and submit it now.")
    may_decide: bool = Field(..., description="Whether the step now due is yours.")

    @staticmethod
    def resolve_steps(obj) -> list:
        return obj.shown_steps

    @staticmethod
    def resolve_sections(obj) -> list:
        return obj.shown_sections

    @staticmethod
    def resolve_versions(obj) -> list:
        return obj.shown_versions

    @staticmethod
    def resolve_history(obj) -> list:
        return obj.shown_history


class GenerateIn(Payload):
    assignment: int = Field(..., description="The inspection target.")
    kind: Literal["report", "leads"] = "report"


class SaveIn(Payload):
    sections: list[SectionIO]
    note: str = ""


class RegenerateIn(Payload):
    note: str = ""


class SubmitIn(Payload):
    comment: str = ""


class DecisionIn(Payload):
    action: Literal["approve", "return"]
    comment: str = Field("", description="Required to return the report.")


class DiffParams(Schema):
    a: int = Field(..., description="The earlier version's number.")
    b: int = Field(..., description="The later version's number.")


class SectionDiffOut(Schema):
    key: str
    title: str
    old_title: str
    status: str = Field(..., description="same, changed, added or removed.")
    html: str = Field(..., description="The body, escaped, with <ins> and <del> marks.")


class DiffOut(Schema):
    a: int
    b: int
    sections: list[SectionDiffOut]
