"""Reads of rectification plans, always within the policy's scope. A plan outside the user's
scope is a 404 like a missing one (for a liaison: another organization's plan); the problems a
plan shows are those the user sees (for the liaison: fed back to it, never a lead)."""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from xuncha.access.models import RoleAssignment, User
from xuncha.access.policy import CHANGE, VIEW, scope
from xuncha.access.roles import Role
from xuncha.findings.models import Kind, Problem
from xuncha.rectification.models import Plan, PlanStep, Task
from xuncha.rectification.policy import LIAISON, OFFICE
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Round

ISSUED = Feedback.State.ISSUED
# Those who read the committee's plans (the liaison has its own page).
INSPECTORATE = (Role.LEADER, *OFFICE, Role.SUPERVISOR)


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# -- the committee's list --------------------------------------------------------------------

def round_choices(user) -> QuerySet[Round]:
    return scope(user, Round, VIEW).select_related("term").order_by("-term__start_date", "-number")


def plans(user, *, round_id: int | None = None, state: str = "", organization: str = "",
          feedback: int | None = None) -> QuerySet[Plan]:
    """The plans the user reads, with their counts of tasks and of vague tasks computed by the
    database; awaiting review first, then the latest submitted."""
    qs = (scope(user, Plan, VIEW)
          .select_related("organization", "round__term", "feedback")
          .annotate(n_tasks=Count("tasks"), n_vague=Count("tasks", filter=Q(tasks__vague=True)),
                    awaiting=Case(When(state=Plan.State.SUBMITTED, then=Value(0)), default=Value(1),
                                  output_field=IntegerField())))
    if round_id:
        qs = qs.filter(round_id=round_id)
    if state:
        qs = qs.filter(state=state)
    if organization:
        qs = qs.filter(organization__name__icontains=organization.strip())
    if feedback:
        qs = qs.filter(feedback_id=feedback)
    return qs.order_by("awaiting", F("submitted_at").desc(nulls_last=True), "round_id", "organization__name", "id")


def feedback_without_plan(user) -> QuerySet[Feedback]:
    """Issued feedback the user sees that has no rectification plan yet, oldest first."""
    return (scope(user, Feedback, VIEW).filter(state=ISSUED)
            .exclude(Exists(Plan.objects.filter(feedback=OuterRef("pk"))))
            .select_related("assignment__organization", "assignment__group__round__term")
            .order_by("fed_back_on", "id"))


# -- the organization's page -----------------------------------------------------------------

def unit_feedback(user) -> QuerySet[Feedback]:
    """The issued feedback of the user's organization(s), each with its plan (id, state) joined
    in, newest first."""
    plan = scope(user, Plan, VIEW).filter(feedback=OuterRef("pk"))
    return (scope(user, Feedback, VIEW).filter(state=ISSUED)
            .select_related("assignment__organization", "assignment__group__round__term")
            .annotate(plan_id=Subquery(plan.values("pk")[:1]), plan_state=Subquery(plan.values("state")[:1]))
            .order_by("-fed_back_on", "-id"))


def get_feedback_for_user(user, pk) -> Feedback:
    """An issued feedback the user sees (to start its plan)."""
    return _get(scope(user, Feedback, VIEW).filter(state=ISSUED)
                .select_related("assignment__organization", "assignment__round"), pk)


# -- one plan --------------------------------------------------------------------------------

def _problems(user) -> QuerySet[Problem]:
    return (scope(user, Problem, VIEW).exclude(kind=Kind.LEAD)
            .select_related("classification__parent__parent", "group__round__term").order_by("seq"))


def _tasks(user) -> QuerySet[Task]:
    return scope(user, Task, VIEW).select_related("owner").order_by("seq")


def plan_details(user) -> QuerySet[Plan]:
    """The plans the user sees, with what their page shows joined in: the feedback and its
    problems (those the user sees), the tasks and the steps."""
    steps = scope(user, PlanStep, VIEW).select_related("actor").order_by("at", "id")
    return (scope(user, Plan, VIEW)
            .select_related("organization", "round__term", "round__committee", "feedback__assignment__group",
                            "feedback__assignment__organization", "decided_by")
            .prefetch_related(Prefetch("feedback__problems", queryset=_problems(user), to_attr="shown_problems"),
                              Prefetch("tasks", queryset=_tasks(user), to_attr="shown_tasks"),
                              Prefetch("steps", queryset=steps, to_attr="shown_steps")))


def get_plan_for_user(user, pk) -> Plan:
    return _get(plan_details(user), pk)


def get_task_for_user(user, plan: Plan, pk) -> Task:
    return _get(_tasks(user).filter(plan=plan).select_related("plan", "problem"), pk)


def plan_problems(user, plan: Plan) -> QuerySet[Problem]:
    """The plan's problems the user sees (a task's problem is chosen among them)."""
    return _problems(user).filter(feedbacks=plan.feedback_id)


def liaison_accounts(organization_id: int) -> QuerySet[User]:
    """The active accounts that now hold unit_liaison for the organization (a task's owner is
    one of them)."""
    holders = RoleAssignment.objects.current().filter(role=Role.UNIT_LIAISON, organization_id=organization_id)
    return (User.objects.filter(is_active=True, pk__in=holders.values("user_id"))
            .order_by("full_name", "username"))


# -- to-dos ----------------------------------------------------------------------------------

def awaiting_review(user) -> QuerySet[Plan]:
    """Submitted plans the user reviews (the office)."""
    return scope(user, Plan, CHANGE, roles=OFFICE).filter(state=Plan.State.SUBMITTED)


def returned_to_writer(user) -> QuerySet[Plan]:
    """Returned plans of the user's organization (the liaison)."""
    return scope(user, Plan, CHANGE, roles=LIAISON).filter(state=Plan.State.RETURNED)


def unit_feedback_without_plan(user) -> QuerySet[Feedback]:
    """Issued feedback of the user's organization without a plan (the liaison)."""
    return scope(user, Feedback, VIEW, roles=LIAISON).filter(state=ISSUED).exclude(
        Exists(Plan.objects.filter(feedback=OuterRef("pk"))))
