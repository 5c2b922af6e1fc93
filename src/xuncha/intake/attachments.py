"""Complaint attachments: checked by content, encrypted at rest, stored under opaque names.

A file is accepted when findings.uploads accepts it (PDF, images, Word/Excel/PowerPoint in
their Office Open XML form) or when it is plain text named .txt (UTF-8 or GB 18030, no control
characters). Its bytes are encrypted with intake.crypto before they reach the storage, under a
random name that says nothing about the file; the SHA-256 kept is that of the plaintext, so a
copy handed over later can be matched. No permission checks here: the services calling these
functions check them.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from xuncha.findings.uploads import UploadRefused, check_evidence, extension_of
from xuncha.intake import crypto
from xuncha.intake.models import Complaint, ComplaintAttachment

FIELD = "attachments"
NAME_MAX = ComplaintAttachment._meta.get_field("original_name").max_length
TEXT_TYPE = "text/plain"
_TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\x0c"}


@dataclass(frozen=True)
class Checked:
    """A file that passed the checks, with what will be recorded of it."""

    handle: IO[bytes]
    name: str
    content_type: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The name as the sender's computer had it, without any folder, cut to fit."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: NAME_MAX - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else name[:NAME_MAX]
    return name


def _refuse(name: str, reason: str) -> ValidationError:
    return ValidationError({FIELD: [_("%(name)s: %(reason)s") % {"name": name, "reason": reason}]})


def _plain_text(data: bytes) -> bool:
    for encoding in _TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(ch < " " and ch not in _ALLOWED_CONTROLS for ch in text) and "\x7f" not in text
    return False


def check(upload, *, max_bytes: int | None = None) -> Checked:
    """Refuse an empty, oversized, unaccepted or disguised file (ValidationError on
    "attachments", naming the file); return what will be stored."""
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    name = clean_name(getattr(upload, "name", "") or "")
    if not name:
        raise ValidationError({FIELD: [_("A file has no name.")]})
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        # The upload handler already told us: no need to read it through.
        raise _refuse(name, _("The file is too large: at most %(max)s MB may be uploaded.")
                      % {"max": f"{limit / (1024 * 1024):.0f}"})
    try:
        checked = check_evidence(upload, name, max_bytes=limit)
    except UploadRefused as refusal:
        if extension_of(name) != "txt":
            raise _refuse(name, refusal.message) from None
        upload.seek(0)
        data = upload.read(limit + 1)
        upload.seek(0)
        if not data or len(data) > limit or not _plain_text(data):
            raise _refuse(name, refusal.message) from None
        return Checked(upload, name, TEXT_TYPE, len(data), hashlib.sha256(data).hexdigest())
    return Checked(upload, name, checked.content_type, checked.size, checked.sha256)


def _save(complaint: Complaint, checked: Checked) -> ComplaintAttachment:
    checked.handle.seek(0)
    plaintext = checked.handle.read()
    if hashlib.sha256(plaintext).hexdigest() != checked.sha256:
        raise _refuse(checked.name, _("The file changed while it was being read. Send it again."))
    attachment = ComplaintAttachment(complaint=complaint, original_name=checked.name,
                                     content_type=checked.content_type, size=checked.size, sha256=checked.sha256)
    attachment.file.save(f"{uuid.uuid4().hex}.enc", ContentFile(crypto.encrypt(plaintext)), save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def store(complaint: Complaint, upload, *, max_bytes: int | None = None) -> ComplaintAttachment:
    """Check one file, encrypt it and store it for the (saved) complaint; on refusal raise
    ValidationError({"attachments": [...]}) and store nothing."""
    return _save(complaint, check(upload, max_bytes=max_bytes))


def store_all(complaint: Complaint, uploads: Iterable, *, max_bytes: int | None = None) -> list[ComplaintAttachment]:
    """Check every file first (all refusals together, each naming its file), then store them;
    should storing one fail, the files already stored go again."""
    checked, refused = [], []
    for upload in uploads:
        try:
            checked.append(check(upload, max_bytes=max_bytes))
        except ValidationError as refusal:
            refused.extend(refusal.message_dict.get(FIELD, refusal.messages))
    if refused:
        raise ValidationError({FIELD: refused})
    stored: list[ComplaintAttachment] = []
    try:
        for item in checked:
            stored.append(_save(complaint, item))
    except Exception:
        discard(stored)
        raise
    return stored


def discard(attachments: Iterable[ComplaintAttachment]) -> None:
    """Remove stored files of attachments whose rows are being rolled back (nothing half-written)."""
    for attachment in attachments:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)


def read(attachment: ComplaintAttachment) -> bytes:
    """The decrypted content (crypto.InvalidToken when the key does not fit)."""
    with attachment.file.open("rb") as handle:
        token = handle.read()
    return crypto.decrypt(token)
