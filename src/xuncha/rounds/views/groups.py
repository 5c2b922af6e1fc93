"""The group page (members, targets, recusal, declarations), staffing, and "my work".

Reads go through selectors.groups, writes through the services. A group outside the user's
scope (another group's, a unit's) is a 404; a role without the right to write gets a 403.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.access.policy import CREATE, DELETE, VIEW, can, can_any, scope
from xuncha.registry.models import Organization, Person
from xuncha.rounds import services
from xuncha.rounds.forms_groups import ConflictForm, DeclarationForm, MemberAddForm, TargetAddForm
from xuncha.rounds.models import (
    Assignment,
    ConflictDeclaration,
    DrawRecord,
    GroupMember,
    MemberDeclaration,
    RecusalOverride,
    Round,
)
from xuncha.rounds.recusal import RecusalConflict
from xuncha.rounds.selectors import groups as selectors
from xuncha.rounds.transitions import PLAN_OPEN
from xuncha.workbench.pages import service_page

group_page = partial(service_page, refuse_system_roles=True)


def _round_url(rnd: Round) -> str:
    try:
        return reverse("rounds:round_detail", args=[rnd.pk])
    except NoReverseMatch:  # the planning pages are not mounted
        return ""


def _rights(user, group) -> dict:
    plan_open = group.round.state in PLAN_OPEN
    member = GroupMember(group=group)
    return {
        "plan_open": plan_open,
        "can_staff": plan_open and can(user, CREATE, member),
        "can_remove_member": plan_open and can(user, DELETE, member),
        "can_target": plan_open and can(user, CREATE, Assignment(group=group, round=group.round)),
        "can_remove_target": plan_open and can(user, DELETE, Assignment(group=group, round=group.round)),
        "can_record_declaration": can(user, CREATE, MemberDeclaration(member=member)),
        "can_declare_conflict": can(user, CREATE, ConflictDeclaration(person=Person(committee=group.round.committee))),
        "can_override": can(user, CREATE, RecusalOverride(group=group)),
        "can_draw": plan_open and can(user, CREATE, DrawRecord(group=group)),
    }


def _group_context(request, group, *, declaration_form=None, conflict_form=None) -> dict:
    user = request.user
    rights = _rights(user, group)
    members = selectors.members_of(user, group)
    member_qs = _members_qs(user, group)
    if members and rights["can_record_declaration"] and declaration_form is None:
        declaration_form = DeclarationForm(members=member_qs, member_list=members)
    if members and rights["can_declare_conflict"] and conflict_form is None:
        conflict_form = ConflictForm(user=user, group=group, members=member_qs, member_list=members)
    return {
        "group": group,
        "round": group.round,
        "round_url": _round_url(group.round),
        "members": members,
        "targets": list(selectors.targets_of(user, group)),
        "overrides": list(selectors.overrides_of(user, group)) if can_any(user, VIEW, RecusalOverride) else None,
        "declared_conflicts": (list(selectors.declared_conflicts_of(user, group))
                               if can_any(user, VIEW, ConflictDeclaration) else None),
        "person_links": can_any(user, VIEW, Person),
        "organization_links": can_any(user, VIEW, Organization),
        "declaration_form": declaration_form if members and rights["can_record_declaration"] else None,
        "conflict_form": conflict_form if members and rights["can_declare_conflict"] else None,
        "declaration_kinds": MemberDeclaration.Kind.choices,
        **rights,
    }


@group_page
@require_GET
def group_detail(request, pk: int):
    group = selectors.get_group_for_user(request.user, pk)
    return render(request, "rounds/groups/group_detail.html", _group_context(request, group))


@group_page
@require_POST
def group_create(request, round_id: int):
    rnd = scope(request.user, Round).filter(pk=round_id).select_related("term").first()
    if rnd is None:
        raise Http404
    try:
        group = services.group_create(actor=request.user, round=rnd)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_round_url(rnd) or reverse("workbench:home"))
    messages.success(request, _("%(group)s has been added.") % {"group": group.name})
    return redirect("rounds:group_detail", pk=group.pk)


# -- members ---------------------------------------------------------------------------------

def _staffing_group(request, pk: int, *, model_obj):
    """The group, if the user may see it and staff it (403 otherwise) while the plan is open."""
    group = selectors.get_group_for_user(request.user, pk)
    if not can(request.user, CREATE, model_obj(group)):
        raise PermissionDenied
    return group


@group_page
def member_add(request, pk: int):
    user = request.user
    group = _staffing_group(request, pk, model_obj=lambda g: GroupMember(group=g))
    if request.method == "POST":
        form = MemberAddForm(request.POST, user=user, group=group)
    else:  # the first visit, or a search without JavaScript: nothing to complain about yet
        form = MemberAddForm(user=user, group=group, initial=request.GET.dict())
    refusal = None
    if form.is_bound and form.is_valid():
        may_override = can(user, CREATE, RecusalOverride(group=group))
        reason = form.cleaned_data["override_reason"] if may_override else ""
        try:
            member = services.member_add(
                actor=user, group=group, person=form.cleaned_data["person"], role=form.cleaned_data["role"],
                user=form.cleaned_data["username"], override_reason=reason)
        except RecusalConflict as exc:
            refusal = {"conflicts": exc.conflicts, "may_override": may_override}
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(name)s has joined %(group)s.") % {
                "name": member.person.name, "group": group.name})
            return redirect(reverse("rounds:group_detail", args=[group.pk]) + "#members")
    values = request.POST if form.is_bound else request.GET
    query = values.get("q", "").strip()
    chosen = selectors.get_person_to_staff(user, group, values["person"]) if _int(values.get("person")) else None
    return render(request, "rounds/groups/member_form.html", {
        "group": group, "round_url": _round_url(group.round), "form": form, "refusal": refusal,
        "query": query, "chosen": chosen,
        "suggestions": _people_suggestions(user, group, query, chosen),
        "plan_open": group.round.state in PLAN_OPEN,
    })


def _int(value) -> bool:
    return str(value or "").isdigit()


def _people_suggestions(user, group, query: str, chosen=None) -> list:
    found = list(selectors.people_to_staff(user, group, query)[:selectors.SUGGESTIONS]) if query else []
    if chosen is not None and chosen not in found:
        found.insert(0, chosen)
    return found


def _org_suggestions(user, group, query: str, chosen=None) -> list:
    found = list(selectors.organizations_to_inspect(user, group, query)[:selectors.SUGGESTIONS]) if query else []
    if chosen is not None and chosen not in found:
        found.insert(0, chosen)
    return found


@group_page
@require_GET
def person_suggestions(request, pk: int):
    """htmx: people matching the search box, as choices for the member form."""
    group = _staffing_group(request, pk, model_obj=lambda g: GroupMember(group=g))
    query = request.GET.get("q", "").strip()
    response = render(request, "rounds/groups/_person_choices.html", {
        "suggestions": _people_suggestions(request.user, group, query), "query": query, "chosen": None})
    patch_vary_headers(response, ("HX-Request",))
    return response


@group_page
@require_GET
def account_suggestions(request, pk: int):
    """htmx: accounts whose user name starts with, or whose full name contains, the text."""
    group = _staffing_group(request, pk, model_obj=lambda g: GroupMember(group=g))
    query = request.GET.get("username", "").strip()
    accounts = list(selectors.accounts_to_grant(request.user, group, query)[:selectors.SUGGESTIONS]) if query else []
    return render(request, "rounds/groups/_account_options.html", {"accounts": accounts})


@group_page
@require_GET
def organization_suggestions(request, pk: int):
    """htmx: organizations of the committee matching the search box."""
    group = selectors.get_group_for_user(request.user, pk)
    if not (can(request.user, CREATE, Assignment(group=group, round=group.round))
            or can_any(request.user, CREATE, ConflictDeclaration)):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    response = render(request, "rounds/groups/_organization_choices.html", {
        "suggestions": _org_suggestions(request.user, group, query), "query": query, "chosen": None})
    patch_vary_headers(response, ("HX-Request",))
    return response


@group_page
def member_remove(request, pk: int, member_id: int):
    group = selectors.get_group_for_user(request.user, pk)
    member = selectors.get_member_for_user(request.user, group, member_id)
    if not can(request.user, DELETE, member):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.member_remove(actor=request.user, member=member)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(name)s has left %(group)s.") % {
                "name": member.person.name, "group": group.name})
        return redirect(reverse("rounds:group_detail", args=[group.pk]) + "#members")
    return render(request, "rounds/groups/confirm_remove.html", {
        "group": group, "round_url": _round_url(group.round), "what": member.person.name,
        "explanation": _("%(name)s leaves the group; the access their account had through it ends.")
        % {"name": member.person.name} if member.access_id else "",
        "action": reverse("rounds:group_member_remove", args=[group.pk, member.pk]),
    })


# -- targets ---------------------------------------------------------------------------------

@group_page
def target_add(request, pk: int):
    user = request.user
    group = _staffing_group(request, pk, model_obj=lambda g: Assignment(group=g, round=g.round))
    if request.method == "POST":
        form = TargetAddForm(request.POST, user=user, group=group)
    else:  # the first visit, or a search without JavaScript: nothing to complain about yet
        form = TargetAddForm(user=user, group=group, initial=request.GET.dict())
    refusal = None
    if form.is_bound and form.is_valid():
        may_override = can(user, CREATE, RecusalOverride(group=group))
        reason = form.cleaned_data["override_reason"] if may_override else ""
        try:
            target = services.assignment_add(actor=user, group=group, organization=form.cleaned_data["organization"],
                                             mode=form.cleaned_data["mode"], override_reason=reason)
        except RecusalConflict as exc:
            refusal = {"conflicts": exc.conflicts, "may_override": may_override}
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(org)s has been assigned to %(group)s.") % {
                "org": target.organization.name, "group": group.name})
            return redirect(reverse("rounds:group_detail", args=[group.pk]) + "#targets")
    values = request.POST if form.is_bound else request.GET
    query = values.get("q", "").strip()
    org_id = values.get("organization")
    chosen = selectors.get_organization_to_inspect(user, group, org_id) if _int(org_id) else None
    return render(request, "rounds/groups/target_form.html", {
        "group": group, "round_url": _round_url(group.round), "form": form, "refusal": refusal,
        "query": query, "chosen": chosen, "suggestions": _org_suggestions(user, group, query, chosen),
    })


@group_page
def target_remove(request, pk: int, target_id: int):
    group = selectors.get_group_for_user(request.user, pk)
    target = selectors.get_target_for_user(request.user, group, target_id)
    if not can(request.user, DELETE, target):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.assignment_remove(actor=request.user, assignment=target)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(org)s is no longer a target of %(group)s.") % {
                "org": target.organization.name, "group": group.name})
        return redirect(reverse("rounds:group_detail", args=[group.pk]) + "#targets")
    return render(request, "rounds/groups/confirm_remove.html", {
        "group": group, "round_url": _round_url(group.round), "what": target.organization.name,
        "explanation": "", "action": reverse("rounds:group_target_remove", args=[group.pk, target.pk]),
    })


# -- declarations and declared conflicts -----------------------------------------------------

def _members_qs(user, group):
    return scope(user, GroupMember).filter(group=group).select_related("person", "group__round__committee").order_by(
        "person__stroke_key", "id")


@group_page
@require_POST
def declaration_add(request, pk: int):
    user = request.user
    group = selectors.get_group_for_user(user, pk)
    if not can(user, CREATE, MemberDeclaration(member=GroupMember(group=group))):
        raise PermissionDenied
    form = DeclarationForm(request.POST, members=_members_qs(user, group))
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            declaration = services.member_declaration_record(
                actor=user, member=member, kind=form.cleaned_data["kind"],
                signed_on=form.cleaned_data["signed_on"], content=form.cleaned_data["content"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(kind)s of %(name)s is on file.") % {
                "kind": declaration.get_kind_display(), "name": member.person.name})
            return redirect(reverse("rounds:group_detail", args=[group.pk]) + "#members")
    return render(request, "rounds/groups/group_detail.html",
                  _group_context(request, group, declaration_form=form), status=200)


@group_page
@require_POST
def conflict_declare(request, pk: int):
    user = request.user
    group = selectors.get_group_for_user(user, pk)
    if not can(user, CREATE, ConflictDeclaration(person=Person(committee=group.round.committee))):
        raise PermissionDenied
    form = ConflictForm(request.POST, user=user, group=group, members=_members_qs(user, group))
    if form.is_valid():
        member = form.cleaned_data["member"]
        try:
            services.conflict_declare(actor=user, person=member.person, organization=form.cleaned_data["organization"],
                                      reason=form.cleaned_data["reason"], declared_on=form.cleaned_data["declared_on"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The conflict of %(name)s with %(org)s is on record.") % {
                "name": member.person.name, "org": form.cleaned_data["organization"].name})
            return redirect(reverse("rounds:group_detail", args=[group.pk]) + "#recusal")
    context = _group_context(request, group, conflict_form=form)
    org_id = form.data.get("organization")
    chosen = selectors.get_organization_to_inspect(user, group, org_id) if _int(org_id) else None
    context["conflict_chosen"] = chosen
    context["conflict_suggestions"] = _org_suggestions(user, group, (form.data.get("q") or "").strip(), chosen)
    return render(request, "rounds/groups/group_detail.html", context)


# -- my work ---------------------------------------------------------------------------------

@group_page
@require_GET
def my_work(request):
    return render(request, "rounds/groups/my_work.html", {
        "groups": selectors.my_groups(request.user),
        "missing": selectors.missing_declarations(request.user),
    })
