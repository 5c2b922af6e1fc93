"""Checking an evidence file before it is stored: by its content, never by its name.

Accepted: PDF, JPEG, PNG, GIF, WebP, and Word, Excel and PowerPoint documents in their
Office Open XML form (.docx, .xlsx, .pptx) without macros. Old binary Office files (.doc,
.xls, .ppt) are refused with a message asking to save them in the newer format: their
compound-file container can carry macros and embedded objects we cannot check safely.
A file whose name says one type while its content is another is refused, so that what is
downloaded later is what its name promises.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO
from xml.etree import ElementTree

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 8192
# A small archive can still unpack to gigabytes: refuse those that claim to.
MAX_UNPACKED_RATIO = 100
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    label: str  # what the person uploading calls it
    content_type: str
    extensions: tuple[str, ...]  # the first is given to the stored file


PDF = FileType("PDF", "application/pdf", ("pdf",))
JPEG = FileType("JPEG", "image/jpeg", ("jpg", "jpeg", "jpe"))
PNG = FileType("PNG", "image/png", ("png",))
GIF = FileType("GIF", "image/gif", ("gif",))
WEBP = FileType("WebP", "image/webp", ("webp",))
DOCX = FileType("Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ("docx",))
XLSX = FileType("Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = FileType("PowerPoint (.pptx)",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",))

BY_MIME = {t.content_type: t for t in (PDF, JPEG, PNG, GIF, WEBP)}
# The main part's content type in [Content_Types].xml tells the three documents apart.
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
ACCEPTED = (PDF, JPEG, PNG, GIF, WEBP, DOCX, XLSX, PPTX)
ACCEPT_ATTRIBUTE = ",".join(f".{t.extensions[0]}" for t in ACCEPTED) + ",.jpeg"
OLD_OFFICE_EXTENSIONS = {"doc", "xls", "ppt", "wps", "et", "dps"}


class UploadRefused(Exception):
    """The file is not one we keep; the message says why, for the person who uploaded it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    type: FileType
    size: int
    sha256: str

    @property
    def content_type(self) -> str:
        return self.type.content_type

    @property
    def extension(self) -> str:
        return self.type.extensions[0]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def check_evidence(handle: IO[bytes], name: str, *, max_bytes: int | None = None) -> CheckedFile:
    """Refuse what is empty, too large, not of an accepted type, or named as another type;
    return the detected type, the size and the SHA-256 of the content."""
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    size, digest = _measure(handle, limit)
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    try:
        detected = _detect(handle, head, limit)
    except UploadRefused as refusal:
        named = _named_type(name)
        if named is None or head.startswith((OLE_MAGIC, ZIP_MAGIC)):
            raise
        # A disguised file: say what its name claims, not only that its content is unknown.
        raise UploadRefused(_("The file is named .%(ext)s but its content is not %(named)s. Check that it "
                              "is the right file.") % {"ext": extension_of(name), "named": named.label}) \
            from refusal
    _check_name(name, detected)
    return CheckedFile(type=detected, size=size, sha256=digest)


def _measure(handle: IO[bytes], limit: int) -> tuple[int, str]:
    handle.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(64 * 1024), b""):
        size += len(chunk)
        if size > limit:
            raise UploadRefused(_("The file is too large: at most %(max)s MB may be uploaded.")
                                % {"max": _megabytes(limit)})
        digest.update(chunk)
    return size, digest.hexdigest()


def _detect(handle: IO[bytes], head: bytes, limit: int) -> FileType:
    if head.startswith(OLE_MAGIC):
        raise UploadRefused(_("Old Office files (.doc, .xls, .ppt) and password-protected documents are "
                              "not accepted. Open the file in Word, Excel or WPS, save it as .docx, .xlsx "
                              "or .pptx without a password, and upload that."))
    if head.startswith(ZIP_MAGIC):
        return _office_document(handle, limit)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in BY_MIME:
        return BY_MIME[kind.mime]
    raise UploadRefused(_("This kind of file is not accepted. Upload a PDF, an image (JPEG, PNG, GIF, WebP) "
                          "or a Word, Excel or PowerPoint document (.docx, .xlsx, .pptx)."))


def _not_office() -> UploadRefused:
    return UploadRefused(_("The file is a compressed archive, not a Word, Excel or PowerPoint document. "
                           "Upload the documents one by one."))


def _office_document(handle: IO[bytes], limit: int) -> FileType:
    try:
        with zipfile.ZipFile(handle) as archive:
            return _check_archive(archive, limit)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise UploadRefused(_("The file is damaged or is not a Word, Excel or PowerPoint document.")) from None
    finally:
        handle.seek(0)


def _check_archive(archive: zipfile.ZipFile, limit: int) -> FileType:
    infos = archive.infolist()
    if any(info.flag_bits & 0x1 for info in infos):
        raise UploadRefused(_("The document is protected by a password. Remove the password, save it "
                              "again and upload it."))
    names = {info.filename.lower() for info in infos}
    if any(name.endswith("vbaproject.bin") or "/vba" in name for name in names):
        raise UploadRefused(_("The document contains macros. Save it without macros (.docx, .xlsx or "
                              ".pptx) and upload that."))
    if sum(info.file_size for info in infos) > limit * MAX_UNPACKED_RATIO:
        raise UploadRefused(_("The document is too large when unpacked."))
    info = next((i for i in infos if i.filename.lower() == "[content_types].xml"), None)
    if info is None or info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise _not_office()
    raw = archive.read(info)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise _not_office()
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        raise UploadRefused(_("The file is damaged or is not a Word, Excel or PowerPoint document.")) from None
    types = [el.get("ContentType", "") for el in root.iter() if el.get("ContentType")]
    if any("macroenabled" in t.lower() or "vbaproject" in t.lower() for t in types):
        raise UploadRefused(_("The document contains macros. Save it without macros (.docx, .xlsx or "
                              ".pptx) and upload that."))
    found = {OOXML_MAIN[t] for t in types if t in OOXML_MAIN}
    if len(found) != 1:
        raise _not_office()
    return found.pop()


def _named_type(name: str) -> FileType | None:
    extension = extension_of(name)
    return next((t for t in ACCEPTED if extension in t.extensions), None)


def _check_name(name: str, detected: FileType) -> None:
    extension = extension_of(name)
    if extension in detected.extensions:
        return
    if not extension:
        raise UploadRefused(_("The file name has no extension; it should end in .%(ext)s (the content is "
                              "%(type)s).") % {"ext": detected.extensions[0], "type": detected.label})
    named = _named_type(name)
    if named is not None:
        raise UploadRefused(_("The file is named .%(ext)s but its content is not %(named)s (it is %(type)s). "
                              "Check that it is the right file.")
                            % {"ext": extension, "named": named.label, "type": detected.label})
    raise UploadRefused(_("The file is named .%(ext)s but its content is %(type)s. Rename it to .%(right)s "
                          "if that is what it is.")
                        % {"ext": extension, "type": detected.label, "right": detected.extensions[0]})
