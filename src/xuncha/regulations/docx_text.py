"""The text of an uploaded Word document (.docx), one paragraph a line, for the parser.

The upload is judged by its content, not its name: a real .docx (a zip with a Word main
part), no macros, no password, not too large packed or unpacked.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from xuncha.registry.io.xlsx import MAX_UNPACKED_RATIO, OLE_MAGIC, ZIP_MAGIC, UploadRefused

DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

__all__ = ["UploadRefused", "check_upload", "paragraphs", "docx_text"]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_upload(data: bytes, *, max_bytes: int | None = None) -> None:
    """Refuse anything but a plain .docx (see the module's docstring)."""
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    if not data:
        raise UploadRefused(_("The file is empty."))
    if len(data) > limit:
        raise UploadRefused(_("The file is too large: at most %(max)s MB may be uploaded.")
                            % {"max": _megabytes(limit)})
    if data[:8] == OLE_MAGIC:
        raise UploadRefused(_("This is an old Word 97-2003 file (.doc) or a protected document. Open it in "
                              "Word or WPS, save it as a Word document (.docx) and upload that."))
    if data[:4] != ZIP_MAGIC:
        raise UploadRefused(_("The file is not a Word document (.docx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if any(info.flag_bits & 0x1 for info in infos):
                raise UploadRefused(_("The document is protected by a password."))
            names = {info.filename.lower() for info in infos}
            if any(name.endswith("vbaproject.bin") or "/vba" in name for name in names):
                raise UploadRefused(_("The document contains macros. Save it as a Word document (.docx, "
                                      "without macros) and upload that."))
            if sum(info.file_size for info in infos) > limit * MAX_UNPACKED_RATIO:
                raise UploadRefused(_("The document is too large when unpacked."))
            if "[content_types].xml" not in names:
                raise UploadRefused(_("The file is not a Word document (.docx)."))
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in archive.namelist() \
                else b""
            if DOCUMENT_TYPE.encode() not in content_types:
                raise UploadRefused(_("The file is not a Word document (.docx)."))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError):
        raise UploadRefused(_("The file is damaged or is not a Word document (.docx).")) from None


def paragraphs(data: bytes) -> list[str]:
    """The document's paragraphs in order (body and table cells), after check_upload."""
    import docx

    check_upload(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds on a malformed part
        raise UploadRefused(_("The file is damaged or is not a Word document (.docx).")) from None
    out: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(_text_of(block))
        elif tag == "tbl":
            out.extend(_text_of(p) for p in block.iter() if p.tag.endswith("}p"))
    return out


def _text_of(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        name = node.tag.rsplit("}", 1)[-1]
        if name == "t":
            parts.append(node.text or "")
        elif name in ("br", "cr"):  # a line break inside a paragraph starts a new line
            parts.append("\n")
        elif name == "tab":
            parts.append(" ")
    return "".join(parts)


def docx_text(data: bytes) -> str:
    """The document as text, one paragraph a line (what the parser reads)."""
    return "\n".join(paragraphs(data))
