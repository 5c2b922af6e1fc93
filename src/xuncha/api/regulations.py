"""The rules library: regulations, versions with their provisions, an article by address,
resolving a citation, search, and importing a version. Same selectors and services as the pages.

Missing and out-of-scope records answer 404 alike; an import by a role that may not write 403;
bad input 422 naming the field.
"""

from __future__ import annotations

import base64
import binascii

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from xuncha.access.policy import VIEW, PermissionDenied, can_any
from xuncha.api.common import invalid, page
from xuncha.api.regulations_schemas import (
    ArticleOut,
    RegulationDetail,
    RegulationPage,
    ResolveParams,
    SearchOut,
    SearchParams,
    VersionImportIn,
    VersionImportOut,
    VersionTree,
)
from xuncha.api.schemas import ErrorOut, PageParams, ValidationErrorOut
from xuncha.findings.highlight import highlight
from xuncha.regulations import services_library as services
from xuncha.regulations.citations import resolve
from xuncha.regulations.models import Regulation
from xuncha.regulations.selectors import library as selectors
from xuncha.text.search import query_terms

router = Router()


def _readers_only(user) -> None:
    if user.system_role or not can_any(user, VIEW, Regulation):
        raise PermissionDenied("view Regulation")


@router.get("", response={200: RegulationPage, 403: ErrorOut}, summary="List the regulations of the library")
def regulation_list(request, params: Query[PageParams]):
    _readers_only(request.auth)
    return page(selectors.regulations_for(request.auth), params)


@router.get("/search", response={200: SearchOut, 403: ErrorOut}, summary="Search the articles of every document")
def search(request, params: Query[SearchParams]):
    user = request.auth
    _readers_only(user)
    terms = query_terms(params.q)
    qs = selectors.search_articles(user, params.q, regulation=params.regulation)
    result = page(qs, params) if terms else {"count": 0, "items": []}
    items = [{"regulation": a.version.regulation, "version": a.version, "article": a,
              "citation": f"{a.version.regulation.short_title}({a.version.label}){a.address}",
              "snippet": str(highlight(a.text, terms, width=160))} for a in result["items"]]
    return {"terms": list(terms), "count": result["count"], "items": items}


def _article(version, view) -> dict:
    from django.urls import reverse

    regulation = version.regulation
    provision = view.unit or view.article
    return {"regulation": regulation, "version": version, "article": view.article, "provision": provision,
            "units": view.units, "citation": f"{regulation.short_title}({version.label}){provision.address}",
            "url": reverse("regulations:article", args=[version.pk, selectors.article_ref(view.article)])}


@router.get("/resolve", response={200: ArticleOut, 403: ErrorOut, 404: ErrorOut},
            summary="Resolve a citation such as 条例(2024)第三十二条第二款")
def resolve_citation(request, params: Query[ResolveParams]):
    user = request.auth
    _readers_only(user)
    found = resolve(user, params.citation)
    if found is None:
        raise Http404
    view = selectors.get_article(found.version, found.provision.address)
    found.version.regulation = found.regulation
    return _article(found.version, view)


@router.get("/{int:regulation_id}", response={200: RegulationDetail, 404: ErrorOut},
            summary="One regulation with its versions")
def regulation_detail(request, regulation_id: int):
    regulation = selectors.get_regulation_for_user(request.auth, regulation_id)
    regulation.versions_list = list(selectors.versions_of(regulation))
    return {**{f: getattr(regulation, f) for f in ("id", "committee_id", "title", "short_title", "issuer")},
            "versions": regulation.versions_list}


@router.get("/versions/{int:version_id}", response={200: VersionTree, 404: ErrorOut},
            summary="A version with its provisions (编/章/节/条/款/项)")
def version_tree(request, version_id: int):
    version = selectors.get_version_for_user(request.auth, version_id)
    version.provisions_list = selectors.provisions_of(version)
    return {**{f: getattr(version, f) for f in ("id", "regulation_id", "label", "doc_number", "issued_on",
                                                 "effective_on", "source")},
            "provisions": version.provisions_list}


@router.get("/versions/{int:version_id}/articles/{ref}", response={200: ArticleOut, 404: ErrorOut},
            summary="An article by number (32, 20-1) or address (第三十二条第二款)")
def article(request, version_id: int, ref: str):
    version = selectors.get_version_for_user(request.auth, version_id)
    return _article(version, selectors.get_article(version, ref))


@router.post("/{int:regulation_id}/versions",
             response={201: VersionImportOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
             summary="Import a version from text or a base64 .docx")
def version_import(request, regulation_id: int, payload: VersionImportIn):
    user = request.auth
    regulation = selectors.get_regulation_for_user(user, regulation_id)
    docx = None
    if payload.docx_base64:
        try:
            docx = base64.b64decode(payload.docx_base64, validate=True)
        except (binascii.Error, ValueError):
            raise invalid("docx_base64", _("The file is not base64-encoded.")) from None
    try:
        result = services.version_import(actor=user, regulation=regulation, label=payload.label, text=payload.text,
                                         docx=docx, doc_number=payload.doc_number, issued_on=payload.issued_on,
                                         effective_on=payload.effective_on)
    except services.ValidationError as exc:
        if hasattr(exc, "error_dict") and "docx" in exc.error_dict:
            exc.error_dict["docx_base64"] = exc.error_dict.pop("docx")
        raise
    return Status(201, {"version": result.version, "articles": result.articles, "provisions": result.provisions,
                        "warnings": result.warnings})
