"""Pages of the 三员 (accounts, role assignments, audit log) and the user's API tokens.

Each page belongs to one role: another role gets the friendly 403 page; an object outside
the user's scope is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from xuncha.access import policy, services
from xuncha.access import system_selectors as selectors
from xuncha.access.exports import audit_events_xlsx
from xuncha.access.system_forms import (
    AccountCreateForm,
    AccountFilterForm,
    AssignmentFilterForm,
    AuditFilterForm,
    GrantForm,
    TokenCreateForm,
)
from xuncha.workbench.forms import add_service_errors

ACCOUNTS_PER_PAGE = 25
ASSIGNMENTS_PER_PAGE = 25
EVENTS_PER_PAGE = 50
WAITING_SHOWN = 10


def page_for(may_open: Callable[[object], bool]):
    """Log-in required, then the page is the role's own: anyone else gets 403; a refusal
    raised by a service is a 403 too."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not may_open(request.user):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except policy.PermissionDenied as exc:
                raise PermissionDenied from exc
        return wrapped
    return decorate


def _page(request, queryset, per_page: int):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _secret(request, template: str, context: dict) -> HttpResponse:
    """A page showing a password or key once: never cached, never shown again."""
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


# -- accounts (sysadmin) ---------------------------------------------------------------------

@page_for(selectors.may_manage_accounts)
@require_GET
def account_list(request):
    form = AccountFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    accounts = selectors.account_list(request.user, search=data.get("q", "").strip(),
                                      status=data.get("status", ""))
    return render(request, "access/system/accounts.html", {
        "form": form, "page": _page(request, accounts, ACCOUNTS_PER_PAGE), "now": timezone.now(),
    })


@page_for(selectors.may_manage_accounts)
def account_create(request):
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.user_create(
                actor=request.user, username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _secret(request, "access/system/account_secret.html", {
                "account": account, "password": password, "created": True,
            })
    return render(request, "access/system/account_form.html", {"form": form})


@page_for(selectors.may_manage_accounts)
@require_POST
def account_set_active(request, pk: int):
    account = selectors.get_account_for_change(request.user, pk)
    active = request.POST.get("active") == "1"
    services.user_set_active(actor=request.user, user=account, active=active)
    if active:
        messages.success(request, _("Account %(name)s is active again.") % {"name": account.username})
    else:
        messages.success(request, _("Account %(name)s is deactivated; it can no longer log in.")
                         % {"name": account.username})
    return redirect("system:accounts")


@page_for(selectors.may_manage_accounts)
@require_POST
def account_unlock(request, pk: int):
    account = selectors.get_account_for_change(request.user, pk)
    services.user_unlock(actor=request.user, user=account)
    messages.success(request, _("Account %(name)s is unlocked.") % {"name": account.username})
    return redirect("system:accounts")


@page_for(selectors.may_manage_accounts)
@require_POST
def account_reset_password(request, pk: int):
    account = selectors.get_account_for_change(request.user, pk)
    password = services.user_reset_password(actor=request.user, user=account)
    return _secret(request, "access/system/account_secret.html", {
        "account": account, "password": password, "created": False,
    })


# -- role assignments (secadmin) ---------------------------------------------------------------

def _grant_form(request, data=None) -> GrantForm:
    user = request.user
    initial = {}
    if data is None and request.GET.get("account"):
        initial["user"] = request.GET["account"][:150]
    return GrantForm(
        data, initial=initial,
        accounts=selectors.grantable_accounts(user),
        committees=selectors.committees_for_grant(user),
        organizations=lambda committee: (selectors.organizations_for_grant(user, committee)
                                         if committee is not None else selectors.organizations_for_grant(user).none()),
    )


def _assignments_page(request, grant_form: GrantForm, status: int = 200) -> HttpResponse:
    user = request.user
    filter_form = AssignmentFilterForm(request.GET or None, auto_id="filter_%s",
                                       committees=selectors.committees_for_grant(user))
    data = filter_form.cleaned_data if filter_form.is_valid() else {}
    assignments = selectors.assignment_list(
        user, role=data.get("role", ""), committee=data.get("committee"),
        username=data.get("user", "").strip(),
    )
    waiting = selectors.accounts_waiting_for_role(user)
    return render(request, "access/system/assignments.html", {
        "filter_form": filter_form,
        "grant_form": grant_form,
        "page": _page(request, assignments, ASSIGNMENTS_PER_PAGE),
        "waiting": list(waiting[:WAITING_SHOWN]),
        "waiting_count": waiting.count(),
    }, status=status)


@page_for(selectors.may_grant_roles)
@require_GET
def assignment_list(request):
    return _assignments_page(request, _grant_form(request))


@page_for(selectors.may_grant_roles)
@require_POST
def assignment_grant(request):
    form = _grant_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.role_grant(
                actor=request.user, user=data["user"], role=data["role"],
                committee=data["committee"], organization=data["organization"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(user)s now holds the role %(role)s in %(scope)s.") % {
                "user": assignment.user.username, "role": assignment.get_role_display(),
                "scope": assignment.scope_label})
            return redirect("system:roles")
    return _assignments_page(request, form, status=400)


@page_for(selectors.may_grant_roles)
@require_GET
def organization_options(request):
    """The organization choices of one committee, swapped in by htmx when it changes."""
    form = _grant_form(request, {"committee": request.GET.get("committee", "")})
    return render(request, "access/system/organization_select.html", {"field": form["organization"]})


@page_for(selectors.may_grant_roles)
def assignment_revoke(request, pk: int):
    assignment = selectors.get_assignment_for_revoke(request.user, pk)
    if request.method == "POST":
        services.role_revoke(actor=request.user, assignment=assignment)
        messages.success(request, _("The role %(role)s of %(user)s in %(scope)s is revoked.") % {
            "role": assignment.get_role_display(), "user": assignment.user.username,
            "scope": assignment.scope_label})
        return redirect("system:roles")
    return render(request, "access/system/assignment_revoke.html", {"assignment": assignment})


# -- audit log (auditor) -------------------------------------------------------------------------

@page_for(selectors.may_read_audit)
@require_GET
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    form.is_valid()
    events = selectors.audit_events(request.user, form.filters())
    return render(request, "access/system/audit.html", {
        "form": form, "page": _page(request, events, EVENTS_PER_PAGE),
        "may_export": selectors.may_export_audit(request.user),
    })


@page_for(selectors.may_read_audit)
@require_POST
def audit_verify(request):
    result = services.audit_verify(actor=request.user)
    if result.ok:
        messages.success(request, _("The audit chain is intact: %(count)d events checked.")
                         % {"count": result.checked})
    else:
        messages.error(request, _("The audit chain is broken at event #%(seq)s: %(reason)s. "
                                  "The %(count)d events before it are intact.")
                       % {"seq": result.broken_seq, "reason": result.reason, "count": result.checked})
    return redirect("system:audit")


@page_for(selectors.may_export_audit)
@require_POST
@never_cache
def audit_export(request):
    form = AuditFilterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The filter is not valid: %(errors)s")
                       % {"errors": "; ".join(e for errors in form.errors.values() for e in errors)})
        return redirect("system:audit")
    file, _count = audit_events_xlsx(actor=request.user, filters=form.filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(file, as_attachment=True, filename=f"audit-{stamp}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# -- API tokens (every business account) -------------------------------------------------------

def _tokens_page(request, form: TokenCreateForm, status: int = 200) -> HttpResponse:
    return render(request, "access/system/tokens.html", {
        "form": form, "tokens": selectors.own_tokens(request.user),
    }, status=status)


@page_for(selectors.may_hold_tokens)
@require_GET
def token_list(request):
    return _tokens_page(request, TokenCreateForm())


@page_for(selectors.may_hold_tokens)
@require_POST
def token_create(request):
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, key = services.token_create(actor=request.user, user=request.user,
                                               name=form.cleaned_data["name"].strip())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _secret(request, "access/system/token_secret.html", {"token": token, "key": key})
    return _tokens_page(request, form, status=400)


@page_for(selectors.may_hold_tokens)
@require_POST
def token_revoke(request, pk: int):
    token = selectors.get_own_token_for_revoke(request.user, pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token %(name)s is revoked; programs using it are refused from now on.")
                     % {"name": token.name})
    return redirect("system:tokens")
