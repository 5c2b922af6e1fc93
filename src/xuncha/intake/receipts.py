"""Receipt codes of online complaints (回执码).

A code is 20 characters drawn by `secrets` from a 32-character alphabet (100 bits): the digits
2–9 and the capital letters without I and O, so that nothing reads as 0 or 1; a code is shown
upper-case, where L does not pass for 1 either. The first 6 characters are a public lookup
prefix (Complaint.receipt_prefix, unique); only a slow hash (make_password: the configured
argon2 hasher) of the whole code is stored, never the code. Guessing is infeasible (2^70
codes behind each prefix) and slowed twice: every lookup costs one hash — an unknown prefix as
well, so timing does not tell whether a prefix exists — and the portal rate-limits lookups per
address and per prefix (intake.throttle).
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction

from xuncha.intake.models import Complaint

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 20
PREFIX = 6
GROUP = 4
_IGNORED = re.compile(r"[\s\-－—_·.]+")
# What a reader may type for a character that is not in the alphabet.
_LOOKALIKES = str.maketrans({"1": "L", "I": "L"})
_ATTEMPTS = 5

assert len(ALPHABET) == 32 and len(set(ALPHABET)) == 32


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str:
    """What was typed, reduced to the characters of a code: upper case, without spaces and
    dashes, look-alikes mapped (full-width characters folded first)."""
    text = unicodedata.normalize("NFKC", text or "")
    return _IGNORED.sub("", text).upper().translate(_LOOKALIKES)


def is_well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


def display(code: str) -> str:
    """XXXX-XXXX-XXXX-XXXX-XXXX."""
    code = normalize(code)
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def groups(code: str) -> list[str]:
    return display(code).split("-")


def issue(complaint: Complaint) -> str:
    """Give the (saved) complaint a new receipt code; return the code, which is not kept
    anywhere: show it to the filer once."""
    for _attempt in range(_ATTEMPTS):
        code = generate()
        complaint.receipt_prefix, complaint.receipt_hash = code[:PREFIX], make_password(code)
        try:
            with transaction.atomic():
                complaint.save(update_fields=["receipt_prefix", "receipt_hash"])
        except IntegrityError:
            continue  # the prefix is taken (one in a billion per complaint): draw again
        return code
    raise RuntimeError("no free receipt prefix")


def find(code: str, *, committee=None) -> Complaint | None:
    """The complaint whose receipt code this is (of `committee` when given), else None. Always
    costs one slow hash."""
    code = normalize(code)
    complaint = None
    if is_well_formed(code):
        complaint = (Complaint.objects.filter(receipt_prefix=code[:PREFIX]).exclude(receipt_hash="")
                     .select_related("committee").first())
    if complaint is None:
        check_password(code, "!")  # an unusable hash: Django hashes once anyway, the same work
        return None
    if not check_password(code, complaint.receipt_hash):
        return None
    if committee is not None and complaint.committee_id != committee.pk:
        return None
    return complaint
