"""Helpers of the public portal tests: uploads and the intake key kept in a temporary directory,
a complaint to attach files to, and small files of each kind.

The fixtures are named apart from their functions: a test module imports `media_fixture` and
its tests ask for `media`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.findings.evidence_helpers import EXE_BYTES, OLE_BYTES, PDF_BYTES, PNG_BYTES, office  # noqa: F401
from xuncha.intake import crypto, records
from xuncha.intake.models import Complaint


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
