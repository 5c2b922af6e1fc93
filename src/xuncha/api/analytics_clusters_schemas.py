"""Request and response shapes of the recurring and common problems API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class ClusterFilters(PageParams):
    tab: str = Field("common", description="recurring (pairs), common or systemic (clusters).")
    committee: int | None = Field(None, description="A committee with its subtree; default the user's own.")
    term: int | None = None
    round: int | None = None
    kind: int | None = Field(None, description="A kind of organization (its id).")
    township: int | None = None

    def as_query(self) -> dict:
        return {name: getattr(self, name) for name in ("committee", "term", "round", "kind", "township")
                if getattr(self, name) is not None}


class ProblemRef(Schema):
    id: int
    title: str
    organization: int
    organization_name: str
    round: int
    round_label: str
    round_start: date
    kind: str
    amount: Decimal | None

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
    def resolve_round_label(obj) -> str:
        return obj.round.label

    @staticmethod
    def resolve_round_start(obj) -> date:
        return obj.round.planned_entry


class MatchOut(Schema):
    id: int
    problem: ProblemRef = Field(description="The later problem (by round start, then id).")
    earlier: ProblemRef
    similarity: float
    relation: str = Field(description="recurring, persistent (recurred after rectification), same_round or other_org.")
    found_at: datetime


class MatchPage(Schema):
    count: int
    items: list[MatchOut]


class DepartmentOut(Schema):
    id: int
    name: str


class ClusterOut(Schema):
    id: int
    committee: int
    term: int
    key: int = Field(description="The lowest member's id: stable across rebuilds.")
    label: str
    point: int | None = Field(None, description="The supervision point (checklist level 2) most members fall under.")
    point_title: str
    problem_count: int
    organization_count: int
    round_count: int
    amount: Decimal | None
    built_at: datetime
    departments: list[DepartmentOut] = Field(default_factory=list,
                                             description="Departments responsible for the point (systemic).")

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_term(obj) -> int:
        return obj.term_id

    @staticmethod
    def resolve_point(obj) -> int | None:
        return obj.point_id

    @staticmethod
    def resolve_point_title(obj) -> str:
        return obj.point.title if obj.point_id else ""

    @staticmethod
    def resolve_departments(obj) -> list:
        return getattr(obj, "departments", [])


class ClusterPage(Schema):
    tab: str
    min_organizations: int
    count: int
    clusters: list[ClusterOut] = Field(default_factory=list)
    pairs: list[MatchOut] = Field(default_factory=list)


class MemberOut(Schema):
    problem: ProblemRef
    similarity: float | None = Field(None, description="To the member the cluster is named after.")
    phrases: list[str] = Field(default_factory=list, description="Phrases shared with that member.")
    named_after: bool = False


class ClusterDetail(ClusterOut):
    members: list[MemberOut]

    @staticmethod
    def resolve_members(obj) -> list:
        return obj.member_rows


class MatchFilters(PageParams):
    problem: int = Field(description="The problem whose near-duplicates are listed.")


class RunIn(Payload):
    committee: int | None = Field(None, description="Default: the user's own committee.")
    full: bool = Field(False, description="Fingerprint and match every problem again (office administrator).")


class RunOut(Schema):
    committee: int
    full: bool
    problems: int
    fingerprinted: int
    matched: int
    pairs: int
    removed: int
    relations: int
    clusters: int
    clusters_written: int
    clusters_deleted: int
    seconds: float


class MappingFilters(PageParams):
    committee: int | None = None


class MappingIn(Payload):
    committee: int | None = Field(None, description="Default: the user's own committee.")
    point: int = Field(description="A supervision point (level 2) of a published version of the committee's checklist.")
    department: int = Field(description="An active organization of kind 县级部门 (department) of the committee.")


class MappingOut(Schema):
    id: int
    committee: int
    point: int
    point_key: str
    point_title: str
    department: int
    department_name: str
    created_at: datetime

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_point(obj) -> int:
        return obj.point_id

    @staticmethod
    def resolve_point_key(obj) -> str:
        return obj.point.key

    @staticmethod
    def resolve_point_title(obj) -> str:
        return obj.point.title

    @staticmethod
    def resolve_department(obj) -> int:
        return obj.department_id

    @staticmethod
    def resolve_department_name(obj) -> str:
        return obj.department.name


class MappingPage(Schema):
    count: int
    items: list[MappingOut]
