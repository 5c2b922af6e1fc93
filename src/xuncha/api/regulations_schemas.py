"""Request and response shapes of the rules library API."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from xuncha.api.schemas import PageParams, Payload


class RegulationOut(Schema):
    id: int
    committee: int = Field(..., alias="committee_id")
    title: str
    short_title: str = Field(..., description="As cited: 条例 in 条例(2024)第三十二条.")
    issuer: str


class RegulationPage(Schema):
    count: int
    items: list[RegulationOut]


class VersionOut(Schema):
    id: int
    regulation: int = Field(..., alias="regulation_id")
    label: str
    doc_number: str
    issued_on: date | None
    effective_on: date | None
    source: str


class RegulationDetail(RegulationOut):
    versions: list[VersionOut]


class ProvisionOut(Schema):
    id: int
    parent: int | None = Field(None, alias="parent_id")
    level: int = Field(..., description="1 编, 2 章, 3 节, 4 条, 5 款, 6 项.")
    number: int
    label: str
    heading: str
    text: str
    position: int
    address: str


class VersionTree(VersionOut):
    provisions: list[ProvisionOut] = Field(..., description="In document order; `parent` makes the tree.")


class ArticleOut(Schema):
    regulation: RegulationOut
    version: VersionOut
    article: ProvisionOut
    provision: ProvisionOut = Field(..., description="The unit the address names (the article, a 款 or a 项).")
    units: list[ProvisionOut] = Field(..., description="The article's 款 and 项.")
    citation: str
    url: str


class ResolveParams(Schema):
    citation: str = Field(..., max_length=120, description="e.g. 条例(2024)第三十二条第二款")


class SearchParams(PageParams):
    q: str = Field("", max_length=100)
    regulation: int | None = None


class SearchHit(Schema):
    regulation: RegulationOut
    version: VersionOut
    article: ProvisionOut
    citation: str
    snippet: str = Field(..., description="HTML: the text escaped, the words in <mark>.")


class SearchOut(Schema):
    terms: list[str]
    count: int
    items: list[SearchHit]


class VersionImportIn(Payload):
    label: str = Field(..., max_length=20)
    text: str = ""
    docx_base64: str = Field("", description="A .docx file, base64-encoded, instead of the text.")
    doc_number: str = ""
    issued_on: date | None = None
    effective_on: date | None = None


class VersionImportOut(Schema):
    version: VersionOut
    articles: int
    provisions: int
    warnings: list[str]
