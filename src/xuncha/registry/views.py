"""Pages of the registry (基础信息): organizations and people.

Reads go through the selectors, writes through the services; a refusal from a service is a
403 page, an object outside the user's scope a 404.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, VIEW, can, can_any
from xuncha.registry import selectors, services
from xuncha.registry.forms import (
    OrganizationFilterForm,
    OrganizationForm,
    PersonFilterForm,
    PersonForm,
    RelativeForm,
    WorkHistoryForm,
)
from xuncha.registry.models import Organization, Person, Relative, WorkHistory
from xuncha.workbench.pages import service_page

PER_PAGE = 50
PEOPLE_ON_ORGANIZATION_PAGE = 50


registry_page = partial(service_page, refuse_system_roles=True)


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _fragment_or_page(request, fragment: str, page: str, context: dict):
    """The table fragment for htmx requests (live search), the whole page otherwise."""
    htmx = getattr(request, "htmx", None)
    template = fragment if htmx and not htmx.boosted else page
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _filtered(request) -> bool:
    return any(value for key, value in request.GET.items() if key != "page")


def _chosen_committee(request, committees: list):
    """The committee a new record belongs to: the one asked for, else the current role's."""
    wanted = request.POST.get("committee") or request.GET.get("committee")
    for committee in committees:
        if str(committee.pk) == wanted:
            return committee
    assignment = getattr(request, "current_assignment", None)
    for committee in committees:
        if assignment is not None and committee.pk == assignment.committee_id:
            return committee
    return committees[0]


# -- organizations ---------------------------------------------------------------------------

@registry_page
def organization_tree(request):
    user = request.user
    if not can_any(user, VIEW, Organization):
        raise PermissionDenied
    committees = list(selectors.committees_for(user))
    committee = None
    wanted = request.GET.get("committee")
    if wanted == "all":
        committee = None
    elif len(committees) > 1:
        assignment = request.current_assignment
        chosen = [c for c in committees if str(c.pk) == wanted] or [
            c for c in committees if assignment is not None and c.pk == assignment.committee_id]
        committee = chosen[0] if chosen else None
    forest = selectors.organization_forest(user, committee=committee.pk if committee else None)
    return render(request, "registry/organization_tree.html", {
        "forest": forest,
        "committees": committees if len(committees) > 1 else [],
        "committee": committee,
        "show_principal": can_any(user, VIEW, Person),
        "can_create": bool(can_any(user, CREATE, Organization)),
    })


@registry_page
def organization_list(request):
    user = request.user
    if not can_any(user, VIEW, Organization):
        raise PermissionDenied
    filters = OrganizationFilterForm(request.GET, user=user)
    params = filters.selector_params()
    page = _page(request, selectors.organization_list(user, **params))
    return _fragment_or_page(request, "registry/organization_table.html",
                             "registry/organization_list.html", {
        "filters": filters,
        "page": page,
        "filtered": _filtered(request),
        "show_principal": can_any(user, VIEW, Person),
        "can_create": can_any(user, CREATE, Organization),
    })


@registry_page
def organization_detail(request, pk: int):
    user = request.user
    org = selectors.get_organization_for_user(user, pk)
    people_visible = can_any(user, VIEW, Person)
    people = n_people = None
    if people_visible:
        people_qs = selectors.people_for(user, organization=org.pk)
        people = list(people_qs[:PEOPLE_ON_ORGANIZATION_PAGE])
        n_people = len(people) if len(people) < PEOPLE_ON_ORGANIZATION_PAGE else people_qs.count()
    return render(request, "registry/organization_detail.html", {
        "org": org,
        "children": selectors.organization_list(user, parent=org.pk),
        "people": people,
        "n_people": n_people,
        "principal_visible": org.principal is not None and can(user, VIEW, org.principal),
        "can_edit": can(user, CHANGE, org),
        "can_add_child": can(user, CREATE, Organization(committee=org.committee)),
        "can_add_person": can(user, CREATE, Person(committee=org.committee, organization=org)),
    })


@registry_page
def organization_create(request):
    user = request.user
    committees = selectors.committees_to_create(user, Organization)
    if not committees:
        raise PermissionDenied
    committee = _chosen_committee(request, committees)
    initial = {"active": True, "parent": request.GET.get("parent") or None}
    kind = request.GET.get("kind")
    if kind:
        initial["kind"] = selectors.kinds_for(user).filter(code=kind).first()
    form = OrganizationForm(request.POST or None, user=user, committee=committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organization_create(actor=user, committee=committee, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The organization “%(name)s” has been added.") % {"name": org.name})
            return redirect("registry:organization_detail", pk=org.pk)
    return render(request, "registry/organization_form.html", {
        "form": form, "org": None, "committee": committee,
        "committees": committees if len(committees) > 1 else [],
    })


@registry_page
def organization_edit(request, pk: int):
    user = request.user
    org = selectors.get_organization_for_user(user, pk)
    if not can(user, CHANGE, org):
        raise PermissionDenied
    initial = {name: getattr(org, name) for name in OrganizationForm.base_fields}
    form = OrganizationForm(request.POST or None, user=user, committee=org.committee,
                            organization=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organization_update(actor=user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The organization “%(name)s” has been saved.") % {"name": org.name})
            return redirect("registry:organization_detail", pk=org.pk)
    return render(request, "registry/organization_form.html", {
        "form": form, "org": org, "committee": org.committee, "committees": [],
    })


# -- people ----------------------------------------------------------------------------------

@registry_page
def person_list(request):
    user = request.user
    if not can_any(user, VIEW, Person):
        raise PermissionDenied
    filters = PersonFilterForm(request.GET, user=user)
    params = filters.selector_params()
    page = _page(request, selectors.people_for(user, **params))
    return _fragment_or_page(request, "registry/person_table.html", "registry/person_list.html", {
        "filters": filters,
        "page": page,
        "filtered": _filtered(request),
        "can_create": can_any(user, CREATE, Person),
    })


def _history_context(user, person, form=None) -> dict:
    can_add = can(user, CREATE, WorkHistory(person=person))
    if can_add and form is None:
        form = WorkHistoryForm(user=user, person=person)
    return {
        "person": person,
        "entries": selectors.work_history_for(user, person),
        "can_change_history": can(user, CHANGE, WorkHistory(person=person)),
        "history_form": form if can_add else None,
    }


def _relatives_context(user, person, form=None) -> dict:
    can_add = can(user, CREATE, Relative(person=person))
    if can_add and form is None:
        form = RelativeForm(user=user, person=person)
    return {
        "person": person,
        "relatives": selectors.relatives_for(user, person),
        "can_change_relatives": can(user, CHANGE, Relative(person=person)),
        "relative_form": form if can_add else None,
    }


def _person_page(request, person, *, history_form=None, relative_form=None):
    user = request.user
    context = {
        "person": person,
        "can_edit": can(user, CHANGE, person),
        "organization_visible": person.organization is not None and can(user, VIEW, person.organization),
        "show_history": can(user, VIEW, WorkHistory(person=person)),
        "show_relatives": can(user, VIEW, Relative(person=person)),
    }
    if context["show_history"]:
        context.update(_history_context(user, person, history_form))
    if context["show_relatives"]:
        context.update(_relatives_context(user, person, relative_form))
    if context["show_history"] or context["show_relatives"]:
        # Family and career are sensitive: every viewing is in the audit log.
        audit.record_read(actor=user, obj=person)
    return render(request, "registry/person_detail.html", context)


@registry_page
def person_detail(request, pk: int):
    return _person_page(request, selectors.get_person_for_user(request.user, pk))


@registry_page
def person_create(request):
    user = request.user
    committees = selectors.committees_to_create(user, Person)
    if not committees:
        raise PermissionDenied
    committee = _chosen_committee(request, committees)
    form = PersonForm(request.POST or None, user=user, committee=committee,
                      initial={"organization": request.GET.get("organization") or None})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=user, committee=committee, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": person.name})
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {
        "form": form, "person": None, "committee": committee,
        "committees": committees if len(committees) > 1 else [],
    })


@registry_page
def person_edit(request, pk: int):
    user = request.user
    person = selectors.get_person_for_user(user, pk)
    if not can(user, CHANGE, person):
        raise PermissionDenied
    initial = {name: getattr(person, name) for name in PersonForm.base_fields}
    form = PersonForm(request.POST or None, user=user, committee=person.committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_update(actor=user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("“%(name)s” has been saved.") % {"name": person.name})
            return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {
        "form": form, "person": person, "committee": person.committee, "committees": [],
    })


def _section_response(request, person, *, fragment: str, context: dict, anchor: str,
                      page_kwargs: dict, saved: bool):
    """htmx: the section fragment; otherwise back to the page (or the page with the errors)."""
    if getattr(request, "htmx", None):
        return render(request, fragment, context)
    if saved:
        return redirect(reverse("registry:person_detail", args=[person.pk]) + anchor)
    return _person_page(request, person, **page_kwargs)


@registry_page
@require_POST
def work_history_add(request, pk: int):
    user = request.user
    person = selectors.get_person_for_user(user, pk)
    if not can(user, CREATE, WorkHistory(person=person)):
        raise PermissionDenied
    form = WorkHistoryForm(request.POST, user=user, person=person)
    saved = False
    if form.is_valid():
        try:
            services.work_history_add(actor=user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            saved, form = True, None
    return _section_response(request, person, fragment="registry/work_history_rows.html",
                             context=_history_context(user, person, form), anchor="#work-history",
                             page_kwargs={"history_form": form}, saved=saved)


@registry_page
@require_POST
def work_history_remove(request, pk: int, entry_pk: int):
    user = request.user
    person = selectors.get_person_for_user(user, pk)
    entry = selectors.get_work_history_for_user(user, person, entry_pk)
    services.work_history_remove(actor=user, entry=entry)
    return _section_response(request, person, fragment="registry/work_history_rows.html",
                             context=_history_context(user, person), anchor="#work-history",
                             page_kwargs={}, saved=True)


@registry_page
@require_POST
def relative_add(request, pk: int):
    user = request.user
    person = selectors.get_person_for_user(user, pk)
    if not can(user, CREATE, Relative(person=person)):
        raise PermissionDenied
    form = RelativeForm(request.POST, user=user, person=person)
    saved = False
    if form.is_valid():
        try:
            services.relative_add(actor=user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            saved, form = True, None
    return _section_response(request, person, fragment="registry/relative_rows.html",
                             context=_relatives_context(user, person, form), anchor="#relatives",
                             page_kwargs={"relative_form": form}, saved=saved)


@registry_page
@require_POST
def relative_remove(request, pk: int, relative_pk: int):
    user = request.user
    person = selectors.get_person_for_user(user, pk)
    relative = selectors.get_relative_for_user(user, person, relative_pk)
    services.relative_remove(actor=user, relative=relative)
    return _section_response(request, person, fragment="registry/relative_rows.html",
                             context=_relatives_context(user, person), anchor="#relatives",
                             page_kwargs={}, saved=True)
