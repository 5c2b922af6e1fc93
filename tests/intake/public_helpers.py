"""Helpers of the public portal tests: uploads and the intake key kept in a temporary directory,
a complaint to attach files to, and small files of each kind.

The fixtures are named apart from their functions: a test module imports `media_fixture` and
its tests ask for `media`."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.findings.evidence_helpers import EXE_BYTES, OLE_BYTES, PDF_BYTES, PNG_BYTES, office  # noqa: F401
from tests.rectification.reports_helpers import issued_feedback_of
from xuncha.intake import crypto, records
from xuncha.intake.models import Complaint
from xuncha.rectification.models import Disclosure, ProgressReport
from xuncha.rounds.models import Announcement, Assignment, Group, Round, Term


@pytest.fixture(name="media")
def media_fixture(settings, tmp_path):
    """Uploads go to a temporary directory; a fresh intake key, kept in the settings."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}
    settings.XUNCHA_INTAKE_KEY = Fernet.generate_key().decode()
    crypto.reset()
    yield tmp_path / "uploads"
    crypto.reset()


@pytest.fixture(name="complaint")
def complaint_fixture(world):
    """A letter to group 1 of the world's round."""
    complaint = Complaint(committee=world.county, round=world.round, group=world.group1, year=2024,
                          seq=records.next_seq(world.county, 2024), channel=Complaint.Channel.LETTER,
                          received_on=date(2024, 3, 5))
    records.set_content(complaint, subject="反映问题", content="某村低保优亲厚友")
    records.set_identity(complaint)
    complaint.save()
    return complaint


def stored_files(media: Path) -> list[Path]:
    root = media / "complaints"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload(name: str = "照片.png", data: bytes = PNG_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def announce(group, *, start: date, end: date, published: bool = True, phone: str = "0871-1234567") -> Announcement:
    return Announcement.objects.create(group=group, scope=f"反映{group.name}巡察对象党组织和领导班子的问题", phone=phone,
                                       mailbox="县邮政局门口巡察意见箱", email="xuncha@example.cn",
                                       period_start=start, period_end=end, published=published)


def disclose(feedback, *, title: str, on: date, content: str = "整改情况通报正文") -> Disclosure:
    report = ProgressReport.objects.create(feedback=feedback, organization=feedback.assignment.organization,
                                           round=feedback.assignment.round, due=on, title=f"{title}（报告）",
                                           state=ProgressReport.State.REVIEWED)
    return Disclosure.objects.create(report=report, published_on=on, channel=Disclosure.Channel.NOTICE_BOARD,
                                     place="村务公开栏", title=title, content=content)


@pytest.fixture(name="portal")
def portal_fixture(world, media):
    """Group 1 inspects 城关镇 and 东门村, group 2 县财政局, both announced and stationed today;
    group 3's announcement is not published, group 4's is over, group 5's begins in ten days;
    邻县县委 has its own stationed group (河口镇). Disclosures of both committees."""
    today = timezone.localdate()
    for group, organization in ((world.group1, world.township), (world.group1, world.village),
                                (world.group2, world.department)):
        Assignment.objects.create(group=group, organization=organization)
    g3, g4, g5 = (Group.objects.create(round=world.round, number=n) for n in (3, 4, 5))
    announcements = SimpleNamespace(
        a1=announce(world.group1, start=today - timedelta(days=5), end=today + timedelta(days=25)),
        a2=announce(world.group2, start=today, end=today, phone="0871-7654321"),
        a3=announce(g3, start=today - timedelta(days=5), end=today + timedelta(days=25), published=False),
        a4=announce(g4, start=today - timedelta(days=40), end=today - timedelta(days=1)),
        a5=announce(g5, start=today + timedelta(days=10), end=today + timedelta(days=40)),
    )
    other_term = Term.objects.create(committee=world.other, number=1, name="第一届", start_date=date(2024, 1, 1))
    other_round = Round.objects.create(term=other_term, number=1, planned_entry=today, planned_exit=today,
                                       state=Round.State.STATIONED)
    other_group = Group.objects.create(round=other_round, number=1)
    other_announcement = announce(other_group, start=today - timedelta(days=1), end=today + timedelta(days=9),
                                  phone="0999-0000000")
    old = disclose(issued_feedback_of(world, "西门村", date(2024, 5, 20)), title="西门村整改通报", on=date(2024, 9, 1))
    new = disclose(issued_feedback_of(world, "南门村", date(2024, 5, 20)), title="南门村整改通报", on=date(2024, 10, 1))
    # Also makes 河口镇 the other group's organization.
    foreign = disclose(issued_feedback_of(world, "", date(2024, 5, 20), organization=world.other_township,
                                          group=other_group), title="河口镇整改通报", on=date(2024, 10, 2))
    return SimpleNamespace(world=world, today=today, groups=(g3, g4, g5), other_group=other_group,
                           other_announcement=other_announcement, disclosures=SimpleNamespace(
                               old=old, new=new, foreign=foreign), **vars(announcements))


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def database_dump() -> str:
    """Every row of every table, as text (binary columns as their bytes' repr and decoded)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value)
                        parts.append(value.decode("utf-8", "replace"))
                    parts.append(repr(value))
    return "\n".join(parts)


def uploads_dump(media: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(media.rglob("*")) if p.is_file()) if media.exists() else b""


def shown_code(html: str) -> str:
    """The receipt code as the confirmation page shows it (groups of four)."""
    block = re.search(r'data-testid="receipt-code">(.*?)</p>', html, re.S).group(1)
    return "-".join(re.findall(r"<span>([A-Z0-9]{4})</span>", block))
