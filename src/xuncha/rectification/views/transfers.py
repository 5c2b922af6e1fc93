"""Transfer pages: the ledger (移交台账) with its totals and Excel export, handing problems and
leads over to a receiver, one transfer (what was handed over, the deadline, the handling steps
and results, with the receiver's forms), and the receiver's list (移交给我单位的).

A transfer outside the user's scope is a 404 (for a receiver: any transfer to another
organization); a role that reads transfers but may not take the write gets the 403 page. The
problem behind a transfer is shown only to those who may read it through the Problem scope —
never to a receiver. Writes are POST-only.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.access.policy import CHANGE, CREATE, EXPORT, can, can_any
from xuncha.rectification import services_transfers as services
from xuncha.rectification.forms_transfers import (
    ActionForm,
    AnswerForm,
    ChooseForm,
    LedgerFilterForm,
    ReceiptForm,
    TransferEditForm,
    TransferForm,
)
from xuncha.rectification.models import Transfer, TransferAction
from xuncha.rectification.selectors import transfers as selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

transfer_page = partial(service_page, refuse_system_roles=True, readable=Transfer)


def _save(form, call) -> bool:
    """Call the service with the form's data; its ValidationError goes onto the form."""
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    return True


def _detail_url(transfer: Transfer) -> str:
    return reverse("rectification:transfer_detail", args=[transfer.pk])


# -- the ledger ------------------------------------------------------------------------------

def _ledger_filters(request, user) -> tuple[LedgerFilterForm, selectors.LedgerFilters]:
    form = LedgerFilterForm(request.GET or None, rounds=selectors.round_choices(user),
                            receivers=selectors.receiver_choices(user))
    return form, (form.filters() if request.GET else selectors.LedgerFilters())


@require_GET
@transfer_page
def transfer_list(request):
    user = request.user
    if not selectors.reads_ledger(user):
        if selectors.is_receiver(user):
            return redirect("rectification:received_transfers")
        raise PermissionDenied
    form, filters = _ledger_filters(request, user)
    on = selectors.today()
    transfers = selectors.ledger(user, filters, on=on)
    page = Paginator(transfers, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "rectification/transfers/ledger.html", {
        "form": form, "page": page, "rows": selectors.with_deadlines(page.object_list, on),
        "totals": selectors.totals(transfers, on), "filtered": any(filters.as_detail().values()),
        "can_create": can_any(user, CREATE, Transfer), "can_export": can_any(user, EXPORT, Transfer),
        "export_query": query.urlencode(),
    })


@require_GET
@transfer_page
def transfer_export(request):
    user = request.user
    if not can_any(user, EXPORT, Transfer):
        raise PermissionDenied
    _form, filters = _ledger_filters(request, user)
    data, _count = services.transfer_export(actor=user, filters=filters)
    response = HttpResponse(data, content_type=XLSX)
    on = selectors.today()
    response["Content-Disposition"] = content_disposition_header(
        True, f"移交台账{on:%Y%m%d}.xlsx")
    return response


# -- handing over ----------------------------------------------------------------------------

@transfer_page
def transfer_create(request):
    """Step one (GET): the round and the receiver. Step two: the round's problems and leads not
    yet handed to that receiver, each with what is handed over, and the date."""
    user = request.user
    if not can_any(user, CREATE, Transfer):
        raise PermissionDenied
    posted = request.method == "POST"
    source = request.POST if posted else request.GET
    rounds = selectors.rounds_to_transfer_from(user)
    rnd = rounds.filter(pk=source.get("round")).first() if str(source.get("round", "")).isdigit() else None
    # Bound once both are chosen (or on a post), so that the first visit shows no errors.
    bound = posted or ("round" in source and "receiver" in source)
    choose = ChooseForm(source if bound else None, initial={"round": rnd}, rounds=rounds,
                        receivers=selectors.receiver_options(user, rnd))
    form = None
    if choose.is_bound and choose.is_valid():
        rnd, receiver = choose.cleaned_data["round"], choose.cleaned_data["receiver"]
        form = TransferForm(request.POST if posted else None,
                            candidates=selectors.candidate_problems(user, rnd, receiver),
                            summary_of=services.default_summary,
                            initial={"transferred_on": selectors.today()})
        if posted and form.is_valid() and _save(form, lambda data: services.transfer_create(
                actor=user, problems=data["problems"], receiver=receiver, transferred_on=data["transferred_on"],
                summaries=form.summaries(), number=data["number"])):
            count = len(form.cleaned_data["problems"])
            messages.success(request, _("%(count)d handed over to %(receiver)s.")
                             % {"count": count, "receiver": receiver.name})
            return redirect(f"{reverse('rectification:transfer_list')}?round={rnd.pk}&receiver={receiver.pk}")
    elif posted:
        return render(request, "rectification/transfers/create.html", {"choose": choose, "form": None}, status=400)
    return render(request, "rectification/transfers/create.html", {
        "choose": choose, "form": form, "rows": form.rows() if form is not None else [],
        "round": choose.cleaned_data.get("round") if form is not None else None,
        "receiver": choose.cleaned_data.get("receiver") if form is not None else None,
    }, status=400 if posted else 200)


# -- one transfer ----------------------------------------------------------------------------

def _may(user, transfer: Transfer) -> dict[str, bool]:
    state = transfer.state
    handles = can(user, CHANGE, transfer, roles=services.RECEIVER)
    return {
        "may_edit": services.allowed(state, services.UPDATE) and can(user, CHANGE, transfer, roles=services.OFFICE),
        "may_receive": handles and services.allowed(state, services.RECEIVE),
        "may_act": services.allowed(state, services.ACT) and can(user, CREATE, TransferAction(transfer=transfer)),
        "may_answer": handles and services.allowed(state, services.ANSWER),
    }


def _render_detail(request, transfer: Transfer, *, status: int = 200, **forms):
    user = request.user
    on = selectors.today()
    may = _may(user, transfer)
    if may["may_edit"]:
        forms.setdefault("edit_form", TransferEditForm(initial={"summary": transfer.summary,
                                                                "number": transfer.number}))
    if may["may_receive"]:
        forms.setdefault("receipt_form", ReceiptForm(initial={"received_on": on}))
    if may["may_act"]:
        forms.setdefault("action_form", ActionForm(initial={"on": on}))
    if may["may_answer"]:
        answered = transfer.state == Transfer.State.ANSWERED
        forms.setdefault("answer_form", AnswerForm(initial={
            "answered_on": transfer.answered_on if answered else on,
            "people_disciplined": transfer.people_disciplined, "people_handled": transfer.people_handled,
            "money_recovered": transfer.money_recovered, "systems_established": transfer.systems_established,
            "result": transfer.result}))
    return render(request, "rectification/transfers/detail.html", {
        "transfer": transfer, "deadline": selectors.deadline(transfer, on),
        "problem": selectors.visible_problem(user, transfer),
        "from_ledger": selectors.reads_ledger(user), **may, **forms,
    }, status=status)


@require_GET
@transfer_page
def transfer_detail(request, pk: int):
    return _render_detail(request, selectors.get_transfer_for_user(request.user, pk))


def _writable(request, pk: int, key: str, refusal: str) -> Transfer | None:
    """The transfer, if the user may take this write on it at all (else 403); None, with a
    message, when its state no longer allows it."""
    transfer = selectors.get_transfer_for_user(request.user, pk)
    roles = services.ROLES_OF[key]
    permitted = (can(request.user, CREATE, TransferAction(transfer=transfer)) if key == services.ACT
                 else can(request.user, CHANGE, transfer, roles=roles))
    if not permitted:
        raise PermissionDenied
    if not services.allowed(transfer.state, key):
        messages.error(request, refusal)
        return None
    return transfer


@require_POST
@transfer_page
def transfer_edit(request, pk: int):
    user = request.user
    transfer = _writable(request, pk, services.UPDATE,
                         _("The receiver has signed for this transfer; it can no longer be changed."))
    if transfer is None:
        return redirect("rectification:transfer_detail", pk)
    form = TransferEditForm(request.POST)
    if form.is_valid() and _save(form, lambda data: services.transfer_update(actor=user, transfer=transfer, **data)):
        messages.success(request, _("The transfer has been saved."))
        return redirect(_detail_url(transfer))
    return _render_detail(request, transfer, edit_form=form, status=400)


@require_POST
@transfer_page
def transfer_receive(request, pk: int):
    user = request.user
    transfer = _writable(request, pk, services.RECEIVE, _("Receipt of this transfer is already recorded."))
    if transfer is None:
        return redirect("rectification:transfer_detail", pk)
    form = ReceiptForm(request.POST)
    if form.is_valid() and _save(form, lambda data: services.transfer_receive(actor=user, transfer=transfer, **data)):
        messages.success(request, _("Receipt of the transfer has been recorded."))
        return redirect(_detail_url(transfer))
    return _render_detail(request, transfer, receipt_form=form, status=400)


@require_POST
@transfer_page
def transfer_action_add(request, pk: int):
    user = request.user
    transfer = _writable(request, pk, services.ACT, _("Record the receipt of the transfer first."))
    if transfer is None:
        return redirect("rectification:transfer_detail", pk)
    form = ActionForm(request.POST)
    if form.is_valid() and _save(form, lambda data: services.action_add(actor=user, transfer=transfer, **data)):
        messages.success(request, _("The handling step has been recorded."))
        return redirect(_detail_url(transfer))
    return _render_detail(request, transfer, action_form=form, status=400)


@require_POST
@transfer_page
def transfer_answer(request, pk: int):
    user = request.user
    transfer = _writable(request, pk, services.ANSWER, _("Record the receipt of the transfer first."))
    if transfer is None:
        return redirect("rectification:transfer_detail", pk)
    corrected = transfer.state == Transfer.State.ANSWERED
    form = AnswerForm(request.POST)
    if form.is_valid() and _save(form, lambda data: services.transfer_answer(actor=user, transfer=transfer, **data)):
        messages.success(request, _("The results have been corrected.") if corrected
                         else _("The results have been reported back."))
        return redirect(_detail_url(transfer))
    return _render_detail(request, transfer, answer_form=form, status=400)


# -- the receiver ----------------------------------------------------------------------------

@require_GET
@transfer_page
def received_transfers(request):
    """移交给我单位的: what was handed to the receiver's own organization."""
    user = request.user
    if not selectors.is_receiver(user):
        raise PermissionDenied
    on = selectors.today()
    page = Paginator(selectors.received(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "rectification/transfers/received.html", {
        "page": page, "rows": selectors.with_deadlines(page.object_list, on),
    })
