"""Pages of the registry's Excel import and export: thin, calling registry.io."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from xuncha.access import policy
from xuncha.registry.io import EXPORTERS, UploadRefused, jobs, template_bytes
from xuncha.registry.io.forms import ExportForm, ImportForm
from xuncha.registry.models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAMES = {"orgs": "组织机构导入模板.xlsx", "people": "人员导入模板.xlsx"}
EXPORT_NAMES = {"orgs": "组织机构", "people": "人员"}


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _committees(user) -> tuple[list, list]:
    importable = jobs.committees_for_import(user)
    exportable = jobs.committees_for_export(user)
    if not importable and not exportable:
        raise PermissionDenied
    return importable, exportable


def _index(request, importable, exportable, import_form=None, status=200):
    context = {
        "import_form": import_form or ImportForm(committees=importable,
                                                  initial={"kind": ImportJob.Kind.ORGANIZATIONS}),
        "export_form": ExportForm(committees=exportable),
        "can_import": bool(importable),
        "can_export": bool(exportable),
        "jobs": jobs.jobs_for(request.user)[:10],
    }
    return render(request, "registry/io/index.html", context, status=status)


@login_required
@require_GET
def index(request):
    importable, exportable = _committees(request.user)
    return _index(request, importable, exportable)


@login_required
@require_POST
def import_start(request):
    importable, exportable = _committees(request.user)
    if not importable:
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES, committees=importable)
    if form.is_valid():
        data = form.cleaned_data
        try:
            job = jobs.import_start(actor=request.user, committee=data["committee"],
                                    kind=data["kind"], upload=data["file"],
                                    dry_run=data["dry_run"])
        except UploadRefused as exc:
            form.add_error("file", exc.message)
        except policy.PermissionDenied:
            raise PermissionDenied from None
        else:
            return redirect("registry_io:job", public_id=job.public_id)
    return _index(request, importable, exportable, import_form=form, status=400)


@login_required
@require_GET
def job(request, public_id):
    found = jobs.get_job_for_user(request.user, public_id)
    if found is None:
        raise Http404
    errors = Paginator(found.errors, 100).get_page(request.GET.get("page"))
    context = {"job": found, "errors": errors, "notices": found.counts.get("notices", [])}
    if request.htmx:
        return render(request, "registry/io/job_status.html", context)
    return render(request, "registry/io/job.html", context)


@login_required
@require_GET
def template(request, kind: str):
    if kind not in TEMPLATE_NAMES:
        raise Http404
    _committees(request.user)
    return _xlsx(template_bytes(kind), TEMPLATE_NAMES[kind])


@login_required
@require_POST
def export(request):
    _importable, exportable = _committees(request.user)
    form = ExportForm(request.POST, committees=exportable)
    if not form.is_valid():
        raise PermissionDenied
    committee, kind = form.cleaned_data["committee"], form.cleaned_data["kind"]
    buffer = io.BytesIO()
    try:
        EXPORTERS[kind](actor=request.user, committee=committee, target=buffer)
    except policy.PermissionDenied:
        raise PermissionDenied from None
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(buffer.getvalue(), f"{committee.name}-{EXPORT_NAMES[kind]}-{stamp}.xlsx")
