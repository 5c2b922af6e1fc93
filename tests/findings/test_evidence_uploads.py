"""Evidence files are judged by their content and size, never by their name."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from tests.findings.evidence_helpers import (
    EXE_BYTES,
    OLE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    office,
    plain_zip,
)
from xuncha.findings.uploads import UploadRefused, check_evidence


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _check(data: bytes, name: str, **kwargs):
    return check_evidence(io.BytesIO(data), name, **kwargs)


@pytest.mark.parametrize("data, name, content_type", [
    (PDF_BYTES, "询问笔录.pdf", "application/pdf"),
    (PNG_BYTES, "现场照片.PNG", "image/png"),
    (office("docx"), "情况说明.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (office("xlsx"), "台账.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_it_accepts_the_allowed_kinds(data, name, content_type):
    checked = _check(data, name)
    assert checked.content_type == content_type
    assert checked.size == len(data) and len(checked.sha256) == 64


@pytest.mark.parametrize("data, name, words", [
    (EXE_BYTES, "凭证.pdf", "named .pdf but its content is not PDF"),
    (PNG_BYTES, "凭证.pdf", "named .pdf but its content is not PDF"),
    (PDF_BYTES, "照片.jpg", "named .jpg but its content is not JPEG"),
    (PDF_BYTES, "setup.exe", "named .exe but its content is PDF"),
    (PDF_BYTES, "noextension", "has no extension"),
    (EXE_BYTES, "tool.exe", "not accepted"),
    (b"<html><script>alert(1)</script></html>", "page.html", "not accepted"),
    (OLE_BYTES, "old.doc", "save it as .docx"),
    (OLE_BYTES, "old.xls", "save it as .docx, .xlsx"),
    (office("docx", macros=True), "macro.docx", "macros"),
    (office("docm"), "macro.docx", "macros"),
    (plain_zip(), "archive.docx", "compressed archive"),
    (b"PK\x03\x04broken", "broken.docx", "damaged"),
    (b"", "empty.pdf", "empty"),
])
def test_it_refuses_with_a_message(data, name, words):
    with pytest.raises(UploadRefused) as refused:
        _check(data, name)
    assert words in refused.value.message


def test_it_refuses_a_file_over_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(UploadRefused, match="at most 1 MB"):
        _check(PDF_BYTES + b"0" * (1024 * 1024), "big.pdf")
    assert _check(PDF_BYTES, "small.pdf").size == len(PDF_BYTES)
