"""Request and response shapes of the rectification dashboard, the overdue list and the
deadline policy (/api/v1/rectification)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload

# -- the dashboard ---------------------------------------------------------------------------


class DashboardFilters(PageParams):
    round: int | None = Field(None, description="Only this round.")
    term: int | None = Field(None, description="Only the rounds of this term.")


class DashboardFigures(Schema):
    feedbacks: int = Field(..., description="Issued feedback.")
    plans_none: int = Field(..., description="Issued feedback without a rectification plan.")
    plans_draft: int
    plans_submitted: int
    plans_returned: int
    plans_approved: int
    tasks: int = Field(..., description="Tasks of approved plans.")
    tasks_closed: int
    tasks_requested: int = Field(..., description="Closure requested, awaiting the office.")
    tasks_red: int = Field(..., description="Open tasks past their deadline.")
    tasks_yellow: int
    tasks_green: int
    closure_rate: float | None = Field(None, description="Closed tasks / tasks (null without tasks).")
    reports_overdue: int = Field(..., description="Progress reports not submitted by their due date.")
    disclosures_overdue: int = Field(..., description="Reviewed reports with nothing published by the due date.")
    transfers: int = Field(..., description="Transfers of problems and leads found in these rounds.")
    transfers_overdue: int = Field(..., description="Transfers not answered by their feedback deadline.")
    overdue: int = Field(..., description="Everything past its deadline.")


class DashboardRoundOut(Schema):
    id: int
    label: str
    figures: DashboardFigures


class DashboardOrganizationOut(Schema):
    id: int
    name: str
    figures: DashboardFigures


class DashboardOrganizationPage(Schema):
    count: int
    items: list[DashboardOrganizationOut] = Field(..., description="Organizations with overdue items first.")


class DashboardOut(Schema):
    total: DashboardFigures
    rounds: list[DashboardRoundOut]
    organizations: DashboardOrganizationPage


# -- the overdue list ------------------------------------------------------------------------


class OverdueFilters(PageParams):
    kind: Literal["", "task", "report", "disclosure", "transfer"] = Field(
        "", description="task, report (progress report not submitted), disclosure or transfer (feedback on it).")
    round: int | None = None
    term: int | None = None
    organization: int | None = Field(None, description="The inspected organization (for a transfer: where the "
                                                       "problem was found).")
    level: Literal["red", "yellow", "green"] = Field(
        "red", description="red: past the deadline; yellow, green: inside the policy's warning periods.")


class OverdueItemOut(Schema):
    kind: str
    id: int = Field(..., description="The task, feedback (kind report), progress report (kind disclosure) or "
                                     "transfer.")
    due: date
    days_overdue: int = Field(..., description="Days past the deadline (negative: days left).")
    round: int
    round_label: str
    organization: str
    receiver: str = Field(..., description="The receiver of a transfer.")
    title: str
    report: int | None = Field(None, description="The progress report of kind report, once started.")


class OverduePage(Schema):
    count: int
    items: list[OverdueItemOut]


# -- the deadline policy ---------------------------------------------------------------------


class DeadlinePolicyFilters(PageParams):
    committee: int | None = None


class DeadlinePolicyOut(Schema):
    id: int
    committee: int
    effective_from: date
    basis: str
    rectification_months: int
    progress_report_months: int
    transfer_feedback_months: int
    disclosure_months: int
    warn_green_days: int
    warn_yellow_days: int
    in_force: bool = Field(..., description="The version in force today.")
    feedbacks: int = Field(..., description="Feedbacks whose deadlines it produced.")
    progress_reports: int = Field(..., description="Disclosure deadlines it produced.")
    transfers: int = Field(..., description="Transfers whose feedback deadline it produced.")
    used: bool = Field(..., description="A used version can no longer be changed.")

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_in_force(obj) -> bool:
        return obj.current_id == obj.pk

    @staticmethod
    def resolve_feedbacks(obj) -> int:
        return obj.n_feedbacks

    @staticmethod
    def resolve_progress_reports(obj) -> int:
        return obj.n_reports

    @staticmethod
    def resolve_transfers(obj) -> int:
        return obj.n_transfers

    @staticmethod
    def resolve_used(obj) -> bool:
        return bool(obj.n_feedbacks or obj.n_reports or obj.n_transfers)


class DeadlinePolicyPage(Schema):
    count: int
    items: list[DeadlinePolicyOut]


class DeadlinePolicyIn(Payload):
    committee: int | None = Field(None, description="Defaults to the committee whose policy you keep, if one.")
    effective_from: date
    basis: str = ""
    rectification_months: int = 3
    progress_report_months: int = 3
    transfer_feedback_months: int = 3
    disclosure_months: int = 1
    warn_green_days: int = 20
    warn_yellow_days: int = 10


class DeadlinePolicyPatch(Payload):
    effective_from: date | None = None
    basis: str | None = None
    rectification_months: int | None = None
    progress_report_months: int | None = None
    transfer_feedback_months: int | None = None
    disclosure_months: int | None = None
    warn_green_days: int | None = None
    warn_yellow_days: int | None = None
