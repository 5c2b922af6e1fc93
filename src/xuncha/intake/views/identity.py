"""Identity access pages: the identity panel of a complaint (anonymous / on file — request
access / requested / granted — view), viewing it (a POST whose response alone shows the name
and contact, never cached), and the deciders' page of requests to grant or refuse with the
history of decisions and view counts.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.access.policy import CREATE, can
from xuncha.intake import services_identity as services
from xuncha.intake.forms_complaints import (
    DecisionForm,
    IdentityRequestForm,
    RevokeForm,
    default_expiry,
)
from xuncha.intake.models import Complaint, IdentityAccess
from xuncha.intake.selectors import complaints as complaint_selectors
from xuncha.intake.selectors import identity as selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 50
ANONYMOUS, GRANTED, REQUESTED, ON_FILE = "anonymous", "granted", "requested", "on_file"


def panel(request, complaint: Complaint, *, request_form: IdentityRequestForm | None = None) -> dict:
    """The identity panel's context: its state for this user, the requests the user may read,
    and the request form where the user may ask."""
    user = request.user
    requests = list(selectors.for_complaint(user, complaint))
    if complaint.anonymous:
        state, access = ANONYMOUS, None
    else:
        access = selectors.usable_access(user, complaint)
        if access is not None:
            state = GRANTED
        else:
            access = selectors.open_access(user, complaint)
            state = REQUESTED if access is not None else ON_FILE
    may_request = state == ON_FILE and can(user, CREATE, IdentityAccess(complaint=complaint, requested_by=user))
    return {
        "identity_state": state, "identity_access": access, "identity_requests": requests,
        "identity_request_form": (request_form or IdentityRequestForm()) if may_request else None,
        "decides_identity": selectors.decides(user),
    }


@require_POST
@service_page(refuse_system_roles=True, readable=Complaint)
def identity_request(request, pk: int):
    user = request.user
    complaint = complaint_selectors.get_complaint_for_user(user, pk)
    if not can(user, CREATE, IdentityAccess(complaint=complaint, requested_by=user)):
        raise PermissionDenied
    form = IdentityRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_access(actor=user, complaint=complaint, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Your request has been sent to the office head and the leading group."))
            return redirect("intake:complaint_detail", complaint.pk)
    from xuncha.intake.views.complaints import _render_detail  # noqa: PLC0415 - the page this panel is on

    return _render_detail(request, complaint, status=400, identity_request_form=form)


@require_POST
@service_page(refuse_system_roles=True, readable=Complaint)
def identity_view(request, pk: int):
    """Show the informant's name and contact in this response only (audited, counted)."""
    user = request.user
    complaint = complaint_selectors.get_complaint_for_user(user, pk)
    name, contact = services.view_identity(actor=user, complaint=complaint)
    from xuncha.intake.views.complaints import _render_detail  # noqa: PLC0415 - the page this panel is on

    response = _render_detail(request, complaint, revealed={"name": name, "contact": contact})
    response["Cache-Control"] = "no-store, private"
    return response


# -- deciders --------------------------------------------------------------------------------

def _decider(request) -> None:
    if not selectors.decides(request.user):
        raise PermissionDenied


def _render_requests(request, *, status: int = 200, form_for: int | None = None, form=None):
    user = request.user
    pending = list(selectors.pending(user))
    rows = [(a, form if a.pk == form_for else DecisionForm(prefix=f"a{a.pk}",
                                                                     initial={"expires_on": default_expiry()}))
            for a in pending]
    page = Paginator(selectors.history(user), PER_PAGE).get_page(request.GET.get("page"))
    revocable = {a.pk for a in page.object_list if services.may_revoke(user, a)}
    return render(request, "intake/identity/requests.html", {
        "rows": rows, "page": page, "history": page.object_list, "revocable": revocable, "today": selectors.today(),
    }, status=status)


@require_GET
@service_page(refuse_system_roles=True, readable=IdentityAccess)
def identity_requests(request):
    _decider(request)
    return _render_requests(request)


@require_POST
@service_page(refuse_system_roles=True, readable=IdentityAccess)
def identity_decide(request, pk: int):
    _decider(request)
    user = request.user
    access = selectors.get_access_for_decider(user, pk)
    if access.requested_by_id == user.pk:
        raise PermissionDenied
    form = DecisionForm(request.POST, prefix=f"a{access.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(actor=user, access=access, grant=data["grant"], comment=data["comment"],
                            expires_on=data["expires_on"])
        except ValidationError as exc:
            if "state" in exc.message_dict:
                messages.error(request, exc.message_dict["state"][0])
                return redirect("intake:identity_requests")
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Access has been granted.") if data["grant"]
                             else _("The request has been refused."))
            return redirect("intake:identity_requests")
    return _render_requests(request, status=400, form_for=access.pk, form=form)


@require_POST
@service_page(refuse_system_roles=True, readable=IdentityAccess)
def identity_revoke(request, pk: int):
    _decider(request)
    user = request.user
    access = selectors.get_access_for_decider(user, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke(actor=user, access=access, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The access has been revoked."))
    return redirect("intake:identity_requests")
