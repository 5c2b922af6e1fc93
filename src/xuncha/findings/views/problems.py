"""Problem pages: the list by round and target, one problem, making one from signed papers
(with the list of papers still in no problem), editing, merging, splitting, deleting.

A problem or paper outside the user's scope is a 404; a role that sees problems but may not
write them gets the 403 page on the write pages. Writes are POST-only.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.access.policy import CHANGE, CREATE, DELETE, VIEW, can, can_any, scope
from xuncha.analytics.models import ProblemMatch
from xuncha.checklist.models import Item
from xuncha.checklist.selectors import manifestations_for
from xuncha.findings import services_problems as services
from xuncha.findings.forms_problems import (
    MergeForm,
    ProblemFilterForm,
    ProblemForm,
    SplitForm,
    classification_path,
)
from xuncha.findings.models import Problem, WorkingPaper
from xuncha.findings.selectors import problems as selectors
from xuncha.findings.views.evidence import paper_url
from xuncha.workbench.pages import service_page

PER_PAGE = 50


# The inspectorate's pages: whoever reads working papers. An inspected organization's liaison
# sees its fed-back problems in its feedback workspace, not here.
problem_page = partial(service_page, readable=WorkingPaper)


def _require(user, action, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _save(form, call):
    """Call the service with the form's data; its ValidationError goes onto the form."""
    try:
        return call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


def _classifications(user, organization, papers):
    """The manifestations in force for the organization's kind, and those the papers carry."""
    own = [p.classification_id for p in papers if p.classification_id]
    return (manifestations_for(user, organization)
            | scope(user, Item).filter(pk__in=own).select_related("parent__parent"))


# -- list and detail -------------------------------------------------------------------------

@problem_page
def problem_list(request):
    user = request.user
    round_id = _int(request.GET.get("round"))
    group_id = _int(request.GET.get("group"))
    form = ProblemFilterForm(
        request.GET or None, rounds=selectors.round_choices(user),
        groups=selectors.group_choices(user, round_id),
        targets=selectors.target_choices(user, round_id=round_id, group_id=group_id),
        focuses=selectors.focus_choices(user))
    filters = form.filters() if request.GET else selectors.ProblemFilters()
    page = Paginator(selectors.problems_for(user, filters), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "findings/problems/problem_list.html", {
        "form": form, "page": page, "filters": filters,
        "can_create": can_any(user, CREATE, Problem),
        "can_merge": can_any(user, DELETE, Problem),
    })


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@problem_page
def problem_detail(request, pk: int):
    user = request.user
    problem = selectors.get_problem_for_user(user, pk)
    return render(request, "findings/problems/problem_detail.html", {
        "problem": problem,
        "path": classification_path(problem.classification),
        "papers": [(p, paper_url(p)) for p in problem.shown_papers],
        "can_edit": can(user, CHANGE, problem),
        "can_delete": can(user, DELETE, problem),
        "can_split": can(user, CHANGE, problem) and len(problem.shown_papers) > 1,
        # Near-duplicates compare across groups: only those who read them get the link.
        "sees_matches": can_any(user, VIEW, ProblemMatch),
    })


# -- making a problem from papers ------------------------------------------------------------

@problem_page
def problem_candidates(request):
    """The signed papers still in no problem, with checkboxes to start one."""
    user = request.user
    if not can_any(user, CREATE, Problem):
        raise PermissionDenied
    group_id = _int(request.GET.get("group"))
    qs = selectors.papers_without_problem(user, group=group_id)
    page = Paginator(qs, PER_PAGE * 2).get_page(request.GET.get("page"))
    return render(request, "findings/problems/candidates.html", {
        "page": page, "groups": selectors.group_choices(user), "group_id": group_id,
    })


@problem_page
def problem_create(request):
    user = request.user
    if not can_any(user, CREATE, Problem):
        raise PermissionDenied
    wanted = request.GET.getlist("papers")
    papers = selectors.papers_by_ids(user, wanted)
    if not wanted:
        messages.info(request, _("Choose the signed papers the problem is made from."))
        return redirect("findings:problem_candidates")
    if len(papers) != len(set(wanted)):
        raise Http404
    if not any(can(user, CREATE, services.new_problem(p.assignment)) for p in papers):
        raise PermissionDenied
    organization = papers[0].assignment.organization
    defaults = services.problem_defaults(papers)
    form = ProblemForm(request.POST or None, initial=defaults,
                       classifications=_classifications(user, organization, papers))
    if request.method == "POST" and form.is_valid():
        problem = _save(form, lambda data: services.problem_create(actor=user, papers=papers, **data))
        if problem is not None:
            messages.success(request, _("Problem %(number)s has been recorded.") % {"number": problem.number})
            return redirect("findings:problem_detail", problem.pk)
    return render(request, "findings/problems/problem_form.html", {
        "form": form, "papers": [(p, paper_url(p)) for p in papers], "organization": organization,
        "heading": _("New problem from working papers"), "cancel_url": reverse("findings:problem_candidates"),
    }, status=400 if form.errors else 200)


@problem_page
def problem_edit(request, pk: int):
    user = request.user
    problem = selectors.get_problem_for_user(user, pk)
    _require(user, CHANGE, problem)
    initial = {name: getattr(problem, name) for name in services.FIELDS}
    form = ProblemForm(request.POST or None, initial=initial, classifications=_classifications(
        user, problem.organization, problem.shown_papers) | scope(user, Item).filter(pk=problem.classification_id))
    if request.method == "POST" and form.is_valid():
        saved = _save(form, lambda data: services.problem_update(actor=user, problem=problem, **data))
        if saved is not None:
            messages.success(request, _("The problem has been saved."))
            return redirect("findings:problem_detail", problem.pk)
    return render(request, "findings/problems/problem_form.html", {
        "form": form, "problem": problem, "papers": [(p, paper_url(p)) for p in problem.shown_papers],
        "organization": problem.organization, "heading": _("Edit problem %(number)s") % {"number": problem.number},
        "cancel_url": reverse("findings:problem_detail", args=[problem.pk]),
    }, status=400 if form.errors else 200)


@require_POST
@problem_page
def problem_delete(request, pk: int):
    user = request.user
    problem = selectors.get_problem_for_user(user, pk)
    _require(user, DELETE, problem)
    services.problem_delete(actor=user, problem=problem)
    messages.success(request, _("Problem %(number)s has been deleted; its papers may make another problem.")
                     % {"number": problem.number})
    return redirect("findings:problem_list")


# -- merge and split -------------------------------------------------------------------------

@problem_page
def problem_merge(request):
    user = request.user
    wanted = request.GET.getlist("problems")
    problems = selectors.problems_by_ids(user, wanted)
    if len(problems) != len(set(wanted)):
        raise Http404
    if not can_any(user, DELETE, Problem) or not all(can(user, CHANGE, p) for p in problems):
        raise PermissionDenied
    if len(problems) < 2:
        messages.info(request, _("Tick at least two problems of the same target to merge them."))
        return redirect("findings:problem_list")
    initial = {"title": problems[0].title, "description": "\n\n".join(p.description for p in problems),
               "severity": max((p.severity for p in problems), key=services.SEVERITY_ORDER.index)}
    form = MergeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        merged = _save(form, lambda data: services.problem_merge(actor=user, problems=problems, **data))
        if merged is not None:
            messages.success(request, _("The problems have been merged into %(number)s.") % {"number": merged.number})
            return redirect("findings:problem_detail", merged.pk)
    return render(request, "findings/problems/merge.html", {
        "form": form, "problems": problems,
        "same_target": len({p.assignment_id for p in problems}) == 1,
    }, status=400 if form.errors else 200)


@problem_page
def problem_split(request, pk: int):
    user = request.user
    problem = selectors.get_problem_for_user(user, pk)
    _require(user, CHANGE, problem)
    parts = _int(request.GET.get("parts")) or 2
    initial = {"title_1": problem.title}
    form = SplitForm(request.POST or None, papers=problem.shown_papers, parts=parts, initial=initial)
    if request.method == "POST" and form.is_valid():
        results = _save(form, lambda data: services.problem_split(actor=user, problem=problem, parts=form.parts()))
        if results is not None:
            messages.success(request, _("The problem has been split into %(n)s problems.") % {"n": len(results)})
            return redirect("findings:problem_detail", problem.pk)
    return render(request, "findings/problems/split.html", {
        "form": form, "problem": problem,
    }, status=400 if form.errors else 200)

