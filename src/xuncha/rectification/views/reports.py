"""Progress report pages: the ledger of progress reports and their disclosure (with the issued
feedback whose report was never started), one report (text and file, deadlines with warning
colours, writing and submitting for the organization's liaison, the review for the office, the
disclosures), and the download of the report's file.

A report outside the user's scope is a 404; a role that reads reports but may not take an
action gets the 403 page; roles that read no progress reports at all get the 403 page. Writes
are POST-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.access.policy import CHANGE, CREATE, DELETE, can, can_any
from xuncha.findings.uploads import DOCX, PDF, extension_of
from xuncha.rectification import services_reports as services
from xuncha.rectification import warnings
from xuncha.rectification.forms_reports import (
    AcceptForm,
    DisclosureForm,
    LedgerFilterForm,
    ReportForm,
    ReturnForm,
)
from xuncha.rectification.models import Disclosure, ProgressReport
from xuncha.rectification.selectors import reports as selectors
from xuncha.rectification.selectors.reports import DisclosureState
from xuncha.workbench.pages import service_page

PER_PAGE = 50
CONTENT_TYPES = {ext: t.content_type for t in (DOCX, PDF) for ext in t.extensions}

report_page = partial(service_page, refuse_system_roles=True, readable=ProgressReport)


def _save(form, call) -> bool:
    """Call the service with the form's data; its ValidationError goes onto the form."""
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    return True


def _flash_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# -- the ledger ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    feedback: object
    report: ProgressReport | None
    due_css: str  # Bootstrap colour of the report's deadline (warnings.level_for)
    disclosure_css: str  # of the disclosure deadline, once there is one


def _row(feedback, today) -> Row:
    report = getattr(feedback, "progress_report", None)
    submitted = report is not None and report.state in (ProgressReport.State.SUBMITTED, ProgressReport.State.REVIEWED)
    due_css = warnings.CSS[warnings.level_for(feedback.row_due, today, feedback.policy, done=submitted)]
    disclosure_css = ""
    if report is not None and report.state == ProgressReport.State.REVIEWED:
        disclosure_css = warnings.CSS[warnings.level_for(
            report.disclosure_due, today, report.policy, done=feedback.disclosure_state in DisclosureState.PUBLISHED)]
    return Row(feedback, report, due_css, disclosure_css)


@require_GET
@report_page
def report_list(request):
    user = request.user
    today = timezone.localdate()
    form = LedgerFilterForm(request.GET or None, rounds=list(selectors.round_choices(user)))
    qs = selectors.ledger(user, today, form.filters() if form.is_bound else selectors.LedgerFilters())
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rectification/reports/list.html", {
        "form": form, "page": page, "rows": [_row(f, today) for f in page.object_list],
        "may_start": can_any(user, CREATE, ProgressReport),
    })


@require_POST
@report_page
def report_start(request, feedback_pk: int):
    user = request.user
    feedback = selectors.get_startable_feedback(user, feedback_pk)
    if not can(user, CREATE, services.new_report(feedback)):
        raise PermissionDenied
    try:
        report = services.report_start(actor=user, feedback=feedback)
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("rectification:report_list")
    messages.success(request, _("The progress report has been started."))
    return redirect("rectification:report_detail", report.pk)


# -- one report ------------------------------------------------------------------------------

def _may_write(user, report: ProgressReport) -> bool:
    return report.state in services.EDITABLE and can(user, CHANGE, report, roles=services.LIAISON)


def _may_review(user, report: ProgressReport) -> bool:
    return report.state == ProgressReport.State.SUBMITTED and can(user, CHANGE, report, roles=services.OFFICE)


def _may_disclose(user, report: ProgressReport) -> bool:
    return report.state == ProgressReport.State.REVIEWED and can(user, CREATE, Disclosure(report=report))


def _render_detail(request, report: ProgressReport, *, status: int = 200, **forms):
    user = request.user
    today = timezone.localdate()
    may_write, may_review, may_disclose = _may_write(user, report), _may_review(user, report), \
        _may_disclose(user, report)
    if may_write:
        forms.setdefault("form", ReportForm(initial={"title": report.title, "text": report.text}))
    if may_review:
        forms.setdefault("accept_form", AcceptForm(initial={"reviewed_on": today}))
        forms.setdefault("return_form", ReturnForm())
    if may_disclose:
        forms.setdefault("disclosure_form", DisclosureForm(initial={"published_on": today}))
    submitted = report.state in (ProgressReport.State.SUBMITTED, ProgressReport.State.REVIEWED)
    due_level = warnings.level_for(report.due, today, report.feedback.policy, done=submitted)
    disclosure_level = warnings.level_for(report.disclosure_due, today, report.policy,
                                          done=report.disclosure_state in DisclosureState.PUBLISHED)
    return render(request, "rectification/reports/detail.html", {
        "report": report, "today": today,
        "due_level": due_level, "due_css": warnings.CSS[due_level],
        "disclosure_level": disclosure_level, "disclosure_css": warnings.CSS[disclosure_level],
        "disclosure_label": DisclosureState.LABELS.get(report.disclosure_state, ""),
        "disclosure_state_css": DisclosureState.CSS.get(report.disclosure_state, ""),
        "days_left": warnings.days_left(report.due, today) if not submitted else None,
        "may_write": may_write, "may_submit": may_write, "may_review": may_review, "may_disclose": may_disclose,
        "may_remove_disclosures": bool(report.shown_disclosures) and can(
            user, DELETE, report.shown_disclosures[0]),
        **forms,
    }, status=status)


def _report(request, pk: int) -> ProgressReport:
    return selectors.get_report_for_user(request.user, pk, timezone.localdate())


@require_GET
@report_page
def report_detail(request, pk: int):
    return _render_detail(request, _report(request, pk))


@require_POST
@report_page
def report_edit(request, pk: int):
    user = request.user
    report = _report(request, pk)
    if not can(user, CHANGE, report, roles=services.LIAISON):
        raise PermissionDenied
    if report.state not in services.EDITABLE:
        messages.error(request, _("The report has been submitted; it can no longer be changed."))
        return redirect("rectification:report_detail", pk)
    form = ReportForm(request.POST, request.FILES)
    upload = request.FILES.get("file")
    if form.is_valid() and _save(form, lambda data: services.report_update(
            actor=user, report=report, title=data["title"], text=data["text"], file=upload,
            file_name=upload.name if upload else "", remove_file=data["remove_file"])):
        messages.success(request, _("The progress report has been saved."))
        return redirect("rectification:report_detail", pk)
    return _render_detail(request, report, form=form, status=400)


@require_POST
@report_page
def report_submit(request, pk: int):
    user = request.user
    report = _report(request, pk)
    if not can(user, CHANGE, report, roles=services.LIAISON):
        raise PermissionDenied
    try:
        report = services.report_submit(actor=user, report=report)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        if report.submitted_on > report.due:
            messages.warning(request, _("The progress report has been submitted after its due date."))
        else:
            messages.success(request, _("The progress report has been submitted to the inspection office."))
    return redirect("rectification:report_detail", pk)


@require_POST
@report_page
def report_review(request, pk: int):
    user = request.user
    report = _report(request, pk)
    if not can(user, CHANGE, report, roles=services.OFFICE):
        raise PermissionDenied
    if report.state != ProgressReport.State.SUBMITTED:
        messages.error(request, _("Only a submitted report can be reviewed."))
        return redirect("rectification:report_detail", pk)
    decision = "return" if request.POST.get("decision") == "return" else "accept"
    if decision == "return":
        form, name = ReturnForm(request.POST), "return_form"
        done = _("The progress report has been returned to the organization.")
    else:
        form, name = AcceptForm(request.POST), "accept_form"
        done = _("The review opinion has been recorded; the disclosure deadline is set.")
    if form.is_valid() and _save(form, lambda data: services.report_review(
            actor=user, report=report, decision=decision, **data)):
        messages.success(request, done)
        return redirect("rectification:report_detail", pk)
    return _render_detail(request, report, status=400, **{name: form})


@require_GET
@report_page
def report_file(request, pk: int):
    report = _report(request, pk)
    if not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    services.record_download(actor=request.user, report=report)
    response = FileResponse(handle, as_attachment=True, filename=report.original_name or report.file.name,
                            content_type=CONTENT_TYPES.get(extension_of(report.file.name),
                                                           "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# -- disclosure ------------------------------------------------------------------------------

@require_POST
@report_page
def disclosure_add(request, pk: int):
    user = request.user
    report = _report(request, pk)
    if not can(user, CREATE, Disclosure(report=report)):
        raise PermissionDenied
    form = DisclosureForm(request.POST)
    if form.is_valid() and _save(form, lambda data: services.disclosure_add(actor=user, report=report, **data)):
        messages.success(request, _("The publication has been recorded."))
        return redirect("rectification:report_detail", pk)
    return _render_detail(request, report, disclosure_form=form, status=400)


@require_POST
@report_page
def disclosure_remove(request, pk: int, disclosure_pk: int):
    user = request.user
    report = _report(request, pk)
    disclosure = selectors.get_disclosure_for_user(user, report, disclosure_pk)
    if not can(user, DELETE, disclosure):
        raise PermissionDenied
    services.disclosure_remove(actor=user, disclosure=disclosure)
    messages.success(request, _("The publication has been removed."))
    return redirect("rectification:report_detail", pk)
