"""Helpers of the complaint register tests.

`media` (import `media_fixture`): uploads in a temporary directory and a fresh intake key kept
in the settings (so nothing of a test's key or files outlives it).
`intake` (import `intake_fixture`): on top of `world` and the findings fixtures (published
checklists for villages and townships; group 1 inspects 东门村, group 2 城关镇), the
categories (supervision focuses) and a second office of the neighbouring county.
`register(actor, **fields)` registers through the service with sensible defaults.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import PASSWORD
from tests.findings.conftest import findings, make_paper  # noqa: F401 - fixtures used here
from xuncha.access import services as access_services
from xuncha.access.roles import Role
from xuncha.intake import crypto
from xuncha.intake import services_complaints as services
from xuncha.intake.models import Complaint

RECEIVED = date(2024, 3, 5)
NAME, CONTACT = "张秀兰", "13800138000"
PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")
SECRET_TEXT = "村会计私下承认挪用了扶贫款十二万元"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


@pytest.fixture(name="media")
def media_fixture(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}
    settings.XUNCHA_INTAKE_KEY = Fernet.generate_key().decode()
    crypto.reset()
    yield tmp_path / "uploads"
    crypto.reset()


@pytest.fixture(name="intake")
def intake_fixture(world, findings, media, make_user):  # noqa: F811
    items = findings.items
    return SimpleNamespace(
        findings=findings, village_focus=items["V1"], village_focus2=items["V2"], township_focus=items["T1"],
        point=items["V1.1"],
        other_office=make_user("other_office", role=Role.OFFICE_ADMIN, committee=world.other),
    )


def uploaded_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


def pdf(name: str = "材料.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def text_file(name: str = "经过.txt", text: str = SECRET_TEXT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def register(world, actor=None, **fields) -> Complaint:
    """A complaint through the service: by the office admin to the office (no group) unless
    told otherwise."""
    values = dict(committee=world.county, channel=Complaint.Channel.LETTER, received_on=RECEIVED,
                  subject="反映村干部优亲厚友", content="东门村低保评定优亲厚友，村支书亲属享受低保。")
    values.update(fields)
    return services.register(actor=actor or world.office_admin, **values)


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def api_for(user) -> Client:
    _, key = access_services.token_create(actor=user, user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
