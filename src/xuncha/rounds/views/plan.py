"""Pages of the plan: the round list and detail with its timeline, transitions, the term and
round forms, and the plan export (Word, Excel).

Reads go through selectors.plan, writes through the services; a role without the right gets
the 403 page, an object outside the user's scope a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, EXPORT, VIEW, can, can_any
from xuncha.rounds import exports_plan, services
from xuncha.rounds.forms_plan import RoundFilterForm, RoundForm, TermForm, TransitionForm
from xuncha.rounds.models import Group, Round
from xuncha.rounds.selectors import plan as selectors
from xuncha.rounds.transitions import BY_ACTION, ORDER, PLAN_OPEN
from xuncha.workbench.pages import service_page

PER_PAGE = 25
STATE_BADGE = {
    Round.State.PLANNED: "text-bg-secondary",
    Round.State.APPROVED: "text-bg-info",
    Round.State.STATIONED: "text-bg-danger",
    Round.State.REPORTING: "text-bg-warning",
    Round.State.FEEDBACK: "text-bg-primary",
    Round.State.RECTIFYING: "text-bg-dark",
    Round.State.COMPLETED: "text-bg-success",
}


# The policy grants the 三员 nothing on rounds, so they get the 403 page on the list and
# 404 on a round, like a unit liaison.
plan_page = service_page


def _round_for(user, pk: int) -> Round:
    """Missing and out of scope alike are 404, so a round's existence does not leak."""
    return selectors.get_round_for_user(user, pk)


# -- list ------------------------------------------------------------------------------------

@plan_page
@require_GET
def round_list(request):
    user = request.user
    if not can_any(user, VIEW, Round):
        raise PermissionDenied
    terms = selectors.term_summaries(user)
    many_committees = len({t.committee_id for t in terms}) > 1
    filters = RoundFilterForm(request.GET or None, terms=selectors.terms_for(user),
                              many_committees=many_committees)
    rounds = selectors.round_list(user, **filters.selector_params())
    page = Paginator(rounds, PER_PAGE).get_page(request.GET.get("page"))
    for rnd in page.object_list:
        rnd.badge = STATE_BADGE[rnd.state]
    htmx = getattr(request, "htmx", None)
    template = "rounds/plan/round_table.html" if htmx and not htmx.boosted else "rounds/plan/round_list.html"
    response = render(request, template, {
        "filters": filters,
        "page": page,
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "terms": terms,
        "many_committees": many_committees,
        "can_create_round": can_any(user, CREATE, Round),
        "can_create_term": bool(selectors.committees_to_plan(user)),
        "editable_terms": {t.pk for t in terms if can(user, CHANGE, t)},
    })
    patch_vary_headers(response, ("HX-Request",))
    return response


# -- detail and transitions ------------------------------------------------------------------

def _steps(rnd: Round) -> list[dict]:
    """The seven states as a progress bar: done, current or to come."""
    current = ORDER.index(rnd.state)
    return [{"state": state, "label": Round.State(state).label,
             "status": "done" if i < current else "current" if i == current else "todo"}
            for i, state in enumerate(ORDER)]


def _group_url(group) -> str | None:
    # The group page is another area's; link to it once its URL exists.
    try:
        return reverse("rounds:group_detail", args=[group.pk])
    except NoReverseMatch:
        return None


@plan_page
@require_GET
def round_detail(request, pk: int):
    user = request.user
    rnd = _round_for(user, pk)
    groups = selectors.round_groups(user, rnd)
    for group in groups:
        group.url = _group_url(group)
    timeline = list(selectors.round_timeline(user, rnd))
    for entry in timeline:
        step = BY_ACTION.get(entry.action)
        entry.action_label = step.label if step else entry.action
    return render(request, "rounds/plan/round_detail.html", {
        "round": rnd,
        "badge": STATE_BADGE[rnd.state],
        "groups": groups,
        "only_own_groups": len(groups) < rnd.n_groups,
        "steps": _steps(rnd),
        "progress": round(100 * ORDER.index(rnd.state) / (len(ORDER) - 1)),
        "timeline": timeline,
        "transitions": selectors.transitions_for(user, rnd),
        "can_edit": rnd.state in PLAN_OPEN and can(user, CHANGE, rnd),
        "can_add_group": rnd.state in PLAN_OPEN and can(user, CREATE, Group(round=rnd)),
        "can_export": can(user, EXPORT, rnd),
    })


@plan_page
@require_POST
def round_transition(request, pk: int):
    user = request.user
    rnd = _round_for(user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered steps."))
        return redirect("rounds:round_detail", pk=rnd.pk)
    action = form.cleaned_data["action"]
    label = BY_ACTION[action].label
    try:
        rnd = services.round_transition(actor=user, round=rnd, action=action,
                                        comment=form.cleaned_data["comment"])
    except services.TransitionRefused as exc:
        messages.error(request, str(exc))  # the service's reason names the step and what is missing
    except policy.PermissionDenied:
        messages.error(request, _("%(step)s refused: your role may not take this step.") % {"step": label})
    else:
        messages.success(request, _("%(step)s: the round is now %(state)s.") % {
            "step": label, "state": rnd.get_state_display()})
    return redirect("rounds:round_detail", pk=rnd.pk)


# -- round and term forms --------------------------------------------------------------------

@plan_page
def round_create(request):
    user = request.user
    terms = selectors.terms_for(user, action=CREATE)
    if not can_any(user, CREATE, Round):
        raise PermissionDenied
    if not terms.exists():
        messages.info(request, _("Open a term first: rounds belong to a term."))
        return redirect("rounds:term_create")
    initial = {"kind": Round.Kind.ROUTINE, "term": terms.filter(pk=request.GET.get("term") or 0).first()}
    form = RoundForm(request.POST or None, terms=terms, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The round %(label)s has been planned.") % {"label": rnd.label})
            return redirect("rounds:round_detail", pk=rnd.pk)
    return render(request, "rounds/plan/round_form.html", {"form": form, "round": None})


@plan_page
def round_edit(request, pk: int):
    user = request.user
    rnd = _round_for(user, pk)
    if not can(user, CHANGE, rnd):
        raise PermissionDenied
    if rnd.state not in PLAN_OPEN:
        messages.error(request, _("The plan of a round cannot change after its fieldwork ended."))
        return redirect("rounds:round_detail", pk=rnd.pk)
    initial = {name: getattr(rnd, name) for name in ("kind", "title", "theme", "planned_entry", "planned_exit")}
    form = RoundForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_update(actor=user, round=rnd, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The round %(label)s has been saved.") % {"label": rnd.label})
            return redirect("rounds:round_detail", pk=rnd.pk)
    return render(request, "rounds/plan/round_form.html", {"form": form, "round": rnd})


def _chosen_committee(request, committees: list):
    wanted = request.POST.get("committee") or request.GET.get("committee")
    assignment = getattr(request, "current_assignment", None)
    for committee in committees:
        if str(committee.pk) == wanted:
            return committee
    for committee in committees:
        if assignment is not None and committee.pk == assignment.committee_id:
            return committee
    return committees[0]


@plan_page
def term_create(request):
    user = request.user
    committees = selectors.committees_to_plan(user)
    if not committees:
        raise PermissionDenied
    committee = _chosen_committee(request, committees)
    form = TermForm(request.POST or None, initial={"planned_rounds": 9})
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(actor=user, committee=committee, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The term %(name)s has been opened.") % {"name": term.name})
            return redirect(f"{reverse('rounds:round_list')}?term={term.pk}")
    return render(request, "rounds/plan/term_form.html", {
        "form": form, "term": None, "committee": committee,
        "committees": committees if len(committees) > 1 else [],
    })


@plan_page
def term_edit(request, pk: int):
    user = request.user
    term = selectors.get_term_for_user(user, pk)
    if not can(user, CHANGE, term):
        raise PermissionDenied
    initial = {name: getattr(term, name) for name in ("name", "start_date", "end_date", "planned_rounds")}
    form = TermForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_update(actor=user, term=term, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The term %(name)s has been saved.") % {"name": term.name})
            return redirect(f"{reverse('rounds:round_list')}?term={term.pk}")
    return render(request, "rounds/plan/term_form.html", {
        "form": form, "term": term, "committee": term.committee, "committees": [],
    })


# -- plan export -----------------------------------------------------------------------------

def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # RFC 5987 (filename*=utf-8''…) for the Chinese name, with an ASCII fallback.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def _export(request, pk: int, fmt: str) -> HttpResponse:
    user = request.user
    rnd = _round_for(user, pk)
    services.round_export_record(actor=user, round=rnd, fmt=fmt)
    groups = selectors.round_groups(user, rnd)
    if fmt == "docx":
        return _download(exports_plan.plan_docx(rnd, groups), exports_plan.DOCX,
                         exports_plan.filename(rnd, "docx"))
    return _download(exports_plan.plan_xlsx(rnd, groups), exports_plan.XLSX, exports_plan.filename(rnd, "xlsx"))


@plan_page
@require_GET
def round_export_word(request, pk: int):
    return _export(request, pk, "docx")


@plan_page
@require_GET
def round_export_excel(request, pk: int):
    return _export(request, pk, "xlsx")

