"""Numbering, encrypted identity and duplicate links shared by the register and the public form."""

from __future__ import annotations

from datetime import date

from django.db import connection

from xuncha.intake import crypto, records
from xuncha.intake.models import Complaint


def _complaint(world, **extra):
    complaint = Complaint(committee=world.county, round=world.round, group=world.group1,
                          year=2024, seq=records.next_seq(world.county, 2024),
                          channel=Complaint.Channel.LETTER, received_on=date(2024, 3, 5))
    records.set_content(complaint, subject=extra.pop("subject", "反映问题"), content=extra.pop("content", "某村低保优亲厚友"))
    records.set_identity(complaint, **extra)
    complaint.save()
    return complaint


def test_identity_is_encrypted_and_linked_by_contact(world):
    first = _complaint(world, name="张秀兰", contact="138 0013 8000")
    second = _complaint(world, name="张秀兰", contact="+86 13800138000", content="另一件事")
    anonymous = _complaint(world, content="匿名反映")
    assert not first.anonymous and anonymous.anonymous
    assert records.identity(first) == ("张秀兰", "138 0013 8000")
    assert first.contact_digest == second.contact_digest != ""
    assert records.repeat_count(first) == 1 and records.repeat_count(anonymous) == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT informant_name, informant_contact, contact_digest FROM intake_complaint")
        dump = repr(cursor.fetchall())
    assert "张秀兰" not in dump and "13800138000" not in dump and "8000" not in dump.replace(first.contact_digest, "")
    assert "张秀兰".encode() not in b"".join(bytes(r) for r in (first.informant_name, first.informant_contact))


def test_numbering_and_duplicates(world):
    first = _complaint(world, content="村干部优亲厚友，低保评定不公。")
    again = _complaint(world, content="村干部优亲厚友 低保评定不公")
    other = _complaint(world, content="工程款被挪用")
    assert (first.seq, again.seq, other.seq) == (1, 2, 3)
    assert again.duplicate_of == first and other.duplicate_of is None and first.duplicate_of is None


def test_a_token_from_another_key_is_refused(world, settings):
    token = crypto.encrypt_text("秘密")
    settings.XUNCHA_INTAKE_KEY = "G" * 43 + "="
    crypto.reset()
    try:
        import pytest
        with pytest.raises(crypto.InvalidToken):
            crypto.decrypt_text(token)
    finally:
        crypto.reset()
