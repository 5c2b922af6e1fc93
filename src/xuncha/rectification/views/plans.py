"""Rectification plan pages: the liaison's feedback and plans (本单位整改方案), one plan (its
problems with their tasks, the writing forms while draft or returned, the office's review while
submitted, the step history, the three lists), a task's edit page, and the committee's list of
plans for the office, the leading group and the superior office.

A plan outside the user's scope is a 404 (for a liaison: another organization's); a write the
role may not make is the 403 page (the services refuse it). Writes are POST-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.access import policy
from xuncha.access.policy import CREATE, EXPORT, VIEW, can, can_any
from xuncha.access.roles import Role
from xuncha.rectification import services_plans as services
from xuncha.rectification import three_lists
from xuncha.rectification.forms_plans import PlanFilterForm, ReviewForm, SubmitForm, TaskForm
from xuncha.rectification.models import Plan, Task
from xuncha.rectification.selectors import plans as selectors
from xuncha.rectification.vague_labels import describe
from xuncha.text.vagueness import Assessment
from xuncha.workbench.pages import service_page

PER_PAGE = 25
UNIT_PER_PAGE = 10
WITHOUT_PLAN_SHOWN = 10
# The tasks area's page of one task (linked once the plan is approved and that page exists).
TASK_URL = "rectification:task_detail"

plans_page = partial(service_page, refuse_system_roles=True, readable=Plan)


def _inspectorate(user) -> bool:
    """Those who read the committee's plans: the office, the leading group, the superior office."""
    return can_any(user, VIEW, Plan, roles=selectors.INSPECTORATE)


def _liaison(user) -> bool:
    return any(a.role == Role.UNIT_LIAISON for a in policy.assignments(user))


def _task_url(task: Task) -> str | None:
    try:
        return reverse(TASK_URL, args=[task.pk])
    except NoReverseMatch:
        return None


def _save(form, call) -> bool:
    """Call the service with the form's data; its ValidationError goes onto the form."""
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    return True


def _flash(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _detail_url(plan: Plan) -> str:
    return reverse("rectification:plan_detail", args=[plan.pk])


# -- the committee's list --------------------------------------------------------------------

@require_GET
@plans_page
def plan_list(request):
    user = request.user
    if not _inspectorate(user):
        raise PermissionDenied
    form = PlanFilterForm(request.GET or None, rounds=selectors.round_choices(user))
    form.is_valid()  # a filter with a bad value is dropped; the others stay
    filters = getattr(form, "cleaned_data", {})
    current = filters.get("round")
    qs = selectors.plans(user, round_id=current.pk if current else None, state=filters.get("state", ""),
                         organization=filters.get("organization", ""))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    may_start = can_any(user, CREATE, Plan)
    without = selectors.feedback_without_plan(user) if may_start else None
    if without is not None and current:
        without = without.filter(assignment__round=current)
    return render(request, "rectification/plans/plan_list.html", {
        "form": form, "page": page, "may_start": may_start,
        "without_plan": list(without[:WITHOUT_PLAN_SHOWN]) if without is not None else [],
        "without_plan_count": without.count() if without is not None else 0,
    })


# -- the organization's page -----------------------------------------------------------------

@require_GET
@plans_page
def unit_plans(request):
    """本单位整改方案: the organization's issued feedback with its plans."""
    user = request.user
    if not _liaison(user):
        raise PermissionDenied
    page = Paginator(selectors.unit_feedback(user), UNIT_PER_PAGE).get_page(request.GET.get("page"))
    for feedback in page.object_list:
        feedback.plan_state_label = Plan.State(feedback.plan_state).label if feedback.plan_state else ""
    return render(request, "rectification/plans/unit_plans.html", {
        "page": page, "may_start": can_any(user, CREATE, Plan),
    })


@require_POST
@plans_page
def plan_start(request, feedback_pk: int):
    user = request.user
    feedback = selectors.get_feedback_for_user(user, feedback_pk)
    if not can(user, CREATE, services.new_plan(feedback)):
        raise PermissionDenied
    try:
        plan = services.plan_start(actor=user, feedback=feedback)
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("rectification:unit_plans" if _liaison(user) else "rectification:plan_list")
    messages.success(request, _("The rectification plan has been started: write the tasks for every problem."))
    return redirect(_detail_url(plan))


# -- one plan --------------------------------------------------------------------------------

@dataclass
class TaskRow:
    task: Task
    assessment: Assessment
    reasons: list[str]
    url: str | None
    review_field: object = None


@dataclass
class ProblemRow:
    no: int
    problem: object
    category: str
    tasks: list[TaskRow] = field(default_factory=list)
    form: TaskForm | None = None


def _rows(request, plan: Plan, *, writable: bool, review_form: ReviewForm | None,
          bound: tuple[int, TaskForm] | None = None) -> list[ProblemRow]:
    """The problems fed back in the order of the feedback's list, each with its tasks (and
    their vagueness), and the add form of each problem when the plan is being written."""
    assessments = services.assess_tasks(plan.shown_tasks)
    approved = plan.state == Plan.State.APPROVED
    owners = list(selectors.liaison_accounts(plan.organization_id)) if writable else []
    rows = []
    for no, problem in three_lists.numbered(plan.feedback.shown_problems):
        row = ProblemRow(no, problem, three_lists.category(problem))
        for task in (t for t in plan.shown_tasks if t.problem_id == problem.pk):
            a = assessments[task.pk]
            row.tasks.append(TaskRow(task, a, describe(a.reasons), _task_url(task) if approved else None,
                                     review_form.field_for(task) if review_form else None))
        if writable:
            if bound and bound[0] == problem.pk:
                row.form = bound[1]
            else:
                row.form = TaskForm(owners=owners, prefix=f"p{problem.pk}",
                                    initial={"due": plan.feedback.rectification_due})
        rows.append(row)
    return rows


def _render_detail(request, plan: Plan, *, status: int = 200, bound: tuple[int, TaskForm] | None = None,
                   review_form: ReviewForm | None = None, submit_form: SubmitForm | None = None):
    user = request.user
    writer = services.may_write(user, plan)
    writable = writer and plan.state in services.WRITABLE
    reviewing = plan.state == Plan.State.SUBMITTED and services.may_review(user, plan)
    if reviewing and review_form is None:
        review_form = ReviewForm(tasks=plan.shown_tasks)
    if writable and submit_form is None:
        submit_form = SubmitForm()
    rows = _rows(request, plan, writable=writable, review_form=review_form if reviewing else None, bound=bound)
    return render(request, "rectification/plans/plan_detail.html", {
        "plan": plan, "feedback": plan.feedback, "rows": rows,
        "writer": writer, "writable": writable, "reviewing": reviewing,
        "review_form": review_form if reviewing else None, "submit_form": submit_form,
        "state_refusal": services.state_refusal(plan) if writer else "",
        "missing": [r for r in rows if not r.tasks],
        "n_tasks": len(plan.shown_tasks), "n_vague": sum(1 for t in plan.shown_tasks if t.vague),
        "may_export": can(user, EXPORT, plan),
        "back_url": reverse("rectification:plan_list" if _inspectorate(user) else "rectification:unit_plans"),
    }, status=status)


@require_GET
@plans_page
def plan_detail(request, pk: int):
    return _render_detail(request, selectors.get_plan_for_user(request.user, pk))


def _writable(request, pk: int) -> Plan | None:
    """The plan the user writes; None (with a message) when it is not draft or returned."""
    plan = selectors.get_plan_for_user(request.user, pk)
    if not services.may_write(request.user, plan):
        raise PermissionDenied
    reason = services.state_refusal(plan)
    if reason:
        messages.error(request, reason)
        return None
    return plan


def _owners(plan: Plan) -> list:
    return list(selectors.liaison_accounts(plan.organization_id))


def _task_values(data: dict) -> dict:
    keys = ("measures", "responsible_leader", "lead_department", "person_in_charge", "due", "type", "owner")
    return {k: data[k] for k in keys}


@require_POST
@plans_page
def task_add(request, pk: int, problem_pk: int):
    user = request.user
    plan = _writable(request, pk)
    if plan is None:
        return redirect("rectification:plan_detail", pk)
    problem = next((p for p in plan.feedback.shown_problems if p.pk == problem_pk), None)
    if problem is None:
        raise Http404
    form = TaskForm(request.POST, owners=_owners(plan), prefix=f"p{problem.pk}")
    if form.is_valid() and _save(form, lambda data: services.task_add(
            actor=user, plan=plan, problem=problem, **_task_values(data))):
        messages.success(request, _("The task has been added."))
        return redirect(f"{_detail_url(plan)}#problem-{problem.pk}")
    return _render_detail(request, plan, bound=(problem.pk, form), status=400)


@require_http_methods(["GET", "POST"])
@plans_page
def task_edit(request, pk: int, task_pk: int):
    user = request.user
    plan = _writable(request, pk)
    if plan is None:
        return redirect("rectification:plan_detail", pk)
    task = selectors.get_task_for_user(user, plan, task_pk)
    problems = selectors.plan_problems(user, plan)
    if request.method == "POST":
        form = TaskForm(request.POST, owners=_owners(plan), problems=problems)
        if form.is_valid() and _save(form, lambda data: services.task_update(
                actor=user, task=task, problem=data["problem"], **_task_values(data))):
            messages.success(request, _("The task has been saved."))
            return redirect(f"{_detail_url(plan)}#task-{task.pk}")
        status = 400
    else:
        form = TaskForm(owners=_owners(plan), problems=problems, initial={
            "problem": task.problem_id, "measures": task.measures, "responsible_leader": task.responsible_leader,
            "lead_department": task.lead_department, "person_in_charge": task.person_in_charge,
            "due": task.due, "type": task.type, "owner": task.owner_id or ""})
        status = 200
    assessment = services.assess_tasks(plan.shown_tasks)[task.pk]
    return render(request, "rectification/plans/task_edit.html", {
        "plan": plan, "task": task, "form": form, "feedback": plan.feedback,
        "assessment": assessment, "reasons": describe(assessment.reasons),
    }, status=status)


@require_POST
@plans_page
def task_remove(request, pk: int, task_pk: int):
    user = request.user
    plan = _writable(request, pk)
    if plan is None:
        return redirect("rectification:plan_detail", pk)
    task = selectors.get_task_for_user(user, plan, task_pk)
    services.task_remove(actor=user, task=task)
    messages.success(request, _("The task has been removed."))
    return redirect(_detail_url(plan))


@require_POST
@plans_page
def plan_submit(request, pk: int):
    user = request.user
    plan = _writable(request, pk)
    if plan is None:
        return redirect("rectification:plan_detail", pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            services.plan_submit(actor=user, plan=plan, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            _flash(request, exc)
            return _render_detail(request, plan, submit_form=form, status=400)
        messages.success(request, _("The plan has been submitted to the inspection office for review."))
        return redirect(_detail_url(plan))
    return _render_detail(request, plan, submit_form=form, status=400)


@require_POST
@plans_page
def plan_review(request, pk: int):
    user = request.user
    plan = selectors.get_plan_for_user(user, pk)
    if not services.may_review(user, plan):
        raise PermissionDenied
    if plan.state != Plan.State.SUBMITTED:
        messages.error(request, _("Only a plan awaiting review can be reviewed."))
        return redirect(_detail_url(plan))
    form = ReviewForm(request.POST, tasks=plan.shown_tasks)
    if form.is_valid() and _save(form, lambda data: services.plan_review(
            actor=user, plan=plan, decision=data["decision"], comment=data["comment"],
            task_comments=form.task_comments())):
        if form.cleaned_data["decision"] == "approve":
            messages.success(request, _("The plan has been approved; its tasks can now be worked."))
        else:
            messages.success(request, _("The plan has been returned to the organization with your comments."))
        return redirect(_detail_url(plan))
    return _render_detail(request, plan, review_form=form, status=400)


@require_GET
@plans_page
def plan_export(request, pk: int):
    """The three lists (问题清单、任务清单、责任清单) as one Excel workbook."""
    user = request.user
    plan = selectors.get_plan_for_user(user, pk)
    body = three_lists.export(actor=user, plan=plan)
    response = HttpResponse(body, content_type=three_lists.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, three_lists.filename(plan))
    return response
