"""Request and response shapes of the rectification tasks API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class TaskFilters(PageParams):
    state: Literal["", "open", "requested", "closed"] = Field("", description="open, requested or closed.")
    organization: int | None = None
    round: int | None = None
    plan: int | None = None
    level: Literal["", "red", "yellow", "green"] = Field(
        "", description="The deadline warning today: red (overdue), yellow or green (by the policy's thresholds).")


class TaskOut(Schema):
    id: int
    plan: int
    organization: int
    organization_name: str
    round: int
    problem: int
    problem_title: str
    seq: int
    measures: str
    responsible_leader: str
    lead_department: str
    person_in_charge: str
    type: str
    state: str
    due: date
    level: str = Field(..., description="red, yellow, green or empty (on schedule, or closed).")
    days_left: int | None = Field(None, description="Days to the deadline (negative when overdue); null once closed.")
    closed_at: datetime | None
    last_progress_on: date | None = None
    evidence_count: int = 0

    @staticmethod
    def resolve_plan(obj) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.plan.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.plan.organization.name

    @staticmethod
    def resolve_round(obj) -> int:
        return obj.plan.round_id

    @staticmethod
    def resolve_problem(obj) -> int:
        return obj.problem_id

    @staticmethod
    def resolve_problem_title(obj) -> str:
        return obj.problem.title

    @staticmethod
    def resolve_level(obj) -> str:
        return str(obj.deadline.level.value)

    @staticmethod
    def resolve_days_left(obj) -> int | None:
        return obj.deadline.days_left


class TaskPage(Schema):
    count: int
    items: list[TaskOut]


class EvidenceOut(Schema):
    id: int
    progress: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    download: str = Field(..., description="The API path of the (audited) download.")

    @staticmethod
    def resolve_progress(obj) -> int:
        return obj.progress_id

    @staticmethod
    def resolve_download(obj) -> str:
        return reverse("api:task_evidence_download", args=[obj.pk])


class ProgressOut(Schema):
    id: int
    reported_on: date
    text: str
    reported_by: str
    created_at: datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_reported_by(obj) -> str:
        return obj.reported_by.display_name if obj.reported_by_id else ""

    @staticmethod
    def resolve_evidence(obj) -> list:
        return getattr(obj, "shown_evidence", None) or []


class StepOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    at: datetime
    comment: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.display_name if obj.actor_id else ""


class ProblemOut(Schema):
    id: int
    title: str
    description: str


class TaskDetail(TaskOut):
    problem_detail: ProblemOut
    owner: int | None
    progress: list[ProgressOut]
    steps: list[StepOut]
    actions: list[str] = Field(..., description="The transitions you may take now.")
    may_report: bool = Field(..., description="Whether you may report progress and add evidence now.")

    @staticmethod
    def resolve_problem_detail(obj):
        return obj.problem

    @staticmethod
    def resolve_owner(obj) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_progress(obj) -> list:
        return obj.shown_progress

    @staticmethod
    def resolve_steps(obj) -> list:
        return obj.shown_steps

    @staticmethod
    def resolve_last_progress_on(obj) -> date | None:
        return max((p.reported_on for p in obj.shown_progress), default=None)

    @staticmethod
    def resolve_evidence_count(obj) -> int:
        return sum(len(p.shown_evidence) for p in obj.shown_progress)


class ProgressIn(Payload):
    reported_on: date | None = None
    text: str = ""


class TransitionIn(Payload):
    action: str = Field(..., description="request (the liaison), close, return or reopen (the office).")
    comment: str = Field("", description="Required to return a request or reopen a closed task.")
