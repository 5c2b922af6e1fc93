"""Hostile templates: refused when uploaded, and refused by the sandbox when rendered."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import translation
from docx import Document

from xuncha.reports import services_documents as services
from xuncha.reports.documents import context, gbt9704, sandbox
from xuncha.reports.documents.sandbox import TemplateRefused


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are checked as written (English, a switch away for users); the Chinese
    catalogue is checked whole by tests/test_translations.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


HOSTILE = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ title.__class__ }}",
    "{{ blocks.append(1) }}",
    "{{ self._TemplateReference__context }}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% from 'x' import y %}",
    "{% extends 'base.html' %}",
    "{% for i in range(100000000) %}{% endfor %}",
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 99999999 }}",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_it_refuses_hostile_templates_when_rendering(source):
    with pytest.raises(TemplateRefused) as refused:
        sandbox.render(_docx(source), {"title": "t", "blocks": []})
    assert str(refused.value)


@pytest.mark.parametrize("source", HOSTILE)
def test_it_refuses_hostile_templates_when_uploaded(source):
    with pytest.raises(TemplateRefused):
        services.validate_template(doc_type="report", data=_docx(source))


def test_it_stops_a_template_that_runs_too_long():
    source = _docx("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}")
    with pytest.raises(TemplateRefused, match="too long"):
        sandbox.render(source, {}, seconds=0.2)


def test_it_escapes_the_data():
    out = sandbox.render(_docx("{{ title }}"), {"title": "<w:p>&</w:p>"})
    assert Document(io.BytesIO(out)).paragraphs[0].text == "<w:p>&</w:p>"


def test_it_refuses_model_instances_in_the_data(db, world):
    with pytest.raises(TypeError):
        sandbox.render(_docx("{{ title }}"), {"title": world.users["office_admin"]})


def test_it_refuses_unknown_names_with_their_list():
    with pytest.raises(TemplateRefused, match="secret_key"):
        services.validate_template(doc_type="report", data=_docx("{{ secret_key }}"))


def test_it_refuses_what_is_not_a_docx():
    with pytest.raises(TemplateRefused, match="not a Word document"):
        services.validate_template(doc_type="report", data=b"%PDF-1.4 not a docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TemplateRefused, match="not a Word document"):
        services.validate_template(doc_type="report", data=buffer.getvalue())


def test_it_refuses_macros():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx("{{ title }}"))) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/vbaProject.bin", b"\0" * 100)
    with pytest.raises(TemplateRefused, match="macros"):
        services.validate_template(doc_type="report", data=buffer.getvalue())


def test_it_refuses_a_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx("{{ title }}"))) as source, \
            zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/media/big.bin", b"\0" * (30 * 1024 * 1024))
    with pytest.raises(TemplateRefused, match="unpacks"):
        services.validate_template(doc_type="report", data=buffer.getvalue())


def test_it_refuses_an_oversized_file():
    with pytest.raises(TemplateRefused, match="larger"):
        sandbox.check_package(b"0" * (sandbox.MAX_TEMPLATE_BYTES + 1))


@pytest.mark.parametrize("doc_type", sorted(gbt9704.LAYOUTS))
def test_the_default_templates_pass_their_own_validation(doc_type):
    names = services.validate_template(doc_type=doc_type, data=gbt9704.build(doc_type))
    assert set(names) <= context.ALLOWED[doc_type] and "title" in names
