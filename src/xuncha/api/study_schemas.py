"""Request and response shapes of the study API (activities and campaigns with progress)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class ActivityFilters(PageParams):
    organization: int | None = None
    kind: str = Field("", description="central_group, branch_meeting, lecture, seminar, party_day, training, other.")
    campaign: int | None = None
    held_from: date | None = None
    held_to: date | None = None


class ActivityOut(Schema):
    id: int
    organization: int
    organization_name: str
    campaign: int | None
    kind: str
    held_on: date
    topic: str
    attendees: int
    expected: int | None
    published: bool
    published_at: datetime | None

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_campaign(obj) -> int | None:
        return obj.campaign_id


class ArticleRef(Schema):
    id: int
    version: int
    address: str

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.version_id


class VersionRef(Schema):
    id: int
    citation: str = Field(..., description="Short title and version, e.g. 规则(2024).")

    @staticmethod
    def resolve_citation(obj) -> str:
        return str(obj)


class ActivityDetail(ActivityOut):
    materials: str
    versions: list[VersionRef]
    articles: list[ArticleRef]

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.all())

    @staticmethod
    def resolve_articles(obj) -> list:
        return list(obj.articles.all())


class ActivityPage(Schema):
    count: int
    items: list[ActivityOut]


class ActivityIn(Payload):
    organization: int
    kind: str
    held_on: date
    topic: str
    versions: list[int] = []
    articles: list[int] = []
    attendees: int = Field(..., ge=0)
    expected: int | None = Field(None, ge=0)
    materials: str = ""
    campaign: int | None = None


class ActivityPatch(Payload):
    organization: int | None = None
    kind: str | None = None
    held_on: date | None = None
    topic: str | None = None
    versions: list[int] | None = None
    articles: list[int] | None = None
    attendees: int | None = Field(None, ge=0)
    expected: int | None = Field(None, ge=0)
    materials: str | None = None
    campaign: int | None = None


class CampaignOut(Schema):
    id: int
    committee: int
    title: str
    version: int
    version_citation: str
    starts_on: date
    due_on: date
    required: int = Field(..., description="Number of organizations that must study.")

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.version_id

    @staticmethod
    def resolve_version_citation(obj) -> str:
        return str(obj.version)

    @staticmethod
    def resolve_required(obj) -> int:
        return obj.n_required


class CampaignPage(Schema):
    count: int
    items: list[CampaignOut]


class OrganizationProgress(Schema):
    id: int
    name: str
    township: int | None
    studied: bool
    activities: int
    last_held_on: date | None
    behind: bool


class TownshipProgressOut(Schema):
    township: int | None = Field(None, description="None: organizations under no township.")
    name: str
    required: int
    studied: int
    rate: float


class ProgressOut(Schema):
    required: int
    studied: int
    rate: float
    behind: int
    overdue: bool
    townships: list[TownshipProgressOut]
    organizations: list[OrganizationProgress]


class CampaignDetail(CampaignOut):
    progress: ProgressOut


class CampaignIn(Payload):
    committee: int
    title: str
    version: int
    starts_on: date
    due_on: date
    organizations: list[int] = []
