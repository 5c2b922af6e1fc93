"""Complaint register pages for staff: the register (filters, counts by category, Excel export
for the office), registering a complaint, and one complaint (facts, handling, steps, working
papers, duplicates and repeats, messages with the online filer, attachments, identity panel).

A complaint outside the user's scope is a 404 (for a group: another group's); a role that reads
it but may not take the write gets the 403 page. The informant's identity appears on no page
except in the response to the POST that views it (views/identity.py). Writes are POST-only.
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
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from xuncha.access.policy import CHANGE, CREATE, EXPORT, can, can_any
from xuncha.intake import services_complaints as services
from xuncha.intake.forms_complaints import (
    AttachmentForm,
    ComplaintForm,
    DuplicateForm,
    EditForm,
    HandlingForm,
    PaperForm,
    RegisterFilterForm,
    ReplyForm,
)
from xuncha.intake.models import Complaint, ComplaintAttachment, ComplaintMessage
from xuncha.intake.selectors import complaints as selectors
from xuncha.intake.views import identity as identity_views
from xuncha.workbench.pages import service_page

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
H = Complaint.Handling

complaint_page = partial(service_page, refuse_system_roles=True, readable=Complaint)


def _save(form, call) -> bool:
    """Call the service with the form's data; its ValidationError goes onto the form."""
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    return True


def _detail_url(complaint: Complaint) -> str:
    return reverse("intake:complaint_detail", args=[complaint.pk])


def may_register(user) -> bool:
    return bool(selectors.office_committees(user)) or selectors.groups_to_register_for(user).exists()


# -- the register ----------------------------------------------------------------------------

def _filters(request) -> tuple[RegisterFilterForm, selectors.RegisterFilters]:
    form = RegisterFilterForm(request.GET or None, user=request.user)
    return form, form.filters()


@require_GET
@complaint_page
def complaint_list(request):
    user = request.user
    form, filters = _filters(request)
    complaints = selectors.register(user, filters)
    page = Paginator(complaints, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    category_query = query.copy()
    category_query.pop("category", None)
    return render(request, "intake/complaints/list.html", {
        "form": form, "page": page, "complaints": page.object_list, "filtered": filters.any,
        "counts": selectors.category_counts(user, filters), "current_category": str(filters.category or ""),
        "category_query": category_query.urlencode(), "export_query": query.urlencode(),
        "can_export": can_any(user, EXPORT, Complaint), "can_create": may_register(user),
    })


@require_GET
@complaint_page
def complaint_export(request):
    user = request.user
    if not can_any(user, EXPORT, Complaint):
        raise PermissionDenied
    _form, filters = _filters(request)
    data, _count = services.export_register(actor=user, filters=filters)
    response = HttpResponse(data, content_type=XLSX)
    on = selectors.today()
    response["Content-Disposition"] = content_disposition_header(True, f"信访举报登记台账{on:%Y%m%d}.xlsx")
    return response


# -- registering -----------------------------------------------------------------------------

@complaint_page
def complaint_create(request):
    user = request.user
    if not may_register(user):
        raise PermissionDenied
    office = bool(selectors.office_committees(user))
    groups = selectors.groups_to_register_for(user)
    committee_id = selectors.office_committees(user)[0] if office else None
    posted = request.method == "POST"
    form = ComplaintForm(request.POST if posted else None, request.FILES if posted else None, user=user,
                         committee_id=committee_id, groups=groups, group_required=not office,
                         initial={"received_on": selectors.today(), "channel": Complaint.Channel.LETTER})
    if posted and form.is_valid():
        data = form.cleaned_data
        group = data["group"]
        created: list[Complaint] = []
        if _save(form, lambda d: created.append(services.register(
                actor=user, committee=selectors.register_committee(user, group), group=group, channel=d["channel"],
                received_on=d["received_on"], organization=d["organization"], concerns=d["concerns"],
                subject=d["subject"], content=d["content"], category=d["category"], name=d["name"],
                contact=d["contact"], files=d["files"]))):
            messages.success(request, _("Complaint %(number)s has been registered.") % {"number": created[0].number})
            return redirect(_detail_url(created[0]))
    return render(request, "intake/complaints/create.html", {"form": form}, status=400 if posted else 200)


# -- one complaint ---------------------------------------------------------------------------

HANDLING_LABELS = {
    services.TO_GROUP: gettext_lazy("Pass to an inspection group"),
    services.TO_DEPARTMENT: gettext_lazy("Pass to the competent department"),
    services.OUT_OF_SCOPE: gettext_lazy("Outside the scope of inspection"),
    services.CONCLUDE: pgettext_lazy("complaint", "Conclude"),
    services.REOPEN: pgettext_lazy("complaint", "Reopen"),
}


def _handling_forms(user, complaint: Complaint, posted: HandlingForm | None) -> list[tuple[str, str, HandlingForm]]:
    forms = []
    for action in services.ACTIONS:
        if not services.may_handle(user, complaint, action):
            continue
        groups = selectors.group_choices(user, complaint.round) if action == services.TO_GROUP else None
        if posted is not None and posted.prefix == action:
            form = posted
        else:
            form = HandlingForm(initial={"on": selectors.today(), "group": complaint.group_id}, groups=groups,
                                prefix=action)
        forms.append((action, str(HANDLING_LABELS[action]), form))
    return forms


def _render_detail(request, complaint: Complaint, *, status: int = 200, handling_form=None, **forms):
    user = request.user
    changeable = can(user, CHANGE, complaint, roles=services.STAFF)
    may_edit = changeable and complaint.handling != H.CONCLUDED
    if may_edit:
        forms.setdefault("edit_form", EditForm(user=user, committee_id=complaint.committee_id, initial={
            "subject": complaint.subject, "content": complaint.content, "concerns": complaint.concerns,
            "category": complaint.category_id, "organization": complaint.organization_id}))
    papers = selectors.papers_to_link(user, complaint) if changeable else None
    if papers is not None and complaint.group_id:
        forms.setdefault("paper_form", PaperForm(papers=papers))
    if changeable:
        forms.setdefault("duplicate_form", DuplicateForm(initial={
            "duplicate_of": complaint.duplicate_of.number if complaint.duplicate_of else ""}))
    may_reply = bool(complaint.receipt_prefix) and can(user, CREATE, ComplaintMessage(complaint=complaint))
    if may_reply:
        forms.setdefault("reply_form", ReplyForm())
    may_attach = can(user, CREATE, ComplaintAttachment(complaint=complaint))
    if may_attach:
        forms.setdefault("attachment_form", AttachmentForm())
    repeats = list(selectors.repeats(user, complaint))
    return render(request, "intake/complaints/detail.html", {
        "complaint": complaint, "may_edit": may_edit, "changeable": changeable, "may_reply": may_reply,
        "may_attach": may_attach, "handling_forms": _handling_forms(user, complaint, handling_form),
        "duplicates": list(selectors.duplicates(user, complaint)), "repeats": repeats,
        **identity_views.panel(request, complaint), **forms,
    }, status=status)


@require_GET
@complaint_page
def complaint_detail(request, pk: int):
    return _render_detail(request, selectors.get_complaint_for_user(request.user, pk))


def _changeable(request, pk: int) -> Complaint:
    complaint = selectors.get_complaint_for_user(request.user, pk)
    if not can(request.user, CHANGE, complaint, roles=services.STAFF):
        raise PermissionDenied
    return complaint


@require_POST
@complaint_page
def complaint_edit(request, pk: int):
    user = request.user
    complaint = _changeable(request, pk)
    form = EditForm(request.POST, user=user, committee_id=complaint.committee_id)
    if form.is_valid() and _save(form, lambda d: services.edit(actor=user, complaint=complaint, **d)):
        messages.success(request, _("The complaint has been saved."))
        return redirect(_detail_url(complaint))
    return _render_detail(request, complaint, edit_form=form, status=400)


@require_POST
@complaint_page
def complaint_handle(request, pk: int):
    user = request.user
    complaint = selectors.get_complaint_for_user(user, pk)
    action = request.POST.get("action", "")
    if not can(user, CHANGE, complaint, roles=services.STAFF):
        raise PermissionDenied
    if action not in services.ACTIONS:
        return redirect(_detail_url(complaint))
    rule = services.TRANSITIONS.get((complaint.handling, action))
    if rule is not None and not can(user, CHANGE, complaint, roles=rule[1]):
        raise PermissionDenied
    if rule is None:
        messages.error(request, _("The complaint's handling has changed; this can no longer be done."))
        return redirect(_detail_url(complaint))
    groups = selectors.group_choices(user, complaint.round) if action == services.TO_GROUP else None
    form = HandlingForm(request.POST, groups=groups, prefix=action)
    if form.is_valid() and _save(form, lambda d: services.handle(
            actor=user, complaint=complaint, action=action, group=d["group"], passed_to=d["passed_to"],
            outcome=d["outcome"], comment=d["comment"], on=d["on"])):
        messages.success(request, _("The handling has been recorded."))
        return redirect(_detail_url(complaint))
    return _render_detail(request, complaint, handling_form=form, status=400)


@require_POST
@complaint_page
def complaint_link_paper(request, pk: int):
    user = request.user
    complaint = _changeable(request, pk)
    form = PaperForm(request.POST, papers=selectors.papers_to_link(user, complaint))
    if form.is_valid() and _save(form, lambda d: services.link_paper(actor=user, complaint=complaint, paper=d["paper"])):
        messages.success(request, _("The working paper has been linked."))
        return redirect(_detail_url(complaint))
    return _render_detail(request, complaint, paper_form=form, status=400)


@require_POST
@complaint_page
def complaint_unlink_paper(request, pk: int, paper_pk: int):
    user = request.user
    complaint = _changeable(request, pk)
    paper = next((p for p in complaint.shown_papers if p.pk == paper_pk), None)
    if paper is None:
        messages.error(request, _("This working paper is not linked to the complaint."))
    else:
        services.unlink_paper(actor=user, complaint=complaint, paper=paper)
        messages.success(request, _("The link to the working paper has been removed."))
    return redirect(_detail_url(complaint))


def _by_number(user, complaint: Complaint, number: str) -> Complaint | None:
    year, _sep, seq = number.strip().partition("-")
    if not (year.isdigit() and seq.isdigit()):
        return None
    found = (selectors.register(user).filter(committee_id=complaint.committee_id, year=int(year), seq=int(seq))
             .exclude(pk=complaint.pk).first())
    return found


@require_POST
@complaint_page
def complaint_duplicate(request, pk: int):
    user = request.user
    complaint = _changeable(request, pk)
    form = DuplicateForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["duplicate_of"].strip()
        original = _by_number(user, complaint, number) if number else None
        if number and original is None:
            form.add_error("duplicate_of", _("No complaint with this number that you may see."))
        elif _save(form, lambda d: services.mark_duplicate(actor=user, complaint=complaint, original=original)):
            messages.success(request, _("The duplicate mark has been saved."))
            return redirect(_detail_url(complaint))
    return _render_detail(request, complaint, duplicate_form=form, status=400)


@require_POST
@complaint_page
def complaint_reply(request, pk: int):
    user = request.user
    complaint = selectors.get_complaint_for_user(user, pk)
    if not can(user, CREATE, ComplaintMessage(complaint=complaint)):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if form.is_valid() and _save(form, lambda d: services.reply(actor=user, complaint=complaint, text=d["text"])):
        messages.success(request, _("The reply has been sent; the informant reads it with the receipt code."))
        return redirect(_detail_url(complaint))
    return _render_detail(request, complaint, reply_form=form, status=400)


@require_POST
@complaint_page
def complaint_attach(request, pk: int):
    user = request.user
    complaint = selectors.get_complaint_for_user(user, pk)
    if not can(user, CREATE, ComplaintAttachment(complaint=complaint)):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid() and _save(form, lambda d: services.add_attachments(actor=user, complaint=complaint,
                                                                          files=d["files"])):
        messages.success(request, _("The attachments have been added."))
        return redirect(_detail_url(complaint))
    return _render_detail(request, complaint, attachment_form=form, status=400)


@require_GET
@complaint_page
def attachment_download(request, pk: int, attachment_pk: int):
    user = request.user
    complaint = selectors.get_complaint_for_user(user, pk)
    attachment = selectors.get_attachment_for_user(user, complaint, attachment_pk)
    data = services.read_attachment(actor=user, attachment=attachment)
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
