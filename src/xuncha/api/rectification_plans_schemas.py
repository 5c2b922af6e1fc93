"""Request and response shapes of the rectification plans API."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class PlanFilters(PageParams):
    round: int | None = None
    organization: int | None = Field(None, description="The inspected organization.")
    state: str = Field("", description="draft, submitted, returned or approved.")


class PlanOut(Schema):
    id: int
    feedback: int
    organization: int
    organization_name: str
    round: int
    state: str
    submitted_at: datetime | None
    decided_at: datetime | None
    n_tasks: int = Field(..., description="Tasks in the plan.")
    n_vague: int = Field(..., description="Tasks whose measures are vague.")

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


class PlanPage(Schema):
    count: int
    items: list[PlanOut]


class TaskOut(Schema):
    id: int
    seq: int
    problem: int
    measures: str
    responsible_leader: str
    lead_department: str
    person_in_charge: str
    due: date
    type: str = Field(..., description="immediate (立行立改), concentrated (集中整改) or long_term (长期坚持).")
    state: str
    owner: int | None = Field(None, description="The liaison account that reports progress; null: any liaison.")
    review_comment: str = Field(..., description="The office's comment when it returned the plan.")
    vagueness: float = Field(..., description="0 … 1, higher is vaguer.")
    vague: bool
    reasons: list[str] = Field(..., description="slogan, no_object, no_time, no_quantity, no_actor, short, copy.")
    reason_labels: list[str] = Field(..., description="The reasons in the user's language.")

    @staticmethod
    def resolve_problem(obj) -> int:
        return obj.problem_id

    @staticmethod
    def resolve_owner(obj) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_reasons(obj) -> list[str]:
        return list(obj.assessment.reasons)

    @staticmethod
    def resolve_reason_labels(obj) -> list[str]:
        from xuncha.rectification.vague_labels import describe

        return describe(obj.assessment.reasons)


class PlanProblem(Schema):
    id: int
    no: int = Field(..., description="Its number in the feedback's problem list (问题序号).")
    title: str
    description: str
    category: str = Field(..., description="The checklist's focus / point.")


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


class PlanDetail(PlanOut):
    comment: str = Field(..., description="The office's overall review comment.")
    fed_back_on: date | None
    rectification_due: date | None = Field(None, description="End of concentrated rectification.")
    problems: list[PlanProblem]
    tasks: list[TaskOut]
    steps: list[StepOut]

    @staticmethod
    def resolve_fed_back_on(obj):
        return obj.feedback.fed_back_on

    @staticmethod
    def resolve_rectification_due(obj):
        return obj.feedback.rectification_due

    @staticmethod
    def resolve_problems(obj) -> list:
        return obj.api_problems

    @staticmethod
    def resolve_tasks(obj) -> list:
        return obj.shown_tasks

    @staticmethod
    def resolve_steps(obj) -> list:
        return obj.shown_steps


class PlanIn(Payload):
    feedback_id: int = Field(..., description="The issued feedback the plan answers.")


class TaskIn(Payload):
    problem: int = Field(..., description="Id of a problem of the feedback.")
    measures: str
    responsible_leader: str
    lead_department: str
    person_in_charge: str
    due: date
    type: str = Field("concentrated", description="immediate, concentrated or long_term.")
    owner: int | None = Field(None, description="Id of one of the organization's liaison accounts.")


class TaskPatch(Payload):
    """Only the fields given are changed; owner null clears it."""

    problem: int | None = None
    measures: str | None = None
    responsible_leader: str | None = None
    lead_department: str | None = None
    person_in_charge: str | None = None
    due: date | None = None
    type: str | None = None
    owner: int | None = None


class ReviewIn(Payload):
    decision: str = Field(..., description="approve or return.")
    comment: str = ""
    task_comments: dict[int, str] = Field(default_factory=dict,
                                          description="Comments per task id (a return needs this or the comment).")
