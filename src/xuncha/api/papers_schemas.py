"""Request and response shapes of the working papers API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class PaperFilters(PageParams):
    round: int | None = None
    group: int | None = None
    state: str = Field("", description="draft, submitted, reviewed, signed, registered or returned.")
    target: int | None = Field(None, description="An inspection target (assignment) id.")
    kind: str = Field("", description="general, lead or cadre.")
    source: str = ""
    author: int | None = Field(None, description="A group member id.")
    q: str = Field("", description="Words the paper's text must all contain.")


class PaperOut(Schema):
    id: int
    number: str
    group: int
    round: int
    assignment: int
    organization: str
    title: str
    source: str
    facts: str
    informants: str
    learned_on: date | None
    place: str
    classification: int | None
    classification_title: str
    basis: str
    amount: Decimal | None
    persons_involved: str
    kind: str
    authors: list[int]
    state: str
    state_name: str
    frozen_at: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_group(obj) -> int:
        return obj.group_id

    @staticmethod
    def resolve_round(obj) -> int:
        return obj.round_id

    @staticmethod
    def resolve_assignment(obj) -> int:
        return obj.assignment_id

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.assignment.organization.name

    @staticmethod
    def resolve_classification(obj) -> int | None:
        return obj.classification_id

    @staticmethod
    def resolve_classification_title(obj) -> str:
        return obj.classification.title if obj.classification_id else ""

    @staticmethod
    def resolve_authors(obj) -> list[int]:
        return [a.pk for a in obj.authors.all()]

    @staticmethod
    def resolve_state_name(obj) -> str:
        return str(obj.get_state_display())


class PaperPage(Schema):
    count: int
    items: list[PaperOut]


class StepOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    role: str
    at: datetime
    comment: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.display_name if obj.actor_id else ""


class AmendmentOut(Schema):
    changes: dict
    reason: str
    actor: str
    at: datetime

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.display_name if obj.actor_id else ""


class PaperDetail(PaperOut):
    steps: list[StepOut]
    amendments: list[AmendmentOut]
    available_steps: list[str] = Field(..., description="The sign-off actions you may take now.")

    @staticmethod
    def resolve_steps(obj):
        return obj.history

    @staticmethod
    def resolve_amendments(obj):
        return obj.amendment_list


class PaperText(Payload):
    source: str | None = None
    facts: str | None = None
    informants: str | None = None
    learned_on: date | None = None
    place: str | None = None
    classification: int | None = Field(None, description="A manifestation (level-3 checklist item) id.")
    basis: str | None = None
    amount: Decimal | None = Field(None, ge=0, description="Yuan.")
    persons_involved: str | None = None
    kind: str | None = None


class PaperIn(PaperText):
    assignment: int = Field(..., description="The inspection target (assignment) id.")
    title: str
    authors: list[int] | None = Field(None, description="Group member ids; defaults to you.")


class PaperPatch(PaperText):
    title: str | None = None
    authors: list[int] | None = None


class AmendmentChanges(PaperText):
    title: str | None = None


class StepIn(Payload):
    action: str = Field(..., description="submit, approve, return, sign or register.")
    comment: str = ""


class AmendIn(Payload):
    changes: AmendmentChanges
    reason: str
