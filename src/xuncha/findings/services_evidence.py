"""Writes for evidence files attached to working papers.

Who: only the paper's own group adds or removes evidence (the policy grants CREATE and DELETE
on Evidence to group roles, scoped to their group, while the round is open); the office and
the leading group read it.
When: evidence may be added until the office registers the paper — a signed paper's text is
frozen, but a document that backs it up can still arrive (a bank statement asked for during
the talk); what was attached at or before signing stays, so evidence is removed only while
the paper is not yet signed (frozen).
The file is checked by content (findings.uploads) and stored under a random name in the
default storage (MEDIA_ROOT, under the data directory), never under its uploaded name.
"""

from __future__ import annotations

import uuid
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CREATE, DELETE, require
from xuncha.findings.models import Evidence, WorkingPaper
from xuncha.findings.uploads import UploadRefused, check_evidence

NAME_MAX = Evidence._meta.get_field("original_name").max_length


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _clean_name(name: str) -> str:
    """The name as the uploader's computer had it, without any folder, cut to fit."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: NAME_MAX - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else name[:NAME_MAX]
    return name


@transaction.atomic
def evidence_add(*, actor, paper: WorkingPaper, file: IO[bytes], name: str, description: str = "") -> Evidence:
    """Attach a file to a paper of the actor's own group, before the paper is registered."""
    evidence = Evidence(paper=paper, description=(description or "").strip(), uploaded_by=_account(actor))
    require(actor, CREATE, evidence)
    paper = WorkingPaper.objects.select_for_update().get(pk=paper.pk)
    evidence.paper = paper
    if paper.state == WorkingPaper.State.REGISTERED:
        raise ValidationError({"file": [_("The paper is registered: no evidence can be added any more.")]})
    original = _clean_name(name)
    if not original:
        raise ValidationError({"file": [_("The file has no name.")]})
    if len(evidence.description) > Evidence._meta.get_field("description").max_length:
        raise ValidationError({"description": [_("At most 200 characters.")]})
    try:
        checked = check_evidence(file, original)
    except UploadRefused as refusal:
        raise ValidationError({"file": [refusal.message]}) from None
    evidence.original_name = original
    evidence.content_type = checked.content_type
    evidence.size = checked.size
    evidence.sha256 = checked.sha256
    file.seek(0)
    evidence.file.save(f"{uuid.uuid4().hex}.{checked.extension}", File(file), save=False)
    stored = evidence.file.name
    # Nothing half-written: a file stored for a row that fails to save is removed again.
    try:
        evidence.save()
        audit.record(actor=actor, action="evidence.add", obj=evidence, summary=f"{paper.number} {original}",
                     detail={"paper": paper.pk, "content_type": checked.content_type, "size": checked.size,
                             "sha256": checked.sha256})
    except Exception:
        evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    """Remove a file from a paper not yet signed (the file itself goes once the removal commits)."""
    require(actor, DELETE, evidence)
    evidence = Evidence.objects.select_for_update().select_related("paper__round").get(pk=evidence.pk)
    paper = WorkingPaper.objects.select_for_update().get(pk=evidence.paper_id)
    if paper.is_frozen:
        raise ValidationError(_("The paper is signed: its evidence can no longer be removed."))
    storage, stored = evidence.file.storage, evidence.file.name
    audit.record(actor=actor, action="evidence.delete", obj=evidence,
                 summary=f"{paper.number} {evidence.original_name}",
                 detail={"paper": paper.pk, "sha256": evidence.sha256})
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def record_download(*, actor, evidence: Evidence) -> None:
    """Every download of an evidence file is in the audit log."""
    audit.record(actor=actor, action="evidence.download", obj=evidence,
                 summary=evidence.original_name, detail={"paper": evidence.paper_id, "sha256": evidence.sha256})
