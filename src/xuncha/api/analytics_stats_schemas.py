"""Request and response shapes of the term statistics (/api/v1/analytics/statistics)."""

from __future__ import annotations

from ninja import Field, Schema


class StatisticsFilters(Schema):
    committee: int | None = Field(None, description="A committee (with its subtree); the user's own by default.")
    term: int | None = Field(None, description="A term of that committee.")
    round: int | None = Field(None, description="One round of the committee or its subtree.")
    kind: int | None = Field(None, description="A kind of organization.")
    township: int | None = Field(None, description="A township: itself and the organizations under it.")


class FigureOut(Schema):
    key: str
    label: str
    value: float | int | str | None = Field(
        ..., description="Counts as integers, rates in percent, money in yuan as a decimal string; "
                         "null for a rate with nothing to divide by.")
    unit: str
    link: str = Field(..., description="The page listing the rows behind the figure.")


class RowOut(Schema):
    key: str = Field(..., description="The drill-down parameter's value.")
    label: str
    value: int
    link: str


class InspectedOut(Schema):
    kind: str
    kind_name: str
    level: str = Field(..., description="The level of the organizations' committee (county, city, province).")
    mode: str
    mode_label: str
    value: int = Field(..., description="Distinct organizations of this kind and level inspected in this mode.")
    link: str


class BreakdownsOut(Schema):
    by_focus: list[RowOut]
    by_point: list[RowOut] = Field(..., description="The most frequent supervision points.")
    by_problem_kind: list[RowOut]
    inspected: list[InspectedOut]
    addressees: list[RowOut] = Field(..., description="Recommendations issued, by department addressed.")
    complaints_by_category: list[RowOut]


class StatisticsOut(Schema):
    committee: int
    term: int | None
    round: int | None
    kind: int | None
    township: int | None
    figures: list[FigureOut] = Field(..., description="Only the figures of records the user may read.")
    breakdowns: BreakdownsOut


class SummaryOut(Schema):
    text: str = Field(..., description="The summary paragraph in Chinese; empty when there is nothing to say.")
