"""The audit log: append-only events in one hash chain.

Each event's hash is SHA-256 over the previous hash and the canonical JSON of the event.
Writers lock the chain head, so concurrent requests still produce one linear chain;
`verify()` recomputes the chain and names the first event that does not fit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _

from xuncha.access import context
from xuncha.access.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> str:
    at: datetime = event.at
    payload = {
        "seq": event.seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "role": event.role,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "detail": event.detail,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(event: AuditEvent) -> str:
    digest = hashlib.sha256()
    digest.update(event.prev_hash.encode("ascii"))
    digest.update(_canonical(event).encode("utf-8"))
    return digest.hexdigest()


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label, str(obj.pk)


def _client_ip(value: str | None) -> str | None:
    """The address as the database will give it back, so the hash stays reproducible:
    IPv6 in its canonical form, and None for what is no IP (a unix socket, an empty value)."""
    if not value:
        return None
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return clean_ipv6_address(value) if ":" in value else value


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
    actor_name: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction when there is one, so an
    event is kept exactly when the write it describes is kept."""
    ctx = context.current()
    ref_type, ref_id = _object_ref(obj)
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_name=(actor_name or (actor.get_username() if actor is not None else ""))[:150],
            role=ctx.role[:16],
            ip=_client_ip(ctx.ip),
            action=action,
            object_type=(object_type or ref_type)[:60],
            object_id=str(object_id or ref_id)[:64],
            summary=summary[:300],
            detail=json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str)),
            prev_hash=head.hash,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


def record_read(*, actor, obj: models.Model, summary: str = "") -> AuditEvent:
    """Record that `actor` read a sensitive record (e.g. a person's family and career)."""
    return record(actor=actor, action=f"{obj._meta.model_name}.read", obj=obj,
                  summary=summary or str(obj))


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify(*, chunk_size: int = 5000) -> VerifyResult:
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return VerifyResult(False, checked, event.seq, _("the sequence jumps from %(last)d to %(next)d") % {"last": expected_seq - 1, "next": event.seq})
        if event.prev_hash != expected_prev:
            return VerifyResult(False, checked, event.seq, _("its previous hash does not match the event before it"))
        if compute_hash(event) != event.hash:
            return VerifyResult(False, checked, event.seq, _("its content does not match its hash"))
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.get(pk=1)
    if head.seq != checked or head.hash != expected_prev:
        return VerifyResult(False, checked, checked + 1 if head.seq > checked else checked,
                            _("the chain head records event %(head)d, but the log ends at %(last)d")
                            % {"head": head.seq, "last": checked})
    return VerifyResult(True, checked)
