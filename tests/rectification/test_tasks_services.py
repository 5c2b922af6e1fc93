"""services_tasks: the closure table (every state × action × role), the comments it requires,
progress with evidence (dates, open tasks only, files checked by content, nothing half-written),
evidence removal, and refusals for everyone outside the organization."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.findings.evidence_helpers import EXE_BYTES, PDF_BYTES, PNG_BYTES
from tests.rectification.tasks_helpers import (  # noqa: F401 - fixtures used here
    TODAY,
    file_handle,
    in_state,
    media_fixture,
    other_liaison_fixture,
    progress,
    returned,
    steps,
    stored_files,
    today_fixture,
    upload,
)
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.rectification import services_tasks as services
from xuncha.rectification.models import Plan, Progress, ProgressEvidence, Task, TaskStep

STATES = ["open", "requested", "closed"]
ACTIONS = ["request", "close", "return", "reopen"]
ROLES = ["unit_liaison", "office_admin", "office_staff", "leader", "supervisor"]
ALLOWED = {  # (state, action) → (next state, roles that may)
    ("open", "request"): ("requested", {"unit_liaison"}),
    ("requested", "close"): ("closed", {"office_admin", "office_staff"}),
    ("requested", "return"): ("open", {"office_admin", "office_staff"}),
    ("closed", "reopen"): ("open", {"office_admin", "office_staff"}),
}
SIDE = {"request": {"unit_liaison"}, "close": {"office_admin", "office_staff"},
        "return": {"office_admin", "office_staff"}, "reopen": {"office_admin", "office_staff"}}


@pytest.fixture(autouse=True)
def _setup(media, today, settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _messages(exc: ValidationError, field: str) -> str:
    return " ".join(exc.message_dict[field])


# -- the table -------------------------------------------------------------------------------

def test_the_table_is_the_one_the_brief_gives():
    assert {key: (t.to, set(t.who)) for key, t in services.TRANSITIONS.items()} == ALLOWED


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_action_and_role(world, approved_plan, state, action):
    """Each role tries the action on a task in the state: refused by role (PermissionDenied)
    unless it is the action's side, then by state (ValidationError) unless the table has the pair;
    each role allowed takes it on a task of its own."""
    tasks = [in_state(task, state, liaison=world.unit_liaison, office=world.office_admin)
             for task in approved_plan.tasks[:2]]
    allowed = [role for role in ROLES if role in SIDE[action] and (state, action) in ALLOWED]
    for role in ROLES:
        if role in allowed:
            continue
        before = steps(tasks[0])
        with pytest.raises(PermissionDenied if role not in SIDE[action] else ValidationError) as refused:
            services.task_transition(actor=world.users[role], task=tasks[0], action=action, comment="意见")
        if refused.type is ValidationError:
            assert "not possible" in _messages(refused.value, "action")
        tasks[0].refresh_from_db()
        assert tasks[0].state == state and steps(tasks[0]) == before, role
    for role, task in zip(allowed, tasks, strict=False):
        actor = world.users[role]
        done = services.task_transition(actor=actor, task=task, action=action, comment="意见")
        assert done.state == ALLOWED[(state, action)][0]
        step = TaskStep.objects.filter(task=task).latest("at", "id")
        assert (step.action, step.from_state, step.to_state, step.actor, step.comment) == (
            action, state, done.state, actor, "意见")
        assert AuditEvent.objects.filter(action=f"task.{action}", object_id=str(task.pk), actor=actor).exists()


def test_closing_records_who_and_when_and_reopening_clears_them(world, approved_plan):
    task = in_state(approved_plan.tasks[0], "closed", liaison=world.unit_liaison, office=world.office_staff)
    task.refresh_from_db()
    assert task.closed_by == world.office_staff and task.closed_at is not None
    services.task_reopen(actor=world.office_admin, task=task, comment="群众反映补贴仍有遗漏，重新整改。")
    task.refresh_from_db()
    assert (task.state, task.closed_at, task.closed_by) == ("open", None, None)
    assert steps(task) == ["request", "close", "reopen"]


def test_a_request_needs_evidence(world, approved_plan):
    task = approved_plan.tasks[0]
    with pytest.raises(ValidationError) as refused:
        services.task_request(actor=world.unit_liaison, task=task)
    assert "evidence" in _messages(refused.value, "progress")
    progress(task, world.unit_liaison, files=[])
    with pytest.raises(ValidationError):
        services.task_request(actor=world.unit_liaison, task=task)
    progress(task, world.unit_liaison)
    assert services.task_request(actor=world.unit_liaison, task=task).state == "requested"


@pytest.mark.parametrize("comment", ["", "   "])
def test_a_return_needs_a_comment_and_a_reopening_a_reason(world, approved_plan, comment):
    requested = in_state(approved_plan.tasks[0], "requested", liaison=world.unit_liaison, office=world.office_admin)
    closed = in_state(approved_plan.tasks[1], "closed", liaison=world.unit_liaison, office=world.office_admin)
    with pytest.raises(ValidationError) as refused:
        services.task_return(actor=world.office_admin, task=requested, comment=comment)
    assert "why" in _messages(refused.value, "comment")
    with pytest.raises(ValidationError) as refused:
        services.task_reopen(actor=world.office_admin, task=closed, comment=comment)
    assert "reason" in _messages(refused.value, "comment")
    assert Task.objects.get(pk=requested.pk).state == "requested" and Task.objects.get(pk=closed.pk).state == "closed"


def test_a_returned_task_takes_progress_and_may_be_requested_again(world, approved_plan):
    task = returned(approved_plan.tasks[0], liaison=world.unit_liaison, office=world.office_admin)
    assert task.state == "open"
    progress(task, world.unit_liaison, text="补充了发放凭证。")
    services.task_request(actor=world.unit_liaison, task=task, comment="已补充")
    assert steps(task) == ["request", "return", "request"]


def test_an_unknown_action_and_a_plan_not_approved_are_refused(world, approved_plan):
    task = approved_plan.tasks[0]
    with pytest.raises(ValidationError) as refused:
        services.task_transition(actor=world.office_admin, task=task, action="delete")
    assert "action" in refused.value.message_dict
    Plan.objects.filter(pk=approved_plan.plan.pk).update(state=Plan.State.SUBMITTED)
    task.refresh_from_db()
    progress_refused = pytest.raises(ValidationError)
    with progress_refused:
        progress(task, world.unit_liaison)
    with pytest.raises(ValidationError):
        services.task_request(actor=world.unit_liaison, task=task)
    assert not Progress.objects.exists()


# -- who -------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["other_liaison", "receiver", "group_leader", "group_member", "outsider",
                                 "office_admin", "leader", "supervisor", "sysadmin"])
def test_only_the_organizations_liaison_reports_progress(world, approved_plan, other_liaison, who, media):
    actor = other_liaison if who == "other_liaison" else world.users[who]
    with pytest.raises(PermissionDenied):
        progress(approved_plan.tasks[0], actor)
    assert not Progress.objects.exists() and not stored_files(media)


@pytest.mark.parametrize("who", ["other_liaison", "receiver", "group_leader", "group_member", "outsider"])
def test_outsiders_take_no_transition(world, approved_plan, other_liaison, who):
    actor = other_liaison if who == "other_liaison" else world.users[who]
    by_state = {state: in_state(task, state, liaison=world.unit_liaison, office=world.office_admin)
                for state, task in zip(STATES, approved_plan.tasks, strict=False)}
    for action in ACTIONS:
        state = {"request": "open", "close": "requested", "return": "requested", "reopen": "closed"}[action]
        with pytest.raises(PermissionDenied):
            services.task_transition(actor=actor, task=by_state[state], action=action, comment="意见")
    assert [Task.objects.get(pk=t.pk).state for t in by_state.values()] == STATES


# -- progress --------------------------------------------------------------------------------

def test_progress_with_evidence_is_stored_checked_and_audited(world, approved_plan, media):
    task = approved_plan.tasks[0]
    made = progress(task, world.unit_liaison, files=[upload("补发清单.pdf"), upload("公示照片.png", PNG_BYTES)])
    assert (made.reported_on, made.reported_by) == (date(2024, 6, 1), world.unit_liaison)
    files = list(made.evidence.order_by("id"))
    assert [(e.original_name, e.content_type) for e in files] == [("补发清单.pdf", "application/pdf"),
                                                                   ("公示照片.png", "image/png")]
    assert all(e.file.name.startswith("rectification/") and "补发" not in e.file.name for e in files)
    assert sorted(p.read_bytes() for p in stored_files(media)) == sorted([PDF_BYTES, PNG_BYTES])
    event = AuditEvent.objects.get(action="task_progress.add")
    assert [f["name"] for f in event.detail["files"]] == ["补发清单.pdf", "公示照片.png"]


@pytest.mark.parametrize("state", ["requested", "closed"])
def test_no_progress_on_a_requested_or_closed_task(world, approved_plan, state, media):
    task = in_state(approved_plan.tasks[0], state, liaison=world.unit_liaison, office=world.office_admin)
    count, files = Progress.objects.count(), len(stored_files(media))
    with pytest.raises(ValidationError) as refused:
        progress(task, world.unit_liaison)
    assert "state" in refused.value.message_dict
    assert Progress.objects.count() == count and len(stored_files(media)) == files


@pytest.mark.parametrize("day, words", [
    (date(2024, 7, 2), "future"),
    (date(2024, 5, 19), "before the feedback"),
    (None, "required"),
])
def test_the_date_is_between_the_feedback_and_today(world, approved_plan, day, words):
    with pytest.raises(ValidationError) as refused:
        progress(approved_plan.tasks[0], world.unit_liaison, day=day)
    assert words in _messages(refused.value, "reported_on")
    assert not Progress.objects.exists()


def test_the_first_and_last_possible_days_are_accepted(world, approved_plan):
    progress(approved_plan.tasks[0], world.unit_liaison, day=date(2024, 5, 20))
    progress(approved_plan.tasks[0], world.unit_liaison, day=TODAY)
    assert Progress.objects.count() == 2


def test_the_text_is_required(world, approved_plan):
    with pytest.raises(ValidationError) as refused:
        progress(approved_plan.tasks[0], world.unit_liaison, text="  ")
    assert "text" in refused.value.message_dict


def test_disguised_and_oversized_files_are_named_and_nothing_is_kept(world, approved_plan, media, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    files = [upload("发放凭证.pdf"), upload("setup.pdf", EXE_BYTES),
             upload("会议记录.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 1))]
    with pytest.raises(ValidationError) as refused:
        progress(approved_plan.tasks[0], world.unit_liaison, files=files)
    [disguised, oversized] = refused.value.message_dict["files"]
    assert disguised.startswith("setup.pdf: ") and "named .pdf but its content is not PDF" in disguised
    assert oversized.startswith("会议记录.pdf: ") and "too large" in oversized
    assert not Progress.objects.exists() and not ProgressEvidence.objects.exists() and not stored_files(media)
    assert not AuditEvent.objects.filter(action="task_progress.add").exists()


def test_an_empty_file_and_a_file_without_a_name_are_refused(world, approved_plan, media):
    with pytest.raises(ValidationError) as refused:
        progress(approved_plan.tasks[0], world.unit_liaison, files=[upload("空.pdf", b"")])
    assert refused.value.message_dict["files"][0].startswith("空.pdf: ")
    assert not stored_files(media)


def test_a_failure_after_storing_removes_the_files(world, approved_plan, media, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services.audit, "record", fail)
    with pytest.raises(RuntimeError):
        progress(approved_plan.tasks[0], world.unit_liaison, files=[upload("a.pdf"), upload("b.pdf")])
    assert not Progress.objects.exists() and not stored_files(media)


# -- evidence added and removed --------------------------------------------------------------

def test_evidence_added_to_a_progress_update(world, approved_plan, media):
    made = progress(approved_plan.tasks[0], world.unit_liaison, files=[])
    evidence = services.evidence_add(actor=world.unit_liaison, progress=made, file=file_handle(), name="C:\\台账\\清单.pdf")
    assert evidence.original_name == "清单.pdf" and evidence.progress == made
    assert AuditEvent.objects.filter(action="task_evidence.add", object_id=str(evidence.pk)).exists()
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(actor=world.unit_liaison, progress=made, file=file_handle(EXE_BYTES), name="x.pdf")
    assert refused.value.message_dict["file"][0].startswith("x.pdf: ")
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=world.office_admin, progress=made, file=file_handle(), name="y.pdf")
    assert len(stored_files(media)) == 1


def test_evidence_is_removed_by_the_liaison_while_the_task_is_open(world, approved_plan, media,
                                                                     django_capture_on_commit_callbacks):
    task = approved_plan.tasks[0]
    progress(task, world.unit_liaison)
    evidence = ProgressEvidence.objects.get()
    with pytest.raises(PermissionDenied):
        services.evidence_remove(actor=world.office_admin, evidence=evidence)
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_remove(actor=world.unit_liaison, evidence=evidence)
    assert not ProgressEvidence.objects.exists() and not stored_files(media)
    assert AuditEvent.objects.filter(action="task_evidence.remove").exists()


def test_evidence_of_a_requested_task_stays(world, approved_plan, media):
    task = in_state(approved_plan.tasks[0], "requested", liaison=world.unit_liaison, office=world.office_admin)
    evidence = ProgressEvidence.objects.get(progress__task=task)
    with pytest.raises(ValidationError):
        services.evidence_remove(actor=world.unit_liaison, evidence=evidence)
    with pytest.raises(ValidationError):
        services.evidence_add(actor=world.unit_liaison, progress=evidence.progress, file=file_handle(), name="z.pdf")
    assert ProgressEvidence.objects.count() == 1 and len(stored_files(media)) == 1


def test_allowed_actions_and_may_report(world, approved_plan):
    task = approved_plan.tasks[0]
    assert services.allowed_actions(world.unit_liaison, task) == ["request"]
    assert services.allowed_actions(world.office_admin, task) == []
    assert services.may_report(world.unit_liaison, task) and not services.may_report(world.office_admin, task)
    task = in_state(task, "requested", liaison=world.unit_liaison, office=world.office_admin)
    assert services.allowed_actions(world.office_staff, task) == ["close", "return"]
    assert services.allowed_actions(world.leader, task) == []
    assert not services.may_report(world.unit_liaison, task)
