"""Writes for the rectification plan (整改方案) that answers an issued feedback.

The inspected organization's liaison starts the plan of an issued feedback and writes, for every
problem fed back, one or more tasks (measures, 责任领导, 牵头部门, 责任人, deadline, type, and
optionally the liaison account that reports progress); then submits it. The office reviews:
approves, or returns it with an overall comment and comments per task; the liaison fixes and
resubmits. The office may also write a plan on the organization's behalf (it may CREATE plans),
but only the office reviews. Once approved, the tasks are worked elsewhere (services_tasks) and
refuse changes here.

Who writes: CHANGE and CREATE on the plan (the liaison of its organization, the office). Who
reviews: CHANGE through an office role. The leading group and the superior office only read.

Every write of a task recomputes the vagueness of all the plan's tasks (xuncha.text.vagueness),
since a measure copied between problems is vague only in the company of the others. Every
function checks the policy, runs in one transaction and leaves an audit event; every state
change writes a PlanStep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.models import RoleAssignment
from xuncha.access.policy import CHANGE, CREATE, can, require
from xuncha.access.roles import Role
from xuncha.findings.models import Kind, Problem
from xuncha.rectification.models import Plan, PlanStep, Task
from xuncha.rectification.policy import OFFICE
from xuncha.reports.models import Feedback
from xuncha.text import vagueness

DRAFT, SUBMITTED = Plan.State.DRAFT, Plan.State.SUBMITTED
RETURNED, APPROVED = Plan.State.RETURNED, Plan.State.APPROVED
APPROVE, RETURN, SUBMIT = PlanStep.Action.APPROVE, PlanStep.Action.RETURN, PlanStep.Action.SUBMIT

WRITER, REVIEWER = "writer", "reviewer"
# (state, action) → (next state, who may): the whole life of a plan.
TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    (DRAFT, SUBMIT): (SUBMITTED, WRITER),
    (RETURNED, SUBMIT): (SUBMITTED, WRITER),
    (SUBMITTED, APPROVE): (APPROVED, REVIEWER),
    (SUBMITTED, RETURN): (RETURNED, REVIEWER),
}
# Tasks are written while the plan is with its writers.
WRITABLE = (DRAFT, RETURNED)
# Due within the concentrated rectification period; long-term tasks may go beyond it.
WITHIN_CONCENTRATED = (Task.Type.IMMEDIATE, Task.Type.CONCENTRATED)
TEXT_FIELDS = ("measures", "responsible_leader", "lead_department", "person_in_charge")
MAX_LENGTH = {"responsible_leader": 100, "lead_department": 100, "person_in_charge": 100}

_KEEP: Any = object()  # task_update: a field not given stays as it is


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


# -- who and when ----------------------------------------------------------------------------

def new_plan(feedback: Feedback) -> Plan:
    """An unsaved plan of the feedback, so that the policy can judge it before it exists."""
    assignment = feedback.assignment
    return Plan(feedback=feedback, organization_id=assignment.organization_id, round_id=assignment.round_id)


def may_write(user, plan: Plan) -> bool:
    """Whether the user writes this plan (its liaison, or the office on its behalf) — whatever
    its state."""
    return can(user, CHANGE, plan) and can(user, CREATE, plan)


def may_review(user, plan: Plan) -> bool:
    return can(user, CHANGE, plan, roles=OFFICE)


def _require_writer(actor, plan: Plan) -> None:
    require(actor, CHANGE, plan)
    require(actor, CREATE, plan)


def _require_reviewer(actor, plan: Plan) -> None:
    require(actor, CHANGE, plan, roles=OFFICE)


def state_refusal(plan: Plan) -> str:
    """Why the plan's tasks cannot be written now; "" while it is draft or returned."""
    if plan.state == SUBMITTED:
        return _("The plan has been submitted for review; its tasks can be changed again if it is returned.")
    if plan.state == APPROVED:
        return _("The plan has been approved; its tasks are worked in the rectification workspace and can no "
                 "longer be changed here.")
    return ""


def _require_writable(plan: Plan) -> None:
    reason = state_refusal(plan)
    if reason:
        raise ValidationError({"state": [reason]})


def _lock(plan: Plan) -> Plan:
    return (Plan.objects.select_for_update(of=("self",))
            .select_related("feedback__assignment__organization", "organization", "round__committee")
            .get(pk=plan.pk))


def _locked_for_writing(actor, plan: Plan) -> Plan:
    """The plan, locked and fresh, after checking the actor writes it and it is writable."""
    _require_writer(actor, plan)
    plan = _lock(plan)
    _require_writer(actor, plan)
    _require_writable(plan)
    return plan


def owner_refusal() -> str:
    return _("Progress is reported by one of the organization's liaison accounts.")


def is_liaison_account(user, organization_id: int) -> bool:
    """Whether the account now holds unit_liaison for the organization (a task's owner must)."""
    return RoleAssignment.objects.current().filter(user=user, role=Role.UNIT_LIAISON,
                                                   organization_id=organization_id).exists()


# -- vagueness -------------------------------------------------------------------------------

def assess_tasks(tasks: Iterable[Task]) -> dict[int, vagueness.Assessment]:
    """Each task's assessment among the plan's tasks: the others are the measures written for
    the plan's OTHER problems (copy-paste between problems is one of the signals)."""
    tasks = list(tasks)
    return {task.pk: vagueness.assess(task.measures, others=[o.measures for o in tasks
                                                            if o.problem_id != task.problem_id])
            for task in tasks}


def _recompute_vagueness(plan: Plan) -> None:
    tasks = list(Task.objects.filter(plan=plan).order_by("seq"))
    found = assess_tasks(tasks)
    changed = []
    for task in tasks:
        assessment = found[task.pk]
        if task.vagueness != assessment.score or task.vague != assessment.vague:
            task.vagueness, task.vague = assessment.score, assessment.vague
            changed.append(task)
    if changed:
        Task.objects.bulk_update(changed, ["vagueness", "vague"])


# -- start -----------------------------------------------------------------------------------

@transaction.atomic
def plan_start(*, actor, feedback: Feedback) -> Plan:
    """The plan of an issued feedback (one per feedback), for the feedback's organization and
    round."""
    feedback = (Feedback.objects.select_for_update(of=("self",))
                .select_related("assignment__organization", "assignment__round__committee").get(pk=feedback.pk))
    plan = new_plan(feedback)
    require(actor, CREATE, plan)
    if feedback.state != Feedback.State.ISSUED:
        raise ValidationError({"feedback": [_("A rectification plan answers issued feedback; this feedback has "
                                              "not been issued.")]})
    if Plan.objects.filter(feedback=feedback).exists():
        raise ValidationError({"feedback": [_("This feedback already has its rectification plan.")]})
    plan.created_by = _account(actor)
    plan.save()
    audit.record(actor=actor, action="plan.start", obj=plan, summary=str(feedback.assignment.organization),
                 detail={"feedback": feedback.pk, "organization": plan.organization_id, "round": plan.round_id})
    return plan


# -- tasks -----------------------------------------------------------------------------------

def _problem(plan: Plan, problem: Problem | int | None, errors: dict[str, list[str]]) -> Problem | None:
    if problem is None:
        errors["problem"] = _required()
        return None
    pk = getattr(problem, "pk", problem)
    found = Problem.objects.filter(pk=pk).first()
    if found is not None and found.kind == Kind.LEAD:
        errors["problem"] = [_("Problem leads are never part of a rectification plan.")]
        return None
    if found is None or not plan.feedback.problems.filter(pk=found.pk).exists():
        errors["problem"] = [_("Choose a problem fed back to the organization in this feedback.")]
        return None
    return found


def _check_task(plan: Plan, values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Check the task's fields (already stripped) against the plan's feedback."""
    for field in TEXT_FIELDS:
        if not values[field]:
            errors[field] = _required()
        elif field in MAX_LENGTH and len(values[field]) > MAX_LENGTH[field]:
            errors[field] = [_("At most %(n)d characters.") % {"n": MAX_LENGTH[field]}]
    if values["type"] not in Task.Type.values:
        errors["type"] = [_("Choose the type of task.")]
    due, feedback = values["due"], plan.feedback
    if due is None:
        errors["due"] = _required()
    elif feedback.fed_back_on and due < feedback.fed_back_on:
        errors["due"] = [_("The deadline cannot be before the feedback date (%(date)s).")
                         % {"date": _day(feedback.fed_back_on)}]
    elif (feedback.rectification_due and due > feedback.rectification_due
          and values["type"] in WITHIN_CONCENTRATED):
        errors["due"] = [_("Tasks rectified at once or in the concentrated period are due by the end of "
                           "concentrated rectification (%(date)s); only long-term tasks may go beyond it.")
                         % {"date": _day(feedback.rectification_due)}]
    owner = values["owner"]
    if owner is not None and not is_liaison_account(owner, plan.organization_id):
        errors["owner"] = [owner_refusal()]


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v or "").strip() if k in TEXT_FIELDS else v for k, v in values.items()}


def _audit_detail(task: Task) -> dict[str, Any]:
    return {"task": task.pk, "seq": task.seq, "problem": task.problem_id, "type": task.type,
            "due": task.due.isoformat() if task.due else None, "owner": task.owner_id}


@transaction.atomic
def task_add(*, actor, plan: Plan, problem: Problem | int | None, measures: str, responsible_leader: str,
             lead_department: str, person_in_charge: str, due: date | None,
             type: str = Task.Type.CONCENTRATED, owner=None) -> Task:
    """A task for one problem of the feedback, numbered after the plan's last, while the plan is
    draft or returned."""
    plan = _locked_for_writing(actor, plan)
    errors: dict[str, list[str]] = {}
    found = _problem(plan, problem, errors)
    values = _clean({"measures": measures, "responsible_leader": responsible_leader,
                     "lead_department": lead_department, "person_in_charge": person_in_charge, "due": due,
                     "type": type, "owner": owner})
    _check_task(plan, values, errors)
    if errors:
        raise ValidationError(errors)
    last = Task.objects.filter(plan=plan).aggregate(m=Max("seq"))["m"] or 0
    task = Task.objects.create(plan=plan, problem=found, seq=last + 1, **values)
    _recompute_vagueness(plan)
    task.refresh_from_db(fields=["vagueness", "vague"])
    audit.record(actor=actor, action="plan.task_add", obj=plan, summary=str(plan.organization),
                 detail=_audit_detail(task))
    return task


def _task_of(plan: Plan, task: Task) -> Task:
    locked = Task.objects.select_for_update(of=("self",)).filter(pk=task.pk, plan=plan).first()
    if locked is None:
        raise ValidationError({"task": [_("This task is not part of the plan.")]})
    return locked


@transaction.atomic
def task_update(*, actor, task: Task, problem: Problem | int | None = _KEEP, measures: str = _KEEP,
                responsible_leader: str = _KEEP, lead_department: str = _KEEP, person_in_charge: str = _KEEP,
                due: date | None = _KEEP, type: str = _KEEP, owner=_KEEP) -> Task:
    """Change a task of a draft or returned plan; what is not given stays (owner=None clears it)."""
    plan = _locked_for_writing(actor, task.plan)
    task = _task_of(plan, task)
    given = {"measures": measures, "responsible_leader": responsible_leader, "lead_department": lead_department,
             "person_in_charge": person_in_charge, "due": due, "type": type, "owner": owner}
    values = _clean({k: (getattr(task, k) if v is _KEEP else v) for k, v in given.items()})
    errors: dict[str, list[str]] = {}
    found = task.problem if problem is _KEEP else _problem(plan, problem, errors)
    _check_task(plan, values, errors)
    if errors:
        raise ValidationError(errors)
    before = {k: getattr(task, k) for k in values} | {"problem": task.problem_id}
    for field, value in values.items():
        setattr(task, field, value)
    task.problem = found
    changed = [k for k in values if before[k] != getattr(task, k)]
    if before["problem"] != task.problem_id:
        changed.append("problem")
    if not changed:
        return task
    task.save(update_fields=[*changed, "updated_at"])
    _recompute_vagueness(plan)
    task.refresh_from_db(fields=["vagueness", "vague"])
    audit.record(actor=actor, action="plan.task_update", obj=plan, summary=str(plan.organization),
                 detail={**_audit_detail(task), "changed": sorted(changed)})
    return task


@transaction.atomic
def task_remove(*, actor, task: Task) -> None:
    """Remove a task of a draft or returned plan; the tasks after it move up a number."""
    plan = _locked_for_writing(actor, task.plan)
    task = _task_of(plan, task)
    detail = _audit_detail(task)
    task.delete()
    # One row at a time, upwards, so that (plan, seq) stays unique at every step.
    for later in Task.objects.filter(plan=plan, seq__gt=detail["seq"]).order_by("seq"):
        later.seq -= 1
        later.save(update_fields=["seq"])
    _recompute_vagueness(plan)
    audit.record(actor=actor, action="plan.task_remove", obj=plan, summary=str(plan.organization), detail=detail)


# -- submit and review -----------------------------------------------------------------------

def _transition(actor, plan: Plan, action: str, comment: str) -> PlanStep:
    """Move the locked plan by the transition table, after checking who may; the step to save
    with it."""
    move = TRANSITIONS.get((plan.state, action))
    if move is None:
        raise ValidationError({"state": [_("The plan is “%(state)s”; this step is not possible now.")
                                         % {"state": plan.get_state_display()}]})
    to_state, who = move
    (_require_writer if who == WRITER else _require_reviewer)(actor, plan)
    step = PlanStep(plan=plan, action=action, from_state=plan.state, to_state=to_state, actor=_account(actor),
                    at=timezone.now(), comment=comment)
    plan.state = to_state
    return step


def missing_problems(plan: Plan) -> list[Problem]:
    """The problems fed back that have no task in the plan yet, in number order."""
    return list(plan.feedback.problems.exclude(rectification_tasks__plan=plan)
                .select_related("group__round").order_by("seq"))


@transaction.atomic
def plan_submit(*, actor, plan: Plan, comment: str = "") -> Plan:
    """Draft or returned → submitted, once every problem fed back has at least one task."""
    _require_writer(actor, plan)
    plan = _lock(plan)
    step = _transition(actor, plan, SUBMIT, (comment or "").strip())
    missing = missing_problems(plan)
    if missing:
        raise ValidationError({"tasks": [_("Every problem fed back needs at least one task; none yet for: "
                                           "%(problems)s.") % {"problems": "、".join(p.title for p in missing)}]})
    plan.submitted_at = step.at
    plan.save(update_fields=["state", "submitted_at", "updated_at"])
    step.save()
    audit.record(actor=actor, action="plan.submit", obj=plan, summary=str(plan.organization),
                 detail={"from": step.from_state, "tasks": plan.tasks.count()})
    return plan


@transaction.atomic
def plan_review(*, actor, plan: Plan, decision: str, comment: str = "",
                task_comments: Mapping[int, str] | None = None) -> Plan:
    """The office approves the submitted plan or returns it. A return says why: an overall
    comment or a comment on at least one task (each kept on its task until the next review);
    approval clears the tasks' comments. Approving vague measures is allowed (the page warns)."""
    _require_reviewer(actor, plan)
    plan = _lock(plan)
    if decision not in (APPROVE, RETURN):
        raise ValidationError({"decision": [_("Choose to approve or to return the plan.")]})
    comment = (comment or "").strip()
    notes = {int(k): (v or "").strip() for k, v in (task_comments or {}).items()}
    notes = {k: v for k, v in notes.items() if v}
    step = _transition(actor, plan, decision, comment)
    tasks = {t.pk: t for t in Task.objects.select_for_update(of=("self",)).filter(plan=plan)}
    strangers = sorted(set(notes) - set(tasks))
    if strangers:
        raise ValidationError({"task_comments": [_("Comment only on tasks of this plan.")]})
    if decision == RETURN and not comment and not notes:
        raise ValidationError({"comment": [_("Say why the plan is returned: an overall comment or a comment on at "
                                             "least one task.")]})
    changed = []
    for pk, task in tasks.items():
        wanted = notes.get(pk, "") if decision == RETURN else ""
        if task.review_comment != wanted:
            task.review_comment = wanted
            changed.append(task)
    if changed:
        Task.objects.bulk_update(changed, ["review_comment"])
    if notes:
        # The history keeps what each task was returned for (the tasks' comments are cleared on approval).
        step.comment = "\n".join([comment] * bool(comment) + [
            _("Task %(number)s: %(comment)s") % {"number": tasks[pk].seq, "comment": note}
            for pk, note in sorted(notes.items(), key=lambda item: tasks[item[0]].seq)])
    plan.comment = comment
    plan.decided_at, plan.decided_by = step.at, _account(actor)
    plan.save(update_fields=["state", "comment", "decided_at", "decided_by", "updated_at"])
    step.save()
    audit.record(actor=actor, action=f"plan.{decision}", obj=plan, summary=str(plan.organization),
                 detail={"comment": comment, "task_comments": {str(k): v for k, v in sorted(notes.items())},
                         "vague_tasks": sorted(t.seq for t in tasks.values() if t.vague)})
    return plan
