"""Pages of reports: the reports of a round (per target the report and the leads report), one
report with its outline, approval steps and history, the editor, versions and their diff, the
approval inbox and the committee's approval chains.

A report outside the user's scope is a 404; a role that sees it but may not write gets a 403.
The inspected organization reaches none of these pages. Writes are POST only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.access import policy
from xuncha.access.policy import CREATE, VIEW, can, scope
from xuncha.reports import chain, diff, outline
from xuncha.reports import services_reports as services
from xuncha.reports.forms_reports import ChainForm, GenerateForm, SectionsForm, StepForm, SubmitForm
from xuncha.reports.models import ApprovalChain, DocKind, GeneratedDocument, Report
from xuncha.reports.selectors import reports as selectors
from xuncha.reports.selectors.documents import documents_for_user
from xuncha.rounds.models import Assignment
from xuncha.workbench.pages import service_page

PER_PAGE = 50
LEVEL_CLASSES = {outline.BODY: "report-body", outline.LEVEL1: "report-h1", outline.LEVEL2: "report-h2",
                 outline.LEVEL3: "report-h3", outline.LEVEL4: "report-h4"}

reports_page = service_page(readable=Report)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# -- the round's reports ---------------------------------------------------------------------

def _may_generate(user, target: Assignment, kind: str) -> bool:
    candidate = Report(assignment=target, kind=kind)
    return can(user, CREATE, candidate) and bool(chain.acting_role(chain.WRITER_ROLES,
                                                                   chain.roles_for(candidate, user)))


def _row(user, target: Assignment) -> dict:
    by_kind = {r.kind: r for r in target.shown_reports}
    cells = []
    for kind, label in DocKind.choices:
        visible = can(user, VIEW, Report(assignment=target, kind=kind))
        report = by_kind.get(kind)
        cells.append({"kind": kind, "label": label, "report": report, "visible": visible,
                      "may_generate": visible and report is None and _may_generate(user, target, kind)})
    return {"target": target, "cells": cells}


@reports_page
def round_reports(request):
    user = request.user
    rounds = selectors.rounds_for(user)
    wanted = _int(request.GET.get("round"))
    rnd = next((r for r in rounds if r.pk == wanted), rounds[0] if rounds else None)
    page = Paginator(selectors.targets_with_reports(user, rnd) if rnd else Assignment.objects.none(),
                     PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/reports/round.html", {
        "rounds": rounds, "round": rnd, "page": page, "rows": [_row(user, t) for t in page],
        "kinds": DocKind.choices,
    })


@require_POST
@reports_page
def report_generate(request, assignment_pk: int):
    user = request.user
    target = scope(user, Assignment, VIEW).select_related("round").filter(pk=assignment_pk).first()
    if target is None:
        raise Http404
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the inspection report or the leads report."))
        return redirect(f"{_round_url(target.round_id)}")
    try:
        report = services.report_generate(actor=user, assignment=target, kind=form.cleaned_data["kind"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect(_round_url(target.round_id))
    messages.success(request, _("“%(title)s” has been generated from the problems.") % {"title": report.title})
    return redirect("reports:report_detail", report.pk)


def _round_url(round_id: int) -> str:
    from django.urls import reverse

    return f"{reverse('reports:reports')}?round={round_id}"


# -- one report ------------------------------------------------------------------------------

def _blocks(sections: list[dict]) -> list[dict]:
    """The outline's blocks, each section's heading carrying the anchor the outline links to."""
    headings = []
    for i, s in enumerate(sections, start=1):
        title = (s.get("title") or "").strip()
        if title:
            text = title if outline.level_of(title) == outline.LEVEL1 else f"{outline.number(outline.LEVEL1, i)}{title}"
            headings.append((text, s.get("key")))
    out = []
    for b in outline.blocks(sections):
        anchor = ""
        if headings and b.level == outline.LEVEL1 and b.text == headings[0][0]:
            anchor = f"section-{headings.pop(0)[1]}"
        out.append({"level": b.level, "text": b.text, "css": LEVEL_CLASSES[b.level], "anchor": anchor})
    return out


def _outline_entries(sections: list[dict]) -> list[dict]:
    return [{"key": s.get("key"), "title": s.get("title"), "number": outline.number(outline.LEVEL1, i)}
            for i, s in enumerate(sections, start=1)]


def _chain_rows(report: Report) -> list[dict]:
    rows = []
    for i, step in enumerate(report.steps or []):
        if report.state == Report.State.APPROVED:
            status = "done"
        elif report.state == Report.State.IN_REVIEW:
            status = "done" if i < report.step else "current" if i == report.step else "todo"
        else:
            status = "todo"
        rows.append({"name": step.get("name"), "roles": [chain.role_label(r) for r in step.get("roles", ())],
                     "status": status})
    return rows


@reports_page
def report_detail(request, pk: int):
    user = request.user
    report = selectors.get_report_for_user(user, pk)
    versions = selectors.versions_of(user, report)
    wanted = _int(request.GET.get("version"))
    version = next((v for v in versions if v.number == wanted), versions[0] if versions else None)
    sections = version.sections if version else []
    may_write = bool(chain.writer_role(report, user))
    editable = report.state in services.EDITABLE
    return render(request, "reports/reports/detail.html", {
        "report": report, "version": version, "versions": versions, "latest": versions[0] if versions else None,
        "blocks": _blocks(sections), "outline": _outline_entries(sections),
        "history": selectors.history_of(user, report), "chain": _chain_rows(report),
        "pending_steps": chain.steps_for(report.assignment.round.committee, report.kind) if not report.steps else [],
        "can_edit": may_write and editable, "can_submit": may_write and editable,
        "decider_role": chain.decider_role(report, user), "step": chain.current_step(report),
        "step_form": StepForm(), "submit_form": SubmitForm(),
        "role_names": {r: chain.role_label(r) for r in chain.STEP_ROLES},
        **_documents(user, report),
    })


def _documents(user, report) -> dict:
    """The Word files of this report already generated, and whether the user may make one."""
    assignment = report.assignment
    draft = GeneratedDocument(round=assignment.round, group=assignment.group, organization=assignment.organization,
                              doc_type=report.kind, confidential=report.kind == DocKind.LEADS)
    documents = documents_for_user(user, round_id=assignment.round_id, doc_type=report.kind,
                                   organization_id=assignment.organization_id)[:5]
    return {"documents": documents, "can_generate": can(user, CREATE, draft)}


@reports_page
def report_edit(request, pk: int):
    user = request.user
    report = selectors.get_report_for_user(user, pk)
    if not chain.writer_role(report, user):
        raise PermissionDenied
    if report.state not in services.EDITABLE:
        messages.error(request, _("Only a draft or a returned report can be changed; this one is “%(state)s”.") % {
            "state": report.get_state_display()})
        return redirect("reports:report_detail", report.pk)
    latest = services.latest_version(report)
    sections = latest.sections if latest else []
    form = SectionsForm(request.POST or None, sections=sections)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.report_save(actor=user, report=report, sections=form.edited_sections(),
                                           note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Version %(number)d has been saved.") % {"number": version.number})
            return redirect("reports:report_detail", report.pk)
    return render(request, "reports/reports/edit.html", {
        "report": report, "form": form, "latest": latest, "outline": _outline_entries(sections),
    })


@require_POST
@reports_page
def report_regenerate(request, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    try:
        version = services.report_regenerate(actor=request.user, report=report, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Version %(number)d has been generated from the current problems.") % {
            "number": version.number})
    return redirect("reports:report_detail", report.pk)


@require_POST
@reports_page
def report_submit(request, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    form = SubmitForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.report_submit(actor=request.user, report=report, comment=comment)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The report has been submitted for approval."))
    return redirect("reports:report_detail", report.pk)


@require_POST
@reports_page
def report_decide(request, pk: int):
    report = selectors.get_report_for_user(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or return."))
        return redirect("reports:report_detail", report.pk)
    try:
        decided = services.report_decide(actor=request.user, report=report, action=form.cleaned_data["action"],
                                         comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if decided.state == Report.State.APPROVED:
            messages.success(request, _("The report has been approved."))
        elif decided.state == Report.State.RETURNED:
            messages.success(request, _("The report has been returned to its writers."))
        else:
            messages.success(request, _("Approved; the report goes on to “%(step)s”.") % {
                "step": decided.steps[decided.step]["name"]})
    return redirect("reports:report_detail", report.pk)


# -- versions --------------------------------------------------------------------------------

@reports_page
def report_versions(request, pk: int):
    user = request.user
    report = selectors.get_report_for_user(user, pk)
    versions = selectors.versions_of(user, report)
    return render(request, "reports/reports/versions.html", {"report": report, "versions": versions})


@reports_page
def report_diff(request, pk: int):
    user = request.user
    report = selectors.get_report_for_user(user, pk)
    versions = selectors.versions_of(user, report)
    by_number = {v.number: v for v in versions}
    a, b = by_number.get(_int(request.GET.get("a"))), by_number.get(_int(request.GET.get("b")))
    if a is None or b is None:
        if len(versions) < 2:
            messages.info(request, _("There is only one version: nothing to compare."))
            return redirect("reports:report_versions", report.pk)
        b, a = b or versions[0], a or versions[1]
    if a.number > b.number:
        a, b = b, a
    return render(request, "reports/reports/diff.html", {
        "report": report, "versions": versions, "a": a, "b": b, "sections": diff.sections(a.sections, b.sections),
    })


# -- inbox -----------------------------------------------------------------------------------

@reports_page
def report_inbox(request):
    page = Paginator(selectors.inbox(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/reports/inbox.html", {"page": page})


# -- the approval chain ----------------------------------------------------------------------

@service_page(readable=ApprovalChain)
def chain_settings(request):
    user = request.user
    committees = selectors.chain_committees(user)
    if not committees:
        raise PermissionDenied
    wanted = _int(request.GET.get("committee") or request.POST.get("committee"))
    committee = next((c for c in committees if c.pk == wanted), committees[0])
    kind = request.GET.get("kind") or request.POST.get("kind") or DocKind.REPORT
    if kind not in DocKind.values:
        kind = DocKind.REPORT
    chains = selectors.chains_of(user, committee)
    current = next(c for c in chains if c.kind == kind)
    may_change = can(user, policy.CHANGE, ApprovalChain(committee=committee, kind=kind))
    form = ChainForm(request.POST if request.method == "POST" else None, steps=current.steps)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        try:
            services.chain_save(actor=user, committee=committee, kind=kind, steps=form.parsed_steps())
        except ValidationError as exc:
            form.errors = exc.messages
        else:
            messages.success(request, _("The approval chain has been saved. Reports already submitted keep "
                                        "the steps they started with."))
            return redirect(f"{request.path}?committee={committee.pk}&kind={kind}")
    return render(request, "reports/reports/chain.html", {
        "committees": committees, "committee": committee, "chains": chains, "current": current, "kind": kind,
        "form": form, "may_change": may_change, "role_choices": ChainForm.role_choices(),
        "role_names": {r: chain.role_label(r) for r in chain.STEP_ROLES},
    })
