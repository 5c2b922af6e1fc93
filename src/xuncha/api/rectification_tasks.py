"""Rectification tasks of approved plans at /api/v1/rectification/tasks, through services_tasks
and the policy's scope: the list (filters by state, organization, round, plan and warning level),
one task with its progress, evidence and steps, progress and evidence by the organization's
liaison, the audited evidence download, and the closure transitions.

Missing and out-of-scope records answer 404 alike; a write the role may not make 403 (the
office reporting progress, the liaison closing); bad input 422 naming the field (a refused
file with its name and the reason, a transition the task's state does not allow).
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils import timezone
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from xuncha.access.policy import VIEW, PermissionDenied, can_any
from xuncha.api.common import page
from xuncha.api.rectification_tasks_schemas import (
    EvidenceOut,
    ProgressIn,
    ProgressOut,
    TaskDetail,
    TaskFilters,
    TaskPage,
    TransitionIn,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.rectification import services_tasks as services
from xuncha.rectification.models import Task
from xuncha.rectification.selectors import tasks as selectors

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _detail(user, pk: int) -> Task:
    task = selectors.get_task_for_user(user, pk)
    task.deadline = selectors.task_deadline(task, timezone.localdate())
    task.actions = services.allowed_actions(user, task)
    task.may_report = services.may_report(user, task)
    return task


@router.get("", response={200: TaskPage, 403: ErrorOut}, summary="List the tasks of approved plans")
def task_list(request, filters: Query[TaskFilters]):
    user = request.auth
    if not can_any(user, VIEW, Task):
        raise PermissionDenied("view Task")
    today = timezone.localdate()
    qs = selectors.task_list(user, today, state=filters.state, organization=filters.organization,
                             round=filters.round, plan=filters.plan, level=filters.level)
    found = page(qs, filters)
    for task in found["items"]:
        task.deadline = selectors.task_deadline(task, today)
    return found


@router.get("/{int:task_id}", response={200: TaskDetail, 404: ErrorOut},
            summary="One task with its problem, progress, evidence and steps")
def task_detail(request, task_id: int):
    return _detail(request.auth, task_id)


@router.post("/{int:task_id}/progress", response={201: ProgressOut, **WRITE_ERRORS},
             summary="Report progress on an open task (the organization's liaison)")
def progress_add(request, task_id: int, payload: ProgressIn):
    user = request.auth
    task = selectors.get_task_for_user(user, task_id)
    progress = services.progress_add(actor=user, task=task, reported_on=payload.reported_on, text=payload.text)
    return Status(201, progress)


@router.post("/{int:task_id}/progress/{int:progress_id}/evidence", response={201: EvidenceOut, **WRITE_ERRORS},
             summary="Add an evidence file to a progress update (multipart, field 'file'; checked by content)")
def evidence_add(request, task_id: int, progress_id: int, file: File[UploadedFile]):
    user = request.auth
    task = selectors.get_task_for_user(user, task_id)
    progress = selectors.get_progress_for_user(user, task, progress_id)
    evidence = services.evidence_add(actor=user, progress=progress, file=file, name=file.name or "")
    return Status(201, evidence)


@router.get("/evidence/{int:evidence_id}", response={200: None, 404: ErrorOut},
            summary="Download an evidence file (audited)", url_name="task_evidence_download")
def evidence_download(request, evidence_id: int):
    evidence = selectors.get_evidence_for_user(request.auth, evidence_id)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    services.record_download(actor=request.auth, evidence=evidence)
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/{int:task_id}/transitions", response={200: TaskDetail, **WRITE_ERRORS},
             summary="Request closure (liaison); close, return or reopen (office)")
def task_transition(request, task_id: int, payload: TransitionIn):
    user = request.auth
    task = selectors.get_task_for_user(user, task_id)
    services.task_transition(actor=user, task=task, action=payload.action, comment=payload.comment)
    return _detail(user, task_id)
