"""Writes of the complaint register (信访举报): registering a complaint received by letter, call,
visit or online, its handling, edits, links to working papers and duplicates, replies to the
online filer, attachments, and the register as a workbook.

The office registers for its committee; a group for itself (in its own round). The informant's
name and contact are encrypted on the way in (records.set_identity) and never leave this module
again: only services_identity reads them back, with a granted access.

Handling, each transition checked against this table before it is taken:

    handling       action         next handling    who
    pending        to_group       to_group         the office (choosing a group of the round)
    pending        to_department  to_department    the office (where it was passed: required)
    pending        out_of_scope   out_of_scope     the office (where it was passed: required)
    pending        conclude       concluded        the office or the group (outcome required)
    to_group       conclude       concluded        the office or the group
    to_department  conclude       concluded        the office
    concluded      reopen         (as before)      the office (reason required): back to the
                                                   handling it was concluded from
    out_of_scope   reopen         pending          the office (reason required)

Every transition writes a ComplaintStep (who, when, from, to, comment) and an audit event.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from xuncha.access import audit
from xuncha.access.policy import (
    CHANGE,
    CREATE,
    EXPORT,
    VIEW,
    PermissionDenied,
    can,
    can_any,
    require,
    scope,
)
from xuncha.findings.models import WorkingPaper
from xuncha.intake import attachments, records
from xuncha.intake.models import Complaint, ComplaintAttachment, ComplaintMessage, ComplaintStep
from xuncha.intake.selectors import complaints as selectors
from xuncha.rounds.models import Round

H = Complaint.Handling
OFFICE = selectors.OFFICE
GROUP = selectors.GROUP
STAFF = selectors.STAFF

TO_GROUP, TO_DEPARTMENT, OUT_OF_SCOPE, CONCLUDE, REOPEN = (
    "to_group", "to_department", "out_of_scope", "conclude", "reopen")
ACTIONS = (TO_GROUP, TO_DEPARTMENT, OUT_OF_SCOPE, CONCLUDE, REOPEN)
# (handling, action) → (next handling, the roles whose CHANGE grant counts); None: back to
# the handling the complaint was concluded from.
TRANSITIONS: dict[tuple[str, str], tuple[str | None, tuple[str, ...]]] = {
    (H.PENDING, TO_GROUP): (H.TO_GROUP, OFFICE),
    (H.PENDING, TO_DEPARTMENT): (H.TO_DEPARTMENT, OFFICE),
    (H.PENDING, OUT_OF_SCOPE): (H.OUT_OF_SCOPE, OFFICE),
    (H.PENDING, CONCLUDE): (H.CONCLUDED, STAFF),
    (H.TO_GROUP, CONCLUDE): (H.CONCLUDED, STAFF),
    (H.TO_DEPARTMENT, CONCLUDE): (H.CONCLUDED, OFFICE),
    (H.CONCLUDED, REOPEN): (None, OFFICE),
    (H.OUT_OF_SCOPE, REOPEN): (H.PENDING, OFFICE),
}
NAME_MAX, CONTACT_MAX = 100, 200
TEXT_MAX = {"subject": 200, "concerns": 200, "passed_to": 200}


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


def _text(value, field: str, errors: dict, *, required: bool = False, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _required()
    elif max_length is not None and len(value) > max_length:
        errors[field] = [_("At most %(n)d characters.") % {"n": max_length}]
    return value


def allowed(handling: str, action: str) -> bool:
    return (handling, action) in TRANSITIONS


def may_handle(user, complaint: Complaint, action: str) -> bool:
    """Whether the user may take `action` on the complaint now (for buttons)."""
    rule = TRANSITIONS.get((complaint.handling, action))
    return rule is not None and can(user, CHANGE, complaint, roles=rule[1])


def _lock(complaint: Complaint) -> Complaint:
    return (Complaint.objects.select_for_update(of=("self",))
            .select_related("committee", "round__term", "group__round").get(pk=complaint.pk))


# -- registering -----------------------------------------------------------------------------

def _check_placement(actor, committee, rnd: Round | None, group, errors: dict):
    """The round and group a new complaint belongs to: both of the committee; a group's round
    is the complaint's round."""
    if group is not None:
        if group.round.committee_id != committee.pk:
            errors["group"] = [_("Choose a group of this committee.")]
        elif rnd is not None and group.round_id != rnd.pk:
            errors["group"] = [_("The group does not belong to the round chosen.")]
        else:
            rnd = group.round
    if rnd is not None and rnd.committee_id != committee.pk:
        errors["round"] = [_("Choose a round of this committee.")]
    return rnd


def _check_category(category, committee_id: int, errors: dict) -> None:
    if category is None:
        return
    if category.level != category.Level.FOCUS or category.version.library.committee_id != committee_id:
        errors["category"] = [_("Choose a supervision focus of this committee's checklists.")]


def _check_organization(organization, committee_id: int, errors: dict) -> None:
    if organization is not None and organization.committee_id != committee_id:
        errors["organization"] = [_("Choose an organization of this committee.")]


def _check_received(received_on: date | None, errors: dict) -> None:
    if received_on is None:
        errors["received_on"] = _required()
    elif received_on > selectors.today():
        errors["received_on"] = [_("The date cannot be in the future.")]


def _check_files(files: list, errors: dict) -> None:
    """Every file checked by content before anything is written; the refusals name the files."""
    refused: list[str] = []
    for upload in files:
        try:
            attachments.check(upload)
        except ValidationError as refusal:
            refused.extend(refusal.message_dict.get(attachments.FIELD, refusal.messages))
    if refused:
        errors[attachments.FIELD] = refused


def _save_numbered(complaint: Complaint) -> None:
    """Save with the next number of its committee and year; a concurrent writer taking the
    same number makes us take the next one."""
    for _attempt in range(5):
        complaint.seq = records.next_seq(complaint.committee, complaint.year)
        try:
            with transaction.atomic():
                complaint.save()
            return
        except IntegrityError:
            continue
    raise ValidationError({"received_on": [_("The complaint could not be numbered; try again.")]})


@transaction.atomic
def register(*, actor, committee, round: Round | None = None, group=None, channel: str, received_on: date | None,
             organization=None, concerns: str = "", subject: str, content: str, category=None, name: str = "",
             contact: str = "", files: Iterable = ()) -> Complaint:
    """Record a complaint received by the office (for its committee) or by a group (for its own
    group, in its round). Name and contact are optional (anonymous) and encrypted; the files are
    checked by content and stored encrypted; all or nothing."""
    files = list(files)
    errors: dict[str, list[str]] = {}
    rnd = _check_placement(actor, committee, round, group, errors)
    complaint = Complaint(committee=committee, round=rnd, group=group, created_by=_account(actor))
    require(actor, CREATE, complaint)
    if channel not in Complaint.Channel.values:
        errors["channel"] = [_("Choose how the complaint was received.")]
    _check_received(received_on, errors)
    _check_organization(organization, committee.pk, errors)
    _check_category(category, committee.pk, errors)
    concerns = _text(concerns, "concerns", errors, max_length=TEXT_MAX["concerns"])
    subject = _text(subject, "subject", errors, required=True, max_length=TEXT_MAX["subject"])
    content = _text(content, "content", errors, required=True)
    name = _text(name, "name", errors, max_length=NAME_MAX)
    contact = _text(contact, "contact", errors, max_length=CONTACT_MAX)
    _check_files(files, errors)
    if errors:
        raise ValidationError(errors)
    assert received_on is not None
    complaint.channel, complaint.received_on, complaint.year = channel, received_on, received_on.year
    complaint.organization, complaint.concerns, complaint.category = organization, concerns, category
    records.set_content(complaint, subject=subject, content=content)
    records.set_identity(complaint, name=name, contact=contact)
    _save_numbered(complaint)
    stored = attachments.store_all(complaint, files)
    try:
        audit.record(actor=actor, action="complaint.register", obj=complaint, summary=complaint.number,
                     detail={"number": complaint.number, "channel": channel, "received_on": received_on.isoformat(),
                             "round": rnd.pk if rnd else None, "group": group.pk if group else None,
                             "anonymous": complaint.anonymous, "duplicate_of": complaint.duplicate_of_id,
                             "attachments": [a.pk for a in stored]})
    except Exception:
        attachments.discard(stored)
        raise
    return complaint


# -- handling --------------------------------------------------------------------------------

def _next_handling(complaint: Complaint, action: str) -> str:
    """The handling after `action`, or a ValidationError saying why it may not be taken now."""
    if action not in ACTIONS:
        raise ValidationError({"action": [_("Choose how the complaint is handled.")]})
    rule = TRANSITIONS.get((complaint.handling, action))
    if rule is None:
        if complaint.handling == H.CONCLUDED:
            message = _("The complaint is concluded; reopen it first.")
        elif action == REOPEN:
            message = _("Only a concluded complaint or one outside the scope of inspection can be reopened.")
        else:
            message = _("The complaint is %(handling)s; this cannot be done now.") % {
                "handling": complaint.get_handling_display()}
        raise ValidationError({"action": [message]})
    if rule[0] is not None:
        return rule[0]
    last = (ComplaintStep.objects.filter(complaint=complaint, action=CONCLUDE, to_state=H.CONCLUDED)
            .order_by("-at", "-id").values_list("from_state", flat=True).first())
    return last or H.PENDING


@transaction.atomic
def handle(*, actor, complaint: Complaint, action: str, group=None, passed_to: str = "", outcome: str = "",
           comment: str = "", on: date | None = None) -> Complaint:
    """Take one handling transition of the table above: pass to a group of the complaint's round
    (`group`), to a department or outside the scope (`passed_to`: where it went), conclude
    (`outcome`), reopen (`comment`: why). `on` is the day it was handled (today by default)."""
    roles = TRANSITIONS.get((complaint.handling, action), (None, STAFF))[1]
    require(actor, CHANGE, complaint, roles=roles)
    complaint = _lock(complaint)
    next_handling = _next_handling(complaint, action)
    require(actor, CHANGE, complaint, roles=TRANSITIONS[(complaint.handling, action)][1])
    errors: dict[str, list[str]] = {}
    on = on or selectors.today()
    if on > selectors.today():
        errors["on"] = [_("The date cannot be in the future.")]
    elif on < complaint.received_on:
        errors["on"] = [_("The complaint was received on %(date)s; it cannot be handled before.")
                        % {"date": complaint.received_on.isoformat()}]
    comment = _text(comment, "comment", errors, required=action == REOPEN)
    changes: dict[str, object] = {}
    if action == TO_GROUP:
        if group is None:
            errors["group"] = _required()
        elif group.round.committee_id != complaint.committee_id or (
                complaint.round_id is not None and group.round_id != complaint.round_id):
            errors["group"] = [_("Choose a group of the complaint's round.")]
        else:
            changes.update(group=group, round=group.round)
    elif action in (TO_DEPARTMENT, OUT_OF_SCOPE):
        changes["passed_to"] = _text(passed_to, "passed_to", errors, required=True, max_length=TEXT_MAX["passed_to"])
    elif action == CONCLUDE:
        changes["outcome"] = _text(outcome, "outcome", errors, required=True)
    if errors:
        raise ValidationError(errors)
    before = complaint.handling
    changes["handling"] = next_handling
    changes["handled_on"] = on if action != REOPEN else None
    for field, value in changes.items():
        setattr(complaint, field, value)
    complaint.save(update_fields=[*changes, "updated_at"])
    ComplaintStep.objects.create(complaint=complaint, action=action, from_state=before, to_state=next_handling,
                                 actor=_account(actor), at=timezone.now(),
                                 comment=comment or str(changes.get("passed_to") or changes.get("outcome") or ""))
    audit.record(actor=actor, action=f"complaint.{action}", obj=complaint, summary=complaint.number,
                 detail={"from": before, "to": next_handling, "on": on.isoformat(),
                         "group": complaint.group_id, "passed_to": complaint.passed_to, "comment": comment})
    return complaint


# -- edits, papers, duplicates ---------------------------------------------------------------

def _changeable(actor, complaint: Complaint) -> Complaint:
    require(actor, CHANGE, complaint, roles=STAFF)
    complaint = _lock(complaint)
    require(actor, CHANGE, complaint, roles=STAFF)
    return complaint


@transaction.atomic
def edit(*, actor, complaint: Complaint, subject: str | None = None, content: str | None = None,
         category=..., organization=..., concerns: str | None = None) -> Complaint:
    """Correct what the complaint says and is about while it is not concluded; what is not given
    stays. A changed content is linked again to an earlier complaint with the same content."""
    complaint = _changeable(actor, complaint)
    if complaint.handling == H.CONCLUDED:
        raise ValidationError({"action": [_("The complaint is concluded; reopen it first.")]})
    errors: dict[str, list[str]] = {}
    new = {
        "subject": complaint.subject if subject is None else _text(
            subject, "subject", errors, required=True, max_length=TEXT_MAX["subject"]),
        "content": complaint.content if content is None else _text(content, "content", errors, required=True),
        "concerns": complaint.concerns if concerns is None else _text(
            concerns, "concerns", errors, max_length=TEXT_MAX["concerns"]),
    }
    if category is not ...:
        _check_category(category, complaint.committee_id, errors)
    if organization is not ...:
        _check_organization(organization, complaint.committee_id, errors)
    if errors:
        raise ValidationError(errors)
    changes: dict[str, dict] = {}
    for field in ("subject", "concerns"):
        if new[field] != getattr(complaint, field):
            changes[field] = {"old": getattr(complaint, field), "new": new[field]}
            setattr(complaint, field, new[field])
    if new["content"] != complaint.content:
        changes["content"] = {"old": complaint.content, "new": new["content"]}
        before_dup = complaint.duplicate_of_id
        records.set_content(complaint, subject=complaint.subject, content=new["content"])
        if complaint.duplicate_of_id != before_dup:
            changes["duplicate_of"] = {"old": before_dup, "new": complaint.duplicate_of_id}
    for field, value in (("category", category), ("organization", organization)):
        if value is not ... and getattr(complaint, f"{field}_id") != (value.pk if value else None):
            changes[field] = {"old": getattr(complaint, f"{field}_id"), "new": value.pk if value else None}
            setattr(complaint, field, value)
    if changes:
        fields = set(changes) - {"duplicate_of"}
        if "content" in fields:
            fields |= {"content_digest", "duplicate_of"}
        complaint.save(update_fields=[*sorted(fields), "updated_at"])
        audit.record(actor=actor, action="complaint.edit", obj=complaint, summary=complaint.number, detail=changes)
    return complaint


@transaction.atomic
def link_paper(*, actor, complaint: Complaint, paper: WorkingPaper) -> None:
    """Link a working paper the complaint led to: a paper of the complaint's own group, read
    through the actor's scope."""
    complaint = _changeable(actor, complaint)
    visible = selectors.papers_to_link(actor, complaint).filter(pk=getattr(paper, "pk", None)).exists()
    if not visible:
        if complaint.papers.filter(pk=getattr(paper, "pk", None)).exists():
            raise ValidationError({"paper": [_("This working paper is already linked.")]})
        raise ValidationError({"paper": [_("Choose a working paper of the group handling the complaint.")]})
    complaint.papers.add(paper)
    audit.record(actor=actor, action="complaint.link_paper", obj=complaint, summary=f"{complaint.number} ↔ {paper.number}",
                 detail={"paper": paper.pk, "number": paper.number})


@transaction.atomic
def unlink_paper(*, actor, complaint: Complaint, paper: WorkingPaper) -> None:
    complaint = _changeable(actor, complaint)
    if not complaint.papers.filter(pk=paper.pk).exists():
        raise ValidationError({"paper": [_("This working paper is not linked to the complaint.")]})
    complaint.papers.remove(paper)
    audit.record(actor=actor, action="complaint.unlink_paper", obj=complaint,
                 summary=f"{complaint.number} ↮ {paper.number}", detail={"paper": paper.pk, "number": paper.number})


@transaction.atomic
def mark_duplicate(*, actor, complaint: Complaint, original: Complaint | None) -> Complaint:
    """Mark the complaint a duplicate of another the actor sees (the same matter reported
    again), or with `original` None take the mark away. A duplicate of a duplicate points to
    the first complaint."""
    complaint = _changeable(actor, complaint)
    before = complaint.duplicate_of_id
    if original is not None:
        found = selectors.is_duplicate_candidate(actor, complaint, original.pk)
        root = None if found is None else (found.duplicate_of if found.duplicate_of_id else found)
        if root is None or root.pk == complaint.pk:
            raise ValidationError({"duplicate_of": [_("Choose another complaint of the same committee.")]})
        original = root
    complaint.duplicate_of = original
    if complaint.duplicate_of_id != before:
        complaint.save(update_fields=["duplicate_of", "updated_at"])
        audit.record(actor=actor, action="complaint.duplicate", obj=complaint, summary=complaint.number,
                     detail={"old": before, "new": complaint.duplicate_of_id})
    return complaint


# -- messages and attachments ----------------------------------------------------------------

@transaction.atomic
def reply(*, actor, complaint: Complaint, text: str) -> ComplaintMessage:
    """A message to the online filer, who reads it with the receipt code on the status page."""
    require(actor, CREATE, ComplaintMessage(complaint=complaint))
    errors: dict[str, list[str]] = {}
    text = _text(text, "text", errors, required=True, max_length=2000)
    if not complaint.receipt_prefix:
        errors.setdefault("text", []).append(_("The complaint was not filed online: no one can read a reply."))
    if errors:
        raise ValidationError(errors)
    message = ComplaintMessage.objects.create(complaint=complaint, from_public=False, author=_account(actor),
                                              text=text)
    audit.record(actor=actor, action="complaint.reply", obj=complaint, summary=complaint.number,
                 detail={"message": message.pk})
    return message


@transaction.atomic
def add_attachments(*, actor, complaint: Complaint, files: Iterable) -> list[ComplaintAttachment]:
    """Staff add files to a complaint: each checked by content and stored encrypted; all or none."""
    require(actor, CREATE, ComplaintAttachment(complaint=complaint))
    files = list(files)
    if not files:
        raise ValidationError({attachments.FIELD: [_("Choose at least one file.")]})
    stored = attachments.store_all(complaint, files)
    try:
        audit.record(actor=actor, action="complaint.attach", obj=complaint, summary=complaint.number,
                     detail={"attachments": [a.pk for a in stored]})
    except Exception:
        attachments.discard(stored)
        raise
    return stored


@transaction.atomic
def read_attachment(*, actor, attachment: ComplaintAttachment) -> bytes:
    """The decrypted file for someone who may read it; every download is audited."""
    require(actor, VIEW, attachment)
    data = attachments.read(attachment)
    audit.record(actor=actor, action="complaint.attachment_download", obj=attachment.complaint,
                 summary=attachment.original_name, detail={"attachment": attachment.pk, "sha256": attachment.sha256})
    return data



# -- the register as a workbook --------------------------------------------------------------

# (header, width): 信访举报登记台账. The informant never appears: not the name, not the contact.
EXPORT_COLUMNS = (
    ("序号", 6), ("编号", 11), ("收件日期", 12), ("来源方式", 9), ("轮次", 16), ("巡察组", 12), ("反映对象", 16),
    ("涉及单位", 18), ("反映事项", 30), ("主要内容", 50), ("问题类别", 24), ("是否匿名", 8), ("办理方式", 16),
    ("转办去向", 18), ("办理日期", 12), ("办理结果", 30), ("关联底稿", 18),
)
HANDLING_NAMES = {H.PENDING: "待处理", H.TO_GROUP: "转巡察组了解", H.TO_DEPARTMENT: "转有关部门",
                  H.OUT_OF_SCOPE: "不属于受理范围", H.CONCLUDED: "已了结"}
CHANNEL_NAMES = {"letter": "来信", "phone": "来电", "visit": "来访", "online": "网络", "qr": "扫码"}


def _export_rows(complaints) -> list[list]:
    rows = []
    for n, c in enumerate(complaints, start=1):
        rows.append([
            n, c.number, c.received_on, CHANNEL_NAMES.get(c.channel, c.channel), c.round.label if c.round else "",
            c.group.name if c.group else "", c.concerns, c.organization.name if c.organization else "", c.subject,
            c.content, c.category.title if c.category else "", "是" if c.anonymous else "否",
            HANDLING_NAMES.get(c.handling, c.handling), c.passed_to, c.handled_on, c.outcome,
            "、".join(p.number for p in c.shown_papers),
        ])
    return rows


def _workbook(title: str, rows: list[list]) -> bytes:
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    ws.title = "信访举报登记"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(EXPORT_COLUMNS))
    ws["A1"].font = Font(name="方正小标宋简体", size=18)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.append([c[0] for c in EXPORT_COLUMNS])
    for col, (_header, width) in enumerate(EXPORT_COLUMNS, start=1):
        cell = ws.cell(row=2, column=col)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
        ws.column_dimensions[get_column_letter(col)].width = width
    body, wrap = Font(name="仿宋_GB2312", size=11), Alignment(vertical="top", wrap_text=True)
    for values in rows:
        ws.append(values)
        for cell in ws[ws.max_row]:
            cell.font, cell.alignment, cell.border = body, wrap, box
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text typed by people never becomes a formula
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_register(*, actor, filters: selectors.RegisterFilters) -> tuple[bytes, int]:
    """The filtered register (信访举报登记台账) as .xlsx for the office (EXPORT), without any
    informant's identity; the export is audited."""
    if not can_any(actor, EXPORT, Complaint):
        raise PermissionDenied("export Complaint")
    papers = scope(actor, WorkingPaper, VIEW).order_by("seq", "id")
    complaints = list(selectors.register(actor, filters, action=EXPORT)
                      .prefetch_related(Prefetch("papers", queryset=papers, to_attr="shown_papers")))
    on = selectors.today()
    data = _workbook(f"信访举报登记台账（截至{on.year}年{on.month}月{on.day}日）", _export_rows(complaints))
    with transaction.atomic():
        audit.record(actor=actor, action="complaint.export", object_type=Complaint._meta.label,
                     summary=_("%(count)d complaints exported") % {"count": len(complaints)},
                     detail={"filters": filters.as_detail(), "count": len(complaints)})
    return data, len(complaints)
