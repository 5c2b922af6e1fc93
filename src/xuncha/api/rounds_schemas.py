"""Request and response shapes of the rounds API (terms, rounds, groups, targets, coverage)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload

# -- terms -----------------------------------------------------------------------------------


class TermFilters(PageParams):
    committee: int | None = None


class TermOut(Schema):
    id: int
    committee: int
    committee_name: str
    number: int
    name: str
    start_date: date
    end_date: date | None
    planned_rounds: int

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_committee_name(obj) -> str:
        return obj.committee.name


class TermPage(Schema):
    count: int
    items: list[TermOut]


class TermIn(Payload):
    committee: int
    number: int = Field(..., ge=1, le=999)
    name: str = Field("", description="Defaults to 第N届.")
    start_date: date
    end_date: date | None = None
    planned_rounds: int = Field(9, ge=0, le=99)


# -- rounds ----------------------------------------------------------------------------------


class RoundFilters(PageParams):
    term: int | None = None
    state: str = Field("", description="planned, approved, stationed, reporting, feedback, rectifying or completed.")
    kind: str = Field("", description="routine, special, mobile, cross, upgraded, linked or follow_up.")


class RoundOut(Schema):
    id: int
    term: int
    committee: int
    number: int
    label: str = Field(..., description="e.g. 十四届第八轮")
    kind: str
    title: str
    theme: str
    planned_entry: date
    planned_exit: date
    state: str
    state_name: str

    @staticmethod
    def resolve_term(obj) -> int:
        return obj.term_id

    @staticmethod
    def resolve_committee(obj) -> int:
        return obj.committee_id

    @staticmethod
    def resolve_state_name(obj) -> str:
        return str(obj.get_state_display())


class RoundPage(Schema):
    count: int
    items: list[RoundOut]


class GroupBrief(Schema):
    id: int
    number: int
    name: str


class TransitionOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    at: datetime
    comment: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.display_name if obj.actor_id else ""


class RoundDetail(RoundOut):
    groups: list[GroupBrief] = Field(..., description="The groups you may see.")
    transitions: list[TransitionOut]

    @staticmethod
    def resolve_groups(obj):
        return obj.shown_groups

    @staticmethod
    def resolve_transitions(obj):
        return obj.shown_transitions


class RoundIn(Payload):
    term: int
    kind: str = "routine"
    planned_entry: date
    planned_exit: date
    title: str = ""
    theme: str = Field("", description="Required for a special round.")
    number: int | None = Field(None, ge=1, le=999, description="Defaults to the next in the term.")


class RoundPatch(Payload):
    """Only the fields given are changed."""

    kind: str = ""
    title: str = ""
    theme: str = ""
    planned_entry: date | None = None
    planned_exit: date | None = None


class TransitionIn(Payload):
    action: str = Field(..., description="approve, return, enter, withdraw, feed_back, rectify or complete.")
    comment: str = ""


# -- groups and targets ----------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    person: int
    name: str
    role: str
    role_name: str
    account: str | None = Field(None, description="Username of the member's account, if any.")

    @staticmethod
    def resolve_person(obj) -> int:
        return obj.person_id

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.person.name

    @staticmethod
    def resolve_role_name(obj) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_account(obj) -> str | None:
        return obj.user.username if obj.user_id else None


class AssignmentOut(Schema):
    id: int
    round: int
    group: int
    group_name: str
    organization: int
    organization_name: str
    organization_kind: str
    mode: str
    added_at: datetime

    @staticmethod
    def resolve_round(obj) -> int:
        return obj.round_id

    @staticmethod
    def resolve_group(obj) -> int:
        return obj.group_id

    @staticmethod
    def resolve_group_name(obj) -> str:
        return obj.group.name

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_organization_kind(obj) -> str:
        return obj.organization.kind.code


class AssignmentPage(Schema):
    count: int
    items: list[AssignmentOut]


class AssignmentFilters(PageParams):
    round: int | None = None
    group: int | None = None
    organization: int | None = None


class AssignmentIn(Payload):
    group: int
    organization: int
    mode: str = "direct"
    override_reason: str = Field("", description="An office administrator's written reason to let a "
                                                 "recusal conflict stand.")


class GroupOut(Schema):
    id: int
    round: int
    round_label: str
    number: int
    name: str
    full_name: str
    members: list[MemberOut]
    targets: list[AssignmentOut]

    @staticmethod
    def resolve_round(obj) -> int:
        return obj.round_id

    @staticmethod
    def resolve_round_label(obj) -> str:
        return obj.round.label

    @staticmethod
    def resolve_members(obj):
        return obj.shown_members

    @staticmethod
    def resolve_targets(obj):
        return obj.shown_targets


class GroupIn(Payload):
    number: int | None = Field(None, ge=1, le=99, description="Defaults to the next in the round.")


# -- coverage --------------------------------------------------------------------------------


class CoverageFilters(Schema):
    term: int


class UncoveredFilters(PageParams):
    term: int
    kind: str = Field("", description="Code of the kind of organization.")
    township: str = Field("", description="Id of a township, or 'other' for the county level and others.")


class CoverageRowOut(Schema):
    key: str
    label: str
    total: int
    covered: int
    uncovered: int
    rate: float | None = Field(..., description="Percent, one decimal; null when nothing must be covered.")


class ForecastOut(Schema):
    planned_rounds: int
    created_rounds: int
    rounds_with_targets: int
    targets: int
    remaining_rounds: int
    average_targets: float | None
    capacity: int | None = Field(..., description="Organizations the remaining rounds can take at the "
                                                  "average so far; null before any round has targets.")
    short: bool = Field(..., description="True when the remaining rounds cannot reach 100%.")
    warning: str


class CoverageOut(Schema):
    term: int
    total: int
    covered: int
    uncovered: int
    rate: float | None
    by_kind: list[CoverageRowOut]
    by_township: list[CoverageRowOut]
    forecast: ForecastOut


class UncoveredOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    parent: int | None
    parent_name: str

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
    def resolve_parent_name(obj) -> str:
        return obj.parent.name if obj.parent_id else ""


class UncoveredPage(Schema):
    count: int
    items: list[UncoveredOut]
