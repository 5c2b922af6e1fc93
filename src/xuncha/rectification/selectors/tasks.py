"""Reads of rectification tasks, always within the policy's scope: the liaison's workspace, one
task with its progress, evidence and steps, the office's closure queue, the lists of the API.

Only tasks of approved plans are worked, so only those are read here (a plan being written or
reviewed is the plans area's). Out-of-scope tasks are a 404 like missing ones.

Warning levels: `warnings.level_for` judges one task with the thresholds of its feedback's
deadline policy. To order, count and filter in the database, `level_q` uses the same rule as
date conditions (warnings.TASK) for the thresholds of the policies at hand, read in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from xuncha.access.policy import CHANGE, VIEW, scope
from xuncha.rectification import warnings
from xuncha.rectification.models import (
    Plan,
    Progress,
    ProgressEvidence,
    ProgressReport,
    Task,
    TaskStep,
)
from xuncha.rectification.policy import LIAISON, OFFICE
from xuncha.rectification.warnings import CSS, Level, days_left, level_for
from xuncha.reports.models import Feedback

OPEN, REQUESTED, CLOSED = Task.State.OPEN, Task.State.REQUESTED, Task.State.CLOSED
APPROVED = Plan.State.APPROVED
# The thresholds warnings.level_for uses for a feedback without a policy: the model's defaults.
RANK = {Level.RED: 0, Level.YELLOW: 1, Level.GREEN: 2, Level.NONE: 3}
POLICY = "plan__feedback__policy"


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def tasks_for(user, action: str = VIEW, *, roles=None) -> QuerySet[Task]:
    """The tasks of approved plans on which `user` may take `action` (through `roles`)."""
    return scope(user, Task, action, roles=roles).filter(plan__state=APPROVED)


# -- warning levels --------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    """A deadline as a badge shows it."""

    due: date | None
    level: Level
    days_left: int | None

    @property
    def css(self) -> str:
        return CSS[self.level]

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def deadline(due: date | None, today: date, policy, *, done: bool = False) -> Deadline:
    return Deadline(due, level_for(due, today, policy, done=done), None if done else days_left(due, today))


def task_deadline(task: Task, today: date) -> Deadline:
    return deadline(task.due, today, task.plan.feedback.policy, done=task.state == CLOSED)


def thresholds(qs: QuerySet[Task]) -> list[tuple[int, int]]:
    """The (green, yellow) warning days of the policies behind the tasks of `qs` (one query)."""
    return list(qs.order_by().values_list(f"{POLICY}__warn_green_days", f"{POLICY}__warn_yellow_days")
                .exclude(**{f"{POLICY}__isnull": True}).distinct())


def level_q(level: str, today: date, found: list[tuple[int, int]]) -> Q:
    """The tasks whose warning level on `today` is `level` (as warnings.level_for has it)."""
    level = Level(level)
    if level == Level.NONE:
        return Q(state=CLOSED) | ~warnings.TASK.any_q(warnings.WARNED, today, found)
    return warnings.TASK.q(level, today, found)


def with_level_rank(qs: QuerySet[Task], today: date, found: list[tuple[int, int]]) -> QuerySet[Task]:
    """`level_rank`: 0 red, 1 yellow, 2 green, 3 on schedule or closed."""
    whens = [When(level_q(level, today, found), then=Value(RANK[level]))
             for level in (Level.RED, Level.YELLOW, Level.GREEN)]
    return qs.annotate(level_rank=Case(*whens, default=Value(RANK[Level.NONE]), output_field=IntegerField()))


# -- what a row shows ------------------------------------------------------------------------

def _last_step(user, field: str):
    steps = scope(user, TaskStep, VIEW).filter(task=OuterRef("pk")).order_by("-at", "-id")
    return Subquery(steps.values(field)[:1])


def _evidence_count(user):
    counted = (scope(user, ProgressEvidence, VIEW).filter(progress__task=OuterRef("pk")).order_by()
               .values("progress__task").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _last_progress_on(user):
    last = (scope(user, Progress, VIEW).filter(task=OuterRef("pk")).order_by()
            .values("task").annotate(last=Max("reported_on")).values("last"))
    return Subquery(last)


def rows(user, qs: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks with what a list row shows joined in: one query per page."""
    return (qs.select_related("plan__organization", "plan__feedback__policy", "plan__round__term", "problem")
            .annotate(last_progress_on=_last_progress_on(user), evidence_count=_evidence_count(user),
                      last_action=_last_step(user, "action"), last_comment=_last_step(user, "comment")))


# -- the liaison's workspace -----------------------------------------------------------------

SHOWS = ("todo", "requested", "closed")


@dataclass
class Workspace:
    tasks: QuerySet[Task]
    counts: dict[str, int]


def workspace(user, today: date, show: str = "todo") -> Workspace:
    """The tasks of the liaison's organization(s): those to work on (open, including returned
    requests), awaiting closure, or closed; the most urgent first. With the counts at the top."""
    mine = tasks_for(user, VIEW, roles=LIAISON)
    found = thresholds(mine)
    soon = level_q(Level.YELLOW, today, found) | level_q(Level.GREEN, today, found)
    is_open = Q(state=OPEN)
    counts = mine.aggregate(
        open=Count("pk", filter=is_open),
        due_soon=Count("pk", filter=is_open & soon),
        overdue=Count("pk", filter=is_open & level_q(Level.RED, today, found)),
        requested=Count("pk", filter=Q(state=REQUESTED)),
        closed=Count("pk", filter=Q(state=CLOSED)),
    )
    state = {"todo": OPEN, "requested": REQUESTED, "closed": CLOSED}.get(show, OPEN)
    shown = with_level_rank(mine.filter(state=state), today, found)
    order = ("-closed_at", "-id") if state == CLOSED else ("level_rank", "due", "plan_id", "seq")
    return Workspace(tasks=rows(user, shown).order_by(*order), counts=counts)


@dataclass(frozen=True)
class FeedbackDeadlines:
    feedback: Feedback
    rectification: Deadline
    progress_report: Deadline


def feedback_deadlines(user, today: date, limit: int = 5) -> list[FeedbackDeadlines]:
    """The concentrated-rectification and progress-report deadlines of the organization's issued
    feedback, newest first: the first done once every task of its approved plan is closed, the
    second once the progress report is submitted."""
    plan_tasks = scope(user, Task, VIEW).filter(plan__feedback=OuterRef("pk"), plan__state=APPROVED)
    report_in = scope(user, ProgressReport, VIEW).filter(
        feedback=OuterRef("pk"), state__in=[ProgressReport.State.SUBMITTED, ProgressReport.State.REVIEWED])
    qs = (scope(user, Feedback, VIEW).filter(state=Feedback.State.ISSUED)
          .select_related("assignment__organization", "assignment__group__round__term", "policy")
          .annotate(has_tasks=Exists(plan_tasks), unfinished=Exists(plan_tasks.exclude(state=CLOSED)),
                    report_in=Exists(report_in))
          .order_by("-fed_back_on", "-id"))[:limit]
    return [FeedbackDeadlines(
        feedback=f,
        rectification=deadline(f.rectification_due, today, f.policy, done=f.has_tasks and not f.unfinished),
        progress_report=deadline(f.progress_report_due, today, f.policy, done=f.report_in),
    ) for f in qs]


# -- one task --------------------------------------------------------------------------------

def task_details(user) -> QuerySet[Task]:
    """Tasks with their progress (newest first, each with its evidence) and steps."""
    evidence = scope(user, ProgressEvidence, VIEW).select_related("uploaded_by").order_by("uploaded_at", "id")
    progress = (scope(user, Progress, VIEW).select_related("reported_by").order_by("-reported_on", "-id")
                .prefetch_related(Prefetch("evidence", queryset=evidence, to_attr="shown_evidence")))
    steps = scope(user, TaskStep, VIEW).select_related("actor").order_by("at", "id")
    return (tasks_for(user)
            .select_related("plan__organization", "plan__feedback__policy", "plan__round__term", "problem",
                            "owner", "closed_by")
            .prefetch_related(Prefetch("progress", queryset=progress, to_attr="shown_progress"),
                              Prefetch("steps", queryset=steps, to_attr="shown_steps")))


def get_task_for_user(user, pk) -> Task:
    return _get(task_details(user), pk)


def get_progress_for_user(user, task: Task, pk) -> Progress:
    return _get(scope(user, Progress, VIEW).filter(task=task).select_related("task__plan"), pk)


def evidence_for(user) -> QuerySet[ProgressEvidence]:
    return (scope(user, ProgressEvidence, VIEW).filter(progress__task__plan__state=APPROVED)
            .select_related("progress__task__plan__organization", "progress__task__problem"))


def get_evidence_for_user(user, pk) -> ProgressEvidence:
    return _get(evidence_for(user), pk)


# -- the office's closure queue --------------------------------------------------------------

def closure_queue(user) -> QuerySet[Task]:
    """Tasks awaiting closure that the user may close, the oldest request first."""
    requests = scope(user, TaskStep, VIEW).filter(task=OuterRef("pk"), action=TaskStep.Action.REQUEST)
    latest = requests.order_by("-at", "-id")
    return (rows(user, tasks_for(user, CHANGE, roles=OFFICE).filter(state=REQUESTED))
            .annotate(requested_at=Subquery(latest.values("at")[:1]),
                      requested_by=Subquery(latest.values("actor__full_name")[:1]),
                      requested_by_username=Subquery(latest.values("actor__username")[:1]))
            .order_by("requested_at", "id"))


# -- the API's list --------------------------------------------------------------------------

def task_list(user, today: date, *, state: str = "", organization: int | None = None,
              round: int | None = None, plan: int | None = None, level: str = "") -> QuerySet[Task]:
    qs = tasks_for(user)
    if state:
        qs = qs.filter(state=state)
    if organization:
        qs = qs.filter(plan__organization_id=organization)
    if round:
        qs = qs.filter(plan__round_id=round)
    if plan:
        qs = qs.filter(plan_id=plan)
    if level:
        qs = qs.filter(level_q(level, today, thresholds(qs)))
    return rows(user, qs).order_by("plan__round_id", "plan__organization_id", "plan_id", "seq")


# -- to-dos ----------------------------------------------------------------------------------

def liaison_todo_counts(user, today: date) -> dict[str, int]:
    """Open tasks of the liaison's organization(s) overdue, within the warning period, and
    whose closure request was returned (their last step is a return)."""
    mine = tasks_for(user, VIEW, roles=LIAISON).filter(state=OPEN)
    found = thresholds(mine)
    soon = level_q(Level.YELLOW, today, found) | level_q(Level.GREEN, today, found)
    returned = Q(last_action=TaskStep.Action.RETURN)
    return mine.annotate(last_action=_last_step(user, "action")).aggregate(
        overdue=Count("pk", filter=level_q(Level.RED, today, found)),
        due_soon=Count("pk", filter=soon),
        returned=Count("pk", filter=returned),
    )


def closure_requests_to_verify(user) -> int:
    return tasks_for(user, CHANGE, roles=OFFICE).filter(state=REQUESTED).count()
