"""The public complaint form: CSRF, honeypot, per-address limit, attachments checked and
encrypted, identity unreadable in a dump, the complaint in the chosen group's register, the
receipt code shown once and confirmed."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.intake.public_helpers import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    database_dump,
    media_fixture,  # noqa: F401
    portal_fixture,  # noqa: F401
    shown_code,
    stored_files,
    upload,
    uploads_dump,
)
from xuncha.access.models import AuditEvent
from xuncha.access.policy import scope
from xuncha.intake import attachments, receipts, records
from xuncha.intake.models import Complaint, ComplaintAttachment

NAME, CONTACT = "欧阳秀英", "13912345678"
SECRET_FILE = b"%PDF-1.4\n% secret evidence: \xe5\xbc\xa0\xe4\xb8\x89 took 50000 yuan\n%%EOF\n"


def _url(portal, name="public:complain"):
    return reverse(name, args=[portal.world.county.pk])


def _post(client, portal, **extra):
    data = {"target": f"g{portal.world.group1.pk}", "content": "东门村村干部优亲厚友，低保评定不公。",
            "concerns": "东门村村委会", "identity": "anonymous", "name": "", "contact": "", "website": ""}
    data.update(extra)
    return client.post(_url(portal), data, REMOTE_ADDR=extra.pop("REMOTE_ADDR", "10.0.0.1"))


def test_filing_shows_the_code_once_and_stores_only_its_hash(portal):
    response = _post(Client(), portal)
    assert response.status_code == 201
    html = response.content.decode()
    code = shown_code(html)
    assert len(receipts.normalize(code)) == 20 >= 16
    assert "<script" not in html.lower() and response["Cache-Control"].startswith("max-age=0")
    [complaint] = Complaint.objects.all()
    assert complaint.channel == Complaint.Channel.ONLINE and complaint.group == portal.world.group1
    assert complaint.round == portal.world.round and complaint.organization is None and complaint.anonymous
    assert complaint.concerns == "东门村村委会" and complaint.subject.startswith("东门村村干部")
    assert receipts.find(code) == complaint
    dump = database_dump()
    assert receipts.normalize(code) not in dump and code not in dump and receipts.normalize(code)[6:] not in dump


def test_a_qr_visit_preselects_and_is_recorded_as_qr(portal):
    client = Client()
    form = client.get(_url(portal) + f"?organization={portal.world.department.pk}&via=qr").content.decode()
    assert f'<option value="o{portal.world.department.pk}" selected>' in form
    assert '<input type="hidden" name="via" value="qr">' in form
    assert f'value="g{portal.world.group1.pk}" selected' in client.get(
        _url(portal) + f"?group={portal.world.group1.pk}").content.decode()
    assert _post(client, portal, target=f"o{portal.world.department.pk}", via="qr").status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.channel == Complaint.Channel.QR
    assert complaint.group == portal.world.group2 and complaint.organization == portal.world.department


def test_the_complaint_lands_in_the_chosen_groups_register_only(portal):
    world = portal.world
    _post(Client(), portal, target=f"o{world.village.pk}")
    complaint = Complaint.objects.get()
    assert complaint.group == world.group1 and complaint.organization == world.village
    assert scope(world.group_leader, Complaint).filter(pk=complaint.pk).exists()
    assert scope(world.office_admin, Complaint).filter(pk=complaint.pk).exists()
    for outsider in ("group_member", "unit_liaison", "receiver", "supervisor"):
        assert not scope(world.users[outsider], Complaint).filter(pk=complaint.pk).exists(), outsider


@pytest.mark.parametrize("target", ["g{g3}", "g{g4}", "g{g5}", "g{other}", "o{other_township}", "g999999", "x"])
def test_only_groups_announced_today_can_be_chosen(portal, target):
    g3, g4, g5 = portal.groups
    target = target.format(g3=g3.pk, g4=g4.pk, g5=g5.pk, other=portal.other_group.pk,
                           other_township=portal.world.other_township.pk)
    response = _post(Client(), portal, target=target)
    assert response.status_code == 200 and b'data-testid="form-errors"' in response.content
    assert not Complaint.objects.exists()


def test_identity_and_attachment_are_unreadable_in_dumps(portal, media):
    response = _post(Client(), portal, identity="named", name=NAME, contact=CONTACT,
                     attachments=[upload("证据.pdf", SECRET_FILE), upload("现场.png", PNG_BYTES)])
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert not complaint.anonymous and records.identity(complaint) == (NAME, CONTACT)
    dump = database_dump()
    assert NAME not in dump and CONTACT not in dump and "secret evidence" not in dump
    files = uploads_dump(media)
    assert len(stored_files(media)) == 2
    assert b"secret evidence" not in files and SECRET_FILE not in files and PNG_BYTES not in files
    assert NAME.encode() not in files and "证据".encode() not in b"".join(p.name.encode() for p in stored_files(media))
    by_name = {a.original_name: a for a in ComplaintAttachment.objects.all()}
    assert attachments.read(by_name["证据.pdf"]) == SECRET_FILE
    event = AuditEvent.objects.get(action="complaint.file_online")
    assert event.actor_id is None and event.actor_name == "public" and event.ip is None
    assert NAME not in str(event.detail) and "10.0.0.1" not in str(event.detail)


def test_anonymous_choice_discards_what_was_typed(portal):
    _post(Client(), portal, identity="anonymous", name=NAME, contact=CONTACT)
    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.informant_name == b"" and complaint.contact_digest == ""


def test_named_needs_a_name_or_contact(portal):
    response = _post(Client(), portal, identity="named")
    assert response.status_code == 200 and b"is-invalid" in response.content and not Complaint.objects.exists()


@pytest.mark.parametrize(("name", "data"), [("照片.png", PDF_BYTES), ("说明.pdf", EXE_BYTES), ("病毒.exe", EXE_BYTES)])
def test_disguised_files_are_refused_with_nothing_stored(portal, media, name, data):
    response = _post(Client(), portal, attachments=[upload("好.pdf", PDF_BYTES), upload(name, data)])
    assert response.status_code == 200
    errors = re.findall(r'data-testid="attachment-error">([^<]*)<', response.content.decode())
    assert errors and errors[0].startswith(name)
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists() and stored_files(media) == []


def test_oversized_files_are_refused_with_nothing_stored(portal, media, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = _post(Client(), portal, attachments=[upload("大.pdf", PDF_BYTES + b"0" * 2048)])
    assert response.status_code == 200 and b'data-testid="attachment-error"' in response.content
    assert not Complaint.objects.exists() and stored_files(media) == []


def test_too_many_files(portal, media):
    response = _post(Client(), portal, attachments=[upload(f"{n}.png") for n in range(6)])
    assert b'data-testid="attachment-error"' in response.content and not Complaint.objects.exists()


def test_csrf_token_is_required(portal):
    client = Client(enforce_csrf_checks=True)
    assert _post(client, portal).status_code == 403 and not Complaint.objects.exists()
    form = client.get(_url(portal)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert _post(client, portal, csrfmiddlewaretoken=token).status_code == 201
    assert Complaint.objects.count() == 1


def test_the_honeypot_stores_nothing(portal, media):
    response = _post(Client(), portal, website="http://spam.example", attachments=[upload()])
    assert response.status_code == 400 and b'data-testid="refused"' in response.content
    assert not Complaint.objects.exists() and stored_files(media) == []


def test_per_address_limit(portal, settings):
    settings.XUNCHA_PUBLIC_COMPLAINTS_PER_HOUR = 2
    client = Client()
    assert [_post(client, portal).status_code for _ in range(3)] == [201, 201, 429]
    response = _post(client, portal)
    from django.utils import timezone

    from xuncha.intake import throttle
    left = (throttle.retry_at(3600) - timezone.now()).total_seconds()  # until the hour's window ends
    assert response.status_code == 429 and abs(int(response["Retry-After"]) - left) <= 2
    assert b'data-testid="too-many"' in response.content and b"<script" not in response.content
    assert _post(client, portal, REMOTE_ADDR="10.0.0.2").status_code == 201
    assert Complaint.objects.count() == 3


def test_the_form_is_closed_without_an_active_announcement(world, media):
    response = Client().get(reverse("public:complain", args=[world.county.pk]))
    assert response.status_code == 200 and b'data-testid="complaints-closed"' in response.content
    response = Client().post(reverse("public:complain", args=[world.county.pk]), {"content": "x", "target": "g1"})
    assert b'data-testid="complaints-closed"' in response.content and not Complaint.objects.exists()


def test_confirming_the_code_leads_to_the_receipt_page(portal):
    client = Client()
    code = shown_code(_post(client, portal).content.decode())
    unticked = client.post(_url(portal), {"step": "confirm", "code": receipts.normalize(code)})
    assert unticked.status_code == 200 and shown_code(unticked.content.decode()) == code
    assert b"is-invalid" in unticked.content
    ticked = client.post(_url(portal), {"step": "confirm", "code": receipts.normalize(code), "saved": "on"})
    assert ticked.status_code == 302 and ticked["Location"] == _url(portal, "public:receipt") + "?saved=1"
    page = client.get(ticked["Location"]).content.decode()
    assert 'data-testid="saved-notice"' in page and code not in page and receipts.normalize(code) not in page
    # Only a code's shape comes back on the confirmation page.
    assert client.post(_url(portal), {"step": "confirm", "code": "<b>x</b>"}).status_code == 404
