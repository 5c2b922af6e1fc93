"""Complaint attachments: checked by content, encrypted at rest under opaque names, nothing
stored on refusal."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from tests.intake.public_helpers import (
    EXE_BYTES,
    OLE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    complaint_fixture,  # noqa: F401
    media_fixture,  # noqa: F401
    office,
    stored_files,
    upload,
)
from xuncha.intake import attachments
from xuncha.intake.models import ComplaintAttachment

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(("name", "data", "content_type"), [
    ("照片.png", PNG_BYTES, "image/png"),
    ("材料.pdf", PDF_BYTES, "application/pdf"),
    ("说明.docx", office("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("名单.xlsx", office("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("经过.txt", "村里的低保名单有问题。\n第二行".encode(), "text/plain"),
    ("经过-gbk.txt", "村里的低保名单有问题。".encode("gb18030"), "text/plain"),
])
def test_store_encrypts_and_read_decrypts(complaint, media, name, data, content_type):
    attachment = attachments.store(complaint, upload(name, data))
    attachment.refresh_from_db()
    assert attachment.original_name == name and attachment.content_type == content_type
    assert attachment.size == len(data) and attachment.sha256 == hashlib.sha256(data).hexdigest()
    [path] = stored_files(media)
    on_disk = path.read_bytes()
    assert data not in on_disk and on_disk != data
    assert path.suffix == ".enc" and name.rsplit(".", 1)[0] not in path.name
    assert attachments.read(attachment) == data


def test_folders_are_dropped_from_the_name(complaint, media):
    attachment = attachments.store(complaint, upload("C:\\Users\\张三\\照片.png"))
    assert attachment.original_name == "照片.png"


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("照片.png", PDF_BYTES, "named .png"),
    ("程序.pdf", EXE_BYTES, "named .pdf"),
    ("程序.exe", EXE_BYTES, "not accepted"),
    ("旧文档.doc", OLE_BYTES, "Old Office"),
    ("宏.docx", office("docm"), "macros"),
    ("空.pdf", b"", "empty"),
    ("程序.txt", EXE_BYTES, "not accepted"),
    ("说明.txt", b"line\x00with a nul", "not accepted"),
])
def test_refused_files_store_nothing(complaint, media, name, data, reason):
    with pytest.raises(ValidationError) as refused:
        attachments.store(complaint, upload(name, data))
    [message] = refused.value.message_dict["attachments"]
    assert message.startswith(f"{name}:") and reason in message
    assert not ComplaintAttachment.objects.exists() and stored_files(media) == []


def test_size_cap(complaint, media, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = PDF_BYTES + b"0" * 1024
    with pytest.raises(ValidationError, match="too large"):
        attachments.store(complaint, upload("大.pdf", big))
    with pytest.raises(ValidationError, match="too large"):
        attachments.store(complaint, upload("小.pdf", PDF_BYTES), max_bytes=10)
    with pytest.raises(ValidationError, match="too large"):
        attachments.store(complaint, upload("大.txt", b"a" * 2000))
    assert not ComplaintAttachment.objects.exists() and stored_files(media) == []
    assert attachments.store(complaint, upload("小.pdf", PDF_BYTES)).size == len(PDF_BYTES)


def test_store_all_checks_every_file_before_storing_any(complaint, media):
    with pytest.raises(ValidationError) as refused:
        attachments.store_all(complaint, [upload("好.png"), upload("坏.pdf", EXE_BYTES), upload("坏.png", PDF_BYTES)])
    messages = refused.value.message_dict["attachments"]
    assert [m.split(":")[0] for m in messages] == ["坏.pdf", "坏.png"]
    assert not ComplaintAttachment.objects.exists() and stored_files(media) == []
    stored = attachments.store_all(complaint, [upload("一.png"), upload("二.pdf", PDF_BYTES)])
    assert [a.original_name for a in stored] == ["一.png", "二.pdf"] and len(stored_files(media)) == 2
    attachments.discard(stored)
    assert stored_files(media) == []


def test_another_key_cannot_read(complaint, media, settings):
    from cryptography.fernet import Fernet

    from xuncha.intake import crypto

    attachment = attachments.store(complaint, upload())
    settings.XUNCHA_INTAKE_KEY = Fernet.generate_key().decode()
    crypto.reset()
    with pytest.raises(crypto.InvalidToken):
        attachments.read(attachment)
