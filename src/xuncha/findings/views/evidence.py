"""Evidence pages: a paper's files with the upload form, the download, the removal.

The paper comes through the policy's scope (404 otherwise, also for roles that see papers
but not their evidence); files are streamed by this view only, never from a public URL.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.access.policy import CREATE, DELETE, can
from xuncha.findings import services_evidence as services
from xuncha.findings.forms_evidence import EvidenceForm
from xuncha.findings.models import Evidence, WorkingPaper
from xuncha.findings.selectors import evidence as selectors


def paper_url(paper: WorkingPaper) -> str | None:
    """The paper's own page, when the papers pages are there."""
    try:
        return reverse("findings:paper_detail", args=[paper.pk])
    except NoReverseMatch:
        return None


@login_required
def paper_evidence(request, paper_id: int):
    user = request.user
    paper = selectors.get_paper_for_evidence(user, paper_id)
    may_add = can(user, CREATE, Evidence(paper=paper)) and paper.state != WorkingPaper.State.REGISTERED
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                evidence = services.evidence_add(actor=user, paper=paper, file=upload, name=upload.name,
                                                 description=form.cleaned_data["description"])
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("%(name)s has been attached.") % {"name": evidence.original_name})
                return redirect("findings:paper_evidence", paper.pk)
    files = list(selectors.evidence_of(user, paper))
    may_delete = not paper.is_frozen and bool(files) and can(user, DELETE, files[0])
    return render(request, "findings/evidence/paper_evidence.html", {
        "paper": paper, "files": files, "form": form if may_add else None, "may_delete": may_delete,
        "paper_url": paper_url(paper),
    }, status=400 if form.errors else 200)


@login_required
def evidence_download(request, pk: int):
    evidence = selectors.get_evidence_for_user(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    services.record_download(actor=request.user, evidence=evidence)
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@login_required
def evidence_delete(request, pk: int):
    user = request.user
    evidence = selectors.get_evidence_for_user(user, pk)
    if not can(user, DELETE, evidence):
        raise PermissionDenied
    try:
        services.evidence_delete(actor=user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s has been removed.") % {"name": evidence.original_name})
    return redirect("findings:paper_evidence", evidence.paper_id)
