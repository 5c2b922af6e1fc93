"""The deadline policy pages (工作时限规则): the committee's versions with their effective dates
and values, the one in force today, how many feedbacks, progress reports and transfers took
their deadlines from each; the office administrator adds a version and corrects an unused one.

Read by the office, the leading group and the superior office (the policy); others get the 403
page. A version outside the user's scope is a 404; a write the role may not make, the 403 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.access.policy import CHANGE, CREATE, can
from xuncha.rectification import services_policies as services
from xuncha.rectification.forms_policies import PolicyForm
from xuncha.rectification.models import DeadlinePolicy
from xuncha.rectification.selectors import dashboard as selectors
from xuncha.workbench.pages import service_page

policy_page = service_page(refuse_system_roles=True, readable=DeadlinePolicy)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _committee(user, wanted):
    committees = selectors.policy_committees(user)
    chosen = next((c for c in committees if c.pk == _int(wanted)), committees[0] if committees else None)
    if chosen is None:
        raise PermissionDenied
    return committees, chosen


def _list_url(committee) -> str:
    return f"{reverse('rectification:policy_list')}?committee={committee.pk}"


def _render_list(request, committees, committee, *, form=None, status=200):
    user = request.user
    today = timezone.localdate()
    versions = list(selectors.policy_versions(user, today, committee.pk))
    current = next((v for v in versions if v.pk == v.current_id), None)
    may_create = can(user, CREATE, DeadlinePolicy(committee=committee))
    if may_create and form is None:
        initial = PolicyForm.initial_from(current) if current else {}
        form = PolicyForm(initial={**initial, "effective_from": None, "basis": ""})
    for v in versions:
        v.used = bool(v.n_feedbacks or v.n_reports or v.n_transfers)
        v.may_change = not v.used and can(user, CHANGE, v)
        v.future = v.effective_from > today
    return render(request, "rectification/policies/policy_list.html", {
        "committees": committees, "committee": committee, "versions": versions,
        "current": current, "form": form if may_create else None,
    }, status=status)


@require_GET
@policy_page
def policy_list(request):
    committees, committee = _committee(request.user, request.GET.get("committee"))
    return _render_list(request, committees, committee)


@require_POST
@policy_page
def policy_create(request):
    user = request.user
    committees, committee = _committee(user, request.POST.get("committee"))
    if not can(user, CREATE, DeadlinePolicy(committee=committee)):
        raise PermissionDenied
    form = PolicyForm(request.POST)
    if form.is_valid():
        try:
            policy = services.policy_create(actor=user, committee=committee, values=form.values())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The new version takes effect on %(date)s.")
                             % {"date": date_format(policy.effective_from, "DATE_FORMAT")})
            return redirect(_list_url(committee))
    return _render_list(request, committees, committee, form=form, status=400)


@require_http_methods(["GET", "POST"])
@policy_page
def policy_edit(request, pk: int):
    user = request.user
    policy = selectors.get_policy_for_user(user, pk)
    if not can(user, CHANGE, policy):
        raise PermissionDenied
    if services.is_used(policy):
        messages.error(request, _("Deadlines have been computed from this version; it cannot be changed. Add a "
                                  "new version with the date the change takes effect."))
        return redirect(_list_url(policy.committee))
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                services.policy_update(actor=user, policy=policy, values=form.values())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The version has been corrected."))
                return redirect(_list_url(policy.committee))
        status = 400
    else:
        form, status = PolicyForm(initial=PolicyForm.initial_from(policy)), 200
    return render(request, "rectification/policies/policy_edit.html", {"policy": policy, "form": form},
                  status=status)
