"""Request and response shapes of the problems API (and the search over papers and problems)."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class ProblemFilters(PageParams):
    round: int | None = None
    group: int | None = None
    assignment: int | None = Field(None, description="The inspection target.")
    kind: str = Field("", description="general, lead or cadre.")
    severity: str = Field("", description="minor, serious or grave.")
    focus: str = Field("", description="Key of a supervision focus (level 1 of the checklist).")
    q: str = Field("", description="Words to search for in the title and description.")


class ClassificationOut(Schema):
    id: int
    key: str
    title: str
    path: str = Field(..., description="监督重点 › 监督要点 › 问题表现形式")

    @staticmethod
    def resolve_path(obj) -> str:
        from xuncha.findings.forms_problems import classification_path

        return classification_path(obj)


class ProblemOut(Schema):
    id: int
    number: str
    round: int
    group: int
    assignment: int
    organization: int
    organization_name: str
    title: str
    kind: str
    severity: str
    amount: Decimal | None
    classification: ClassificationOut
    split_from: int | None

    @staticmethod
    def resolve_round(obj) -> int:
        return obj.round_id

    @staticmethod
    def resolve_group(obj) -> int:
        return obj.group_id

    @staticmethod
    def resolve_assignment(obj) -> int:
        return obj.assignment_id

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_split_from(obj) -> int | None:
        return obj.split_from_id


class PaperRef(Schema):
    id: int
    number: str
    title: str
    state: str


class ProblemDetail(ProblemOut):
    description: str
    papers: list[PaperRef]

    @staticmethod
    def resolve_papers(obj) -> list:
        return obj.shown_papers


class ProblemPage(Schema):
    count: int
    items: list[ProblemOut]


class ProblemIn(Payload):
    papers: list[int] = Field(..., min_length=1, description="Ids of signed papers of one target.")
    title: str = Field("", max_length=200, description="Defaults to the first paper's summary.")
    description: str = Field("", description="Defaults to the papers' facts.")
    classification: int | None = Field(None, description="A manifestation; defaults to the first paper's.")
    kind: str = Field("", description="general, lead or cadre; defaults from the papers.")
    severity: str = Field("", description="minor, serious or grave; defaults to minor.")
    amount: Decimal | None = Field(None, ge=0, description="Defaults to the sum of the papers' amounts.")


class ProblemPatch(Payload):
    title: str | None = Field(None, max_length=200)
    description: str | None = None
    classification: int | None = None
    kind: str | None = None
    severity: str | None = None
    amount: Decimal | None = Field(None, ge=0)


class MergeIn(Payload):
    problems: list[int] = Field(..., min_length=2, description="The first (lowest number) keeps every paper.")
    title: str = Field("", max_length=200)
    description: str = ""
    severity: str = ""


class PartIn(Payload):
    title: str = Field(..., max_length=200)
    description: str = ""
    papers: list[int] = Field(..., min_length=1)
    severity: str = ""
    kind: str = ""


class SplitIn(Payload):
    parts: list[PartIn] = Field(..., min_length=2, description="Each paper of the problem in exactly one part; "
                                                                "the first part stays this problem.")


class SearchParams(PageParams):
    q: str = Field(..., min_length=1, max_length=100)
    limit: int = Field(20, ge=1, le=100)


class PaperHit(Schema):
    id: int
    number: str
    title: str
    state: str
    kind: str
    group: int
    organization_name: str

    @staticmethod
    def resolve_group(obj) -> int:
        return obj.group_id

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.assignment.organization.name


class PaperHits(Schema):
    count: int
    items: list[PaperHit]


class SearchOut(Schema):
    terms: list[str]
    papers: PaperHits
    problems: ProblemPage
