"""Writes for transfers (移交) of problems and leads to receivers.

The office hands problems and leads of its committee's rounds to a receiver of the same
committee (纪委监委, 组织部, a functional department) on a date; the feedback deadline comes from
the deadline policy in force on that date and is kept with that policy. The receiver signs for
it, records its handling steps and reports back the results. What was handed over is the
transfer's `summary` (by default the problem's title and description): the receiver never reads
the problem itself.

The transitions, each checked against this table before it is taken:

    state        action    next state   who
    transferred  update    transferred  the office (summary and reference number)
    transferred  receive   received     the receiver
    received     act       received     the receiver (a handling step)
    received     answer    answered     the receiver (the results)
    answered     act       answered     the receiver: later steps, e.g. a case opened
                                        for review concludes after the first report
    answered     answer    answered     the receiver: a correction of the results,
                                        audited with the old and new values

There is no step table for transfers: the dates of each transition are on the transfer
(transferred_on, received_on, answered_on), the handling steps are TransferAction rows, and
every write leaves an audit event naming the states it went from and to.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CONSOLE, CREATE, EXPORT, PermissionDenied, can_any, require
from xuncha.findings.models import Problem
from xuncha.rectification import deadlines
from xuncha.rectification.models import Transfer, TransferAction
from xuncha.rectification.selectors import transfers as selectors
from xuncha.registry.models import Organization

TRANSFERRED = Transfer.State.TRANSFERRED
RECEIVED = Transfer.State.RECEIVED
ANSWERED = Transfer.State.ANSWERED
OFFICE = selectors.OFFICE
RECEIVER = selectors.RECEIVER

UPDATE, RECEIVE, ACT, ANSWER = "update", "receive", "act", "answer"
# (state, action) → (next state, the roles whose grant counts)
TRANSITIONS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    (TRANSFERRED, UPDATE): (TRANSFERRED, OFFICE),
    (TRANSFERRED, RECEIVE): (RECEIVED, RECEIVER),
    (RECEIVED, ACT): (RECEIVED, RECEIVER),
    (RECEIVED, ANSWER): (ANSWERED, RECEIVER),
    (ANSWERED, ACT): (ANSWERED, RECEIVER),
    (ANSWERED, ANSWER): (ANSWERED, RECEIVER),
}
ROLES_OF = {UPDATE: OFFICE, RECEIVE: RECEIVER, ACT: RECEIVER, ANSWER: RECEIVER}
RESULT_FIELDS = ("answered_on", "people_disciplined", "people_handled", "money_recovered", "systems_established",
                 "result")
MONEY_LIMIT = Decimal("1e14")  # max_digits=16 with 2 decimal places
COUNT_LIMIT = 2_147_483_647  # what a PositiveIntegerField holds everywhere


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def default_summary(problem: Problem) -> str:
    """What is handed over unless the office writes it otherwise: the title and description."""
    return f"{problem.title}\n{problem.description}".strip()


def new_transfer(problem: Problem, receiver: Organization | None = None) -> Transfer:
    """An unsaved transfer, so that the policy can judge it before it exists."""
    return Transfer(problem=problem, round=problem.round, receiver=receiver)


def allowed(state: str, action: str) -> bool:
    return (state, action) in TRANSITIONS


def _next_state(transfer: Transfer, action: str) -> str:
    """The state after `action`, or a ValidationError naming why it may not be taken now."""
    try:
        return TRANSITIONS[(transfer.state, action)][0]
    except KeyError:
        pass
    if action == UPDATE:
        message = _("The receiver has signed for this transfer; it can no longer be changed.")
        raise ValidationError({"state": [message]})
    if action == RECEIVE:
        raise ValidationError({"received_on": [_("Receipt of this transfer is already recorded.")]})
    raise ValidationError({"state": [_("Record the receipt of the transfer first.")]})


def _lock(transfer: Transfer) -> Transfer:
    return (Transfer.objects.select_for_update(of=("self",))
            .select_related("receiver", "round__committee", "policy").get(pk=transfer.pk))


def _locked(actor, transfer: Transfer, action: str) -> tuple[Transfer, str]:
    """The transfer, locked and fresh, with the state `action` takes it to, after checking the
    current state against the table and the actor's permission."""
    require(actor, CHANGE, transfer, roles=ROLES_OF[action])
    transfer = _lock(transfer)
    next_state = _next_state(transfer, action)
    require(actor, CHANGE, transfer, roles=TRANSITIONS[(transfer.state, action)][1])
    return transfer, next_state


def _date_between(day: date | None, field: str, errors: dict, *, earliest: date | None, too_early: str) -> None:
    """Required, not in the future, not before `earliest`."""
    if day is None:
        errors[field] = _required()
    elif day > selectors.today():
        errors[field] = [_("The date cannot be in the future.")]
    elif earliest is not None and day < earliest:
        errors[field] = [too_early % {"date": _day(earliest)}]


def _text(value: str | None, field: str, errors: dict, *, max_length: int | None = None,
          required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _required()
    elif max_length is not None and len(value) > max_length:
        errors[field] = [_("At most %(n)d characters.") % {"n": max_length}]
    return value


# -- handing over ----------------------------------------------------------------------------

def _problems_locked(problems: Iterable[Problem | int]) -> list[Problem]:
    ids = sorted({getattr(p, "pk", p) for p in problems})
    return list(Problem.objects.select_for_update(of=("self",))
                .select_related("group__round__term", "round__committee", "organization")
                .filter(pk__in=ids).order_by("round_id", "group_id", "seq"))


@transaction.atomic
def transfer_create(*, actor, problems: Iterable[Problem | int], receiver: Organization | None,
                    transferred_on: date | None, summary: str | None = None,
                    summaries: Mapping[int, str] | None = None, number: str = "") -> list[Transfer]:
    """Hand problems or leads to one receiver on a date: one transfer each, all or none. The
    office of the problems' committee; the receiver an active organization of that committee
    (it needs no account: paper receipts are common); the date not in the future; a problem
    handed to the same receiver once. `summary` (one problem) or `summaries` (by problem id)
    replace the default summary; `number` (the transfer letter's reference) is shared."""
    if actor is not CONSOLE and not can_any(actor, CREATE, Transfer):
        raise PermissionDenied("create Transfer")
    chosen = _problems_locked(problems)
    if not chosen:
        raise ValidationError({"problems": [_("Choose at least one problem or lead to hand over.")]})
    for problem in chosen:
        require(actor, CREATE, new_transfer(problem, receiver))
    errors: dict[str, list[str]] = {}
    _date_between(transferred_on, "transferred_on", errors, earliest=None, too_early="")
    number = _text(number, "number", errors, max_length=50, required=False)
    if summary is not None and len(chosen) > 1:
        errors["summary"] = [_("Give one summary only when handing over one problem; give each problem its own "
                               "summary otherwise.")]
    texts = {p.pk: default_summary(p) for p in chosen}
    overrides = dict(summaries or {})
    if summary is not None and len(chosen) == 1:
        overrides[chosen[0].pk] = summary
    row_errors: list[str] = []
    for problem in chosen:
        if problem.pk in overrides:
            texts[problem.pk] = (overrides[problem.pk] or "").strip()
            if not texts[problem.pk]:
                row_errors.append(_("%(number)s: write what is handed over.") % {"number": problem.number})
    if receiver is None:
        errors["receiver"] = _required()
    else:
        if not receiver.active:
            errors["receiver"] = [_("This organization is no longer active.")]
        elif any(p.round.committee_id != receiver.committee_id for p in chosen):
            errors["receiver"] = [_("Choose an organization of the committee that sent the inspection.")]
        handed = set(Transfer.objects.filter(receiver=receiver, problem__in=chosen)
                     .values_list("problem_id", flat=True))
        for problem in chosen:
            if problem.pk in handed:
                row_errors.append(_("%(number)s: already handed to %(receiver)s.")
                                  % {"number": problem.number, "receiver": receiver.name})
            elif problem.organization_id == receiver.pk:
                row_errors.append(_("%(number)s: a problem is not handed to the organization it was found in; "
                                    "it is fed back to it.") % {"number": problem.number})
    if row_errors:
        errors["problems"] = row_errors
    if errors:
        raise ValidationError(errors)
    assert transferred_on is not None and receiver is not None
    policy = deadlines.in_force(receiver.committee, transferred_on)
    due = deadlines.add_months(transferred_on, policy.transfer_feedback_months)
    made = []
    for problem in chosen:
        transfer = new_transfer(problem, receiver)
        transfer.number, transfer.summary, transfer.transferred_on = number, texts[problem.pk], transferred_on
        transfer.handler = transfer.created_by = _account(actor)
        transfer.policy, transfer.feedback_due = policy, due
        try:
            with transaction.atomic():
                transfer.save()
        except IntegrityError:
            # Handed over at the same moment by someone else.
            raise ValidationError({"problems": [_("%(number)s: already handed to %(receiver)s.")
                                                % {"number": problem.number, "receiver": receiver.name}]}) from None
        audit.record(actor=actor, action="transfer.create", obj=transfer, summary=f"{problem.number} → {receiver}",
                     detail={"problem": problem.pk, "number": problem.number, "kind": problem.kind,
                             "receiver": receiver.pk, "transferred_on": transferred_on.isoformat(),
                             "policy": policy.pk, "policy_effective_from": policy.effective_from.isoformat(),
                             "feedback_due": due.isoformat(), "reference": number, "to": TRANSFERRED})
        made.append(transfer)
    return made


@transaction.atomic
def transfer_update(*, actor, transfer: Transfer, summary: str | None = None, number: str | None = None) -> Transfer:
    """The office corrects what was handed over and the reference number, while the receiver
    has not signed for it; what is not given stays."""
    transfer, _state = _locked(actor, transfer, UPDATE)
    errors: dict[str, list[str]] = {}
    changes: dict[str, dict[str, str]] = {}
    if summary is not None:
        summary = _text(summary, "summary", errors)
        if summary and summary != transfer.summary:
            changes["summary"] = {"old": transfer.summary, "new": summary}
    if number is not None:
        number = _text(number, "number", errors, max_length=50, required=False)
        if "number" not in errors and number != transfer.number:
            changes["number"] = {"old": transfer.number, "new": number}
    if errors:
        raise ValidationError(errors)
    if changes:
        for field, change in changes.items():
            setattr(transfer, field, change["new"])
        transfer.save(update_fields=[*changes, "updated_at"])
        audit.record(actor=actor, action="transfer.update", obj=transfer, summary=str(transfer.receiver),
                     detail=changes)
    return transfer


# -- the receiver ----------------------------------------------------------------------------

@transaction.atomic
def transfer_receive(*, actor, transfer: Transfer, received_on: date | None, receiver_handler: str) -> Transfer:
    """The receiver signs for the transfer on a date (not before it was handed over, not in the
    future), naming its handler (承办人)."""
    transfer, next_state = _locked(actor, transfer, RECEIVE)
    errors: dict[str, list[str]] = {}
    _date_between(received_on, "received_on", errors, earliest=transfer.transferred_on,
                  too_early=_("The transfer was handed over on %(date)s; it cannot be received before."))
    receiver_handler = _text(receiver_handler, "receiver_handler", errors, max_length=100)
    if errors:
        raise ValidationError(errors)
    before = transfer.state
    transfer.state, transfer.received_on, transfer.receiver_handler = next_state, received_on, receiver_handler
    transfer.save(update_fields=["state", "received_on", "receiver_handler", "updated_at"])
    audit.record(actor=actor, action="transfer.receive", obj=transfer, summary=str(transfer.receiver),
                 detail={"from": before, "to": next_state, "received_on": received_on.isoformat(),
                         "receiver_handler": receiver_handler})
    return transfer


@transaction.atomic
def action_add(*, actor, transfer: Transfer, on: date | None, method: str, note: str = "") -> TransferAction:
    """A handling step (谈话函询, 初步核实, 立案审查 …) of a received transfer, dated between the
    transfer date and today. Allowed after the results were reported too: a case opened for
    review may conclude later, and the results are then corrected."""
    require(actor, CREATE, TransferAction(transfer=transfer))
    transfer = _lock(transfer)
    _next_state(transfer, ACT)
    require(actor, CREATE, TransferAction(transfer=transfer))
    errors: dict[str, list[str]] = {}
    _date_between(on, "on", errors, earliest=transfer.transferred_on,
                  too_early=_("The transfer was handed over on %(date)s; its handling cannot be dated before."))
    if method not in TransferAction.Method.values:
        errors["method"] = [_("Choose how the transfer was handled.")]
    note = _text(note, "note", errors, required=method == TransferAction.Method.OTHER)
    if errors:
        raise ValidationError(errors)
    action = TransferAction.objects.create(transfer=transfer, on=on, method=method, note=note,
                                           recorded_by=_account(actor))
    audit.record(actor=actor, action="transfer.action", obj=transfer, summary=str(transfer.receiver),
                 detail={"action": action.pk, "on": on.isoformat(), "method": method, "state": transfer.state})
    return action


def _count(value, field: str, errors: dict) -> int | None:
    """A whole number of people or systems: 0 or more (a numeric string is read as one)."""
    number = None
    if isinstance(value, str):
        try:
            number = int(value.strip() or "0")
        except ValueError:
            number = None
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        number = int(value)
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    if number is None or number < 0:
        errors[field] = [_("Enter a whole number that is 0 or more.")]
        return None
    if number > COUNT_LIMIT:
        errors[field] = [_("The number is too large.")]
        return None
    return number


def _money(value, errors: dict) -> Decimal | None:
    try:
        amount = Decimal(str(value)) if value is not None and value != "" else Decimal(0)
    except (InvalidOperation, ValueError):
        errors["money_recovered"] = [_("Enter an amount in yuan, such as 12000.50.")]
        return None
    if not amount.is_finite() or amount < 0:
        errors["money_recovered"] = [_("Enter an amount in yuan that is 0 or more.")]
    elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
        errors["money_recovered"] = [_("Give the amount to the fen: at most two decimal places.")]
    elif amount >= MONEY_LIMIT:
        errors["money_recovered"] = [_("The amount is too large.")]
    else:
        return amount.quantize(Decimal("0.01"))
    return None


def _result_values(transfer: Transfer) -> dict:
    return {
        "answered_on": transfer.answered_on.isoformat() if transfer.answered_on else None,
        "people_disciplined": transfer.people_disciplined, "people_handled": transfer.people_handled,
        "money_recovered": str(transfer.money_recovered), "systems_established": transfer.systems_established,
        "result": transfer.result,
    }


@transaction.atomic
def transfer_answer(*, actor, transfer: Transfer, answered_on: date | None, people_disciplined=0,
                    people_handled=0, money_recovered=0, systems_established=0, result: str = "") -> Transfer:
    """The receiver reports back the results of a received transfer: the people given party or
    government sanctions and organizational handling, money recovered (元), systems established
    or improved, and the written result (required); numbers 0 or more. Reporting again corrects
    the results; the audit event keeps the old and new values."""
    transfer, next_state = _locked(actor, transfer, ANSWER)
    errors: dict[str, list[str]] = {}
    _date_between(answered_on, "answered_on", errors, earliest=transfer.received_on or transfer.transferred_on,
                  too_early=_("The transfer was received on %(date)s; its results cannot be reported before."))
    counts = {field: _count(value, field, errors) for field, value in (
        ("people_disciplined", people_disciplined), ("people_handled", people_handled),
        ("systems_established", systems_established))}
    money = _money(money_recovered, errors)
    result = _text(result, "result", errors)
    if errors:
        raise ValidationError(errors)
    before_state, before = transfer.state, _result_values(transfer)
    transfer.state, transfer.answered_on, transfer.result, transfer.money_recovered = (
        next_state, answered_on, result, money)
    for field, value in counts.items():
        setattr(transfer, field, value)
    after = _result_values(transfer)
    if before_state == ANSWERED:
        changed = {k: {"old": before[k], "new": after[k]} for k in RESULT_FIELDS if before[k] != after[k]}
        if not changed:
            return transfer
        transfer.save(update_fields=[*RESULT_FIELDS, "updated_at"])
        audit.record(actor=actor, action="transfer.correct", obj=transfer, summary=str(transfer.receiver),
                     detail={"changes": changed})
        return transfer
    transfer.save(update_fields=["state", *RESULT_FIELDS, "updated_at"])
    audit.record(actor=actor, action="transfer.answer", obj=transfer, summary=str(transfer.receiver),
                 detail={"from": before_state, "to": next_state, **after,
                         "late": answered_on > transfer.feedback_due})
    return transfer


# -- the ledger as a workbook ----------------------------------------------------------------

# (header, width): 移交台账, one row per transfer, a totals row at the end.
EXPORT_COLUMNS = (
    ("序号", 6), ("移交编号", 14), ("轮次", 16), ("问题编号", 22), ("类别", 10), ("移交内容", 48),
    ("移交对象", 18), ("移交日期", 12), ("经办人", 10), ("反馈期限", 12), ("状态", 10), ("签收日期", 12),
    ("承办人", 10), ("反馈日期", 12), ("党纪政务处分（人）", 10), ("组织处理（人）", 10), ("挽回损失（元）", 14),
    ("建立完善制度（项）", 10), ("办理结果", 40), ("逾期", 10),
)
STATE_NAMES = {TRANSFERRED: "已移交", RECEIVED: "已签收", ANSWERED: "已反馈"}


def _kind_name(kind: str) -> str:
    return "问题线索" if kind == "lead" else "问题"


def _late_name(deadline) -> str:
    if deadline.overdue:
        return "逾期未反馈"
    return "逾期反馈" if deadline.answered_late else ""


def _ledger_rows(transfers, on: date) -> list[list]:
    rows = []
    for n, transfer in enumerate(transfers, start=1):
        due = selectors.deadline(transfer, on)
        handler = transfer.handler
        rows.append([
            n, transfer.number, transfer.round.label, transfer.problem.number, _kind_name(transfer.problem.kind),
            transfer.summary, transfer.receiver.name, transfer.transferred_on,
            handler.display_name if handler else "", transfer.feedback_due,
            STATE_NAMES[transfer.state], transfer.received_on, transfer.receiver_handler, transfer.answered_on,
            transfer.people_disciplined, transfer.people_handled, transfer.money_recovered,
            transfer.systems_established, transfer.result, _late_name(due),
        ])
    return rows


def _workbook(title: str, rows: list[list], sums: dict) -> bytes:
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    ws.title = "移交台账"
    width = len(EXPORT_COLUMNS)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(name="方正小标宋简体", size=18)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.append([c[0] for c in EXPORT_COLUMNS])
    for col, (_header, size) in enumerate(EXPORT_COLUMNS, start=1):
        cell = ws.cell(row=2, column=col)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = box
        ws.column_dimensions[get_column_letter(col)].width = size
    total = ["合计", "", "", "", "", f"移交{sums['transfers']}件，已反馈{sums['answered']}件，逾期未反馈{sums['overdue']}件",
             "", "", "", "", "", "", "", "", sums["people_disciplined"], sums["people_handled"],
             sums["money_recovered"], sums["systems_established"], "", ""]
    body = Font(name="仿宋_GB2312", size=11)
    wrap = Alignment(vertical="top", wrap_text=True)
    for values in [*rows, total]:
        ws.append(values)
        for cell in ws[ws.max_row]:
            cell.font, cell.alignment, cell.border = body, wrap, box
            if isinstance(cell.value, str):
                # Text typed by people never becomes a formula in the office's spreadsheet.
                cell.data_type = "s"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
    for cell in ws[ws.max_row]:
        cell.font = Font(name="黑体", size=11, bold=True)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def transfer_export(*, actor, filters: selectors.LedgerFilters, on: date | None = None) -> tuple[bytes, int]:
    """The filtered ledger (移交台账) as an .xlsx workbook with a totals row, of the transfers the
    actor may export (EXPORT: the office and the leading group); the export is audited."""
    if not can_any(actor, EXPORT, Transfer):
        raise PermissionDenied("export Transfer")
    on = on or selectors.today()
    qs = selectors.ledger(actor, filters, action=EXPORT, on=on)
    transfers = list(qs)
    sums = selectors.totals(qs, on)
    data = _workbook(f"巡察移交问题线索台账（截至{on.year}年{on.month}月{on.day}日）", _ledger_rows(transfers, on), sums)
    with transaction.atomic():
        audit.record(actor=actor, action="transfer.export", object_type=Transfer._meta.label,
                     summary=_("%(count)d transfers exported") % {"count": len(transfers)},
                     detail={"filters": filters.as_detail(), "count": len(transfers), "on": on.isoformat()})
    return data, len(transfers)
