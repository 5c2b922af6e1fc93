"""Writes and views of the public portal: filing a complaint online, the filer's messages,
and what the filer may see of the handling.

There is no account behind these: the filer is anonymous to the system and known only by
the receipt code. Permission is "an announcement of this committee is active today" (for
filing) and "holds the code" (for messages); the views add CSRF, the honeypot and the rate
limits. The audit log records every filing and message under the marker PUBLIC_ACTOR without
the client's address — an informant's address is as identifying as a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from xuncha.access import audit, context
from xuncha.intake import attachments, receipts, records
from xuncha.intake.models import Complaint, ComplaintMessage
from xuncha.intake.selectors.public import active_announcements, messages_of, steps_of, target_for

PUBLIC_ACTOR = "public"  # the actor name of audit events written for the anonymous public
CONTENT_MAX = 5000
CONCERNS_MAX = Complaint._meta.get_field("concerns").max_length
NAME_MAX = 50
CONTACT_MAX = 100
MESSAGE_MAX = 2000
FILES_MAX = 5
SUBJECT_CHARS = 40
REPEAT_WINDOW = timedelta(minutes=10)

# How the handling reads to the public (never who handles it, nor which department): 已受理 / 已转巡察组了解 /
# 已转有关部门办理 / 不属于巡察受理范围，已告知去向 / 已办结. A context of their own keeps them apart from
# the staff's words.
PUBLIC_HANDLING = {
    Complaint.Handling.PENDING: pgettext_lazy("public complaint status", "Accepted"),
    Complaint.Handling.TO_GROUP: pgettext_lazy("public complaint status", "Passed to the inspection group for inquiry"),
    Complaint.Handling.TO_DEPARTMENT: pgettext_lazy("public complaint status",
                                                    "Passed to the competent department for handling"),
    Complaint.Handling.OUT_OF_SCOPE: pgettext_lazy("public complaint status",
                                                   "Outside the scope of inspection; you have been told where to turn"),
    Complaint.Handling.CONCLUDED: pgettext_lazy("public complaint status", "Concluded"),
}


def _audit(action: str, obj, summary: str, detail: dict) -> None:
    token = context.set_current(context.RequestContext(ip=None, role=PUBLIC_ACTOR))
    try:
        audit.record(actor=None, actor_name=PUBLIC_ACTOR, action=action, obj=obj, summary=summary, detail=detail)
    finally:
        context.reset(token)


def _subject(content: str) -> str:
    first = next((line.strip() for line in content.splitlines() if line.strip()), "")
    return first if len(first) <= SUBJECT_CHARS else first[:SUBJECT_CHARS - 1] + "…"


def _check(*, concerns: str, content: str, name: str, contact: str, files: list) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not content:
        errors["content"] = [_("Say what happened.")]
    elif len(content) > CONTENT_MAX:
        errors["content"] = [_("At most %(max)d characters.") % {"max": CONTENT_MAX}]
    if len(concerns) > CONCERNS_MAX:
        errors["concerns"] = [_("At most %(max)d characters.") % {"max": CONCERNS_MAX}]
    if len(name) > NAME_MAX:
        errors["name"] = [_("At most %(max)d characters.") % {"max": NAME_MAX}]
    if len(contact) > CONTACT_MAX:
        errors["contact"] = [_("At most %(max)d characters.") % {"max": CONTACT_MAX}]
    if len(files) > FILES_MAX:
        errors["attachments"] = [_("At most %(max)d files.") % {"max": FILES_MAX}]
    return errors


def _save_numbered(complaint: Complaint) -> None:
    """Save with the next number; a concurrent filer who took it makes us take the next one."""
    for _attempt in range(5):
        complaint.seq = records.next_seq(complaint.committee, complaint.year)
        try:
            with transaction.atomic():
                complaint.save(force_insert=True)
            return
        except IntegrityError:
            complaint.pk = None
    raise RuntimeError("no free complaint number")


def file_online(*, committee, group=None, organization=None, concerns: str = "", content: str,
                name: str = "", contact: str = "", files=(), via_qr: bool = False,
                max_bytes: int | None = None) -> tuple[Complaint, str]:
    """File a complaint to a group whose announcement is active today (`group`, or the group
    inspecting `organization`, as pks); return it and its receipt code, which is not kept.
    Bad input → ValidationError naming the field; nothing is stored then."""
    concerns, content = (concerns or "").strip(), (content or "").strip()
    name, contact, files = (name or "").strip(), (contact or "").strip(), list(files or ())
    errors = _check(concerns=concerns, content=content, name=name, contact=contact, files=files)
    target = target_for(list(active_announcements(committee)), group=group, organization=organization)
    if target is None:
        field = "organization" if organization and not group else "group"
        errors[field] = [_("Choose an inspection group that accepts complaints now.")]
    if errors:
        raise ValidationError(errors)
    stored: list = []
    try:
        with transaction.atomic():
            today = timezone.localdate()
            complaint = Complaint(committee=committee, round=target.group.round, group=target.group,
                                  organization=target.organization, year=today.year, received_on=today,
                                  channel=Complaint.Channel.QR if via_qr else Complaint.Channel.ONLINE,
                                  concerns=concerns)
            records.set_content(complaint, subject=_subject(content), content=content)
            records.set_identity(complaint, name=name, contact=contact)
            _save_numbered(complaint)
            stored = attachments.store_all(complaint, files, max_bytes=max_bytes)
            code = receipts.issue(complaint)
            _audit("complaint.file_online", complaint, f"{complaint.number} {target.group.full_name}",
                   {"group": target.group.pk, "organization": getattr(target.organization, "pk", None),
                    "channel": complaint.channel, "anonymous": complaint.anonymous, "attachments": len(stored),
                    "duplicate_of": complaint.duplicate_of_id})
    except Exception:
        attachments.discard(stored)  # the rows are rolled back: their files go too
        raise
    return complaint, code


@transaction.atomic
def public_message(*, complaint: Complaint, text: str) -> ComplaintMessage:
    """A message from the holder of the receipt code to the office. The same text sent again
    within minutes (a reloaded page) is not stored twice."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write a message.")]})
    if len(text) > MESSAGE_MAX:
        raise ValidationError({"text": [_("At most %(max)d characters.") % {"max": MESSAGE_MAX}]})
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    last = messages_of(complaint).order_by("-created_at", "-id").first()
    if last is not None and last.from_public and last.text == text and \
            last.created_at >= timezone.now() - REPEAT_WINDOW:
        return last
    message = ComplaintMessage.objects.create(complaint=complaint, from_public=True, text=text)
    _audit("complaint.public_message", message, complaint.number, {"complaint": complaint.pk})
    return message


@dataclass(frozen=True)
class PublicMessage:
    from_public: bool
    text: str
    at: datetime


@dataclass(frozen=True)
class PublicStep:
    handling: str
    on: date


@dataclass(frozen=True)
class PublicStatus:
    number: str
    received_on: date
    group: str
    handling: str
    handled_on: date | None
    outcome: str
    concluded: bool
    steps: list[PublicStep]
    messages: list[PublicMessage]


def status(complaint: Complaint) -> PublicStatus:
    """What the filer sees: the handling in public wording, its dates, the outcome once
    concluded, and the messages (staff messages without the staff's names)."""
    concluded = complaint.handling == Complaint.Handling.CONCLUDED
    steps = [PublicStep(str(PUBLIC_HANDLING.get(s.to_state, "")), timezone.localdate(s.at))
             for s in steps_of(complaint) if s.to_state != s.from_state and s.to_state in PUBLIC_HANDLING]
    return PublicStatus(
        number=complaint.number,
        received_on=complaint.received_on,
        group=complaint.group.name if complaint.group_id else "",
        handling=str(PUBLIC_HANDLING[complaint.handling]),
        handled_on=complaint.handled_on,
        outcome=complaint.outcome if concluded else "",
        concluded=concluded,
        steps=steps,
        messages=[PublicMessage(m.from_public, m.text, m.created_at) for m in messages_of(complaint)],
    )
