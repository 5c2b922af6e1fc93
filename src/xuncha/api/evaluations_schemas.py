"""Request and response shapes of the rectification evaluation API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload

# -- templates -------------------------------------------------------------------------------


class DeductionOut(Schema):
    id: int
    seq: int
    description: str
    points: Decimal = Field(..., description="Deducted each time the item applies.")


class CriterionOut(Schema):
    id: int
    seq: int
    title: str
    points: Decimal
    guidance: str
    indicator: str = Field(..., description="leadership, responsibility, completion, satisfaction or empty.")
    deductions: list[DeductionOut]

    @staticmethod
    def resolve_deductions(obj) -> list:
        return obj.items


class TemplateOut(Schema):
    id: int
    committee: int
    name: str
    description: str
    total_points: Decimal
    in_use: bool = Field(..., description="A batch uses it: its criteria no longer change.")
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_total_points(obj) -> Decimal:
        # One decimal place on every database (SQLite sums to "100", PostgreSQL to "100.0").
        return Decimal(obj.total_points or 0).quantize(Decimal("0.1"))

    @staticmethod
    def resolve_criteria(obj) -> list:
        return obj.rows


class TemplateList(Schema):
    count: int
    items: list[TemplateOut]


# -- batches ---------------------------------------------------------------------------------


class BatchFilters(PageParams):
    state: str = Field("", description="open or closed.")


class BatchOut(Schema):
    id: int
    committee: int
    title: str
    period_start: date
    period_end: date
    template: int
    state: str
    conclusion: str
    closed_at: datetime | None
    created_at: datetime
    organizations: int
    grades: dict[str, int] = Field(..., description="Organizations per grade: excellent, pass, basic, fail, "
                                                    "and none (not graded yet).")

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_template(obj) -> int:
        return obj.template_id

    @staticmethod
    def resolve_organizations(obj) -> int:
        return obj.n_evaluations

    @staticmethod
    def resolve_grades(obj) -> dict[str, int]:
        return {"excellent": obj.n_excellent, "pass": obj.n_good, "basic": obj.n_basic, "fail": obj.n_fail,
                "none": obj.n_ungraded}


class BatchPage(Schema):
    count: int
    items: list[BatchOut]


class EvaluationFields(Schema):
    id: int
    organization: int
    organization_name: str
    feedback: int
    rectification_due: date | None
    indicators: dict = Field(..., description="Measured by the system (tasks, closed, overdue, vague, …).")
    measured_at: datetime | None
    total: Decimal | None = Field(..., description="Once every criterion is scored.")
    grade: str = Field(..., description="excellent, pass, basic, fail, or empty until scored.")
    follow_up: str = Field(..., description="interview, revisit, both or empty.")


class EvaluationOut(EvaluationFields):
    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_feedback(obj) -> int:
        return obj.feedback_id

    @staticmethod
    def resolve_rectification_due(obj) -> date | None:
        return obj.feedback.rectification_due


class BatchDetail(BatchOut):
    evaluations: list[EvaluationOut]

    @staticmethod
    def resolve_evaluations(obj) -> list:
        return obj.evaluations_shown


class BatchIn(Payload):
    title: str
    period_start: date
    period_end: date
    template: int | None = Field(None, description="The committee's default template when omitted.")
    committee: int | None = Field(None, description="Needed only by an office serving several committees.")


class CloseIn(Payload):
    conclusion: str = Field(..., description="The overall findings.")


# -- one evaluation --------------------------------------------------------------------------


class FigureOut(Schema):
    key: str
    label: str
    value: str


class SheetDeductionOut(Schema):
    id: int
    description: str
    points: Decimal
    applied: int = Field(..., description="Times applied in the stored score.")
    suggested: int = Field(..., description="Times the indicators suggest.")


class SheetCriterionOut(Schema):
    id: int
    seq: int
    title: str
    points: Decimal
    indicator: str
    score: Decimal | None
    comment: str
    deductions: list[SheetDeductionOut]
    figures: list[FigureOut]


class VagueMeasureOut(Schema):
    task: int
    seq: int
    problem: str
    measures: str
    reasons: list[str]


class EvaluationDetail(EvaluationFields):
    batch: int
    batch_state: str
    comment: str
    follow_up_note: str
    evaluated_by: str | None
    evaluated_at: datetime | None
    criteria: list[SheetCriterionOut]
    vague_measures: list[VagueMeasureOut]


class AppliedIn(Payload):
    deduction: int
    times: int = Field(..., ge=0, le=99)


class ScoreIn(Payload):
    criterion: int
    score: Decimal | None = Field(None, description="Omit to take the points less the deductions applied.")
    deductions: list[AppliedIn] = []
    comment: str = ""


class ScoresIn(Payload):
    scores: list[ScoreIn] = Field([], description="The criteria scored now; the others keep their score.")
    comment: str | None = None
    follow_up: str | None = Field(None, description="interview, revisit, both or empty; required for basic and "
                                                    "fail grades.")
    follow_up_note: str | None = None
