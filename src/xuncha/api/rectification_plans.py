"""Rectification plans (整改方案), through services_plans and the policy's scope.

Missing and out-of-scope plans answer 404 alike (for a liaison: another organization's); a write
the role may not make 403 (the leading group and the superior office read; only the office
reviews); bad input 422 naming the field — a problem not fed back or a lead, a deadline beyond the
concentrated rectification period, an owner who is not the organization's liaison, a plan in a
state that refuses the change.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Status

from xuncha.access.policy import VIEW, PermissionDenied, can_any, scope
from xuncha.api.common import not_visible, page
from xuncha.api.rectification_plans_schemas import (
    PlanDetail,
    PlanFilters,
    PlanIn,
    PlanPage,
    ReviewIn,
    TaskIn,
    TaskOut,
    TaskPatch,
)
from xuncha.api.schemas import ErrorOut, ValidationErrorOut
from xuncha.findings.models import Problem
from xuncha.rectification import services_plans as services
from xuncha.rectification import three_lists
from xuncha.rectification.models import Plan, Task
from xuncha.rectification.selectors import plans as selectors
from xuncha.reports.models import Feedback

router = Router()

WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _with_assessments(tasks: list[Task]) -> list[Task]:
    found = services.assess_tasks(tasks)
    for task in tasks:
        task.assessment = found[task.pk]
    return tasks


def _detail(user, pk: int) -> Plan:
    plan = selectors.plan_details(user).filter(pk=pk).first()
    if plan is None:
        raise Http404
    _with_assessments(plan.shown_tasks)
    plan.n_tasks = len(plan.shown_tasks)
    plan.n_vague = sum(1 for t in plan.shown_tasks if t.vague)
    plan.api_problems = [{"id": p.pk, "no": no, "title": p.title, "description": p.description,
                          "category": three_lists.category(p)}
                         for no, p in three_lists.numbered(plan.feedback.shown_problems)]
    return plan


def _writable(user, plan_id: int) -> Plan:
    """The plan, for someone who writes it (403 for those who only read it)."""
    plan = _detail(user, plan_id)
    if not services.may_write(user, plan):
        raise PermissionDenied("change Plan")
    return plan


def _task_out(user, task: Task) -> Task:
    """The task as answered: its vagueness among the plan's tasks."""
    tasks = _with_assessments(list(scope(user, Task, VIEW).filter(plan_id=task.plan_id).order_by("seq")))
    return next(t for t in tasks if t.pk == task.pk)


def _problem(user, pk: int | None) -> Problem | None:
    if pk is None:
        return None
    problem = scope(user, Problem, VIEW).filter(pk=pk).first()
    if problem is None:
        raise not_visible("problem")
    return problem


def _owner(plan: Plan, pk: int | None):
    if pk is None:
        return None
    owner = selectors.liaison_accounts(plan.organization_id).filter(pk=pk).first()
    if owner is None:
        raise ValidationError({"owner": [services.owner_refusal()]})
    return owner


@router.get("", response={200: PlanPage, 403: ErrorOut}, summary="List rectification plans")
def plan_list(request, filters: Query[PlanFilters]):
    user = request.auth
    if not can_any(user, VIEW, Plan):
        raise PermissionDenied("view Plan")
    qs = selectors.plans(user, round_id=filters.round, state=filters.state)
    if filters.organization:
        qs = qs.filter(organization_id=filters.organization)
    return page(qs, filters)


@router.post("", response={201: PlanDetail, **WRITE_ERRORS}, summary="Start the plan of an issued feedback")
def plan_start(request, payload: PlanIn):
    user = request.auth
    feedback = scope(user, Feedback, VIEW).select_related("assignment").filter(pk=payload.feedback_id).first()
    if feedback is None:
        raise not_visible("feedback_id")
    try:
        plan = services.plan_start(actor=user, feedback=feedback)
    except ValidationError as exc:
        raise ValidationError({"feedback_id": exc.message_dict.get("feedback", exc.messages)}) from exc
    return Status(201, _detail(user, plan.pk))


@router.get("/{int:plan_id}", response={200: PlanDetail, 404: ErrorOut},
            summary="One plan: its problems, tasks (with their vagueness and its reasons) and steps")
def plan_detail(request, plan_id: int):
    return _detail(request.auth, plan_id)


@router.post("/{int:plan_id}/tasks", response={201: TaskOut, **WRITE_ERRORS},
             summary="Add a task for a problem of a draft or returned plan")
def task_add(request, plan_id: int, payload: TaskIn):
    user = request.auth
    plan = _writable(user, plan_id)
    values = payload.dict()
    values["problem"] = _problem(user, values["problem"])
    values["owner"] = _owner(plan, values["owner"])
    task = services.task_add(actor=user, plan=plan, **values)
    return Status(201, _task_out(user, task))


@router.patch("/{int:plan_id}/tasks/{int:task_id}", response={200: TaskOut, **WRITE_ERRORS},
              summary="Change a task of a draft or returned plan (only the fields given)")
def task_update(request, plan_id: int, task_id: int, payload: TaskPatch):
    user = request.auth
    plan = _writable(user, plan_id)
    task = selectors.get_task_for_user(user, plan, task_id)
    changes = payload.dict(exclude_unset=True)
    if "problem" in changes:
        changes["problem"] = _problem(user, changes["problem"])
    if "owner" in changes:
        changes["owner"] = _owner(plan, changes["owner"])
    task = services.task_update(actor=user, task=task, **changes)
    return _task_out(user, task)


@router.delete("/{int:plan_id}/tasks/{int:task_id}", response={204: None, **WRITE_ERRORS},
               summary="Remove a task of a draft or returned plan")
def task_remove(request, plan_id: int, task_id: int):
    user = request.auth
    plan = _writable(user, plan_id)
    services.task_remove(actor=user, task=selectors.get_task_for_user(user, plan, task_id))
    return Status(204, None)


@router.post("/{int:plan_id}/submit", response={200: PlanDetail, **WRITE_ERRORS},
             summary="Submit the plan for review (every problem needs a task)")
def plan_submit(request, plan_id: int):
    user = request.auth
    services.plan_submit(actor=user, plan=_detail(user, plan_id))
    return _detail(user, plan_id)


@router.post("/{int:plan_id}/review", response={200: PlanDetail, **WRITE_ERRORS},
             summary="The office approves or returns a submitted plan, with comments per task")
def plan_review(request, plan_id: int, payload: ReviewIn):
    user = request.auth
    services.plan_review(actor=user, plan=_detail(user, plan_id), decision=payload.decision,
                         comment=payload.comment, task_comments=payload.task_comments)
    return _detail(user, plan_id)
