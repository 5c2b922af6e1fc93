"""Receipt codes: long, random, unambiguous; only a slow hash stored; found by the whole code only."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth import hashers
from django.db import connection

from tests.intake.public_helpers import complaint_fixture  # noqa: F401
from xuncha.intake import receipts
from xuncha.intake.models import Complaint


def test_codes_are_long_and_unambiguous():
    codes = {receipts.generate() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 20 >= 16 and receipts.is_well_formed(code)
        assert not set(code) & set("01OI")
    assert len(receipts.ALPHABET) == 32


def test_display_groups_and_normalize_undoes_it():
    code = "ABCD2345EFGH6789JKLM"
    assert receipts.display(code) == "ABCD-2345-EFGH-6789-JKLM"
    assert receipts.groups(code) == ["ABCD", "2345", "EFGH", "6789", "JKLM"]
    assert receipts.normalize(" abcd-2345 efgh—6789_jk1m ") == code
    assert receipts.normalize("ＡＢＣＤ２３４５ＥＦＧＨ６７８９ＪＫＬＭ") == code


def test_issue_stores_only_prefix_and_slow_hash(complaint):
    code = receipts.issue(complaint)
    complaint.refresh_from_db()
    assert complaint.receipt_prefix == code[:6]
    assert complaint.receipt_hash.startswith("argon2") and code not in complaint.receipt_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM intake_complaint")
        dump = repr(cursor.fetchall())
    assert code not in dump and code[6:] not in dump and receipts.display(code) not in dump


def test_find_by_the_whole_code(complaint, world):
    code = receipts.issue(complaint)
    assert receipts.find(code) == complaint
    assert receipts.find(receipts.display(code).lower()) == complaint
    assert receipts.find(code, committee=world.county) == complaint
    assert receipts.find(code, committee=world.other) is None
    last = "2" if code[-1] != "2" else "3"
    assert receipts.find(code[:-1] + last) is None  # right prefix, wrong code
    assert receipts.find(code[:6]) is None and receipts.find("") is None


@pytest.mark.parametrize("typed", ["ZZZZZZ2345EFGH6789JK", "short", "0000000000000000000O"])
def test_unknown_codes_still_cost_one_hash(complaint, typed):
    receipts.issue(complaint)
    with mock.patch.object(hashers, "make_password", wraps=hashers.make_password) as made:
        assert receipts.find(typed) is None
    assert made.call_count == 1


def test_a_taken_prefix_is_drawn_again(complaint, world):
    other = Complaint.objects.create(committee=world.county, year=2024, seq=99, channel="online",
                                     received_on=complaint.received_on, subject="x", content="y",
                                     receipt_prefix="AAAAAA", receipt_hash="x")
    draws = iter(["AAAAAA" + "B" * 14, "CCCCCC" + "D" * 14])
    with mock.patch.object(receipts, "generate", lambda: next(draws)):
        code = receipts.issue(complaint)
    assert code.startswith("CCCCCC") and receipts.find(code) == complaint and other.receipt_prefix == "AAAAAA"
