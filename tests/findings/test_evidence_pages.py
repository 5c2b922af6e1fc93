"""A paper's evidence: upload checked by content and size, stored under a random name outside
the web root, downloaded only through the policy (each download audited), removed until signing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.findings.evidence_helpers import EXE_BYTES, PDF_BYTES, PNG_BYTES
from xuncha.access.models import AuditEvent
from xuncha.findings import services_evidence as services
from xuncha.findings.models import Evidence


@pytest.fixture(autouse=True)
def _english(client, settings):
    """These tests read the messages as written (English, the switch the pages offer); the
    Chinese catalogue is checked whole by tests/test_translations.py."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

OTHERS = ["group_member", "unit_liaison", "receiver", "supervisor", "outsider", "sysadmin", "auditor"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "uploads"}}}
    settings.MEDIA_ROOT = tmp_path / "uploads"
    with translation.override("en"):
        yield tmp_path / "uploads"


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _upload(client, paper, data=PDF_BYTES, name="询问笔录.pdf", **extra):
    return client.post(reverse("findings:paper_evidence", args=[paper.pk]),
                       {"file": SimpleUploadedFile(name, data), "description": "笔录", **extra})


@pytest.fixture
def attached(world, make_paper):
    """A draft paper of group 1 with one PDF attached by its deputy leader."""
    from io import BytesIO

    paper = make_paper("draft")
    evidence = services.evidence_add(actor=world.group_deputy, paper=paper, file=BytesIO(PDF_BYTES),
                                     name="银行流水.pdf")
    return evidence


# -- upload ----------------------------------------------------------------------------------

def test_it_stores_an_upload_under_a_random_name_with_its_fingerprint(client, world, make_paper, media):
    paper = make_paper("draft")
    client.force_login(world.group_deputy)
    response = _upload(client, paper)
    assert response.status_code == 302
    evidence = Evidence.objects.get(paper=paper)
    assert (evidence.original_name, evidence.content_type, evidence.size) == ("询问笔录.pdf", "application/pdf",
                                                                              len(PDF_BYTES))
    assert evidence.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert evidence.uploaded_by == world.group_deputy
    assert evidence.file.name.startswith("evidence/") and "询问" not in evidence.file.name
    [path] = _stored(media)
    assert path.read_bytes() == PDF_BYTES and path.suffix == ".pdf"
    assert AuditEvent.objects.filter(action="evidence.add", object_id=str(evidence.pk)).exists()
    page = client.get(reverse("findings:paper_evidence", args=[paper.pk])).content.decode()
    assert "询问笔录.pdf" in page and reverse("findings:evidence_download", args=[evidence.pk]) in page


@pytest.mark.parametrize("data, name, words", [
    (EXE_BYTES, "凭证.pdf", "named .pdf but its content is not PDF"),
    (PNG_BYTES, "凭证.pdf", "named .pdf but its content is not PDF"),
    (EXE_BYTES, "setup.exe", "not accepted"),
])
def test_it_refuses_a_disguised_or_forbidden_file(client, world, make_paper, media, data, name, words):
    paper = make_paper("draft")
    client.force_login(world.group_leader)
    response = _upload(client, paper, data, name)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Evidence.objects.exists() and not _stored(media)


def test_it_refuses_an_oversize_file(client, world, make_paper, media, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    paper = make_paper("draft")
    client.force_login(world.group_leader)
    response = _upload(client, paper, PDF_BYTES + b"0" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert "1 MB" in response.content.decode()  # the message is translated in the page
    assert not Evidence.objects.exists() and not _stored(media)


def test_evidence_may_be_added_to_a_signed_paper_but_not_a_registered_one(client, world, make_paper):
    client.force_login(world.group_leader)
    assert _upload(client, make_paper("signed")).status_code == 302
    registered = make_paper("registered")
    assert 'data-testid="evidence-form"' not in client.get(
        reverse("findings:paper_evidence", args=[registered.pk])).content.decode()
    assert _upload(client, registered).status_code == 403
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize("role", ["office_admin", "leader"])
def test_the_office_reads_but_does_not_upload(client, world, make_paper, role):
    paper = make_paper("draft")
    client.force_login(world.users[role])
    page = client.get(reverse("findings:paper_evidence", args=[paper.pk]))
    assert page.status_code == 200 and 'data-testid="evidence-form"' not in page.content.decode()
    assert _upload(client, paper).status_code == 403
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("role", OTHERS)
def test_the_evidence_page_is_not_found_for_everyone_else(client, world, make_paper, role):
    paper = make_paper("draft")
    client.force_login(world.users[role])
    assert client.get(reverse("findings:paper_evidence", args=[paper.pk])).status_code == 404
    assert _upload(client, paper).status_code == 404
    assert not Evidence.objects.exists()


# -- download --------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["group_leader", "group_deputy", "office_admin", "office_staff", "leader"])
def test_it_streams_the_file_as_an_attachment_and_audits_it(client, world, attached, role):
    client.force_login(world.users[role])
    url = reverse("findings:evidence_download", args=[attached.pk])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E9%93%B6%E8%A1%8C%E6%B5%81%E6%B0%B4.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    events = AuditEvent.objects.filter(action="evidence.download", object_id=str(attached.pk))
    assert events.count() == 2 and {e.actor_id for e in events} == {world.users[role].pk}


@pytest.mark.parametrize("role", OTHERS)
def test_the_download_is_not_found_for_other_groups_and_roles(client, world, attached, role):
    client.force_login(world.users[role])
    assert client.get(reverse("findings:evidence_download", args=[attached.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="evidence.download").exists()


def test_an_anonymous_user_is_sent_to_sign_in_and_gets_no_file(client, attached):
    response = client.get(reverse("findings:evidence_download", args=[attached.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("findings:paper_evidence", args=[attached.paper_id])).status_code == 302


def test_the_file_is_reachable_under_no_other_url(client, world, attached, media, settings):
    stored = attached.file.name
    assert not Path(settings.MEDIA_ROOT).resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())
    client.force_login(world.office_admin)
    for url in (f"/static/{stored}", f"/media/{stored}", f"/{stored}", f"/uploads/{stored}",
                f"/static/uploads/{stored}"):
        assert client.get(url).status_code == 404, url


# -- removal ---------------------------------------------------------------------------------

def test_a_member_removes_evidence_of_an_unsigned_paper(client, world, attached, media,
                                                        django_capture_on_commit_callbacks):
    client.force_login(world.group_leader)
    url = reverse("findings:evidence_delete", args=[attached.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Evidence.objects.exists() and not _stored(media)
    assert AuditEvent.objects.filter(action="evidence.delete").exists()


def test_evidence_of_a_signed_paper_stays(client, world, attached):
    from django.utils import timezone

    attached.paper.state, attached.paper.frozen_at = "signed", timezone.now()
    attached.paper.save()
    client.force_login(world.group_leader)
    response = client.post(reverse("findings:evidence_delete", args=[attached.pk]), follow=True)
    assert "can no longer be removed" in response.content.decode()
    assert Evidence.objects.filter(pk=attached.pk).exists()


@pytest.mark.parametrize("role, status", [("office_admin", 403), ("group_member", 404), ("unit_liaison", 404)])
def test_others_cannot_remove_evidence(client, world, attached, role, status):
    client.force_login(world.users[role])
    assert client.post(reverse("findings:evidence_delete", args=[attached.pk])).status_code == status
    assert Evidence.objects.filter(pk=attached.pk).exists()
