"""The document centre: generate, store, download through the scope (each download audited),
the organization's documents only once fed back and never a lead; template management."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.reports.documents_helpers import make_feedback, make_report
from xuncha.access.models import AuditEvent
from xuncha.access.policy import CONSOLE
from xuncha.reports import services_documents as services
from xuncha.reports.documents import gbt9704
from xuncha.reports.models import DocumentTemplate, GeneratedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}


def _client(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


@pytest.fixture
def documents(world, problems):
    report, _ = make_report(problems)
    leads, _ = make_report(problems, kind="leads", title="关于东门村问题线索的专题报告")
    actor = world.users["group_leader"]
    made = {
        "report": services.generate(actor=actor, doc_type="report", target=report),
        "leads": services.generate(actor=actor, doc_type="leads", target=leads),
        "list": services.generate(actor=actor, doc_type="problem_list", target=problems.target),
    }
    feedback = make_feedback(problems)
    made["feedback"], made["feedback_list"], made["feedback_xlsx"] = services.generate_feedback_documents(
        actor=actor, feedback=feedback)
    return made


def _text_of(document: GeneratedDocument) -> str:
    data = document.file.open("rb").read()
    if document.format == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_it_stores_the_documents_with_their_flags(documents):
    assert documents["leads"].confidential and not documents["leads"].for_organization
    assert not documents["report"].for_organization and not documents["list"].for_organization
    for key in ("feedback", "feedback_list", "feedback_xlsx"):
        assert documents[key].for_organization and not documents[key].confidential
    doc = documents["report"]
    assert doc.size == doc.file.size and len(doc.sha256) == 64 and doc.file.name.startswith("documents/")


def test_a_draft_feedback_is_not_for_the_organization(world, problems):
    feedback = make_feedback(problems, issued=False)
    made = services.generate_feedback_documents(actor=world.users["group_leader"], feedback=feedback)
    assert not any(d.for_organization for d in made)


def test_the_liaison_downloads_only_the_issued_feedback_documents_without_leads(world, problems, documents):
    client = _client("unit_liaison")
    for key in ("feedback", "feedback_list", "feedback_xlsx"):
        response = client.get(reverse("reports:document_download", args=[documents[key].pk]))
        assert response.status_code == 200, key
    for key in ("report", "leads", "list"):
        assert client.get(reverse("reports:document_download", args=[documents[key].pk])).status_code == 404, key
    listed = set(client.get(reverse("reports:documents")).context["page"].object_list)
    assert listed == {documents["feedback"], documents["feedback_list"], documents["feedback_xlsx"]}
    for document in listed:  # no lead text in anything the liaison can download
        text = _text_of(document)
        assert problems.lead.title not in text and "侵占" not in text
        assert "公款私存" in text


@pytest.mark.parametrize("name", ["group_member", "receiver", "outsider"])
def test_other_groups_and_organizations_get_404(world, documents, name):
    client = _client(name)
    for document in documents.values():
        assert client.get(reverse("reports:document_download", args=[document.pk])).status_code in (404, 403)


def test_the_superior_office_reads_all_but_the_leads_report(world, documents):
    client = _client("supervisor")
    assert client.get(reverse("reports:document_download", args=[documents["leads"].pk])).status_code == 404
    assert client.get(reverse("reports:document_download", args=[documents["report"].pk])).status_code == 200


def test_a_download_is_an_audited_attachment_with_its_chinese_name(world, documents):
    client = _client("office_admin")
    before = AuditEvent.objects.filter(action="document.download").count()
    response = client.get(reverse("reports:document_download", args=[documents["report"].pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment") and "filename*=utf-8''" in disposition.lower()
    assert unquote(re.search(r"filename\*=utf-8''(.+)$", disposition, re.I).group(1)).endswith("情况报告.docx")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert AuditEvent.objects.filter(action="document.download").count() == before + 1


def test_generate_is_post_only_and_scoped(world, problems):
    report, _ = make_report(problems)
    url = reverse("reports:document_generate")
    assert _client("group_leader").get(url).status_code == 405
    assert _client("group_member").post(url, {"doc_type": "report", "object_id": report.pk}).status_code == 404
    assert _client("unit_liaison").post(url, {"doc_type": "report", "object_id": report.pk}).status_code == 404
    response = _client("group_leader").post(url, {"doc_type": "report", "object_id": report.pk})
    document = GeneratedDocument.objects.get(doc_type="report")
    assert response.status_code == 302 and response["Location"] == reverse("reports:round_documents",
                                                                           args=[document.round_id])
    response = _client("office_admin").post(url, {"doc_type": "ledger", "object_id": world.round.pk,
                                                  "format": "xlsx"})
    assert GeneratedDocument.objects.filter(doc_type="ledger", format="xlsx").count() == 1


def test_the_round_centre_lists_and_offers_generation(world, documents, django_assert_max_num_queries):
    client = _client("office_admin")
    url = reverse("reports:round_documents", args=[world.round.pk])
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == len(documents)
    assert b'name="doc_type" value="report"' in response.content
    liaison = _client("unit_liaison").get(url)
    assert liaison.status_code == 200 and len(liaison.context["page"].object_list) == 3
    assert b'name="doc_type"' not in liaison.content
    assert _client("outsider").get(url).status_code == 404


def _template(text: str = "{{ title }}") -> bytes:
    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_the_office_uploads_and_activates_a_template_used_for_rendering(world, problems):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client("office_admin")
    url = reverse("reports:document_templates")
    response = client.post(url, {"doc_type": "report", "name": "本县模板", "activate": "on",
                                 "file": SimpleUploadedFile("t.docx", _template("本县：{{ title }}"))})
    assert response.status_code == 302
    template = DocumentTemplate.objects.get()
    assert template.active and template.variables == ["title"]
    report, _ = make_report(problems)
    document = services.generate(actor=world.users["office_admin"], doc_type="report", target=report)
    assert document.template == template and "本县：" + report.title in _text_of(document)
    client.post(reverse("reports:document_template_activate", args=[template.pk]), {"active": "0"})
    template.refresh_from_db()
    assert not template.active


def test_a_hostile_upload_is_refused_with_the_reason(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _client("office_admin").post(reverse("reports:document_templates"), {
        "doc_type": "report", "name": "坏模板",
        "file": SimpleUploadedFile("t.docx", _template("{{ ''.__class__.__mro__ }}"))})
    assert response.status_code == 200 and not DocumentTemplate.objects.exists()
    assert response.context["form"].errors["file"]


def test_templates_are_the_office_s(world):
    assert _client("group_leader").get(reverse("reports:document_templates")).status_code == 403
    response = _client("office_admin").get(reverse("reports:document_template_default", args=["report"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == gbt9704.default_template_path("report").read_bytes()
    assert _client("office_admin").get(reverse("reports:document_template_default", args=["ledger"])).status_code == 404


def test_leads_are_never_for_the_organization_even_from_the_console(problems):
    leads, _ = make_report(problems, kind="leads", title="专题报告")
    document = services.generate(actor=CONSOLE, doc_type="leads", target=leads)
    assert document.confidential and not document.for_organization
