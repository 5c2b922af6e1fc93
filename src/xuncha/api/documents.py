"""Generated documents: the list and detail the user may see, the audited download, and
generation (a report, a feedback, a target's problem list or a round's ledger).

Missing and out-of-scope documents answer 404 alike; a refused template 422 with the reason.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from ninja import Query, Router, Status

from xuncha.api.common import invalid, page
from xuncha.api.documents_schemas import DocumentFilters, DocumentIn, DocumentOut, DocumentPage
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.reports import services_documents as services
from xuncha.reports.documents.sandbox import TemplateRefused
from xuncha.reports.selectors import documents as selectors
from xuncha.reports.views.documents import MIME

router = Router()


@router.get("", response={200: DocumentPage}, summary="List the generated documents the user may see")
def document_list(request, filters: Query[DocumentFilters]):
    qs = selectors.documents_for_user(request.auth, round_id=filters.round, doc_type=filters.doc_type or "",
                                      organization_id=filters.organization)
    return page(qs, filters)


@router.get("/{int:document_id}", response={200: DocumentOut, 404: ErrorOut}, summary="One generated document")
def document_detail(request, document_id: int):
    return selectors.get_document_for_user(request.auth, document_id)


@router.get("/{int:document_id}/download", response={200: None, 404: ErrorOut},
            summary="Download a generated document (audited)")
def document_download(request, document_id: int):
    document = selectors.get_document_for_user(request.auth, document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.record_download(actor=request.auth, document=document)
    response = FileResponse(handle, as_attachment=True, filename=f"{document.title}.{document.format}",
                            content_type=MIME[document.format])
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("", response={201: DocumentOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
             summary="Generate a document")
def document_generate(request, payload: DocumentIn):
    user = request.auth
    target = selectors.resolve_target(user, payload.doc_type, payload.object_id)
    try:
        document = services.generate(actor=user, doc_type=payload.doc_type, target=target, format=payload.format)
    except (services.DocumentError, TemplateRefused) as exc:
        raise invalid("object_id", str(exc)) from exc
    return Status(201, document)
