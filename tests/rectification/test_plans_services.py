"""Plan services: the whole flow (start, tasks, submit, return with comments, fix, resubmit,
approve), every refusal (who, which feedback, which problem, deadlines, owner, state), the
vagueness stored with the tasks, and the audit events."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.rectification.plans_helpers import (  # noqa: F401 - autouse fixture
    CONCENTRATED_DUE,
    VAGUE,
    _documents_in_tmp,
    submitted_plan,
    task_fields,
    written_plan,
)
from tests.reports.feedback_helpers import draft_feedback
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.access.roles import Role
from xuncha.findings.models import Problem
from xuncha.rectification import services_plans as services
from xuncha.rectification.models import Plan, PlanStep, Task
from xuncha.rectification.vague_labels import REASONS, describe


def _fields(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.message_dict)


@pytest.fixture
def other_liaison(world, make_user):
    """The liaison of 城关镇: another organization of the same committee."""
    return make_user("other_liaison", role=Role.UNIT_LIAISON, organization=world.township)


@pytest.fixture
def plan(world, fed_back):
    return services.plan_start(actor=world.unit_liaison, feedback=fed_back.feedback)


# -- the whole flow --------------------------------------------------------------------------

def test_the_liaison_writes_the_office_returns_the_liaison_fixes_the_office_approves(world, fed_back):
    liaison, office = world.unit_liaison, world.office_admin
    plan = services.plan_start(actor=liaison, feedback=fed_back.feedback)
    assert (plan.state, plan.organization, plan.round) == ("draft", fed_back.organization, fed_back.target.round)
    assert plan.created_by == liaison
    tasks = [services.task_add(actor=liaison, plan=plan, problem=p, **task_fields(n))
             for n, p in enumerate(fed_back.problems, start=1)]
    vague = services.task_add(actor=liaison, plan=plan, problem=fed_back.problems[0],
                              **task_fields(measures=VAGUE, owner=liaison))
    assert [t.seq for t in [*tasks, vague]] == [1, 2, 3, 4, 5] and vague.owner == liaison

    plan = services.plan_submit(actor=liaison, plan=plan, comment="请审核")
    assert plan.state == "submitted" and plan.submitted_at is not None

    plan = services.plan_review(actor=office, plan=plan, decision="return", comment="个别措施空泛",
                                task_comments={vague.pk: "措施空泛，请细化"})
    vague.refresh_from_db()
    assert plan.state == "returned" and plan.comment == "个别措施空泛"
    assert plan.decided_by == office and plan.decided_at is not None
    assert vague.review_comment == "措施空泛，请细化"
    assert not Task.objects.filter(plan=plan).exclude(pk=vague.pk).exclude(review_comment="").exists()

    fixed = services.task_update(actor=liaison, task=vague, measures="2024年6月30日前由村党支部书记组织召开专题会议，"
                                                                    "逐项制定惠农补贴发放台账，补发2户补贴。")
    assert not fixed.vague
    plan = services.plan_submit(actor=liaison, plan=plan)
    plan = services.plan_review(actor=office, plan=plan, decision="approve")
    assert plan.state == "approved" and plan.comment == ""
    assert not Task.objects.filter(plan=plan).exclude(review_comment="").exists()

    steps = list(PlanStep.objects.filter(plan=plan).values_list("action", "from_state", "to_state", "actor__username",
                                                                "comment"))
    assert steps == [("submit", "draft", "submitted", "unit_liaison", "请审核"),
                     # the history keeps the comments on tasks, which approval clears from the tasks
                     ("return", "submitted", "returned", "office_admin", "个别措施空泛\n任务5：措施空泛，请细化"),
                     ("submit", "returned", "submitted", "unit_liaison", ""),
                     ("approve", "submitted", "approved", "office_admin", "")]
    actions = list(AuditEvent.objects.filter(action__startswith="plan.").order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["plan.start", *["plan.task_add"] * 5, "plan.submit", "plan.return", "plan.task_update",
                       "plan.submit", "plan.approve"]
    returned = AuditEvent.objects.get(action="plan.return")
    assert returned.detail["task_comments"] == {str(vague.pk): "措施空泛，请细化"} and returned.detail["vague_tasks"] == [5]


def test_the_office_may_write_a_plan_on_the_organizations_behalf(world, fed_back):
    plan = submitted_plan(fed_back, world.office_staff)
    assert plan.state == "submitted" and plan.created_by == world.office_staff
    assert plan.tasks.count() == 4


# -- starting --------------------------------------------------------------------------------

def test_a_plan_answers_issued_feedback_only_and_only_once(world, findings, fed_back):
    draft = draft_feedback(findings.target2)
    with pytest.raises(ValidationError) as exc:
        services.plan_start(actor=world.office_admin, feedback=draft)
    assert _fields(exc) == {"feedback"}
    services.plan_start(actor=world.unit_liaison, feedback=fed_back.feedback)
    with pytest.raises(ValidationError) as exc:
        services.plan_start(actor=world.office_admin, feedback=fed_back.feedback)
    assert _fields(exc) == {"feedback"} and Plan.objects.count() == 1
    assert AuditEvent.objects.filter(action="plan.start").count() == 1


@pytest.mark.parametrize("role", ["receiver", "leader", "supervisor", "group_leader", "outsider"])
def test_roles_that_do_not_write_plans_cannot_start_one(world, fed_back, role):
    with pytest.raises(PermissionDenied):
        services.plan_start(actor=world.users[role], feedback=fed_back.feedback)
    assert not Plan.objects.exists()


def test_another_organizations_liaison_cannot_start_or_write_the_plan(world, fed_back, other_liaison):
    with pytest.raises(PermissionDenied):
        services.plan_start(actor=other_liaison, feedback=fed_back.feedback)
    plan = written_plan(fed_back, world.unit_liaison)
    task = plan.tasks.first()
    for call in (lambda: services.task_add(actor=other_liaison, plan=plan, problem=fed_back.problems[0],
                                           **task_fields()),
                 lambda: services.task_update(actor=other_liaison, task=task, measures=VAGUE),
                 lambda: services.task_remove(actor=other_liaison, task=task),
                 lambda: services.plan_submit(actor=other_liaison, plan=plan)):
        with pytest.raises(PermissionDenied):
            call()
    assert plan.tasks.count() == 4 and Plan.objects.get().state == "draft"


@pytest.mark.parametrize("role", ["receiver", "leader", "supervisor"])
def test_readers_and_receivers_cannot_write_tasks(world, plan, fed_back, role):
    with pytest.raises(PermissionDenied):
        services.task_add(actor=world.users[role], plan=plan, problem=fed_back.problems[0], **task_fields())
    assert not Task.objects.exists()


# -- tasks -----------------------------------------------------------------------------------

def test_a_lead_can_never_be_a_task_of_the_plan(world, plan, fed_back):
    for actor in (world.unit_liaison, world.office_admin):
        with pytest.raises(ValidationError) as exc:
            services.task_add(actor=actor, plan=plan, problem=fed_back.lead, **task_fields())
        assert _fields(exc) == {"problem"}
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.task_add(actor=world.office_admin, plan=plan, problem=fed_back.lead.pk, **task_fields())
    assert "lead" in exc.value.message_dict["problem"][0]
    assert not Task.objects.exists()


def test_the_problem_must_be_one_fed_back_in_this_feedback(world, findings, plan, fed_back):
    elsewhere = Problem.objects.create(assignment=findings.target2, seq=9, title="三会一课不落实", description="—",
                                       classification=findings.items["T1.1.1"], kind="general")
    for problem in (elsewhere, None, 999999):
        with pytest.raises(ValidationError) as exc:
            services.task_add(actor=world.office_admin, plan=plan, problem=problem, **task_fields())
        assert _fields(exc) == {"problem"}


def test_required_fields_are_named(world, plan, fed_back):
    with pytest.raises(ValidationError) as exc:
        services.task_add(actor=world.unit_liaison, plan=plan, problem=fed_back.problems[0], measures="  ",
                          responsible_leader="", lead_department="", person_in_charge="", due=None, type="soon")
    assert _fields(exc) == {"measures", "responsible_leader", "lead_department", "person_in_charge", "due", "type"}
    with pytest.raises(ValidationError) as exc:
        services.task_add(actor=world.unit_liaison, plan=plan, problem=fed_back.problems[0],
                          **task_fields(lead_department="部" * 101))
    assert _fields(exc) == {"lead_department"}
    assert not Task.objects.exists()


def test_deadlines_follow_the_feedback_and_the_concentrated_period(world, plan, fed_back):
    liaison, problem = world.unit_liaison, fed_back.problems[0]
    assert fed_back.feedback.rectification_due == CONCENTRATED_DUE
    with pytest.raises(ValidationError) as exc:
        services.task_add(actor=liaison, plan=plan, problem=problem, **task_fields(due=date(2024, 5, 19)))
    assert _fields(exc) == {"due"}
    beyond = date(2024, 12, 31)
    for kind in (Task.Type.CONCENTRATED, Task.Type.IMMEDIATE):
        with pytest.raises(ValidationError) as exc:
            services.task_add(actor=liaison, plan=plan, problem=problem, **task_fields(due=beyond, type=kind))
        assert _fields(exc) == {"due"}
    on_the_day = services.task_add(actor=liaison, plan=plan, problem=problem,
                                   **task_fields(due=CONCENTRATED_DUE, type=Task.Type.CONCENTRATED))
    long_term = services.task_add(actor=liaison, plan=plan, problem=problem,
                                  **task_fields(2, due=beyond, type=Task.Type.LONG_TERM))
    assert (on_the_day.due, long_term.due) == (CONCENTRATED_DUE, beyond)
    # A long-term task cannot become a concentrated one while due beyond the period.
    with pytest.raises(ValidationError) as exc:
        services.task_update(actor=liaison, task=long_term, type=Task.Type.CONCENTRATED)
    assert _fields(exc) == {"due"}


def test_the_owner_is_one_of_the_organizations_liaison_accounts(world, plan, fed_back, other_liaison, make_user):
    problem = fed_back.problems[0]
    for wrong in (world.office_admin, other_liaison, world.receiver):
        with pytest.raises(ValidationError) as exc:
            services.task_add(actor=world.unit_liaison, plan=plan, problem=problem, **task_fields(owner=wrong))
        assert _fields(exc) == {"owner"}
    second = make_user("second_liaison", role=Role.UNIT_LIAISON, organization=world.village)
    task = services.task_add(actor=world.unit_liaison, plan=plan, problem=problem, **task_fields(owner=second))
    assert task.owner == second
    assert services.task_update(actor=world.unit_liaison, task=task, owner=None).owner is None


def test_tasks_are_numbered_in_order_and_close_up_when_one_is_removed(world, plan, fed_back):
    liaison = world.unit_liaison
    tasks = [services.task_add(actor=liaison, plan=plan, problem=fed_back.problems[n % 4], **task_fields(n + 1))
             for n in range(5)]
    services.task_remove(actor=liaison, task=tasks[1])
    assert list(plan.tasks.order_by("seq").values_list("pk", "seq")) == [
        (tasks[0].pk, 1), (tasks[2].pk, 2), (tasks[3].pk, 3), (tasks[4].pk, 4)]
    added = services.task_add(actor=liaison, plan=plan, problem=fed_back.problems[1], **task_fields(2))
    assert added.seq == 5
    removed = AuditEvent.objects.get(action="plan.task_remove")
    assert removed.detail["task"] == tasks[1].pk and removed.detail["seq"] == 2


def test_an_update_changes_only_what_is_given_and_records_what_changed(world, plan, fed_back):
    task = services.task_add(actor=world.unit_liaison, plan=plan, problem=fed_back.problems[0], **task_fields())
    same = services.task_update(actor=world.unit_liaison, task=task, measures=task.measures)
    assert same.updated_at == task.updated_at and not AuditEvent.objects.filter(action="plan.task_update").exists()
    moved = services.task_update(actor=world.unit_liaison, task=task, problem=fed_back.problems[2],
                                 person_in_charge=" 张出纳 ")
    assert (moved.problem, moved.person_in_charge, moved.measures) == (fed_back.problems[2], "张出纳", task.measures)
    assert AuditEvent.objects.get(action="plan.task_update").detail["changed"] == ["person_in_charge", "problem"]


# -- vagueness -------------------------------------------------------------------------------

def test_vagueness_is_stored_with_each_task(world, plan, fed_back):
    liaison = world.unit_liaison
    slogan = services.task_add(actor=liaison, plan=plan, problem=fed_back.problems[0], **task_fields(measures=VAGUE))
    concrete = services.task_add(actor=liaison, plan=plan, problem=fed_back.problems[1], **task_fields(2))
    slogan.refresh_from_db()
    concrete.refresh_from_db()
    assert slogan.vague and slogan.vagueness >= 0.5
    assert not concrete.vague and concrete.vagueness < 0.5
    reasons = services.assess_tasks([slogan, concrete])
    assert "slogan" in reasons[slogan.pk].reasons and "copy" not in reasons[concrete.pk].reasons


def test_a_measure_copied_to_another_problem_is_flagged_and_recomputed_on_every_write(world, plan, fed_back):
    liaison = world.unit_liaison
    first = services.task_add(actor=liaison, plan=plan, problem=fed_back.problems[0], **task_fields(1))
    assert not first.vague
    copied = services.task_add(actor=liaison, plan=plan, problem=fed_back.problems[1], **task_fields(1))
    first.refresh_from_db()
    assert copied.vague and first.vague
    found = services.assess_tasks(Task.objects.filter(plan=plan))
    assert "copy" in found[first.pk].reasons and "copy" in found[copied.pk].reasons
    # The same measures twice for ONE problem are not a copy between problems.
    services.task_update(actor=liaison, task=copied, problem=fed_back.problems[0])
    first.refresh_from_db()
    copied.refresh_from_db()
    assert not first.vague and not copied.vague
    # Removing the copy clears the flag of the one left.
    services.task_update(actor=liaison, task=copied, problem=fed_back.problems[1])
    first.refresh_from_db()
    assert first.vague
    services.task_remove(actor=liaison, task=copied)
    first.refresh_from_db()
    assert not first.vague


def test_the_reason_codes_have_translated_labels():
    assert set(REASONS) == {"slogan", "no_object", "no_time", "no_quantity", "no_actor", "short", "copy"}
    with translation.override("en"):
        assert describe(["slogan", "copy"]) == ["slogans without a concrete action",
                                                "nearly the same as the measures for another problem"]
        assert describe(["new_code"]) == ["new_code"]


# -- submit and review -----------------------------------------------------------------------

def test_submit_needs_a_task_for_every_problem_fed_back(world, plan, fed_back):
    for n, problem in enumerate(fed_back.problems[:3], start=1):
        services.task_add(actor=world.unit_liaison, plan=plan, problem=problem, **task_fields(n))
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(actor=world.unit_liaison, plan=plan)
    assert _fields(exc) == {"tasks"} and fed_back.problems[3].title in exc.value.message_dict["tasks"][0]
    plan.refresh_from_db()
    assert plan.state == "draft" and plan.submitted_at is None and not PlanStep.objects.exists()
    assert not AuditEvent.objects.filter(action="plan.submit").exists()


@pytest.mark.parametrize("role", ["unit_liaison", "leader", "supervisor", "receiver"])
def test_only_the_office_reviews(world, fed_back, role):
    plan = submitted_plan(fed_back, world.unit_liaison)
    for decision in ("approve", "return"):
        with pytest.raises(PermissionDenied):
            services.plan_review(actor=world.users[role], plan=plan, decision=decision, comment="不行")
    assert Plan.objects.get().state == "submitted"


def test_a_return_says_why(world, fed_back):
    plan = submitted_plan(fed_back, world.unit_liaison)
    office = world.office_staff
    for comments in ({}, {plan.tasks.first().pk: "   "}):
        with pytest.raises(ValidationError) as exc:
            services.plan_review(actor=office, plan=plan, decision="return", comment=" ", task_comments=comments)
        assert _fields(exc) == {"comment"}
    with pytest.raises(ValidationError) as exc:
        services.plan_review(actor=office, plan=plan, decision="return", task_comments={999999: "措施空泛"})
    assert _fields(exc) == {"task_comments"}
    with pytest.raises(ValidationError) as exc:
        services.plan_review(actor=office, plan=plan, decision="maybe", comment="？")
    assert _fields(exc) == {"decision"}
    assert Plan.objects.get().state == "submitted" and PlanStep.objects.count() == 1
    task = plan.tasks.first()
    services.plan_review(actor=office, plan=plan, decision="return", task_comments={task.pk: "措施空泛，请细化"})
    task.refresh_from_db()
    assert Plan.objects.get().state == "returned" and task.review_comment == "措施空泛，请细化"


def test_a_plan_is_reviewed_only_while_submitted_and_submitted_only_from_draft_or_returned(world, fed_back):
    plan = written_plan(fed_back, world.unit_liaison)
    with pytest.raises(ValidationError) as exc:
        services.plan_review(actor=world.office_admin, plan=plan, decision="approve")
    assert _fields(exc) == {"state"}
    plan = services.plan_submit(actor=world.unit_liaison, plan=plan)
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(actor=world.unit_liaison, plan=plan)
    assert _fields(exc) == {"state"}
    plan = services.plan_review(actor=world.office_admin, plan=plan, decision="approve")
    for call in (lambda: services.plan_submit(actor=world.unit_liaison, plan=plan),
                 lambda: services.plan_review(actor=world.office_admin, plan=plan, decision="return", comment="再改")):
        with pytest.raises(ValidationError) as exc:
            call()
        assert _fields(exc) == {"state"}


def test_approving_vague_measures_is_allowed(world, fed_back):
    plan = services.plan_start(actor=world.unit_liaison, feedback=fed_back.feedback)
    for problem in fed_back.problems:
        services.task_add(actor=world.unit_liaison, plan=plan, problem=problem, **task_fields(measures=VAGUE))
    services.plan_submit(actor=world.unit_liaison, plan=plan)
    plan = services.plan_review(actor=world.office_admin, plan=plan, decision="approve", comment="同意")
    assert plan.state == "approved" and plan.comment == "同意"
    assert AuditEvent.objects.get(action="plan.approve").detail["vague_tasks"] == [1, 2, 3, 4]


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_tasks_of_a_plan_under_review_or_approved_refuse_changes(world, fed_back, state):
    plan = submitted_plan(fed_back, world.unit_liaison)
    if state == "approved":
        plan = services.plan_review(actor=world.office_admin, plan=plan, decision="approve")
    task = plan.tasks.first()
    for actor in (world.unit_liaison, world.office_admin):
        for call in (lambda a=actor: services.task_add(actor=a, plan=plan, problem=fed_back.problems[0],
                                                       **task_fields()),
                     lambda a=actor: services.task_update(actor=a, task=task, measures=VAGUE),
                     lambda a=actor: services.task_remove(actor=a, task=task)):
            with pytest.raises(ValidationError) as exc:
                call()
            assert _fields(exc) == {"state"}
    task.refresh_from_db()
    assert plan.tasks.count() == 4 and task.measures != VAGUE
