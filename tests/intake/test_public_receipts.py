"""The receipt page: the right code shows the handling and the messages and lets the filer
write; wrong codes are counted per address and per prefix, and past the limit even the right
code waits (429). The code travels only in POST bodies."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.intake.public_helpers import media_fixture, portal_fixture  # noqa: F401
from xuncha.intake import receipts, services_public
from xuncha.intake.models import Complaint, ComplaintMessage, ComplaintStep


@pytest.fixture(name="filed")
def filed_fixture(portal):
    complaint, code = services_public.file_online(committee=portal.world.county, group=portal.world.group1.pk,
                                                  content="村集体资金去向不明", concerns="东门村")
    return complaint, code


def _url(portal):
    return reverse("public:receipt", args=[portal.world.county.pk])


def _lookup(client, portal, code, address="10.0.0.1", **extra):
    return client.post(_url(portal), {"action": "lookup", "code": code, **extra}, REMOTE_ADDR=address)


def _wrong(code: str) -> str:
    return code[:-1] + ("2" if code[-1] != "2" else "3")


def test_the_right_code_shows_status_and_messages(portal, filed):
    complaint, code = filed
    ComplaintMessage.objects.create(complaint=complaint, author=portal.world.office_admin, text="请补充具体时间。")
    response = _lookup(Client(), portal, receipts.display(code).lower())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="status"' in html and "请补充具体时间。" in html and 'data-from-public="0"' in html
    assert portal.world.office_admin.username not in html and portal.world.office_admin.full_name not in html
    assert "<script" not in html.lower()
    # The code goes on only in the hidden field of the message form, never in a link.
    assert f'<input type="hidden" name="code" value="{code}"' in html and "?code=" not in html


def test_the_filer_sends_messages_by_post(portal, filed):
    complaint, code = filed
    client = Client()
    response = client.post(_url(portal), {"action": "message", "code": code, "text": "时间是2024年3月。"})
    assert response.status_code == 200 and b'data-testid="sent"' in response.content
    assert "时间是2024年3月。" in response.content.decode()
    client.post(_url(portal), {"action": "message", "code": code, "text": "时间是2024年3月。"})  # reloaded
    [message] = ComplaintMessage.objects.all()
    assert message.complaint == complaint and message.from_public and message.author is None
    empty = client.post(_url(portal), {"action": "message", "code": code, "text": "  "})
    assert b"is-invalid" in empty.content and ComplaintMessage.objects.count() == 1


def test_a_message_with_a_wrong_code_is_not_stored(portal, filed):
    _complaint, code = filed
    response = Client().post(_url(portal), {"action": "message", "code": _wrong(code), "text": "x"})
    assert b'data-testid="wrong-code"' in response.content and not ComplaintMessage.objects.exists()


def test_the_code_of_another_committee_is_not_found_here(portal, filed):
    _complaint, code = filed
    other = reverse("public:receipt", args=[portal.world.other.pk])
    response = Client().post(other, {"action": "lookup", "code": code})
    assert b'data-testid="wrong-code"' in response.content


def test_handling_in_public_wording_with_outcome_once_concluded(portal, filed, english):
    complaint, code = filed
    ComplaintStep.objects.create(complaint=complaint, action="pass", from_state="pending", to_state="to_group",
                                 actor=portal.world.office_admin, at=timezone.now(), comment="内部意见：重点核查")
    complaint.handling, complaint.outcome = Complaint.Handling.TO_GROUP, "查实，已责令退还。"
    complaint.save()
    html = _lookup(Client(), portal, code).content.decode()
    assert "Passed to the inspection group for inquiry" in html and "内部意见" not in html
    assert "查实，已责令退还。" not in html  # not concluded yet
    complaint.handling, complaint.handled_on = Complaint.Handling.CONCLUDED, date(2024, 4, 1)
    complaint.save()
    html = _lookup(Client(), portal, code).content.decode()
    assert 'data-testid="handling">Concluded<' in html and 'data-testid="outcome">查实，已责令退还。<' in html


def test_wrong_codes_are_counted_and_then_even_the_right_code_waits(portal, filed, settings):
    settings.XUNCHA_PUBLIC_LOOKUPS_PER_HOUR = 3
    _complaint, code = filed
    client = Client()
    for typed in ("ABCDEFGHJKMNPQRSTUVW", _wrong(code), "nonsense"):
        response = _lookup(client, portal, typed)
        assert response.status_code == 200 and b'data-testid="wrong-code"' in response.content
    response = _lookup(client, portal, code)
    assert response.status_code == 429 and b'data-testid="too-many"' in response.content
    assert _lookup(client, portal, code, address="10.0.0.9").status_code == 200  # another address


def test_the_prefix_is_limited_across_addresses(portal, filed, settings):
    settings.XUNCHA_PUBLIC_LOOKUPS_PER_HOUR = 3
    _complaint, code = filed
    for n in range(3):
        assert b"wrong-code" in _lookup(Client(), portal, _wrong(code), address=f"10.0.1.{n}").content
    assert _lookup(Client(), portal, code, address="10.0.2.1").status_code == 429


def test_right_codes_are_not_counted(portal, filed, settings):
    settings.XUNCHA_PUBLIC_LOOKUPS_PER_HOUR = 2
    _complaint, code = filed
    assert [_lookup(Client(), portal, code).status_code for _ in range(4)] == [200] * 4


def test_the_lookup_page_has_no_code_in_a_url(portal, filed):
    html = Client().get(_url(portal)).content.decode()
    assert 'method="post"' in html and 'name="code"' in html and "<script" not in html.lower()
