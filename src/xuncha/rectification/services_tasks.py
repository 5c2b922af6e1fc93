"""Writes of the rectification tasks of an approved plan: progress with evidence, and closure (销号).

Progress (整改进展): the liaison of the task's organization reports it, dated no later than today
and no earlier than the feedback, while the task is open — a task whose closure was requested
takes no progress until the office returns it, and a closed one none until reopened. Its files
are evidence (整改佐证材料), each checked by content (findings.uploads) and stored under a random
name; a refused file is named with the reason and nothing of the update is kept.

Closure is an explicit table of (state, action) → (next state, who): the liaison requests
closure (申请销号) once some progress carries evidence; the office closes (销号) or returns the
request with a comment, and reopens a closed task with a reason. Both roles hold CHANGE on a
task, so each action names the roles whose CHANGE counts. Every transition writes a TaskStep and
an audit event.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, DELETE, can, require
from xuncha.findings.uploads import UploadRefused, check_evidence
from xuncha.rectification.models import Plan, Progress, ProgressEvidence, Task, TaskStep
from xuncha.rectification.policy import LIAISON, OFFICE

OPEN, REQUESTED, CLOSED = Task.State.OPEN, Task.State.REQUESTED, Task.State.CLOSED
REQUEST, CLOSE, RETURN, REOPEN = (TaskStep.Action.REQUEST, TaskStep.Action.CLOSE, TaskStep.Action.RETURN,
                                  TaskStep.Action.REOPEN)
NAME_MAX = ProgressEvidence._meta.get_field("original_name").max_length


@dataclass(frozen=True)
class Transition:
    to: str
    who: tuple[str, ...]  # the roles whose CHANGE on the task counts
    comment_required: bool = False


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (OPEN, REQUEST): Transition(REQUESTED, LIAISON),
    (REQUESTED, CLOSE): Transition(CLOSED, OFFICE),
    (REQUESTED, RETURN): Transition(OPEN, OFFICE, comment_required=True),
    (CLOSED, REOPEN): Transition(OPEN, OFFICE, comment_required=True),
}
# Each action belongs to one side whatever the state: a refusal by role comes before one by state.
WHO: dict[str, tuple[str, ...]] = {action: t.who for (_state, action), t in TRANSITIONS.items()}

# What the buttons say (and the refusals name).
ACTION_LABELS: dict[str, Promise] = {
    REQUEST: gettext_lazy("Request closure"),
    CLOSE: pgettext_lazy("task", "Close"),
    RETURN: gettext_lazy("Return the request"),
    REOPEN: gettext_lazy("Reopen"),
}


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


def allowed_actions(user, task: Task) -> list[str]:
    """The transitions `user` may take on `task` now (for the buttons of pages and the API)."""
    if task.plan.state != Plan.State.APPROVED:
        return []
    return [action for (state, action), t in TRANSITIONS.items()
            if state == task.state and can(user, CHANGE, task, roles=t.who)]


def may_report(user, task: Task) -> bool:
    """Whether `user` may report progress (and add or remove evidence) on `task` now."""
    return (task.state == OPEN and task.plan.state == Plan.State.APPROVED
            and can(user, CREATE, Progress(task=task)))


def _lock(task: Task) -> Task:
    return (Task.objects.select_for_update(of=("self",))
            .select_related("plan__feedback", "problem").get(pk=task.pk))


def _require_approved(task: Task) -> None:
    if task.plan.state != Plan.State.APPROVED:
        raise ValidationError({"state": [_("The rectification plan has not been approved yet.")]})


def _require_open(task: Task) -> None:
    """Progress and evidence change only while the task is being rectified."""
    if task.state == REQUESTED:
        raise ValidationError({"state": [_("Closure of this task has been requested: progress can be reported "
                                           "again only if the office returns the request.")]})
    if task.state == CLOSED:
        raise ValidationError({"state": [_("This task is closed: it takes no more progress unless the office "
                                           "reopens it.")]})


# -- files -----------------------------------------------------------------------------------

def _clean_name(name: str) -> str:
    """The name as the uploader's computer had it, without any folder, cut to fit."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: NAME_MAX - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else name[:NAME_MAX]
    return name


@dataclass(frozen=True)
class _Checked:
    handle: IO[bytes]
    name: str
    content_type: str
    extension: str
    size: int
    sha256: str


def _check(handle: IO[bytes], name: str) -> _Checked:
    """The file checked by content; UploadRefused says why not, prefixed with the file's name."""
    original = _clean_name(name)
    if not original:
        raise UploadRefused(_("A file has no name."))
    try:
        checked = check_evidence(handle, original)
    except UploadRefused as refusal:
        raise UploadRefused(_("%(name)s: %(reason)s") % {"name": original, "reason": refusal.message}) from None
    return _Checked(handle, original, checked.content_type, checked.extension, checked.size, checked.sha256)


def _check_all(files: Iterable[tuple[IO[bytes], str]], errors: dict[str, list[str]],
               field: str = "files") -> list[_Checked]:
    """Every (handle, name) checked; all refusals collected under `field`, each naming its file."""
    checked, refused = [], []
    for handle, name in files:
        try:
            checked.append(_check(handle, name))
        except UploadRefused as refusal:
            refused.append(refusal.message)
    if refused:
        errors[field] = refused
    return checked


def _store(actor, progress: Progress, checked: _Checked) -> ProgressEvidence:
    evidence = ProgressEvidence(progress=progress, original_name=checked.name, content_type=checked.content_type,
                                size=checked.size, sha256=checked.sha256, uploaded_by=_account(actor))
    checked.handle.seek(0)
    evidence.file.save(f"{uuid.uuid4().hex}.{checked.extension}", File(checked.handle), save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def _store_all(actor, progress: Progress, files: Sequence[_Checked]) -> list[ProgressEvidence]:
    """Store every file; should one fail, the files already stored go again (nothing half-written)."""
    stored: list[ProgressEvidence] = []
    try:
        for checked in files:
            stored.append(_store(actor, progress, checked))
    except Exception:
        for evidence in stored:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return stored


def _file_detail(evidence: ProgressEvidence) -> dict:
    return {"name": evidence.original_name, "content_type": evidence.content_type, "size": evidence.size,
            "sha256": evidence.sha256}


# -- progress --------------------------------------------------------------------------------

@transaction.atomic
def progress_add(*, actor, task: Task, reported_on: date | None, text: str,
                 files: Iterable = ()) -> Progress:
    """The liaison reports progress on an open task of an approved plan, with evidence files
    (file objects with a .name: uploads, or File(handle, name=...))."""
    progress = Progress(task=task, reported_on=reported_on, text=(text or "").strip(), reported_by=_account(actor))
    require(actor, CREATE, progress)
    task = _lock(task)
    progress.task = task
    require(actor, CREATE, progress)
    _require_approved(task)
    _require_open(task)
    errors: dict[str, list[str]] = {}
    fed_back_on = task.plan.feedback.fed_back_on
    if reported_on is None:
        errors["reported_on"] = _required()
    elif reported_on > timezone.localdate():
        errors["reported_on"] = [_("The date cannot be in the future.")]
    elif fed_back_on is not None and reported_on < fed_back_on:
        errors["reported_on"] = [_("The date cannot be before the feedback (%(day)s).")
                                 % {"day": date_format(fed_back_on, "DATE_FORMAT")}]
    if not progress.text:
        errors["text"] = _required()
    checked = _check_all([(f, getattr(f, "name", "") or "") for f in files], errors)
    if errors:
        raise ValidationError(errors)
    progress.save()
    stored = _store_all(actor, progress, checked)
    try:
        audit.record(actor=actor, action="task_progress.add", obj=progress,
                     summary=f"{task.problem.title} {reported_on.isoformat()}",
                     detail={"task": task.pk, "files": [_file_detail(e) for e in stored]})
    except Exception:
        for evidence in stored:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return progress


@transaction.atomic
def evidence_add(*, actor, progress: Progress, file: IO[bytes], name: str) -> ProgressEvidence:
    """One more evidence file on a progress update of an open task."""
    require(actor, CREATE, ProgressEvidence(progress=progress))
    task = _lock(progress.task)
    progress = Progress.objects.get(pk=progress.pk)
    progress.task = task
    require(actor, CREATE, ProgressEvidence(progress=progress))
    _require_approved(task)
    _require_open(task)
    errors: dict[str, list[str]] = {}
    checked = _check_all([(file, name)], errors, field="file")
    if errors:
        raise ValidationError(errors)
    [evidence] = _store_all(actor, progress, checked)
    try:
        audit.record(actor=actor, action="task_evidence.add", obj=evidence,
                     summary=f"{task.problem.title} {evidence.original_name}",
                     detail={"task": task.pk, "progress": progress.pk, **_file_detail(evidence)})
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence: ProgressEvidence) -> None:
    """The liaison removes an evidence file while the task is open (the file goes once the
    removal commits)."""
    require(actor, DELETE, evidence)
    evidence = ProgressEvidence.objects.select_related("progress").get(pk=evidence.pk)
    task = _lock(evidence.progress.task)
    evidence.progress.task = task
    require(actor, DELETE, evidence)
    _require_approved(task)
    _require_open(task)
    storage, stored = evidence.file.storage, evidence.file.name
    audit.record(actor=actor, action="task_evidence.remove", obj=evidence,
                 summary=f"{task.problem.title} {evidence.original_name}",
                 detail={"task": task.pk, "progress": evidence.progress_id, "sha256": evidence.sha256})
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def record_download(*, actor, evidence: ProgressEvidence) -> None:
    """Every download of an evidence file is in the audit log."""
    audit.record(actor=actor, action="task_evidence.download", obj=evidence, summary=evidence.original_name,
                 detail={"progress": evidence.progress_id, "sha256": evidence.sha256})


# -- closure ---------------------------------------------------------------------------------

def _has_evidence(task: Task) -> bool:
    return ProgressEvidence.objects.filter(progress__task=task).exists()


@transaction.atomic
def task_transition(*, actor, task: Task, action: str, comment: str = "") -> Task:
    """Take `action` (request, close, return, reopen) on the task, by the table above."""
    comment = (comment or "").strip()
    if action not in WHO:
        raise ValidationError({"action": [_("Unknown action: %(action)s.") % {"action": action}]})
    who = WHO[action]
    require(actor, CHANGE, task, roles=who)
    task = _lock(task)
    require(actor, CHANGE, task, roles=who)
    _require_approved(task)
    transition = TRANSITIONS.get((task.state, action))
    if transition is None:
        raise ValidationError({"action": [
            _("“%(action)s” is not possible on a task that is “%(state)s”.")
            % {"action": ACTION_LABELS[action], "state": Task.State(task.state).label}]})
    if transition.comment_required and not comment:
        message = (_("Give the reason for reopening the task.") if action == REOPEN
                   else _("Say why the closure request is returned."))
        raise ValidationError({"comment": [message]})
    if action == REQUEST and not _has_evidence(task):
        raise ValidationError({"progress": [_("Report progress with at least one evidence file before "
                                              "requesting closure.")]})
    now = timezone.now()
    before = task.state
    task.state = transition.to
    if action == CLOSE:
        task.closed_at, task.closed_by = now, _account(actor)
    elif action == REOPEN:
        task.closed_at, task.closed_by = None, None
    task.save(update_fields=["state", "closed_at", "closed_by", "updated_at"])
    TaskStep.objects.create(task=task, action=action, from_state=before, to_state=task.state,
                            actor=_account(actor), at=now, comment=comment)
    audit.record(actor=actor, action=f"task.{action}", obj=task, summary=task.problem.title,
                 detail={"from": before, "to": task.state, "comment": comment})
    return task


def task_request(*, actor, task: Task, comment: str = "") -> Task:
    """申请销号: the liaison asks the office to close an open task that has evidence."""
    return task_transition(actor=actor, task=task, action=REQUEST, comment=comment)


def task_close(*, actor, task: Task, comment: str = "") -> Task:
    """销号: the office closes a task whose closure was requested."""
    return task_transition(actor=actor, task=task, action=CLOSE, comment=comment)


def task_return(*, actor, task: Task, comment: str) -> Task:
    """The office returns a closure request, saying why; the task is open again."""
    return task_transition(actor=actor, task=task, action=RETURN, comment=comment)


def task_reopen(*, actor, task: Task, comment: str) -> Task:
    """The office reopens a closed task, giving the reason."""
    return task_transition(actor=actor, task=task, action=REOPEN, comment=comment)
