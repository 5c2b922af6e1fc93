"""Request and response shapes of the special campaigns API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class CampaignFilters(PageParams):
    state: str = Field("", description="active or closed.")


class CampaignItemOut(Schema):
    id: int
    campaign: int
    seq: int
    title: str
    organization: int | None
    organization_name: str
    due: date | None
    state: str = Field(..., description="open or done.")
    result: str
    completed_on: date | None
    problems_fixed: int
    money_recovered: Decimal


class CampaignOut(Schema):
    id: int
    title: str
    committee: int
    recommendation: int | None
    lead_department: int | None
    started_on: date
    ends_on: date | None
    state: str
    summary: str


class CampaignTotals(Schema):
    items: int
    done: int
    problems_fixed: int
    money_recovered: Decimal


class CampaignDetail(CampaignOut):
    items: list[CampaignItemOut] = Field(..., description="The items the user may read.")
    totals: CampaignTotals


class CampaignPage(Schema):
    count: int
    items: list[CampaignOut]


class CampaignIn(Payload):
    title: str
    started_on: date
    ends_on: date | None = None
    recommendation_id: int | None = Field(None, description="The issued letter the campaign follows.")
    lead_department_id: int | None = None


class ItemIn(Payload):
    title: str
    organization_id: int | None = Field(None, description="The organization responsible for the item.")
    due: date | None = None


class ItemPatch(Payload):
    title: str | None = Field(None, description="The office: the item's title (with organization_id and due).")
    organization_id: int | None = None
    due: date | None = None
    result: str | None = Field(None, description="The responsible organization or the office: the result; "
                                                 "the item is then done.")
    completed_on: date | None = None
    problems_fixed: int = 0
    money_recovered: Decimal = Decimal(0)


class CloseIn(Payload):
    summary: str
