"""The organization's progress reports (集中整改进展情况报告), their review and the disclosure of
the rectification, through services_reports and the policy's scope.

Missing and out-of-scope reports answer 404 alike; a write the role may not make 403 (the
office starting or writing a report, the liaison reviewing, the leading group writing anything);
bad input 422 naming the fields — a review dated in the future, a submission with neither text
nor file, a publication before the review opinion, a change in the wrong state.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from xuncha.access.policy import VIEW, PermissionDenied, can_any
from xuncha.api.common import not_visible, page
from xuncha.api.rectification_reports_schemas import (
    ProgressReportDetail,
    ProgressReportFilters,
    ProgressReportIn,
    ProgressReportPage,
    ProgressReportPatch,
    ProgressReviewIn,
    ReportDisclosureIn,
    ReportDisclosureOut,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.rectification import services_reports as services
from xuncha.rectification.models import ProgressReport
from xuncha.rectification.selectors import reports as selectors

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _detail(user, pk: int) -> ProgressReport:
    report = selectors.report_details(user, timezone.localdate()).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@router.get("", response={200: ProgressReportPage, 403: ErrorOut}, summary="List progress reports")
def report_list(request, filters: Query[ProgressReportFilters]):
    user = request.auth
    if not can_any(user, VIEW, ProgressReport):
        raise PermissionDenied("view ProgressReport")
    qs = selectors.api_reports(user, timezone.localdate(), round=filters.round, organization=filters.organization,
                               state=filters.state, overdue=filters.overdue)
    return page(qs, filters)


@router.post("", response={201: ProgressReportDetail, **WRITE_ERRORS},
             summary="Start the progress report of an issued feedback (the organization's liaison)")
def report_start(request, payload: ProgressReportIn):
    user = request.auth
    feedback = selectors.reportable_feedback(user).filter(pk=payload.feedback_id).first()
    if feedback is None:
        raise not_visible("feedback_id")
    report = services.report_start(actor=user, feedback=feedback)
    return Status(201, _detail(user, report.pk))


@router.get("/{int:report_id}", response={200: ProgressReportDetail, 404: ErrorOut},
            summary="One progress report with its review opinion and disclosures")
def report_detail(request, report_id: int):
    return _detail(request.auth, report_id)


@router.patch("/{int:report_id}", response={200: ProgressReportDetail, **WRITE_ERRORS},
              summary="Write the title and text while the report is with the organization")
def report_update(request, report_id: int, payload: ProgressReportPatch):
    user = request.auth
    services.report_update(actor=user, report=_detail(user, report_id), title=payload.title, text=payload.text)
    return _detail(user, report_id)


@router.post("/{int:report_id}/submit", response={200: ProgressReportDetail, **WRITE_ERRORS},
             summary="Submit the report to the inspection office (late when after its due date)")
def report_submit(request, report_id: int):
    user = request.auth
    services.report_submit(actor=user, report=_detail(user, report_id))
    return _detail(user, report_id)


@router.post("/{int:report_id}/review", response={200: ProgressReportDetail, **WRITE_ERRORS},
             summary="Accept with a review opinion (sets the disclosure deadline) or return with a comment")
def report_review(request, report_id: int, payload: ProgressReviewIn):
    user = request.auth
    services.report_review(actor=user, report=_detail(user, report_id), **payload.dict())
    return _detail(user, report_id)


@router.post("/{int:report_id}/disclosures", response={201: ReportDisclosureOut, **WRITE_ERRORS},
             summary="Record a publication of the rectification of a reviewed report")
def disclosure_add(request, report_id: int, payload: ReportDisclosureIn):
    user = request.auth
    disclosure = services.disclosure_add(actor=user, report=_detail(user, report_id), **payload.dict())
    return Status(201, disclosure)
