"""Reports (巡察报告) and leads reports (专题报告): lists, details with versions and approval
history, generation from the problems, saving a new version, submission, approval steps and the
diff of two versions, through services_reports and the policy's scope.

Missing and out-of-scope reports answer 404 alike (a target named in a payload that the user
may not see: 422 on that field); a write the role may not make 403; bad input 422.
"""

from __future__ import annotations

from ninja import Query, Router, Status

from xuncha.access.policy import VIEW, PermissionDenied, can_any, scope
from xuncha.api.common import not_visible, page
from xuncha.api.reports_schemas import (
    DecisionIn,
    DiffOut,
    DiffParams,
    GenerateIn,
    RegenerateIn,
    ReportDetail,
    ReportFilters,
    ReportPage,
    SaveIn,
    SubmitIn,
    VersionDetail,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.reports import chain, diff
from xuncha.reports import services_reports as services
from xuncha.reports.models import Report
from xuncha.reports.selectors import reports as selectors
from xuncha.rounds.models import Assignment

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _readers_only(user) -> None:
    if not can_any(user, VIEW, Report):
        raise PermissionDenied("view Report")


def _report(user, report_id: int) -> Report:
    _readers_only(user)
    return selectors.get_report_for_user(user, report_id)


def _detail_out(user, report: Report) -> Report:
    """The report with what ReportDetail shows attached (see its resolvers)."""
    versions = selectors.versions_of(user, report)
    report.shown_versions = versions
    report.shown_sections = versions[0].sections if versions else []
    report.shown_history = selectors.history_of(user, report)
    report.shown_steps = report.steps or chain.steps_for(report.assignment.round.committee, report.kind)
    report.may_write = bool(chain.writer_role(report, user)) and report.state in services.EDITABLE
    report.may_decide = bool(chain.decider_role(report, user))
    return report


@router.get("", response={200: ReportPage, 403: ErrorOut}, summary="List reports")
def report_list(request, filters: Query[ReportFilters]):
    user = request.auth
    _readers_only(user)
    qs = selectors.reports_for(user, round_id=filters.round, assignment_id=filters.assignment, state=filters.state,
                               kind=filters.kind).select_related("approved_version")
    return page(qs, filters)


@router.get("/{int:report_id}", response={200: ReportDetail, 403: ErrorOut, 404: ErrorOut},
            summary="One report with its latest sections, versions and approval history")
def report_detail(request, report_id: int):
    user = request.auth
    return _detail_out(user, _report(user, report_id))


@router.post("", response={201: ReportDetail, **WRITE_ERRORS},
             summary="Generate a report of a target from its problems")
def report_generate(request, payload: GenerateIn):
    user = request.auth
    target = scope(user, Assignment, VIEW).filter(pk=payload.assignment).first()
    if target is None:
        raise not_visible("assignment")
    report = services.report_generate(actor=user, assignment=target, kind=payload.kind)
    return Status(201, _detail_out(user, selectors.get_report_for_user(user, report.pk)))


@router.get("/{int:report_id}/versions/{int:number}", response={200: VersionDetail, 403: ErrorOut, 404: ErrorOut},
            summary="One version of a report with its sections")
def report_version(request, report_id: int, number: int):
    user = request.auth
    return selectors.version_of(user, _report(user, report_id), number)


@router.post("/{int:report_id}/versions", response={201: VersionDetail, **WRITE_ERRORS},
             summary="Save edited sections as the next version")
def report_save(request, report_id: int, payload: SaveIn):
    user = request.auth
    report = _report(user, report_id)
    version = services.report_save(actor=user, report=report, sections=[s.dict() for s in payload.sections],
                                   note=payload.note)
    return Status(201, version)


@router.post("/{int:report_id}/regenerate", response={201: VersionDetail, **WRITE_ERRORS},
             summary="Generate the next version from the target's current problems")
def report_regenerate(request, report_id: int, payload: RegenerateIn):
    user = request.auth
    version = services.report_regenerate(actor=user, report=_report(user, report_id), note=payload.note)
    return Status(201, version)


@router.post("/{int:report_id}/submit", response={200: ReportDetail, **WRITE_ERRORS},
             summary="Submit a draft or returned report to the first step of its approval chain")
def report_submit(request, report_id: int, payload: SubmitIn):
    user = request.auth
    services.report_submit(actor=user, report=_report(user, report_id), comment=payload.comment)
    return _detail_out(user, selectors.get_report_for_user(user, report_id))


@router.post("/{int:report_id}/decisions", response={200: ReportDetail, **WRITE_ERRORS},
             summary="Approve or return the step now due (a return needs a comment)")
def report_decide(request, report_id: int, payload: DecisionIn):
    user = request.auth
    services.report_decide(actor=user, report=_report(user, report_id), action=payload.action,
                           comment=payload.comment)
    return _detail_out(user, selectors.get_report_for_user(user, report_id))


@router.get("/{int:report_id}/diff", response={200: DiffOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
            summary="Compare two versions section by section")
def report_diff(request, report_id: int, params: Query[DiffParams]):
    user = request.auth
    report = _report(user, report_id)
    a, b = selectors.version_of(user, report, params.a), selectors.version_of(user, report, params.b)
    return {"a": a.number, "b": b.number, "sections": [
        {"key": d.key, "title": d.title, "old_title": d.old_title, "status": d.status, "html": str(d.html)}
        for d in diff.sections(a.sections, b.sections)]}
