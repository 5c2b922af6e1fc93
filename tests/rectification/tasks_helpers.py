"""Helpers of the task tests: uploads kept in a temporary directory, a liaison of another
organization, "today" frozen, progress with evidence and tasks in any state.

The fixtures are named apart from their functions: a test module imports `media_fixture` and
its tests ask for `media`."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.findings.evidence_helpers import PDF_BYTES
from xuncha.access.roles import Role
from xuncha.rectification import services_tasks as services
from xuncha.rectification.models import Task, TaskStep

TODAY = date(2024, 7, 1)  # after the feedback of 2024-05-20, before every task's deadline but the first


@pytest.fixture(name="media")
def media_fixture(settings, tmp_path):
    """Uploads and the feedback's generated documents go to a temporary directory."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}
    return tmp_path / "uploads"


@pytest.fixture(name="today")
def today_fixture(monkeypatch):
    """Freeze timezone.localdate() (what services, selectors and pages call "today")."""
    def freeze(day: date = TODAY) -> date:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day
    freeze()
    return freeze


@pytest.fixture(name="other_liaison")
def other_liaison_fixture(world, make_user):
    """The liaison of 城关镇: an inspected organization too, but not 东门村."""
    return make_user("other_liaison", role=Role.UNIT_LIAISON, organization=world.township)


def stored_files(media: Path) -> list[Path]:
    """The uploaded evidence files (the feedback's generated documents are elsewhere)."""
    root = media / "rectification"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(name: str = "补发清单.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def progress(task: Task, actor, *, day: date = date(2024, 6, 1), text: str = "已逐户核对并补发到位。",
             files=None):
    """Progress on `task` through the service (one PDF unless `files` says otherwise)."""
    return services.progress_add(actor=actor, task=task, reported_on=day, text=text,
                                 files=[upload()] if files is None else files)


def in_state(task: Task, state: str, *, liaison, office) -> Task:
    """The task with evidence (so that it may be requested), moved to `state` through the services."""
    progress(task, liaison)
    if state == Task.State.OPEN:
        return task
    task = services.task_request(actor=liaison, task=task)
    if state == Task.State.CLOSED:
        task = services.task_close(actor=office, task=task)
    return task


def returned(task: Task, *, liaison, office, comment: str = "佐证材料不全，请补充发放凭证。") -> Task:
    in_state(task, Task.State.REQUESTED, liaison=liaison, office=office)
    return services.task_return(actor=office, task=task, comment=comment)


def due_in(task: Task, days: int, today: date = TODAY) -> Task:
    task.due = today + timedelta(days=days)
    task.save(update_fields=["due"])
    return task


def more_tasks(plan, problem, n: int, *, start: int = 10, today: date = TODAY) -> list[Task]:
    """`n` more open tasks on the plan (the same problem: only seq is unique), due on varied days."""
    return [Task.objects.create(plan=plan, problem=problem, seq=start + i, measures=f"第{i}项措施：2024年完成。",
                                responsible_leader="王建国", lead_department="村两委", person_in_charge="李会计",
                                due=today + timedelta(days=(i * 7) % 40 - 5)) for i in range(n)]


def steps(task: Task) -> list[str]:
    return list(TaskStep.objects.filter(task=task).order_by("at", "id").values_list("action", flat=True))


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def bytes_of(response) -> bytes:
    return b"".join(response.streaming_content)


def file_handle(data: bytes = PDF_BYTES) -> io.BytesIO:
    return io.BytesIO(data)
