"""Pages of the inspector pool (巡察人才库): the list, an inspector's profile and evaluations,
and the random draw of a roster for a group.

Reads go through selectors.pool, writes through services_pool; an object outside the user's
scope is a 404, a role without the right a 403.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from xuncha.access.policy import CHANGE, CREATE, VIEW, can, can_any
from xuncha.registry.selectors import committees_for
from xuncha.rounds import services_pool
from xuncha.rounds.forms_pool import (
    DrawForm,
    EvaluationForm,
    PoolFilterForm,
    ProfileAddForm,
    ProfileForm,
)
from xuncha.rounds.models import DrawRecord, InspectorEvaluation, InspectorProfile
from xuncha.rounds.recusal import RecusalConflict
from xuncha.rounds.selectors import pool as selectors
from xuncha.rounds.transitions import PLAN_OPEN
from xuncha.workbench.pages import service_page

PER_PAGE = 30
DRAWS_SHOWN = 20
LAST_DRAW = "xuncha.rounds.last_draw"


pool_page = partial(service_page, refuse_system_roles=True)


def _fragment_or_page(request, fragment: str, page: str, context: dict):
    htmx = getattr(request, "htmx", None)
    response = render(request, fragment if htmx and not htmx.boosted else page, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# -- the pool --------------------------------------------------------------------------------

@pool_page
def pool_list(request):
    user = request.user
    if not can_any(user, VIEW, InspectorProfile):
        raise PermissionDenied
    filters = PoolFilterForm(request.GET)
    page = Paginator(selectors.profiles_for(user, **filters.selector_params()), PER_PAGE).get_page(
        request.GET.get("page"))
    page.object_list = selectors.decorate(page.object_list)
    return _fragment_or_page(request, "rounds/pool/list_table.html", "rounds/pool/list.html", {
        "filters": filters,
        "page": page,
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "can_create": can_any(user, CREATE, InspectorProfile),
    })


def _committee_to_add(request):
    """The committee whose pool grows: the current role's, else the first the user may add to."""
    user = request.user
    committees = [c for c in committees_for(user)
                  if can(user, CREATE, InspectorProfile(committee=c))]
    if not committees:
        raise PermissionDenied
    assignment = getattr(request, "current_assignment", None)
    for committee in committees:
        if assignment is not None and committee.pk == assignment.committee_id:
            return committee
    return committees[0]


@pool_page
def pool_add(request):
    user = request.user
    committee = _committee_to_add(request)
    query = (request.POST.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    people = selectors.people_to_add(user, committee=committee.pk)
    found = list(selectors.people_to_add(user, committee=committee.pk, query=query)[:selectors.PEOPLE_FOUND_MAX])
    form = ProfileAddForm(request.POST or None, people=people,
                          initial={"approved_on": timezone.localdate(), "available": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = services_pool.profile_create(
                actor=user, committee=committee, person=data["person"], skills=data["skills"],
                approved_on=data["approved_on"], available=data["available"], note=data["note"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("%(name)s has been added to the inspector pool.") % {"name": profile.person.name})
            return redirect("rounds:pool_detail", pk=profile.pk)
    chosen = form["person"].value() if form.is_bound else None
    if chosen and str(chosen).isdigit() and int(chosen) not in {p.pk for p in found}:
        found = [*people.filter(pk=int(chosen)), *found][: selectors.PEOPLE_FOUND_MAX]
    return render(request, "rounds/pool/add.html", {
        "form": form, "committee": committee, "query": query, "found": found,
        "chosen": str(chosen or ""), "more": len(found) >= selectors.PEOPLE_FOUND_MAX,
    })


@pool_page
def pool_detail(request, pk: int):
    user = request.user
    profile = selectors.get_profile_for_user(user, pk)
    return render(request, "rounds/pool/detail.html", {
        "profile": profile,
        "service": selectors.service_of(user, profile),
        "evaluations": selectors.evaluations_of(user, profile),
        "can_edit": can(user, CHANGE, profile),
        "can_evaluate": can(user, CREATE, InspectorEvaluation(profile=profile)),
        "to_evaluate": selectors.rounds_to_evaluate(profile).count(),
    })


@pool_page
def pool_edit(request, pk: int):
    user = request.user
    profile = selectors.get_profile_for_user(user, pk)
    if not can(user, CHANGE, profile):
        raise PermissionDenied
    form = ProfileForm(request.POST or None, initial={
        "skills": profile.skills, "available": profile.available,
        "approved_on": profile.approved_on, "note": profile.note})
    if request.method == "POST" and form.is_valid():
        try:
            services_pool.profile_update(actor=user, profile=profile, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The profile of %(name)s has been saved.") % {"name": profile.person.name})
            return redirect("rounds:pool_detail", pk=profile.pk)
    return render(request, "rounds/pool/edit.html", {"form": form, "profile": profile})


@pool_page
def pool_evaluate(request, pk: int):
    user = request.user
    profile = selectors.get_profile_for_user(user, pk)
    if not can(user, CREATE, InspectorEvaluation(profile=profile)):
        raise PermissionDenied
    form = EvaluationForm(request.POST or None, rounds=selectors.rounds_to_evaluate(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services_pool.evaluation_add(actor=user, profile=profile, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The evaluation of %(name)s for %(round)s has been recorded.")
                             % {"name": profile.person.name, "round": form.cleaned_data["round"].label})
            return redirect("rounds:pool_detail", pk=profile.pk)
    return render(request, "rounds/pool/evaluate.html", {"form": form, "profile": profile})


# -- the draw --------------------------------------------------------------------------------

def _group_url(group) -> str | None:
    try:
        return reverse("rounds:group_detail", args=[group.pk])
    except NoReverseMatch:
        return None


def _result_rows(user, record: DrawRecord, last: dict, members: set[int]) -> list[dict]:
    slots, previous = last.get("slots", {}), set(last.get("previous", ()))
    profiles = selectors.profiles_by_person(user, record.result)
    order = list(record.requested)
    rows = []
    # The roster in the order of the requested skills (the draw fills the scarcest first).
    for person_id in sorted(record.result, key=lambda pk: order.index(slots[str(pk)])
                            if slots.get(str(pk)) in order else len(order)):
        profile = profiles.get(person_id)
        skill = slots.get(str(person_id), "")
        rows.append({"person_id": person_id, "profile": profile,
                     "skill": selectors.SKILL_LABELS.get(skill, ""),
                     "previous": person_id in previous, "in_group": person_id in members})
    return rows


def _history(user, group) -> list[dict]:
    records = list(selectors.draws_of(user, group)[:DRAWS_SHOWN])
    names = selectors.people_named(user, {pk for r in records for pk in r.result})
    return [{"record": r,
             "requested": [(selectors.SKILL_LABELS.get(s, s), n) for s, n in r.requested.items()],
             "shortfall": [(selectors.SKILL_LABELS.get(s, s), n) for s, n in (r.shortfall or {}).items()],
             "people": [names[pk].name for pk in r.result if pk in names]} for r in records]


@pool_page
def group_draw(request, group_id: int):
    user = request.user
    group = selectors.get_group_for_user(user, group_id)
    if not can(user, VIEW, DrawRecord(group=group)):
        raise PermissionDenied
    may_draw = can(user, CREATE, DrawRecord(group=group))
    plan_open = group.round.state in PLAN_OPEN
    wanted = request.GET.get("record", "")
    record = selectors.get_draw_for_user(user, group, int(wanted)) if wanted.isdigit() else None
    # Showing a draw, the form offers the same request again (with a new seed).
    form = DrawForm(request.POST or None, initial=record.requested if record else {})
    if request.method == "POST":
        if not may_draw:
            raise PermissionDenied
        if not plan_open:
            messages.error(request, _("Groups and targets cannot change after the fieldwork ended."))
            return redirect("rounds:group_draw", group_id=group.pk)
        if form.is_valid():
            try:
                outcome = services_pool.draw_roster(actor=user, group=group, requested=form.requested(),
                                                    seed=form.cleaned_data["seed"])
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                request.session[LAST_DRAW] = {
                    "record": outcome.record.pk, "skipped": outcome.skipped.as_dict(),
                    "slots": {str(p.person_id): p.skill for p in outcome.picks},
                    "previous": [p.person_id for p in outcome.picks if p.previous],
                    "previous_used": sum(p.previous for p in outcome.picks)}
                return redirect(reverse("rounds:group_draw", args=[group.pk]) + f"?record={outcome.record.pk}")
    rows = last = None
    if record is not None:
        last = request.session.get(LAST_DRAW) or {}
        if last.get("record") != record.pk:
            last = {}
        members = selectors.members_of(user, group)
        rows = _result_rows(user, record, last, members)
    return render(request, "rounds/pool/draw.html", {
        "group": group, "group_url": _group_url(group), "form": form,
        "may_draw": may_draw and plan_open, "plan_open": plan_open,
        "record": record, "rows": rows, "last": last,
        "requested": [(selectors.SKILL_LABELS.get(s, s), n) for s, n in record.requested.items()] if record else [],
        "shortfall": [(selectors.SKILL_LABELS.get(s, s), n) for s, n in record.shortfall.items()] if record else [],
        "to_add": [r for r in rows or () if not r["in_group"]],
        "history": _history(user, group),
    })


@require_POST
@pool_page
def group_draw_accept(request, group_id: int, record_id: int):
    user = request.user
    group = selectors.get_group_for_user(user, group_id)
    if not can(user, VIEW, DrawRecord(group=group)):
        raise PermissionDenied
    record = selectors.get_draw_for_user(user, group, record_id)
    back = reverse("rounds:group_draw", args=[group.pk]) + f"?record={record.pk}"
    try:
        added = services_pool.draw_accept(actor=user, record=record)
    except RecusalConflict as exc:
        messages.error(request, _("Nobody was added: %(reason)s") % {"reason": " ".join(c.sentence for c in exc.conflicts)})
        return redirect(back)
    except ValidationError as exc:
        messages.error(request, _("Nobody was added: %(reason)s") % {"reason": " ".join(exc.messages)})
        return redirect(back)
    if added:
        messages.success(request, ngettext("%(n)d person has been added to %(group)s.",
                                           "%(n)d people have been added to %(group)s.", len(added))
                         % {"n": len(added), "group": group.name})
    else:
        messages.info(request, _("Everyone drawn already serves in the group."))
    return redirect(_group_url(group) or back)
