"""Recommendation pages: the ledger (巡察建议书台账) with its Excel export, drafting a letter from
a cluster or a selection of problems, the editor (fields, numbered items, addressees, source
problems) with the actions of each state and role and the history, the Word letter, and the
addressed department's letters with its receipt, response and systems.

A letter outside the user's scope is a 404 (a receiver reaches its letters only through its
addressee rows, once issued); a role that reads but may not take a write gets the 403 page.
Writes are POST-only.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW, can, can_any
from xuncha.analytics import filters as shared_filters
from xuncha.analytics import recommendation_word as documents
from xuncha.analytics import services_recommendations as services
from xuncha.analytics.forms_recommendations import (
    CommentForm,
    DraftForm,
    EditForm,
    IssueForm,
    ItemsForm,
    LedgerFilterForm,
    OutcomeForm,
    ReceiptForm,
    ResponseForm,
)
from xuncha.analytics.models import Recommendation, RecommendationAddressee, SystemOutcome
from xuncha.analytics.selectors import recommendations as selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

letter_page = partial(service_page, refuse_system_roles=True)


def _save(form, call) -> bool:
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    return True


def _detail_url(rec) -> str:
    return reverse("analytics:recommendation_detail", args=[rec.pk])


# -- the ledger ------------------------------------------------------------------------------

def _ledger_filters(request) -> tuple[LedgerFilterForm, shared_filters.Filters, selectors.LedgerFilters]:
    shared = shared_filters.parse(request.user, request.GET)
    form = LedgerFilterForm(request.GET or None)
    state = overdue = None
    if form.is_bound and form.is_valid():
        state, overdue = form.cleaned_data["state"], form.cleaned_data["overdue"]
    return form, shared, selectors.LedgerFilters(committee_path=shared.committee.path,
                                                 term=shared.term.pk if shared.term else None,
                                                 state=state or "", overdue=bool(overdue))


@require_GET
@letter_page
def recommendation_list(request):
    user = request.user
    if not selectors.reads_ledger(user):
        if selectors.is_receiver(user):
            return redirect("analytics:received_recommendations")
        raise PermissionDenied
    form, shared, filters = _ledger_filters(request)
    on = selectors.today()
    page = Paginator(selectors.ledger(user, filters, on=on), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    choices = shared_filters.choices(user, shared)
    return render(request, "analytics/recommendations/ledger.html", {
        "form": form, "shared": shared, "committees": choices["committees"], "terms": choices["terms"],
        "page": page, "rows": selectors.with_status(page.object_list, on),
        "totals": selectors.totals(selectors.filtered(user, filters, on=on), on),
        "filtered": bool(filters.state or filters.overdue or filters.term),
        "can_create": can_any(user, CREATE, Recommendation), "can_export": can_any(user, EXPORT, Recommendation),
        "export_query": query.urlencode(),
    })


@require_GET
@letter_page
def recommendation_export(request):
    user = request.user
    if not can_any(user, EXPORT, Recommendation):
        raise PermissionDenied
    _form, _shared, filters = _ledger_filters(request)
    data, _count = documents.export_ledger(actor=user, filters=filters)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"巡察建议书台账{selectors.today():%Y%m%d}.xlsx")
    return response


# -- drafting --------------------------------------------------------------------------------

def _source(request, source):
    """The cluster (?cluster=) or the problems (?problems=1,2,3) a new letter starts from."""
    user = request.user
    cluster = None
    raw_cluster = source.get("cluster", "")
    if raw_cluster:
        cluster = selectors.cluster_for_user(user, raw_cluster)
        committee = cluster.committee
        ids = list(selectors.cluster_problems(cluster).values_list("pk", flat=True))
    else:
        committee = shared_filters.home_committee(user)
        if committee is None:
            raise Http404
        raw = source.getlist("problems") if hasattr(source, "getlist") else []
        raw = [p for value in raw for p in str(value).split(",")]
        ids = [int(p) for p in raw if p.strip().isdigit()]
    problems = selectors.choosable_problems(user, committee, ids).exclude(kind="lead").order_by(
        "round__term__number", "round__number", "group__number", "seq")
    return cluster, committee, problems


@letter_page
def recommendation_create(request):
    user = request.user
    if not can_any(user, CREATE, Recommendation):
        raise PermissionDenied
    posted = request.method == "POST"
    cluster, committee, candidates = _source(request, request.POST if posted else request.GET)
    terms = selectors.term_options(user, committee)
    initial = {"problems": list(candidates), "term": cluster.term if cluster else terms.first(),
               "title": f"关于{cluster.label}问题的巡察建议书" if cluster else ""}
    form = DraftForm(request.POST if posted else None, initial=initial, terms=terms,
                     rounds=selectors.round_options(user, committee), problems=candidates,
                     addressees=selectors.addressee_options(user, committee))
    if posted and form.is_valid():
        made = []
        if _save(form, lambda d: made.append(services.draft(
                actor=user, committee=committee, term=d["term"], title=d["title"], cluster=cluster,
                problems=d["problems"], addressees=d["addressees"], round=d["round"]))):
            messages.success(request, _("The draft %(number)s has been created.") % {"number": made[0].number})
            return redirect(_detail_url(made[0]))
    preview = services.symptoms_text.describe(candidates)
    return render(request, "analytics/recommendations/create.html", {
        "form": form, "cluster": cluster, "committee": committee, "preview": preview,
        "source_problems": ",".join(str(p.pk) for p in candidates),
    }, status=400 if posted else 200)


# -- one letter ------------------------------------------------------------------------------

def _may(user, rec: Recommendation) -> dict[str, bool]:
    state = rec.state
    office = can(user, CHANGE, rec, roles=services.OFFICE)
    leader = can(user, CHANGE, rec, roles=services.LEADER)
    return {
        "may_edit": office and services.allowed(state, services.EDIT),
        "may_submit": office and services.allowed(state, services.SUBMIT),
        "may_decide": leader and services.allowed(state, services.APPROVE),
        "may_issue": office and services.allowed(state, services.ISSUE),
        "may_close": office and services.allowed(state, services.CLOSE),
        "may_delete": can(user, DELETE, rec, roles=services.OFFICE) and state == services.DRAFT,
        "may_export": can(user, EXPORT, rec),
        "may_answer": office and state == services.ISSUED,
    }


def _render_detail(request, rec: Recommendation, *, status: int = 200, **forms):
    user = request.user
    on = selectors.today()
    may = _may(user, rec)
    problems = selectors.visible_problems(user, rec)
    addressee_options = selectors.addressee_options(user, rec.committee)
    if may["may_edit"]:
        forms.setdefault("edit_form", EditForm(
            initial={"title": rec.title, "symptoms": rec.symptoms, "causes": rec.causes, "problems": list(problems),
                     "addressees": [a.organization for a in rec.addressees.all()]},
            problems=problems, addressees=addressee_options))
        forms.setdefault("items_form", ItemsForm(texts=[i.text for i in rec.items.all()]))
    if may["may_submit"] or may["may_decide"] or may["may_close"]:
        forms.setdefault("comment_form", CommentForm())
    if may["may_issue"]:
        forms.setdefault("issue_form", IssueForm(initial={"issued_on": on}))
    answers = []
    for addressee in rec.addressees.all():
        addressee.recommendation = rec
        row = {"addressee": addressee, "deadline": selectors.addressee_deadline(addressee, on)}
        if may["may_answer"]:
            row.update(_answer_forms(addressee, on, forms.pop(f"answer_{addressee.pk}", {})))
        answers.append(row)
    return render(request, "analytics/recommendations/detail.html", {
        "rec": rec, "number": documents.doc_number(rec), "problems": problems, "answers": answers,
        "status": selectors.status(rec, on), **may, **forms,
    }, status=status)


def _answer_forms(addressee: RecommendationAddressee, on, bound: dict) -> dict:
    return {
        "receipt_form": bound.get("receipt_form") or ReceiptForm(initial={"received_on": on}),
        "response_form": bound.get("response_form") or ResponseForm(initial={
            "responded_on": addressee.responded_on or on, "response": addressee.response}),
        "outcome_form": bound.get("outcome_form") or OutcomeForm(initial={"adopted_on": on}),
    }


@require_GET
@letter_page
def recommendation_detail(request, pk: int):
    user = request.user
    if not selectors.reads_ledger(user) and selectors.is_receiver(user):
        raise Http404
    return _render_detail(request, selectors.get_recommendation_for_user(user, pk))


def _writable(request, pk: int, action: str) -> Recommendation | None:
    """The letter, if the user may take `action` on it at all (else 403); None, with a message,
    when its state no longer allows it."""
    rec = selectors.get_recommendation_for_user(request.user, pk)
    if not can(request.user, CHANGE, rec, roles=services.ROLES_OF[action]):
        raise PermissionDenied
    if not services.allowed(rec.state, action):
        messages.error(request, services.refusal(action))
        return None
    return rec


@require_POST
@letter_page
def recommendation_edit(request, pk: int):
    user = request.user
    rec = _writable(request, pk, services.EDIT)
    if rec is None:
        return redirect("analytics:recommendation_detail", pk)
    form = EditForm(request.POST, problems=selectors.visible_problems(user, rec),
                    addressees=selectors.addressee_options(user, rec.committee))
    if form.is_valid() and _save(form, lambda d: services.update(
            actor=user, rec=rec, title=d["title"], symptoms=d["symptoms"], causes=d["causes"],
            addressees=d["addressees"], problems=d["problems"], refill_symptoms=d["refill_symptoms"])):
        messages.success(request, _("The recommendation has been saved."))
        return redirect(_detail_url(rec))
    return _render_detail(request, rec, edit_form=form, status=400)


@require_POST
@letter_page
def recommendation_items(request, pk: int):
    user = request.user
    rec = _writable(request, pk, services.EDIT)
    if rec is None:
        return redirect("analytics:recommendation_detail", pk)
    form = ItemsForm(request.POST)
    if form.is_valid() and _save(form, lambda d: services.set_items(actor=user, rec=rec, texts=form.texts())):
        messages.success(request, _("The recommendations have been saved."))
        return redirect(f"{_detail_url(rec)}#items")
    return _render_detail(request, rec, items_form=form, status=400)


TRANSITION_CALLS = {
    services.SUBMIT: (CommentForm, lambda u, r, d: services.submit(actor=u, rec=r, comment=d["comment"]),
                      gettext_noop("The recommendation has been submitted to the leading group.")),
    services.APPROVE: (CommentForm, lambda u, r, d: services.approve(actor=u, rec=r, comment=d["comment"]),
                       gettext_noop("The recommendation has been approved.")),
    services.RETURN: (CommentForm, lambda u, r, d: services.return_(actor=u, rec=r, comment=d["comment"]),
                      gettext_noop("The recommendation has been returned to the office.")),
    services.ISSUE: (IssueForm, lambda u, r, d: services.issue(actor=u, rec=r, issued_on=d["issued_on"],
                                                             comment=d["comment"]),
                     gettext_noop("The recommendation has been issued.")),
    services.CLOSE: (CommentForm, lambda u, r, d: services.close(actor=u, rec=r, comment=d["comment"]),
                     gettext_noop("The recommendation has been closed.")),
}


@require_POST
@letter_page
def recommendation_transition(request, pk: int, action: str):
    if action not in TRANSITION_CALLS:
        raise Http404
    user = request.user
    rec = _writable(request, pk, action)
    if rec is None:
        return redirect("analytics:recommendation_detail", pk)
    form_class, call, done = TRANSITION_CALLS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(user, rec, form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return _render_detail(request, rec, status=400,
                                  **({"issue_form": form} if action == services.ISSUE else {"comment_form": form}))
        messages.success(request, _(done))
        return redirect(_detail_url(rec))
    return _render_detail(request, rec, status=400,
                          **({"issue_form": form} if action == services.ISSUE else {"comment_form": form}))


@require_POST
@letter_page
def recommendation_delete(request, pk: int):
    rec = selectors.get_recommendation_for_user(request.user, pk)
    if not can(request.user, DELETE, rec, roles=services.OFFICE):
        raise PermissionDenied
    try:
        services.delete(actor=request.user, rec=rec)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_detail_url(rec))
    messages.success(request, _("The draft has been deleted."))
    return redirect("analytics:recommendation_list")


@require_GET
@letter_page
def recommendation_word(request, pk: int):
    user = request.user
    rec = selectors.get_recommendation_for_user(user, pk)
    if not can(user, EXPORT, rec):
        raise PermissionDenied
    content, name = documents.export_letter(actor=user, rec=rec)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# -- the addressed department ----------------------------------------------------------------

@require_GET
@letter_page
def received_recommendations(request):
    """巡察建议书 addressed to the receiver's own organization."""
    user = request.user
    if not selectors.is_receiver(user):
        raise PermissionDenied
    on = selectors.today()
    page = Paginator(selectors.received(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "analytics/recommendations/received.html", {
        "page": page, "rows": [(a, selectors.addressee_deadline(a, on)) for a in page.object_list],
    })


def _render_received(request, addressee: RecommendationAddressee, *, status: int = 200, **bound):
    on = selectors.today()
    answering = (addressee.recommendation.state == services.ISSUED
                 and can(request.user, CHANGE, addressee, roles=services.RECEIVER))
    return render(request, "analytics/recommendations/received_detail.html", {
        "addressee": addressee, "rec": addressee.recommendation, "number": documents.doc_number(addressee.recommendation),
        "deadline": selectors.addressee_deadline(addressee, on), "answering": answering,
        **(_answer_forms(addressee, on, bound) if answering else {}),
    }, status=status)


@require_GET
@letter_page
def received_detail(request, pk: int):
    user = request.user
    if not selectors.is_receiver(user):
        raise Http404
    return _render_received(request, selectors.get_addressee_for_user(user, pk, roles=services.RECEIVER))


def _addressee_back(request, addressee) -> str:
    if can(request.user, CHANGE, addressee, roles=services.RECEIVER):
        return reverse("analytics:received_detail", args=[addressee.pk])
    return reverse("analytics:recommendation_detail", args=[addressee.recommendation_id])


def _answering(request, pk: int) -> RecommendationAddressee:
    addressee = selectors.get_addressee_for_user(request.user, pk)
    if not can(request.user, CHANGE, addressee, roles=services.ANSWERING):
        raise PermissionDenied
    return addressee


def _answer_failed(request, addressee, form_name: str, form):
    if can(request.user, CHANGE, addressee, roles=services.RECEIVER):
        return _render_received(request, addressee, status=400, **{form_name: form})
    rec = selectors.get_recommendation_for_user(request.user, addressee.recommendation_id)
    return _render_detail(request, rec, status=400, **{f"answer_{addressee.pk}": {form_name: form}})


@require_POST
@letter_page
def addressee_acknowledge(request, pk: int):
    addressee = _answering(request, pk)
    form = ReceiptForm(request.POST)
    if form.is_valid() and _save(form, lambda d: services.acknowledge(actor=request.user, addressee=addressee, **d)):
        messages.success(request, _("Receipt of the letter has been recorded."))
        return redirect(_addressee_back(request, addressee))
    return _answer_failed(request, addressee, "receipt_form", form)


@require_POST
@letter_page
def addressee_respond(request, pk: int):
    addressee = _answering(request, pk)
    form = ResponseForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["response_file"]
        if _save(form, lambda d: services.respond(
                actor=request.user, addressee=addressee, responded_on=d["responded_on"], response=d["response"],
                file=upload.file if upload else None, file_name=upload.name if upload else "")):
            messages.success(request, _("The response has been recorded."))
            return redirect(_addressee_back(request, addressee))
    return _answer_failed(request, addressee, "response_form", form)


@require_POST
@letter_page
def outcome_add(request, pk: int):
    addressee = _answering(request, pk)
    if not can(request.user, CREATE, SystemOutcome(addressee=addressee)):
        raise PermissionDenied
    form = OutcomeForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["document"]
        if _save(form, lambda d: services.outcome_add(
                actor=request.user, addressee=addressee, title=d["title"], adopted_on=d["adopted_on"],
                kind=d["kind"], file=upload.file if upload else None, file_name=upload.name if upload else "")):
            messages.success(request, _("The system has been recorded."))
            return redirect(_addressee_back(request, addressee))
    return _answer_failed(request, addressee, "outcome_form", form)


@require_POST
@letter_page
def outcome_delete(request, pk: int):
    outcome = selectors.get_outcome_for_user(request.user, pk)
    if not can(request.user, DELETE, outcome):
        raise PermissionDenied
    addressee = selectors.get_addressee_for_user(request.user, outcome.addressee_id)
    try:
        services.outcome_delete(actor=request.user, outcome=outcome)
        messages.success(request, _("The system has been removed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_addressee_back(request, addressee))


def _download(request, fieldfile, name: str, obj):
    if not fieldfile:
        raise Http404
    services.record_download(actor=request.user, obj=obj, name=name)
    response = FileResponse(fieldfile.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@letter_page
def received_word(request, pk: int):
    """The Word copy of a letter addressed to the receiver's organization."""
    addressee = selectors.get_addressee_for_user(request.user, pk, roles=services.RECEIVER)
    if not can(request.user, EXPORT, addressee):
        raise PermissionDenied
    content, name = documents.export_received_letter(actor=request.user, addressee=addressee)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_GET
@letter_page
def response_file(request, pk: int):
    addressee = selectors.get_addressee_for_user(request.user, pk)
    if not can(request.user, VIEW, addressee):
        raise Http404
    return _download(request, addressee.response_file, addressee.response_file_name or "response", addressee)


@require_GET
@letter_page
def outcome_file(request, pk: int):
    outcome = selectors.get_outcome_for_user(request.user, pk)
    return _download(request, outcome.document, outcome.document_name or "document", outcome)
