"""Feedback to the inspected organization, through services_feedback and the policy's scope.

Missing and out-of-scope records answer 404 alike (for the liaison: drafts and other
organizations' feedback); a write the role may not make 403 (the liaison may only acknowledge);
bad input 422 naming the fields — a lead among the problems, a report not approved, a change to
an issued feedback.
"""

from __future__ import annotations

from django.http import Http404
from ninja import Query, Router, Status

from xuncha.access.policy import CREATE, VIEW, PermissionDenied, can_any, require, scope
from xuncha.api.common import References, not_visible, page
from xuncha.api.feedback_schemas import (
    CopyIn,
    CopyOut,
    FeedbackDetail,
    FeedbackFilters,
    FeedbackIn,
    FeedbackPage,
    FeedbackPatch,
    IssueIn,
    MeetingIn,
    MeetingOut,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.findings.models import Problem
from xuncha.reports import services_feedback as services
from xuncha.reports.models import Feedback, FeedbackCopy
from xuncha.reports.selectors import feedback as selectors
from xuncha.rounds.models import Assignment

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _detail(user, pk: int) -> Feedback:
    feedback = selectors.feedback_details(user).filter(pk=pk).first()
    if feedback is None:
        raise Http404
    return feedback


@router.get("", response={200: FeedbackPage, 403: ErrorOut}, summary="List feedback")
def feedback_list(request, filters: Query[FeedbackFilters]):
    user = request.auth
    if not can_any(user, VIEW, Feedback):
        raise PermissionDenied("view Feedback")
    qs = (scope(user, Feedback, VIEW)
          .select_related("assignment__organization", "policy").order_by("-fed_back_on", "-id"))
    if filters.round:
        qs = qs.filter(assignment__round_id=filters.round)
    if filters.assignment:
        qs = qs.filter(assignment_id=filters.assignment)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return page(qs, filters)


@router.get("/{int:feedback_id}", response={200: FeedbackDetail, 404: ErrorOut},
            summary="One feedback with its problems, meeting and copies")
def feedback_detail(request, feedback_id: int):
    return _detail(request.auth, feedback_id)


@router.post("", response={201: FeedbackDetail, **WRITE_ERRORS},
             summary="Draft the feedback of a target whose inspection report is approved")
def feedback_create(request, payload: FeedbackIn):
    user = request.auth
    target = scope(user, Assignment, VIEW).filter(pk=payload.assignment).first()
    if target is None:
        raise not_visible("assignment")
    feedback = services.feedback_create(actor=user, assignment=target)
    return Status(201, _detail(user, feedback.pk))


@router.patch("/{int:feedback_id}", response={200: FeedbackDetail, **WRITE_ERRORS},
              summary="Choose the problems and edit the requirements of a draft")
def feedback_update(request, feedback_id: int, payload: FeedbackPatch):
    user = request.auth
    feedback = _detail(user, feedback_id)
    problems = None
    if payload.problems is not None:
        problems = list(scope(user, Problem, VIEW).filter(pk__in=payload.problems))
        if len(problems) != len(set(payload.problems)):
            raise not_visible("problems")
    services.feedback_update(actor=user, feedback=feedback, problems=problems, requirements=payload.requirements)
    return _detail(user, feedback_id)


@router.post("/{int:feedback_id}/issue", response={200: FeedbackDetail, **WRITE_ERRORS},
             summary="Issue the feedback on a date; deadlines from the policy in force then")
def feedback_issue(request, feedback_id: int, payload: IssueIn):
    user = request.auth
    services.feedback_issue(actor=user, feedback=_detail(user, feedback_id), fed_back_on=payload.fed_back_on)
    return _detail(user, feedback_id)


@router.put("/{int:feedback_id}/meeting", response={200: MeetingOut, **WRITE_ERRORS},
            summary="Record or correct the feedback meeting")
def feedback_meeting(request, feedback_id: int, payload: MeetingIn):
    user = request.auth
    return services.meeting_record(actor=user, feedback=_detail(user, feedback_id), **payload.dict())


@router.post("/{int:feedback_id}/copies", response={201: CopyOut, **WRITE_ERRORS},
             summary="Record a copy sent to an organization of the committee")
def feedback_copy_add(request, feedback_id: int, payload: CopyIn):
    user = request.auth
    feedback = _detail(user, feedback_id)
    require(user, CREATE, FeedbackCopy(feedback=feedback))
    organization = References(user).organization(payload.organization, "organization")
    copy = services.copy_add(actor=user, feedback=feedback, organization=organization, role=payload.role,
                             sent_on=payload.sent_on)
    return Status(201, copy)


@router.delete("/{int:feedback_id}/copies/{int:copy_id}", response={204: None, **WRITE_ERRORS},
               summary="Remove a copy recorded by mistake")
def feedback_copy_remove(request, feedback_id: int, copy_id: int):
    user = request.auth
    feedback = _detail(user, feedback_id)
    services.copy_remove(actor=user, copy=selectors.get_copy_for_user(user, feedback, copy_id))
    return Status(204, None)


@router.post("/{int:feedback_id}/acknowledge", response={200: FeedbackDetail, **WRITE_ERRORS},
             summary="The organization's liaison acknowledges receipt (idempotent)")
def feedback_acknowledge(request, feedback_id: int):
    user = request.auth
    services.feedback_acknowledge(actor=user, feedback=_detail(user, feedback_id))
    return _detail(user, feedback_id)
