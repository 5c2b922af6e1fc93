"""Pages of working papers: the ledger (底稿台账), the editor, the paper with its sign-off history
and amendments, and the review inbox (待办审核).

A paper outside the user's scope is a 404; a role that sees it but may not write gets a 403 on
the write pages. Steps and deletions are POST only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.access.policy import CREATE, VIEW, can, can_any, scope
from xuncha.access.roles import Role
from xuncha.checklist.selectors import manifestations_for
from xuncha.findings import services_papers as services
from xuncha.findings import signoff
from xuncha.findings.forms_papers import AmendmentForm, PaperForm, StepForm
from xuncha.findings.models import Kind, WorkingPaper
from xuncha.findings.selectors import papers as selectors
from xuncha.rounds.models import Assignment
from xuncha.workbench.pages import service_page

PER_PAGE = 50


papers_page = service_page


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _may_read_papers(user) -> None:
    if user.system_role or not can_any(user, VIEW, WorkingPaper):
        raise PermissionDenied


def _url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # built by another part of the work; optional here
        return None


# -- the ledger ------------------------------------------------------------------------------

def _choose(options: list, pk) -> object | None:
    pk = _int(pk)
    return next((o for o in options if o.pk == pk), None)


@papers_page
def paper_ledger(request):
    user = request.user
    _may_read_papers(user)
    rounds = selectors.rounds_for(user)
    rnd = _choose(rounds, request.GET.get("round")) or (rounds[0] if rounds else None)
    groups = selectors.groups_for(user, rnd) if rnd else []
    group = _choose(groups, request.GET.get("group"))
    if group is None and len(groups) == 1:
        group = groups[0]
    filters = selectors.LedgerFilters(
        state=request.GET.get("state", "") if request.GET.get("state") in WorkingPaper.State.values else "",
        target=_int(request.GET.get("target")), kind=request.GET.get("kind", "") if request.GET.get("kind") in
        Kind.values else "", source=request.GET.get("source", "") if request.GET.get("source") in
        WorkingPaper.Source.values else "", author=_int(request.GET.get("author")), q=request.GET.get("q", "").strip())
    papers = selectors.ledger(user, rnd=rnd, group=group, filters=filters) if rnd else WorkingPaper.objects.none()
    unfiltered = selectors.ledger(user, rnd=rnd, group=group, filters=selectors.LedgerFilters()) if rnd else papers
    counts = selectors.state_counts(unfiltered)
    page = Paginator(papers, PER_PAGE).get_page(request.GET.get("page"))
    targets = list(selectors.targets_of(user, rnd=rnd, group=group)) if rnd else []
    members = list(selectors.members_of(user, group)) if group else []
    creatable = [t for t in targets if can(user, CREATE, WorkingPaper(group=group or t.group, round=rnd,
                                                                       assignment=t))] if group else []
    return render(request, "findings/papers/ledger.html", {
        "rounds": rounds, "round": rnd, "groups": groups, "group": group, "filters": filters,
        "page": page, "counts": [(s, label, counts[s]) for s, label in WorkingPaper.State.choices],
        "total": sum(counts.values()), "targets": targets, "members": members,
        "states": WorkingPaper.State.choices, "kinds": Kind.choices, "sources": WorkingPaper.Source.choices,
        "can_create": bool(creatable),
    })


@papers_page
def paper_inbox(request):
    user = request.user
    _may_read_papers(user)
    page = Paginator(selectors.inbox(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "findings/papers/inbox.html", {"page": page})


# -- the editor ------------------------------------------------------------------------------

def _members(user, group):
    return selectors.members_of(user, group)


def _editor(request, *, target: Assignment, paper: WorkingPaper | None):
    user = request.user
    group = target.group
    manifestations = manifestations_for(user, target.organization)
    if paper is None:
        mine = [m.pk for m in _members(user, group) if m.user_id == user.pk]
        initial = {"authors": mine, "source": WorkingPaper.Source.DOCUMENTS, "kind": Kind.GENERAL}
    else:
        initial = {**PaperForm.initial_for(paper), "authors": [a.pk for a in paper.authors.all()]}
    form = PaperForm(request.POST or None, initial=initial, manifestations=manifestations,
                     members=_members(user, group))
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        authors = list(form.cleaned_data["authors"])
        try:
            if paper is None:
                saved = services.paper_create(actor=user, assignment=target, authors=authors, **data)
            else:
                saved = services.paper_update(actor=user, paper=paper, authors=authors, **data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Working paper %(number)s has been saved.") % {"number": saved.number})
            return redirect("findings:paper_detail", saved.pk)
    return render(request, "findings/papers/form.html", {
        "form": form, "paper": paper, "target": target, "group": group,
        "no_checklist": not manifestations.exists(),
        "cancel_url": reverse("findings:paper_detail", args=[paper.pk]) if paper else reverse("findings:papers"),
    })


@papers_page
def paper_create(request):
    user = request.user
    _may_read_papers(user)
    targets = [t for t in scope(user, Assignment, VIEW).select_related("group__round__term", "organization__kind")
               .order_by("-round_id", "group__number", "organization__pinyin")
               if can(user, CREATE, WorkingPaper(group=t.group, round=t.group.round, assignment=t))]
    if not targets:
        raise PermissionDenied
    target = _choose(targets, request.GET.get("target"))
    if target is None:
        if len(targets) == 1:
            target = targets[0]
        else:
            return render(request, "findings/papers/pick_target.html", {"targets": targets})
    return _editor(request, target=target, paper=None)


@papers_page
def paper_edit(request, pk: int):
    user = request.user
    paper = selectors.get_paper_for_user(user, pk)
    if not services.may_edit(user, paper):
        if services.may_amend(user, paper):
            messages.info(request, _("The paper was signed and its text is frozen: record an amendment instead."))
            return redirect("findings:paper_amend", paper.pk)
        raise PermissionDenied
    return _editor(request, target=paper.assignment, paper=paper)


@require_POST
@papers_page
def paper_delete(request, pk: int):
    paper = selectors.get_paper_for_user(request.user, pk)
    try:
        services.paper_delete(actor=request.user, paper=paper)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("findings:paper_detail", paper.pk)
    messages.success(request, _("Working paper %(number)s has been deleted.") % {"number": paper.number})
    return redirect("findings:papers")


# -- the paper -------------------------------------------------------------------------------

def _amendment_rows(paper: WorkingPaper) -> list[dict]:
    labels = {f.name: f.verbose_name for f in WorkingPaper._meta.get_fields() if hasattr(f, "verbose_name")}
    choices = {"source": dict(WorkingPaper.Source.choices), "kind": dict(Kind.choices)}
    rows = []
    for amendment in paper.amendment_list:
        changes = [{"field": labels.get(name, name),
                    "old": choices.get(name, {}).get(old, old), "new": choices.get(name, {}).get(new, new)}
                   for name, (old, new) in amendment.changes.items()]
        rows.append({"amendment": amendment, "changes": changes})
    return rows


@papers_page
def paper_detail(request, pk: int):
    user = request.user
    paper = selectors.get_paper_for_user(user, pk)
    steps = signoff.available(paper, user)
    makes_problem = None
    if paper.state in (WorkingPaper.State.SIGNED, WorkingPaper.State.REGISTERED):
        base = _url_or_none("findings:problem_create")
        makes_problem = f"{base}?papers={paper.pk}" if base else None
    return render(request, "findings/papers/detail.html", {
        "paper": paper, "steps": steps, "step_form": StepForm(),
        "role_names": {r.value: r.label for r in Role},
        "history": paper.history, "amendments": _amendment_rows(paper),
        "can_edit": services.may_edit(user, paper), "can_amend": services.may_amend(user, paper),
        "can_delete": paper.state == WorkingPaper.State.DRAFT and not paper.history and services.may_edit(user, paper),
        "evidence_url": _url_or_none("findings:paper_evidence", paper.pk),
        "problem_url": makes_problem,
    })


@require_POST
@papers_page
def paper_step(request, pk: int):
    paper = selectors.get_paper_for_user(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a step."))
        return redirect("findings:paper_detail", paper.pk)
    action = form.cleaned_data["action"]
    try:
        services.paper_step(actor=request.user, paper=paper, action=action, comment=form.cleaned_data["comment"])
    except services.StepRefused as exc:
        if exc.reason == "role":
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(action)s: done for %(number)s.") % {
            "action": signoff.ACTION_LABELS[action], "number": paper.number})
    return redirect("findings:paper_detail", paper.pk)


@papers_page
def paper_amend(request, pk: int):
    user = request.user
    paper = selectors.get_paper_for_user(user, pk)
    if not services.may_amend(user, paper):
        raise PermissionDenied
    manifestations = manifestations_for(user, paper.assignment.organization)
    form = AmendmentForm(request.POST or None, initial=AmendmentForm.initial_for(paper),
                         manifestations=manifestations)
    if paper.classification_id and paper.classification_id not in form.manifestations:
        # Classified under an older version: keep it choosable.
        form.manifestations[paper.classification_id] = paper.classification
        form.fields["classification"].choices += [(_("Earlier version"), [(paper.classification_id,
                                                                             paper.classification.title)])]
    if request.method == "POST" and form.is_valid():
        try:
            services.paper_amend(actor=user, paper=paper, changes=form.changes(), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The amendment of %(number)s has been recorded.") % {"number": paper.number})
            return redirect("findings:paper_detail", paper.pk)
    return render(request, "findings/papers/amend.html", {"form": form, "paper": paper})
