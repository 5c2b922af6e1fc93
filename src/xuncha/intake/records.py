"""The parts of recording a complaint that the staff register and the public form share:
numbering, the informant's identity (encrypted, with a keyed digest of the contact for linking
repeat complainants), and the content digest that links duplicates.

These helpers only fill in a Complaint; the services that call them check permissions, run in a
transaction and write the audit log.
"""

from __future__ import annotations

import hashlib
import re

from django.db.models import Max

from xuncha.intake import crypto
from xuncha.intake.models import Complaint
from xuncha.text import match_key

_SEPARATORS = re.compile(r"[\s()（）+\-－—]")
_NOT_WORD = re.compile(r"[\W_]+")


def next_seq(committee, year: int) -> int:
    """The next number of the committee's complaints in `year` (call inside the transaction that
    saves it; the unique constraint catches a concurrent writer)."""
    last = Complaint.objects.filter(committee=committee, year=year).aggregate(m=Max("seq"))["m"]
    return (last or 0) + 1


def contact_key(contact: str) -> str:
    """A contact reduced to what identifies it: a phone number's digits (without +86), an
    address's lower-case letters — so "138 0013 8000" and "13800138000" link."""
    key = _SEPARATORS.sub("", match_key(contact).lower())
    if key.isdigit():
        for prefix in ("0086", "86"):
            if key.startswith(prefix) and len(key) == len(prefix) + 11:
                return key[len(prefix):]
    return key


def set_identity(complaint: Complaint, *, name: str = "", contact: str = "") -> None:
    """Encrypt the informant's name and contact into the complaint; both empty → anonymous."""
    name, contact = name.strip(), contact.strip()
    complaint.anonymous = not (name or contact)
    complaint.informant_name = crypto.encrypt_text(name)
    complaint.informant_contact = crypto.encrypt_text(contact)
    key = contact_key(contact) if contact else ""
    complaint.contact_digest = crypto.digest(f"contact:{key}") if key else ""


def identity(complaint: Complaint) -> tuple[str, str]:
    """The decrypted (name, contact). Only intake services that check a granted IdentityAccess
    and audit the viewing may call this."""
    return crypto.decrypt_text(complaint.informant_name), crypto.decrypt_text(complaint.informant_contact)


def content_digest(text: str) -> str:
    """Equal for contents that differ only in punctuation, spacing, width or script."""
    return hashlib.sha256(_NOT_WORD.sub("", match_key(text)).encode()).hexdigest()


def set_content(complaint: Complaint, *, subject: str, content: str) -> None:
    """Set subject and content, their digest, and link the complaint to the earliest complaint
    of the committee with the same content (a duplicate)."""
    complaint.subject, complaint.content = subject.strip(), content.strip()
    complaint.content_digest = content_digest(complaint.content)
    earlier = (Complaint.objects.filter(committee_id=complaint.committee_id, content_digest=complaint.content_digest,
                                        duplicate_of__isnull=True)
               .exclude(pk=complaint.pk).order_by("received_on", "id").first())
    complaint.duplicate_of = earlier


def repeat_count(complaint: Complaint) -> int:
    """How many other complaints of the committee came from the same contact (never who)."""
    if not complaint.contact_digest:
        return 0
    return (Complaint.objects.filter(committee_id=complaint.committee_id, contact_digest=complaint.contact_digest)
            .exclude(pk=complaint.pk).count())
