"""The public portal (no login, no JavaScript): the committee's home page, the complaint form
with its one-time receipt code, the receipt page (status and messages by code) and QR codes.

Abuse: CSRF on every form, a honeypot field, per-address limits on filing and per-address and
per-prefix limits on receipt lookups (intake.throttle; wrong codes are counted, and once a
limit is reached even the right code waits). The receipt code travels only in POST bodies.
"""

from __future__ import annotations

import io
import math

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from xuncha.intake import receipts, services_public, throttle
from xuncha.intake.forms_public import (
    ComplaintForm,
    ConfirmForm,
    LookupForm,
    MessageForm,
    target_value,
)
from xuncha.intake.selectors.public import (
    active_announcements,
    disclosures,
    form_url,
    public_committee,
    qr_announcements,
    target_for,
)

PER_PAGE = 10
WINDOW = 3600
FILING, LOOKUP_ADDRESS, LOOKUP_PREFIX = "public-complaint", "public-lookup-address", "public-lookup-prefix"
# Where a service names a field the form calls otherwise.
_FORM_FIELD = {"group": "target", "organization": "target"}


def _too_many(request, committee):
    now = timezone.now()
    retry_at = throttle.retry_at(WINDOW, now)
    response = render(request, "intake/public/too_many.html", {"committee": committee, "retry_at": retry_at},
                      status=429)
    # Seconds until the window ends and counting starts again.
    response["Retry-After"] = str(max(1, math.ceil((retry_at - now).total_seconds())))
    return response


def _add_errors(form, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        field = _FORM_FIELD.get(field, field)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


@require_GET
def portal(request, committee_id: int):
    committee = public_committee(committee_id)
    page = Paginator(disclosures(committee), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "intake/public/portal.html",
                  {"committee": committee, "announcements": active_announcements(committee), "page": page})


def _initial_target(request, announcements) -> str | None:
    target = target_for(announcements, group=request.GET.get("group"), organization=request.GET.get("organization"))
    return target_value(target.announcement, target.organization) if target else None


@never_cache
@require_http_methods(["GET", "POST"])
def complain(request, committee_id: int):
    committee = public_committee(committee_id)
    announcements = list(active_announcements(committee))
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, committee)
    if not announcements:
        return render(request, "intake/public/closed.html", {"committee": committee})
    via_qr = (request.POST if request.method == "POST" else request.GET).get("via") == "qr"
    if request.method == "GET":
        form = ComplaintForm(announcements=announcements, initial={"target": _initial_target(request, announcements)})
        return _form_page(request, committee, form, via_qr)
    address = throttle.client_address(request)
    limit = settings.XUNCHA_PUBLIC_COMPLAINTS_PER_HOUR
    if throttle.exceeded(FILING, address, limit, WINDOW):
        return _too_many(request, committee)
    form = ComplaintForm(request.POST, request.FILES, announcements=announcements)
    if form.is_robot:
        throttle.hit(FILING, address, limit, WINDOW)
        return render(request, "intake/public/refused.html", {"committee": committee}, status=400)
    if form.is_valid():
        if not throttle.hit(FILING, address, limit, WINDOW):
            return _too_many(request, committee)
        data = form.cleaned_data
        try:
            complaint, code = services_public.file_online(
                committee=committee, concerns=data["concerns"], content=data["content"], name=data["name"],
                contact=data["contact"], files=data["attachments"], via_qr=via_qr, **form.target_pks())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _show_code(request, committee, code, ConfirmForm(initial={"code": code}), status=201)
    return _form_page(request, committee, form, via_qr)


def _form_page(request, committee, form, via_qr: bool):
    return render(request, "intake/public/complain.html",
                  {"committee": committee, "form": form, "via_qr": via_qr,
                   "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})


def _show_code(request, committee, code: str, form, *, status: int = 200):
    return render(request, "intake/public/receipt_code.html",
                  {"committee": committee, "groups": receipts.groups(code), "form": form}, status=status)


def _confirm(request, committee):
    """"I have saved my receipt code": on to the receipt page; unticked, the code once more."""
    form = ConfirmForm(request.POST)
    if form.is_valid():
        return redirect(reverse("public:receipt", args=[committee.pk]) + "?saved=1")
    code = receipts.normalize(request.POST.get("code", ""))
    if not receipts.is_well_formed(code):
        raise Http404  # only a code this form showed comes back here
    return _show_code(request, committee, code, form)


@never_cache
@require_http_methods(["GET", "POST"])
def receipt(request, committee_id: int):
    committee = public_committee(committee_id)
    if request.method == "GET":
        return render(request, "intake/public/lookup.html",
                      {"committee": committee, "form": LookupForm(), "saved": request.GET.get("saved") == "1"})
    code = receipts.normalize(request.POST.get("code", ""))
    address, prefix = throttle.client_address(request), code[:receipts.PREFIX]
    limit = settings.XUNCHA_PUBLIC_LOOKUPS_PER_HOUR
    if throttle.exceeded(LOOKUP_ADDRESS, address, limit, WINDOW) or \
            throttle.exceeded(LOOKUP_PREFIX, prefix, limit, WINDOW):
        return _too_many(request, committee)
    complaint = receipts.find(code, committee=committee) if code else None
    if complaint is None:
        throttle.hit(LOOKUP_ADDRESS, address, limit, WINDOW)
        throttle.hit(LOOKUP_PREFIX, prefix, limit, WINDOW)
        return render(request, "intake/public/lookup.html",
                      {"committee": committee, "form": LookupForm(), "wrong": True})
    message_form, sent = MessageForm(initial={"code": code}), False
    if request.POST.get("action") == "message":
        posted = MessageForm(request.POST)
        if posted.is_valid():
            try:
                services_public.public_message(complaint=complaint, text=posted.cleaned_data["text"])
                sent = True
            except ValidationError as error:
                _add_errors(posted, error)
                message_form = posted
        else:
            message_form = posted
    return render(request, "intake/public/status.html",
                  {"committee": committee, "status": services_public.status(complaint),
                   "message_form": message_form, "sent": sent})


@require_GET
def qr(request, committee_id: int):
    """The QR code (码上巡) of the form for the committee, a group or an organization: SVG, or
    PNG with ?format=png."""
    committee = public_committee(committee_id)
    target = None
    if request.GET.get("group") or request.GET.get("organization"):
        target = target_for(list(qr_announcements(committee)), group=request.GET.get("group"),
                            organization=request.GET.get("organization"))
        if target is None:
            raise Http404
    url = form_url(committee, target)
    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    if request.GET.get("format") == "png":
        code.save(buffer, kind="png", scale=8, border=4)
        return HttpResponse(buffer.getvalue(), content_type="image/png")
    code.save(buffer, kind="svg", scale=8, border=4, xmldecl=False, title=str(committee.name), desc=url)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
