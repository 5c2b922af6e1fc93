"""The detector's settings page (thresholds; run now / full run with the counts of what the run
did) and the point-to-department mapping page (the supervision points of the committee's
checklists in force, each with the functional departments responsible; add and remove).

Read by the office, the leading group and the superior office; the thresholds and a full run are
the office administrator's, an incremental run and the mapping the office's (see
services_detection). Writes are POST-only; a write the role may not make is the 403 page, a
committee or mapping outside the user's scope a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.access.policy import CHANGE, CREATE, DELETE, can
from xuncha.analytics import filters
from xuncha.analytics import services_detection as services
from xuncha.analytics.models import DepartmentMapping, DetectionSettings
from xuncha.analytics.selectors import clusters as selectors
from xuncha.workbench.pages import service_page

settings_page = service_page(refuse_system_roles=True, readable=DetectionSettings)
mapping_page = service_page(refuse_system_roles=True, readable=DepartmentMapping)


class SettingsForm(forms.Form):
    threshold = forms.FloatField(label=gettext_lazy("Similarity threshold"), min_value=services.MIN_THRESHOLD,
                                 max_value=1, widget=forms.NumberInput(attrs={"step": "0.01"}))
    common_min_organizations = forms.IntegerField(label=gettext_lazy("Organizations for a common problem"),
                                                  min_value=2, max_value=services.MAX_COMMON)


class MappingForm(forms.Form):
    point = forms.IntegerField(widget=forms.HiddenInput)
    department = forms.IntegerField(label=gettext_lazy("Department"))


def _committee(user, params):
    return filters.parse(user, {"committee": params.get("committee")}).committee


def _settings_url(committee) -> str:
    return f"{reverse('analytics:detection_settings')}?committee={committee.pk}"


def _mapping_url(committee) -> str:
    return f"{reverse('analytics:department_mapping')}?committee={committee.pk}"


def _service_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(None if field == NON_FIELD_ERRORS or field not in form.fields else field, errors)


def _may_change(user, committee) -> bool:
    row = services.current_settings(committee)
    return can(user, CHANGE if row.pk else CREATE, row)


def _render_settings(request, committee, *, form=None, status=200):
    user = request.user
    row = services.current_settings(committee)
    may_change = _may_change(user, committee)
    if may_change and form is None:
        form = SettingsForm(initial={"threshold": row.threshold,
                                     "common_min_organizations": row.common_min_organizations})
    return render(request, "analytics/clusters/detection_settings.html", {
        "committee": committee, "committees": list(filters.committees(user)), "settings": row,
        "form": form if may_change else None, "pending": selectors.pending(committee),
        "may_run": services.may_run(user, committee), "may_run_full": services.may_run(user, committee, full=True),
    }, status=status)


@require_http_methods(["GET", "POST"])
@settings_page
def detection_settings(request):
    user = request.user
    committee = _committee(user, request.POST if request.method == "POST" else request.GET)
    if request.method == "GET":
        return _render_settings(request, committee)
    if not _may_change(user, committee):
        raise PermissionDenied
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            services.update_settings(actor=user, committee=committee, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("The detection settings have been saved."))
            return redirect(_settings_url(committee))
    return _render_settings(request, committee, form=form, status=400)


@require_POST
@settings_page
def detection_run(request):
    user = request.user
    committee = _committee(user, request.POST)
    full = request.POST.get("full") == "1"
    if not services.may_run(user, committee, full=full):
        raise PermissionDenied
    result = services.run_detection(actor=user, committee=committee, full=full)
    messages.success(request, _(
        "Detection finished in %(seconds).1f s: %(fingerprinted)s problems fingerprinted and matched, "
        "%(pairs)s near-duplicate pairs stored, %(clusters)s clusters.") % {
        "seconds": result.seconds, "fingerprinted": result.fingerprinted, "pairs": result.pairs,
        "clusters": result.clusters})
    return redirect(_settings_url(committee))


def _render_mapping(request, committee, *, form=None, status=200):
    user = request.user
    may_add = can(user, CREATE, DepartmentMapping(committee=committee))
    rows = selectors.points_in_force(user, committee)
    for row in rows:
        for mapping in row.mappings:
            mapping.may_remove = can(user, DELETE, mapping)
    return render(request, "analytics/clusters/department_mapping.html", {
        "committee": committee, "committees": list(filters.committees(user)), "rows": rows,
        "departments": list(selectors.departments(user, committee)) if may_add else [],
        "may_add": may_add, "form": form,
    }, status=status)


@require_GET
@mapping_page
def department_mapping(request):
    return _render_mapping(request, _committee(request.user, request.GET))


@require_POST
@mapping_page
def mapping_add(request):
    user = request.user
    committee = _committee(user, request.POST)
    if not can(user, CREATE, DepartmentMapping(committee=committee)):
        raise PermissionDenied
    form = MappingForm(request.POST)
    if form.is_valid():
        try:
            services.map_point(actor=user, committee=committee,
                               point=selectors.get_point_for_user(user, committee, form.cleaned_data["point"]),
                               department=selectors.get_organization_for_user(user, form.cleaned_data["department"]))
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("The department has been made responsible for the point."))
            return redirect(_mapping_url(committee))
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return _render_mapping(request, committee, form=form, status=400)


@require_POST
@mapping_page
def mapping_remove(request, pk: int):
    user = request.user
    mapping = selectors.get_mapping_for_user(user, pk)
    if not can(user, DELETE, mapping):
        raise PermissionDenied
    committee = mapping.committee
    services.unmap_point(actor=user, mapping=mapping)
    messages.success(request, _("The department is no longer responsible for the point."))
    return redirect(_mapping_url(committee))
