"""Pages of a group's fieldwork: its confidential logs (interviews, document requests,
on-the-spot fixes), its announcement (with a printable page) and mid-term guidance.

Every page hangs under the group: a group outside the user's scope is a 404, and so is any
record of it. A role that sees the group but may not write gets a 403 on the write pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, VIEW, can, can_any
from xuncha.rounds import services_fieldwork as services
from xuncha.rounds.forms_fieldwork import (
    AnnouncementForm,
    AnswerForm,
    DocumentRequestForm,
    GuidanceVisitForm,
    InterviewForm,
    PrescriptionForm,
    SpotFixForm,
)
from xuncha.rounds.models import (
    Announcement,
    DocumentRequest,
    Group,
    GuidanceVisit,
    Interview,
    OnTheSpotFix,
    Prescription,
)
from xuncha.rounds.selectors import fieldwork as selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 50


fieldwork_page = service_page


def _group(request, group_id: int, model) -> Group:
    """The group, if the user sees it and may read `model` records of it; 404 otherwise."""
    group = selectors.get_group_for_user(request.user, group_id)
    if not can(request.user, VIEW, model(group=group)):
        raise Http404
    return group


def _group_url(group: Group) -> str | None:
    try:
        return reverse("rounds:group_detail", args=[group.pk])
    except NoReverseMatch:  # the group page is optional for these pages
        return None


SECTIONS = {
    "interviews": (gettext_lazy("Interviews"), "rounds:interviews"),
    "documents": (gettext_lazy("Document requests"), "rounds:document_requests"),
    "spot_fixes": (gettext_lazy("On-the-spot fixes"), "rounds:spot_fixes"),
    "announcement": (gettext_lazy("Announcement"), "rounds:announcement"),
    "guidance": (gettext_lazy("Mid-term guidance"), "rounds:guidance"),
}


def _context(request, group: Group, tab: str, *, here: str = "", **extra) -> dict:
    """What every page of a group's fieldwork shows: the group, its tabs, the breadcrumbs
    (`here` names a page below the tab's own page)."""
    user = request.user
    section, url_name = SECTIONS[tab]
    context = {
        "group": group,
        "tab": tab,
        "section": section,
        "section_url": reverse(url_name, args=[group.pk]) if here else "",
        "here": here,
        "group_url": _group_url(group),
        "today": timezone.localdate(),
        "show_guidance": can(user, VIEW, GuidanceVisit(group=group)),
    }
    context.update(extra)
    return context


def _form_page(request, group: Group, tab: str, form, *, heading: str, cancel_url: str = "", **extra):
    context = _context(request, group, tab, here=heading, form=form, heading=heading, **extra)
    context["cancel_url"] = cancel_url or context["section_url"]
    return render(request, "rounds/fieldwork/form_page.html", context)


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _save_form(request, form, save, on_success):
    """Validate, call the service, put its ValidationError on the form; redirect on success."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return on_success(obj)
    return None


def _require(user, action, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


# -- interviews ------------------------------------------------------------------------------

@fieldwork_page
def interview_list(request, group_id: int):
    user = request.user
    group = _group(request, group_id, Interview)
    page = _page(request, selectors.interviews_for(user, group))
    return render(request, "rounds/fieldwork/interview_list.html", _context(
        request, group, "interviews", page=page, can_create=can(user, CREATE, Interview(group=group))))


@fieldwork_page
def interview_detail(request, group_id: int, pk: int):
    user = request.user
    group = _group(request, group_id, Interview)
    interview = selectors.get_interview_for_user(user, group, pk)
    # What was said in an individual talk is confidential: every reading is in the audit log.
    audit.record_read(actor=user, obj=interview, summary=group.full_name)
    return render(request, "rounds/fieldwork/interview_detail.html", _context(
        request, group, "interviews", here=interview.interviewee, interview=interview, can_edit=can(user, CHANGE, interview)))


def _interview_form(request, group: Group, interview: Interview | None):
    user = request.user
    initial = {name: getattr(interview, name) for name in InterviewForm.base_fields} if interview else {}
    form = InterviewForm(request.POST or None, initial=initial)

    def save(data):
        if interview is None:
            return services.interview_create(actor=user, group=group, **data)
        return services.interview_update(actor=user, interview=interview, **data)

    def done(obj):
        messages.success(request, _("The interview with %(name)s has been saved.") % {"name": obj.interviewee})
        return redirect("rounds:interview_detail", group.pk, obj.pk)

    if interview is None:
        heading, cancel = _("Record an interview"), ""
    else:
        heading = _("Edit the interview with %(name)s") % {"name": interview.interviewee}
        cancel = reverse("rounds:interview_detail", args=[group.pk, interview.pk])
    return _save_form(request, form, save, done) or _form_page(
        request, group, "interviews", form, heading=heading, cancel_url=cancel)


@fieldwork_page
def interview_create(request, group_id: int):
    group = _group(request, group_id, Interview)
    _require(request.user, CREATE, Interview(group=group))
    return _interview_form(request, group, None)


@fieldwork_page
def interview_edit(request, group_id: int, pk: int):
    group = _group(request, group_id, Interview)
    interview = selectors.get_interview_for_user(request.user, group, pk)
    _require(request.user, CHANGE, interview)
    return _interview_form(request, group, interview)


# -- document requests -----------------------------------------------------------------------

@fieldwork_page
def document_request_list(request, group_id: int):
    user = request.user
    group = _group(request, group_id, DocumentRequest)
    overdue = request.GET.get("overdue") == "1"
    page = _page(request, selectors.document_requests_for(user, group, overdue=overdue))
    sample = DocumentRequest(group=group)
    return render(request, "rounds/fieldwork/document_request_list.html", _context(
        request, group, "documents", page=page, overdue=overdue,
        can_create=can(user, CREATE, sample), can_change=can(user, CHANGE, sample)))


def _document_form(request, group: Group, doc: DocumentRequest | None):
    user = request.user
    if doc is not None:
        initial = DocumentRequestForm.initial_for(doc)
    else:
        initial = {"requested_on": timezone.localdate(), "copies": 1}
    form = DocumentRequestForm(request.POST or None, initial=initial)

    def save(data):
        if doc is None:
            return services.document_request_create(actor=user, group=group, **data)
        return services.document_request_update(actor=user, document_request=doc, **data)

    def done(obj):
        messages.success(request, _("The document request “%(item)s” has been saved.") % {"item": obj.item})
        return redirect("rounds:document_requests", group.pk)

    heading = _("New document request") if doc is None else _("Edit the document request")
    return _save_form(request, form, save, done) or _form_page(request, group, "documents", form, heading=heading)


@fieldwork_page
def document_request_create(request, group_id: int):
    group = _group(request, group_id, DocumentRequest)
    _require(request.user, CREATE, DocumentRequest(group=group))
    return _document_form(request, group, None)


@fieldwork_page
def document_request_edit(request, group_id: int, pk: int):
    group = _group(request, group_id, DocumentRequest)
    doc = selectors.get_document_request_for_user(request.user, group, pk)
    _require(request.user, CHANGE, doc)
    return _document_form(request, group, doc)


def _mark_document(request, group_id: int, pk: int, service, message: str):
    group = _group(request, group_id, DocumentRequest)
    doc = selectors.get_document_request_for_user(request.user, group, pk)
    try:
        service(actor=request.user, document_request=doc)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message % {"item": doc.item})
    back = reverse("rounds:document_requests", args=[group.pk])
    if request.POST.get("overdue") == "1":
        back += "?overdue=1"
    return redirect(back)


@require_POST
@fieldwork_page
def document_request_provided(request, group_id: int, pk: int):
    return _mark_document(request, group_id, pk, services.document_request_mark_provided,
                          _("“%(item)s” is marked as provided."))


@require_POST
@fieldwork_page
def document_request_returned(request, group_id: int, pk: int):
    return _mark_document(request, group_id, pk, services.document_request_mark_returned,
                          _("“%(item)s” is marked as returned."))


# -- on-the-spot fixes -----------------------------------------------------------------------

@fieldwork_page
def spot_fix_list(request, group_id: int):
    user = request.user
    group = _group(request, group_id, OnTheSpotFix)
    page = _page(request, selectors.spot_fixes_for(user, group))
    sample = OnTheSpotFix(group=group)
    return render(request, "rounds/fieldwork/spot_fix_list.html", _context(
        request, group, "spot_fixes", page=page,
        can_create=can(user, CREATE, sample), can_change=can(user, CHANGE, sample)))


def _spot_fix_form(request, group: Group, fix: OnTheSpotFix | None):
    user = request.user
    initial = {name: getattr(fix, name) for name in SpotFixForm.base_fields} if fix else {
        "fixed_on": timezone.localdate()}
    form = SpotFixForm(request.POST or None, initial=initial, targets=selectors.target_organizations(group))

    def save(data):
        if fix is None:
            return services.spot_fix_create(actor=user, group=group, **data)
        return services.spot_fix_update(actor=user, spot_fix=fix, **data)

    def done(obj):
        messages.success(request, _("The on-the-spot fix has been saved."))
        return redirect("rounds:spot_fixes", group.pk)

    heading = _("Record an on-the-spot fix") if fix is None else _("Edit the on-the-spot fix")
    return _save_form(request, form, save, done) or _form_page(request, group, "spot_fixes", form, heading=heading)


@fieldwork_page
def spot_fix_create(request, group_id: int):
    group = _group(request, group_id, OnTheSpotFix)
    _require(request.user, CREATE, OnTheSpotFix(group=group))
    return _spot_fix_form(request, group, None)


@fieldwork_page
def spot_fix_edit(request, group_id: int, pk: int):
    group = _group(request, group_id, OnTheSpotFix)
    fix = selectors.get_spot_fix_for_user(request.user, group, pk)
    _require(request.user, CHANGE, fix)
    return _spot_fix_form(request, group, fix)


# -- the announcement ------------------------------------------------------------------------

def _announcement_context(request, group: Group) -> dict:
    ann = selectors.announcement_of(request.user, group)
    return {"announcement": ann, "targets": list(selectors.targets_of(group)),
            "committee": group.round.committee}


@fieldwork_page
def announcement_detail(request, group_id: int):
    user = request.user
    group = _group(request, group_id, Announcement)
    context = _announcement_context(request, group)
    ann = context["announcement"]
    can_edit = can(user, CHANGE, ann) if ann else can(user, CREATE, Announcement(group=group))
    return render(request, "rounds/fieldwork/announcement_detail.html",
                  _context(request, group, "announcement", can_edit=can_edit, **context))


@fieldwork_page
def announcement_print(request, group_id: int):
    group = _group(request, group_id, Announcement)
    context = _announcement_context(request, group)
    if context["announcement"] is None:
        raise Http404
    context.update(group=group)
    return render(request, "rounds/fieldwork/announcement_print.html", context)


@fieldwork_page
def announcement_edit(request, group_id: int):
    user = request.user
    group = _group(request, group_id, Announcement)
    ann = selectors.announcement_of(user, group)
    if ann is not None:
        _require(user, CHANGE, ann)
        initial = {name: getattr(ann, name) for name in AnnouncementForm.base_fields}
    else:
        _require(user, CREATE, Announcement(group=group))
        initial = {"period_start": group.round.planned_entry, "period_end": group.round.planned_exit}
    form = AnnouncementForm(request.POST or None, initial=initial)

    def done(obj):
        messages.success(request, _("The announcement has been saved."))
        return redirect("rounds:announcement", group.pk)

    return _save_form(request, form, lambda data: services.announcement_save(actor=user, group=group, **data),
                      done) or _form_page(request, group, "announcement", form,
                                          heading=_("Write the announcement") if ann is None
                                          else _("Edit the announcement"))


# -- mid-term guidance -----------------------------------------------------------------------

@fieldwork_page
def guidance(request, group_id: int):
    user = request.user
    group = _group(request, group_id, GuidanceVisit)
    visits = list(selectors.guidance_visits_for(user, group))
    sample_visit = GuidanceVisit(group=group)
    in_group = selectors.serves_in_group(user, group.pk)
    return render(request, "rounds/fieldwork/guidance.html", _context(
        request, group, "guidance", visits=visits,
        can_record=can(user, CREATE, sample_visit), can_direct=can(user, CHANGE, sample_visit),
        can_answer=in_group and can(user, CHANGE, Prescription(visit=sample_visit))))


def _visit_form(request, group: Group, visit: GuidanceVisit | None):
    user = request.user
    initial = {name: getattr(visit, name) for name in GuidanceVisitForm.base_fields} if visit else {
        "visited_on": timezone.localdate()}
    form = GuidanceVisitForm(request.POST or None, initial=initial)

    def save(data):
        if visit is None:
            return services.guidance_visit_create(actor=user, group=group, **data)
        return services.guidance_visit_update(actor=user, visit=visit, **data)

    def done(obj):
        messages.success(request, _("The guidance visit has been saved."))
        return redirect(reverse("rounds:guidance", args=[group.pk]) + f"#visit-{obj.pk}")

    heading = _("Record a guidance visit") if visit is None else _("Edit the guidance visit")
    return _save_form(request, form, save, done) or _form_page(request, group, "guidance", form, heading=heading)


@fieldwork_page
def guidance_visit_create(request, group_id: int):
    group = _group(request, group_id, GuidanceVisit)
    _require(request.user, CREATE, GuidanceVisit(group=group))
    return _visit_form(request, group, None)


@fieldwork_page
def guidance_visit_edit(request, group_id: int, pk: int):
    group = _group(request, group_id, GuidanceVisit)
    visit = selectors.get_visit_for_user(request.user, group, pk)
    _require(request.user, CHANGE, visit)
    return _visit_form(request, group, visit)


@fieldwork_page
def prescription_create(request, group_id: int, pk: int):
    user = request.user
    group = _group(request, group_id, GuidanceVisit)
    visit = selectors.get_visit_for_user(user, group, pk)
    _require(user, CREATE, Prescription(visit=visit))
    form = PrescriptionForm(request.POST or None)

    def done(obj):
        messages.success(request, _("The prescription has been added."))
        return redirect(reverse("rounds:guidance", args=[group.pk]) + f"#visit-{visit.pk}")

    return _save_form(request, form, lambda data: services.prescription_create(actor=user, visit=visit, **data),
                      done) or _form_page(request, group, "guidance", form, heading=_("Add a prescription"),
                                          visit=visit)


@fieldwork_page
def prescription_answer(request, group_id: int, pk: int):
    user = request.user
    group = _group(request, group_id, GuidanceVisit)
    prescription = selectors.get_prescription_for_user(user, group, pk)
    if not (selectors.serves_in_group(user, group.pk) and can(user, CHANGE, prescription)):
        raise PermissionDenied
    form = AnswerForm(request.POST or None, initial={"answer": prescription.answer})

    def done(obj):
        messages.success(request, _("The answer has been saved."))
        return redirect(reverse("rounds:guidance", args=[group.pk]) + f"#prescription-{obj.pk}")

    return _save_form(
        request, form,
        lambda data: services.prescription_answer(actor=user, prescription=prescription, **data), done,
    ) or _form_page(request, group, "guidance", form, heading=_("Answer the prescription"),
                    prescription=prescription)


@require_POST
@fieldwork_page
def prescription_close(request, group_id: int, pk: int):
    user = request.user
    group = _group(request, group_id, GuidanceVisit)
    prescription = selectors.get_prescription_for_user(user, group, pk)
    try:
        services.prescription_close(actor=user, prescription=prescription)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The prescription has been closed."))
    return redirect(reverse("rounds:guidance", args=[group.pk]) + f"#prescription-{prescription.pk}")


def _may_direct_guidance(user) -> bool:
    return not user.system_role and can_any(user, CREATE, GuidanceVisit)


@fieldwork_page
def guidance_index(request):
    user = request.user
    if not _may_direct_guidance(user):
        raise PermissionDenied
    rounds = list(selectors.rounds_for_guidance(user))
    return render(request, "rounds/fieldwork/guidance_index.html", {"rounds": rounds})


@fieldwork_page
def guidance_overview(request, round_id: int):
    user = request.user
    rnd = selectors.get_round_for_user(user, round_id)
    if not can(user, CREATE, GuidanceVisit(group=Group(round=rnd))):
        raise PermissionDenied
    groups = selectors.guidance_overview(user, rnd)
    totals = {key: sum(getattr(g, key) for g in groups) for key in ("n_visits", "n_open", "n_answered", "n_closed")}
    return render(request, "rounds/fieldwork/guidance_overview.html",
                  {"round": rnd, "groups": groups, "totals": totals})
