"""Request and response shapes. References to other records are ids (kinds: their code)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

# -- common ----------------------------------------------------------------------------------


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=500, description="Items per page (at most 500).")
    offset: int = Field(0, ge=0, description="Items to skip.")


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


class Payload(Schema):
    model_config = ConfigDict(extra="forbid")


# -- committees ------------------------------------------------------------------------------


class CommitteeFilters(PageParams):
    level: str = Field("", description="province, city, county or other.")
    active: bool | None = None


class CommitteeOut(Schema):
    id: int
    name: str
    short_name: str
    level: str
    parent: int | None = Field(None, description="Id of the parent committee.")
    active: bool

    @staticmethod
    def resolve_parent(obj) -> int | None:
        return obj.parent_id


class CommitteePage(Schema):
    count: int
    items: list[CommitteeOut]


# -- organizations ---------------------------------------------------------------------------


class OrganizationFilters(PageParams):
    q: str = Field("", description="Part of the name or short name, or the pinyin initials.")
    kind: str = Field("", description="Code of the kind of organization.")
    committee: int | None = None
    parent: int | None = None
    active: bool | None = None


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    committee: int
    kind: str = Field(..., description="Code of the kind of organization.")
    kind_name: str
    parent: int | None
    unified_code: str
    active: bool
    principal: int | None = Field(None, description="Id of the person in charge.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.kind.code

    @staticmethod
    def resolve_kind_name(obj) -> str:
        return obj.kind.name

    @staticmethod
    def resolve_parent(obj) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_principal(obj) -> int | None:
        return obj.principal_id


class OrganizationPage(Schema):
    count: int
    items: list[OrganizationOut]


class OrganizationIn(Payload):
    name: str
    kind: str = Field(..., description="Code of the kind of organization.")
    committee: int | None = Field(None, description="Defaults to the parent's committee.")
    parent: int | None = None
    short_name: str = ""
    unified_code: str = ""
    active: bool = True
    principal: int | None = None


class OrganizationPatch(Payload):
    """Only the fields given are changed; null clears parent or principal."""

    name: str = ""
    kind: str = ""
    parent: int | None = None
    short_name: str = ""
    unified_code: str = ""
    active: bool = True
    principal: int | None = None


# -- people ----------------------------------------------------------------------------------

Gender = Literal["", "M", "F"]


class PersonFilters(PageParams):
    q: str = Field("", description="Part of the name or post, or the pinyin initials.")
    organization: int | None = None
    committee: int | None = None


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: date | None
    committee: int
    organization: int | None
    organization_name: str
    post: str
    phone: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_organization(obj) -> int | None:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name if obj.organization_id else ""


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


class WorkHistoryOut(Schema):
    id: int
    organization: int | None
    organization_name: str
    post: str
    start_date: date
    end_date: date | None

    @staticmethod
    def resolve_organization(obj) -> int | None:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization_name or (obj.organization.name if obj.organization_id else "")


class RelativeOut(Schema):
    id: int
    relation: str
    name: str
    organization: int | None
    organization_name: str
    post: str

    @staticmethod
    def resolve_organization(obj) -> int | None:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization_name or (obj.organization.name if obj.organization_id else "")


class PersonDetail(PersonOut):
    """The routers attach `shown_work_history` and `shown_relatives` only for those who may
    see them; otherwise the resolvers find nothing and the keys are left out of the answer."""

    work_history: list[WorkHistoryOut] | None = Field(
        None, description="Left out unless you may see where the person worked.")
    relatives: list[RelativeOut] | None = Field(
        None, description="Left out unless you may see the person's relatives.")

    @staticmethod
    def resolve_work_history(obj):
        return obj.shown_work_history  # AttributeError: not shown

    @staticmethod
    def resolve_relatives(obj):
        return obj.shown_relatives


class PersonIn(Payload):
    name: str
    committee: int | None = Field(None, description="Defaults to the organization's committee.")
    organization: int | None = None
    gender: Gender = ""
    birth_date: date | None = None
    post: str = ""
    phone: str = ""


class PersonPatch(Payload):
    """Only the fields given are changed; null clears the organization or birth date."""

    name: str = ""
    organization: int | None = None
    gender: Gender = ""
    birth_date: date | None = None
    post: str = ""
    phone: str = ""
