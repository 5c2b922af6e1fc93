"""The document centre (every generated file of a round, downloadable, each download audited),
the generate action, and the office's template management.

Documents are fetched only through the scope: another group's, a confidential or a
non-organization document is a 404 for those who may not see it.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.access.policy import CREATE, can, can_any
from xuncha.reports import services_documents as services
from xuncha.reports.documents import gbt9704
from xuncha.reports.documents.sandbox import TemplateRefused
from xuncha.reports.models import DocType, DocumentTemplate, GeneratedDocument
from xuncha.reports.selectors import documents as selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 50
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
WORD_TYPES = [(k, v) for k, v in DocType.choices if k in gbt9704.LAYOUTS]


def _attachment(data_or_file, filename: str, fmt: str) -> FileResponse:
    """An attachment with its Chinese filename (RFC 5987 filename*), never sniffed."""
    response = FileResponse(data_or_file, as_attachment=True, filename=filename, content_type=MIME[fmt])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@service_page(refuse_system_roles=True, readable=GeneratedDocument)
def document_list(request):
    doc_type = request.GET.get("type", "")
    documents = selectors.documents_for_user(request.user, round_id=request.GET.get("round") or None,
                                             doc_type=doc_type if doc_type in DocType.values else "")
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/documents/list.html",
                  {"page": page, "doc_types": DocType.choices, "doc_type": doc_type})


@service_page(refuse_system_roles=True)
def round_documents(request, round_id: int):
    round_ = selectors.get_round_for_user(request.user, round_id)
    doc_type = request.GET.get("type", "")
    documents = selectors.documents_for_user(request.user, round_id=round_.pk,
                                             doc_type=doc_type if doc_type in DocType.values else "")
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    may_generate = can_any(request.user, CREATE, GeneratedDocument)
    targets = selectors.generate_targets(request.user, round_) if may_generate else None
    return render(request, "reports/documents/round.html",
                  {"round": round_, "page": page, "doc_types": DocType.choices, "doc_type": doc_type,
                   "targets": targets, "may_generate": may_generate})


@service_page(refuse_system_roles=True)
def document_download(request, pk: int):
    document = selectors.get_document_for_user(request.user, pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.record_download(actor=request.user, document=document)
    return _attachment(handle, f"{document.title}.{document.format}", document.format)


@require_POST
@service_page(refuse_system_roles=True)
def document_generate(request):
    """POST doc_type + object_id (+ format docx|xlsx): generate and go back to the round's centre."""
    doc_type = request.POST.get("doc_type", "")
    fmt = request.POST.get("format", "docx")
    if doc_type not in DocType.values or fmt not in MIME:
        raise Http404
    try:
        object_id = int(request.POST.get("object_id", ""))
    except ValueError as exc:
        raise Http404 from exc
    target = selectors.resolve_target(request.user, doc_type, object_id)
    try:
        document = services.generate(actor=request.user, doc_type=doc_type, target=target, format=fmt)
    except (services.DocumentError, TemplateRefused) as exc:
        messages.error(request, str(exc))
        return redirect(_back(request, None))
    messages.success(request, _("“%(title)s” was generated.") % {"title": document.title})
    return redirect(_back(request, document))


def _back(request, document):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    if document is not None:
        return reverse("reports:round_documents", args=[document.round_id])
    return reverse("reports:documents")


class TemplateUploadForm(forms.Form):
    doc_type = forms.ChoiceField(label=gettext_lazy("Document type"), choices=WORD_TYPES)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    file = forms.FileField(label=gettext_lazy("Word template (.docx)"))
    activate = forms.BooleanField(label=gettext_lazy("Use it from now on"), required=False, initial=True)


@service_page(refuse_system_roles=True, readable=DocumentTemplate)
def template_list(request):
    committee = _office_committee(request.user)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if committee is None:
            raise Http404
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                template = services.upload_template(
                    actor=request.user, committee=committee, doc_type=form.cleaned_data["doc_type"],
                    name=form.cleaned_data["name"], data=upload.read(), activate=form.cleaned_data["activate"])
            except TemplateRefused as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("The template “%(name)s” was checked and saved.") % {"name": template.name})
                return redirect("reports:document_templates")
    templates = selectors.templates_for_user(request.user)
    return render(request, "reports/documents/templates.html",
                  {"form": form, "templates": templates, "word_types": WORD_TYPES,
                   "may_upload": committee is not None})


def _office_committee(user):
    """The committee whose templates the user keeps (the office of its committee), if any."""
    from xuncha.access.policy import assignments

    for assignment in assignments(user):
        if assignment.committee_id and can(user, CREATE, DocumentTemplate(committee_id=assignment.committee_id,
                                                                           committee=assignment.committee)):
            return assignment.committee
    return None


@require_POST
@service_page(refuse_system_roles=True)
def template_activate(request, pk: int):
    template = selectors.get_template_for_user(request.user, pk)
    active = request.POST.get("active", "1") == "1"
    services.set_template_active(actor=request.user, template=template, active=active)
    messages.success(request, _("Template “%(name)s” is in use.") % {"name": template.name} if active
                     else _("The default template is in use again."))
    return redirect("reports:document_templates")


@service_page(refuse_system_roles=True, readable=DocumentTemplate)
def template_download(request, pk: int):
    template = selectors.get_template_for_user(request.user, pk)
    return _attachment(template.file.open("rb"), f"{template.name}.docx", "docx")


@service_page(refuse_system_roles=True, readable=DocumentTemplate)
def template_default(request, doc_type: str):
    if doc_type not in gbt9704.LAYOUTS:
        raise Http404
    data = gbt9704.default_template_path(doc_type).read_bytes()
    label = dict(DocType.choices)[doc_type]
    return _attachment(io.BytesIO(data), f"{_('Default template')}-{label}.docx", "docx")

