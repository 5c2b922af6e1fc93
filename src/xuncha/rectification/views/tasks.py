"""Task pages: the liaison's 整改工作台 (what to do, most urgent first, with the feedback's
deadlines), one task (problem, measures, deadline, progress with evidence, steps and the
actions the viewer may take), the office's closure queue (销号审核), the evidence download.

Tasks are read through the policy's scope: out of scope (another organization's, a plan not
approved) is a 404; roles that read no task at all get the 403 page, and so does a role
that reads a task but may not take the action it posted. Writes are POST-only.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from xuncha.access.policy import CHANGE, CREATE, DELETE, can, can_any
from xuncha.findings.uploads import ACCEPT_ATTRIBUTE
from xuncha.rectification import services_tasks as services
from xuncha.rectification.forms_tasks import ProgressForm, TransitionForm
from xuncha.rectification.models import Progress, ProgressEvidence, Task
from xuncha.rectification.policy import LIAISON, OFFICE
from xuncha.rectification.selectors import tasks as selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 30
QUEUE_PER_PAGE = 30

task_page = partial(service_page, refuse_system_roles=True, readable=Task)

DONE_MESSAGES = {
    services.REQUEST: gettext_lazy("Closure has been requested; the office will verify it."),
    services.CLOSE: gettext_lazy("The task has been closed."),
    services.RETURN: gettext_lazy("The closure request has been returned to the organization."),
    services.REOPEN: gettext_lazy("The task has been reopened."),
}


def _next(request, default):
    """Back to the page the form was on (only a path of this site), else `default`."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(*default) if isinstance(default, tuple) else redirect(default)


# -- the liaison's workspace -----------------------------------------------------------------

@require_GET
@task_page
def workspace(request):
    user = request.user
    if not can_any(user, CHANGE, Task, roles=LIAISON):
        raise PermissionDenied
    today = timezone.localdate()
    show = request.GET.get("show") if request.GET.get("show") in selectors.SHOWS else "todo"
    found = selectors.workspace(user, today, show)
    page = Paginator(found.tasks, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(task, selectors.task_deadline(task, today)) for task in page.object_list]
    return render(request, "rectification/tasks/workspace.html", {
        "page": page, "rows": rows, "counts": found.counts, "show": show, "today": today,
        "feedback_deadlines": selectors.feedback_deadlines(user, today), "accept": ACCEPT_ATTRIBUTE,
    })


# -- one task --------------------------------------------------------------------------------

def _back(user) -> str:
    """The list a task page leads back to: the liaison's workspace or the office's queue."""
    if can_any(user, CHANGE, Task, roles=LIAISON):
        return "workspace"
    return "closure_queue" if can_any(user, CHANGE, Task, roles=OFFICE) else ""


def _render_detail(request, task: Task, *, status: int = 200, progress_form=None, transition_form=None):
    user = request.user
    today = timezone.localdate()
    may_report = services.may_report(user, task)
    actions = services.allowed_actions(user, task)
    may_remove = may_report and can(user, DELETE, ProgressEvidence(progress=Progress(task=task)))
    return render(request, "rectification/tasks/task_detail.html", {
        "task": task, "deadline": selectors.task_deadline(task, today), "back": _back(user),
        "may_report": may_report, "may_remove": may_remove,
        "actions": [(action, services.ACTION_LABELS[action]) for action in actions],
        "progress_form": progress_form or (ProgressForm(initial={"reported_on": today}) if may_report else None),
        "transition_form": transition_form,
        "has_evidence": any(p.shown_evidence for p in task.shown_progress),
    }, status=status)


@require_GET
@task_page
def task_detail(request, pk: int):
    return _render_detail(request, selectors.get_task_for_user(request.user, pk))


@require_POST
@task_page
def progress_add(request, pk: int):
    user = request.user
    task = selectors.get_task_for_user(user, pk)
    if not can(user, CREATE, Progress(task=task)):
        raise PermissionDenied
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_add(actor=user, task=task, reported_on=data["reported_on"], text=data["text"],
                                  files=data["files"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The progress has been reported."))
            return _next(request, ("rectification:task_detail", task.pk))
    return _render_detail(request, task, status=400, progress_form=form)


@require_POST
@task_page
def task_transition(request, pk: int):
    user = request.user
    task = selectors.get_task_for_user(user, pk)
    form = TransitionForm(request.POST)
    form.is_valid()  # only parses: the service judges the action and the comment
    action = request.POST.get("action", "")
    try:
        services.task_transition(actor=user, task=task, action=action, comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        if request.POST.get("next"):
            for message in exc.messages:
                messages.error(request, message)
            return _next(request, ("rectification:task_detail", task.pk))
        form.add_service_errors(exc)
        return _render_detail(request, selectors.get_task_for_user(user, pk), status=400, transition_form=form)
    messages.success(request, DONE_MESSAGES[action])
    return _next(request, ("rectification:task_detail", task.pk))


# -- evidence --------------------------------------------------------------------------------

@require_GET
@task_page
def evidence_download(request, pk: int):
    evidence = selectors.get_evidence_for_user(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    services.record_download(actor=request.user, evidence=evidence)
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@task_page
def evidence_remove(request, pk: int):
    user = request.user
    evidence = selectors.get_evidence_for_user(user, pk)
    if not can(user, DELETE, evidence):
        raise PermissionDenied
    task = evidence.progress.task
    try:
        services.evidence_remove(actor=user, evidence=evidence)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s has been removed.") % {"name": evidence.original_name})
    return redirect("rectification:task_detail", task.pk)


# -- the office's closure queue --------------------------------------------------------------

@require_GET
@task_page
def closure_queue(request):
    user = request.user
    if not can_any(user, CHANGE, Task, roles=OFFICE):
        raise PermissionDenied
    today = timezone.localdate()
    page = Paginator(selectors.closure_queue(user), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(task, selectors.task_deadline(task, today)) for task in page.object_list]
    return render(request, "rectification/tasks/closure_queue.html", {"page": page, "rows": rows})
