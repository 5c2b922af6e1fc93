"""Request and response shapes of the complaints API. No response shape has a field for the
informant's name or contact except IdentityOut, answered only by the audited identity view."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload
from xuncha.intake.selectors import complaints as selectors


class ComplaintFilters(PageParams):
    channel: str = Field("", description="letter, phone, visit, online or qr.")
    handling: str = Field("", description="pending, to_group, to_department, out_of_scope or concluded.")
    round: int | None = None
    group: int | None = None
    category: str = Field("", description="A checklist item id (supervision focus), or 'none'.")
    organization: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    q: str = Field("", description="Part of the subject.")

    def register_filters(self) -> selectors.RegisterFilters:
        category: int | str | None = None
        if self.category == selectors.NO_CATEGORY:
            category = selectors.NO_CATEGORY
        elif self.category.isdigit():
            category = int(self.category)
        return selectors.RegisterFilters(channel=self.channel, handling=self.handling, round=self.round,
                                         group=self.group, category=category, organization=self.organization,
                                         received_from=self.received_from, received_to=self.received_to, q=self.q)


class ComplaintOut(Schema):
    id: int
    number: str = Field(..., description="Year and number within the committee, e.g. 2024-0003.")
    committee: int
    round: int | None
    group: int | None
    channel: str
    received_on: date
    organization: int | None
    concerns: str
    subject: str
    category: int | None = Field(None, description="The checklist focus it falls under.")
    category_title: str
    anonymous: bool = Field(..., description="Whether the informant gave no name or contact (never who).")
    handling: str
    passed_to: str
    handled_on: date | None
    outcome: str
    duplicate_of: int | None
    repeats: int = Field(0, description="Other complaints from the same contact that you may see.")

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_round(obj) -> int | None:
        return obj.round_id

    @staticmethod
    def resolve_group(obj) -> int | None:
        return obj.group_id

    @staticmethod
    def resolve_organization(obj) -> int | None:
        return obj.organization_id

    @staticmethod
    def resolve_category(obj) -> int | None:
        return obj.category_id

    @staticmethod
    def resolve_category_title(obj) -> str:
        return obj.category.title if obj.category_id else ""

    @staticmethod
    def resolve_duplicate_of(obj) -> int | None:
        return obj.duplicate_of_id

    @staticmethod
    def resolve_repeats(obj) -> int:
        return getattr(obj, "repeats", 0)


class ComplaintPage(Schema):
    count: int
    items: list[ComplaintOut]


class StepOut(Schema):
    action: str
    from_state: str
    to_state: str
    at: datetime
    actor: str
    comment: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.display_name if obj.actor else ""


class MessageOut(Schema):
    id: int
    from_public: bool
    author: str
    text: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.display_name if obj.author and not obj.from_public else ""


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


class PaperRef(Schema):
    id: int
    number: str
    title: str


class ComplaintDetail(ComplaintOut):
    content: str
    steps: list[StepOut]
    messages: list[MessageOut]
    attachments: list[AttachmentOut]
    papers: list[PaperRef]
    duplicates: list[int] = Field(..., description="Complaints you may see with the same content.")
    repeat_ids: list[int] = Field(..., description="Complaints you may see from the same informant.")

    @staticmethod
    def resolve_duplicates(obj) -> list[int]:
        return obj.duplicate_ids

    @staticmethod
    def resolve_steps(obj):
        return obj.shown_steps

    @staticmethod
    def resolve_messages(obj):
        return obj.shown_messages

    @staticmethod
    def resolve_attachments(obj):
        return obj.shown_attachments

    @staticmethod
    def resolve_papers(obj):
        return obj.shown_papers


class ComplaintIn(Payload):
    group_id: int | None = Field(None, description="The group it came to (required for a group's own register).")
    round_id: int | None = None
    channel: str
    received_on: date | None = None
    organization_id: int | None = None
    concerns: str = ""
    subject: str = ""
    content: str = ""
    category_id: int | None = None
    name: str = Field("", description="Optional; stored encrypted and never returned here.")
    contact: str = Field("", description="Optional; stored encrypted and never returned here.")


class ComplaintPatch(Payload):
    subject: str | None = None
    content: str | None = None
    concerns: str | None = None
    category_id: int | None = Field(None, description="Give 0 to clear the category.")
    organization_id: int | None = Field(None, description="Give 0 to clear the organization.")


class HandlingIn(Payload):
    action: str = Field(..., description="to_group, to_department, out_of_scope, conclude or reopen.")
    group_id: int | None = None
    passed_to: str = ""
    outcome: str = ""
    comment: str = ""
    on: date | None = None


class MessageIn(Payload):
    text: str


class IdentityRequestIn(Payload):
    reason: str


class DecisionIn(Payload):
    grant: bool
    comment: str = ""
    expires_on: date | None = None


class IdentityAccessOut(Schema):
    id: int
    complaint: int
    requested_by: str
    reason: str
    requested_at: datetime
    state: str
    decided_by: str
    decided_at: datetime | None
    decision_comment: str
    expires_on: date | None
    views: int

    @staticmethod
    def resolve_complaint(obj) -> int:
        return obj.complaint_id

    @staticmethod
    def resolve_requested_by(obj) -> str:
        return obj.requested_by.display_name

    @staticmethod
    def resolve_decided_by(obj) -> str:
        return obj.decided_by.display_name if obj.decided_by else ""


class IdentityOut(Schema):
    name: str
    contact: str
