"""Schemas of the documents API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema

from xuncha.api.schemas import PageParams, Payload


class DocumentFilters(PageParams):
    round: int | None = None
    doc_type: str | None = None
    organization: int | None = None


class DocumentOut(Schema):
    id: int
    round_id: int
    group_id: int | None
    organization_id: int | None
    doc_type: str
    format: str
    title: str
    size: int
    sha256: str
    confidential: bool
    for_organization: bool
    created_at: datetime


class DocumentPage(Schema):
    count: int
    items: list[DocumentOut]


class DocumentIn(Payload):
    doc_type: Literal["report", "leads", "feedback", "problem_list", "ledger"]
    object_id: int
    format: Literal["docx", "xlsx"] = "docx"
