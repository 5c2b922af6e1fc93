"""Feedback pages: the round's targets with their report and feedback, one feedback (problems,
requirements, deadlines, meeting, copies, issuing), and the inspected organization's workspace
(本单位反馈意见) where its liaison reads the issued feedback and acknowledges receipt.

A feedback outside the user's scope is a 404 (for the liaison: a draft, or another
organization's); a role that reads feedback but may not write it gets the 403 page on writes;
roles that see no feedback at all get the 403 page. Writes are POST-only.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.access.policy import CHANGE, CREATE, DELETE, VIEW, can, can_any
from xuncha.findings.forms_problems import classification_path
from xuncha.reports import services_feedback as services
from xuncha.reports.forms_feedback import CopyForm, FeedbackForm, IssueForm, MeetingForm
from xuncha.reports.models import Feedback, FeedbackCopy, FeedbackMeeting
from xuncha.reports.selectors import feedback as selectors
from xuncha.rounds.models import Assignment
from xuncha.workbench.pages import service_page

PER_PAGE = 50
UNIT_PER_PAGE = 10
# The reports area's page of one report (shown as a link when that page exists).
REPORT_URL = "reports:report_detail"

feedback_page = partial(service_page, readable=Feedback)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _inspectorate(user) -> bool:
    """Those who see the targets (office, leading group, groups, superior office), not the
    inspected organization."""
    return can_any(user, VIEW, Assignment)


def _report_url(feedback: Feedback) -> str | None:
    try:
        return reverse(REPORT_URL, args=[feedback.report_id])
    except NoReverseMatch:
        return None


def _save(form, call) -> bool:
    """Call the service with the form's data; its ValidationError goes onto the form."""
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    return True


# -- the round's list ------------------------------------------------------------------------

@require_GET
@feedback_page
def feedback_list(request):
    user = request.user
    if not _inspectorate(user):
        raise PermissionDenied
    rounds = list(selectors.round_choices(user))
    wanted = _int(request.GET.get("round"))
    current = next((r for r in rounds if r.pk == wanted), rounds[0] if rounds else None)
    page = None
    if current is not None:
        page = Paginator(selectors.targets_of_round(user, current.pk), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/feedback/feedback_list.html", {
        "rounds": rounds, "current": current, "page": page,
        "can_create": can_any(user, CREATE, Feedback),
    })


@require_POST
@feedback_page
def feedback_create(request, assignment_pk: int):
    user = request.user
    target = selectors.get_target_for_user(user, assignment_pk)
    if not can(user, CREATE, services.new_feedback(target)):
        raise PermissionDenied
    try:
        feedback = services.feedback_create(actor=user, assignment=target)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{reverse('reports:feedback_list')}?round={target.round_id}")
    messages.success(request, _("The feedback has been drafted from the approved report."))
    return redirect("reports:feedback_detail", feedback.pk)


# -- one feedback ----------------------------------------------------------------------------

def _may_write(user, feedback: Feedback) -> bool:
    return can(user, CHANGE, feedback) and can(user, CREATE, feedback)


def _meeting(feedback: Feedback) -> FeedbackMeeting | None:
    """The recorded meeting. (Checking a permission on an unsaved FeedbackMeeting(feedback=…)
    leaves it in the feedback's cache: only a saved one counts.)"""
    meeting = getattr(feedback, "meeting", None)
    return meeting if meeting is not None and meeting.pk else None


def _may_record(user, feedback: Feedback) -> bool:
    meeting = _meeting(feedback)
    return can(user, CHANGE, meeting) if meeting else can(user, CREATE, FeedbackMeeting(feedback=feedback))


def _render_detail(request, feedback: Feedback, *, status: int = 200, **forms):
    user = request.user
    draft = feedback.state == Feedback.State.DRAFT
    may_write = draft and _may_write(user, feedback)
    may_record = not draft and _may_record(user, feedback)
    meeting = _meeting(feedback)
    if may_write:
        forms.setdefault("form", FeedbackForm(
            initial={"problems": feedback.shown_problems, "requirements": feedback.requirements},
            problems=selectors.candidate_problems(user, feedback)))
        forms.setdefault("issue_form", IssueForm(initial={"fed_back_on": timezone.localdate()}))
    if may_record:
        initial = ({"held_on": meeting.held_on, "place": meeting.place, "attendees": meeting.attendees,
                    "receipt_acknowledged": meeting.receipt_acknowledged, "notes": meeting.notes}
                   if meeting else {"held_on": feedback.fed_back_on})
        forms.setdefault("meeting_form", MeetingForm(initial=initial))
        forms.setdefault("copy_form", CopyForm(initial={"sent_on": feedback.fed_back_on},
                                               organizations=selectors.copy_organizations(user, feedback)))
    return render(request, "reports/feedback/feedback_detail.html", {
        "feedback": feedback, "meeting": meeting,
        "problems": [(p, classification_path(p.classification)) for p in feedback.shown_problems],
        "report_refusal": services.report_refusal(feedback.report) if draft else "",
        "report_url": _report_url(feedback),
        "documents": selectors.documents_for(user, feedback),
        "may_write": may_write, "may_record": may_record,
        "may_remove_copies": may_record and can_any(user, DELETE, FeedbackCopy),
        **forms,
    }, status=status)


@require_GET
@feedback_page
def feedback_detail(request, pk: int):
    user = request.user
    feedback = selectors.get_feedback_for_user(user, pk)
    if not _inspectorate(user):
        return redirect("reports:unit_feedback_detail", feedback.pk)
    return _render_detail(request, feedback)


def _writable(request, pk: int) -> Feedback | None:
    """The draft feedback the user may write; None (with a message) once it is issued."""
    feedback = selectors.get_feedback_for_user(request.user, pk)
    if not _may_write(request.user, feedback):
        raise PermissionDenied
    if feedback.state != Feedback.State.DRAFT:
        messages.error(request, _("This feedback has been issued; it can no longer be changed."))
        return None
    return feedback


@require_POST
@feedback_page
def feedback_edit(request, pk: int):
    user = request.user
    feedback = _writable(request, pk)
    if feedback is None:
        return redirect("reports:feedback_detail", pk)
    form = FeedbackForm(request.POST, problems=selectors.candidate_problems(user, feedback))
    if form.is_valid() and _save(form, lambda data: services.feedback_update(
            actor=user, feedback=feedback, problems=data["problems"], requirements=data["requirements"])):
        messages.success(request, _("The feedback has been saved."))
        return redirect("reports:feedback_detail", feedback.pk)
    return _render_detail(request, feedback, form=form, status=400)


@require_POST
@feedback_page
def feedback_issue(request, pk: int):
    user = request.user
    feedback = _writable(request, pk)
    if feedback is None:
        return redirect("reports:feedback_detail", pk)
    form = IssueForm(request.POST)
    if form.is_valid() and _save(form, lambda data: services.feedback_issue(
            actor=user, feedback=feedback, fed_back_on=data["fed_back_on"])):
        messages.success(request, _("The feedback has been issued; the organization's liaison now sees it."))
        return redirect("reports:feedback_detail", feedback.pk)
    return _render_detail(request, feedback, issue_form=form, status=400)


def _recordable(request, pk: int) -> Feedback:
    feedback = selectors.get_feedback_for_user(request.user, pk)
    if not _may_record(request.user, feedback):
        raise PermissionDenied
    return feedback


@require_POST
@feedback_page
def feedback_meeting(request, pk: int):
    user = request.user
    feedback = _recordable(request, pk)
    form = MeetingForm(request.POST)
    if form.is_valid() and _save(form, lambda data: services.meeting_record(actor=user, feedback=feedback, **data)):
        messages.success(request, _("The feedback meeting has been recorded."))
        return redirect("reports:feedback_detail", feedback.pk)
    return _render_detail(request, feedback, meeting_form=form, status=400)


@require_POST
@feedback_page
def feedback_copy_add(request, pk: int):
    user = request.user
    feedback = _recordable(request, pk)
    form = CopyForm(request.POST, organizations=selectors.copy_organizations(user, feedback))
    if form.is_valid() and _save(form, lambda data: services.copy_add(actor=user, feedback=feedback, **data)):
        messages.success(request, _("The copy has been recorded."))
        return redirect("reports:feedback_detail", feedback.pk)
    return _render_detail(request, feedback, copy_form=form, status=400)


@require_POST
@feedback_page
def feedback_copy_remove(request, pk: int, copy_pk: int):
    user = request.user
    feedback = selectors.get_feedback_for_user(user, pk)
    copy = selectors.get_copy_for_user(user, feedback, copy_pk)
    if not can(user, DELETE, copy):
        raise PermissionDenied
    services.copy_remove(actor=user, copy=copy)
    messages.success(request, _("The copy has been removed."))
    return redirect("reports:feedback_detail", feedback.pk)


# -- the inspected organization's workspace --------------------------------------------------

def _liaison_page(view):
    @feedback_page
    def wrapper(request, *args, **kwargs):
        if _inspectorate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_GET
@_liaison_page
def unit_feedback(request):
    """本单位反馈意见: the organization's issued feedback."""
    page = Paginator(selectors.unit_feedback(request.user), UNIT_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/feedback/unit_list.html", {"page": page})


@require_GET
@_liaison_page
def unit_feedback_detail(request, pk: int):
    user = request.user
    feedback = selectors.get_unit_feedback(user, pk)
    return render(request, "reports/feedback/unit_detail.html", {
        "feedback": feedback, "meeting": _meeting(feedback),
        "problems": [(p, classification_path(p.classification)) for p in feedback.shown_problems],
        "documents": selectors.documents_for(user, feedback),
        "may_acknowledge": feedback.acknowledged_at is None and services.is_liaison_of(
            user, feedback.assignment.organization_id),
    })


@require_POST
@feedback_page
def feedback_acknowledge(request, pk: int):
    user = request.user
    feedback = selectors.get_feedback_for_user(user, pk)
    services.feedback_acknowledge(actor=user, feedback=feedback)
    messages.success(request, _("Receipt of the feedback has been acknowledged."))
    return redirect("reports:unit_feedback_detail", feedback.pk)
