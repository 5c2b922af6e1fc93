"""Pages of peer review (底稿评查): sessions, the reviewer's inbox and form, a group's own
scores, rubrics.

A session or review outside the user's scope is a 404; a role that may not open the page at
all gets the 403 page. The reviewer reads the paper under review through their Review only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, VIEW, can, can_any, scope
from xuncha.access.roles import GROUP_ROLES, Role
from xuncha.findings import services_review as services
from xuncha.findings.forms_review import (
    ReassignForm,
    ReviewForm,
    RubricForm,
    SessionCloseForm,
    SessionOpenForm,
)
from xuncha.findings.models import Defect, ReviewSession, Rubric
from xuncha.findings.selectors import review as selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 50
TABLE_PAGE = 100


review_page = service_page


def _page(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _annotate_rows(reviews, criteria) -> None:
    """Scores and comments per criterion, and the defects' labels, for the templates."""
    labels = dict(Defect.choices)
    for review in reviews:
        review.defect_labels = [labels.get(code, code) for code in review.defects]
        review.rows = [(c, review.scores.get(c["name"]), review.comments.get(c["name"], "")) for c in criteria]


def _may_review(user) -> bool:
    """Office staff and group-role accounts can be given papers to review."""
    return not user.system_role and any(
        a.role in GROUP_ROLES or a.role in (Role.OFFICE_ADMIN, Role.OFFICE_STAFF) for a in policy.assignments(user))


# -- sessions --------------------------------------------------------------------------------

@review_page
def session_list(request):
    user = request.user
    if user.system_role or not can_any(user, VIEW, ReviewSession):
        raise PermissionDenied
    page = _page(request, selectors.sessions_for(user))
    return render(request, "findings/review/session_list.html", {
        "page": page, "can_open": can_any(user, CREATE, ReviewSession),
        "can_rubrics": can_any(user, VIEW, Rubric)})


def _chosen_round(request, rounds):
    pk = request.POST.get("round") or request.GET.get("round")
    if pk:
        return rounds.filter(pk=pk).first() if str(pk).isdigit() else None
    return rounds.first()


@review_page
def session_open(request):
    user = request.user
    if user.system_role or not can_any(user, CREATE, ReviewSession):
        raise PermissionDenied
    rounds = selectors.rounds_to_review(user)
    rnd = _chosen_round(request, rounds)
    form = SessionOpenForm(request.POST or None, rounds=rounds, rubrics=selectors.rubrics_to_use(user),
                           reviewers=selectors.reviewers_for(rnd),
                           initial={"round": rnd, "title": _("Peer review of %(round)s") % {"round": rnd.label}
                                    if rnd else ""})
    form.fields["rubric"].required = False
    form.fields["rubric"].empty_label = _("四个准确 (the default rubric)")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rubric = data["rubric"] or services.rubric_default(actor=user, committee=data["round"].committee)
            session = services.session_open(actor=user, round=data["round"], title=data["title"], rubric=rubric,
                                            sample=data["sample"], per_group=data["per_group"],
                                            reviewers=list(data["reviewers"]))
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The session is open: %(n)d papers were given to reviewers.")
                             % {"n": session.reviews.count()})
            return redirect("findings:review_session", session.pk)
    return render(request, "findings/review/session_open.html", {"form": form, "round": rnd, "rounds": rounds})


@review_page
def session_detail(request, pk: int):
    user = request.user
    session = selectors.get_session_for_user(user, pk)
    office = selectors.sees_reviewers(user, session)
    reviews = selectors.session_reviews(user, session)
    results = selectors.results(reviews, session)
    page = _page(request, selectors.assignments_table(user, session), TABLE_PAGE)
    _annotate_rows(page, session.criteria)
    reviewers = list(selectors.reviewers_for(session.round)) if office and session.state == "open" else []
    top = max([b["n"] for b in results.distribution] + [1])
    return render(request, "findings/review/session_detail.html", {
        "session": session, "office": office, "progress": selectors.progress(session), "page": page,
        "results": results, "reviewers": reviewers, "band_top": top,
        "all_groups": selectors.sees_all_groups(user, session),
        "defect_top": max([d["n"] for d in results.defects] + [1])})


@require_POST
@review_page
def session_close(request, pk: int):
    user = request.user
    session = selectors.get_session_for_user(user, pk)
    if not can(user, CHANGE, session):
        raise PermissionDenied
    form = SessionCloseForm(request.POST)
    form.is_valid()
    try:
        services.session_close(actor=user, session=session, force=form.cleaned_data.get("force", False))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The session is closed."))
    return redirect("findings:review_session", session.pk)


@require_POST
@review_page
def review_reassign(request, pk: int):
    user = request.user
    review = selectors.get_review_for_office(user, pk)
    form = ReassignForm(request.POST, reviewers=selectors.reviewers_for(review.session.round))
    if not form.is_valid():
        messages.error(request, _("Choose a reviewer from the list."))
    else:
        try:
            services.review_reassign(actor=user, review=review, reviewer=form.cleaned_data["reviewer"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Paper %(number)s is now given to %(name)s.") % {
                "number": review.paper.number, "name": form.cleaned_data["reviewer"]})
    return redirect("findings:review_session", review.session_id)


# -- the reviewer ----------------------------------------------------------------------------

@review_page
def my_reviews(request):
    user = request.user
    if not _may_review(user):
        raise PermissionDenied
    page = _page(request, selectors.my_reviews(user))
    return render(request, "findings/review/my_reviews.html", {"page": page})


@review_page
def review_form(request, pk: int):
    user = request.user
    review = selectors.get_review_for_reviewer(user, pk)
    writable = review.session.state == ReviewSession.State.OPEN
    form = ReviewForm(request.POST or None, criteria=review.session.criteria,
                      initial=ReviewForm.initial_for(review))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_submit(actor=user, review=review, **form.payload())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Your review of %(number)s has been submitted.")
                             % {"number": review.paper.number})
            return redirect("findings:my_reviews")
    return render(request, "findings/review/review_form.html", {
        "review": review, "paper": review.paper, "form": form, "writable": writable,
        "comment_below": int(services.COMMENT_BELOW * 100)})


# -- a group's own scores --------------------------------------------------------------------

@review_page
def our_scores(request):
    user = request.user
    if not selectors.own_group_ids(user):
        raise PermissionDenied
    page = _page(request, selectors.our_reviews(user))
    for review in page:
        _annotate_rows([review], review.session.criteria)
    return render(request, "findings/review/our_scores.html", {"page": page})


# -- rubrics ---------------------------------------------------------------------------------

@review_page
def rubric_list(request):
    user = request.user
    if user.system_role or not can_any(user, VIEW, Rubric):
        raise PermissionDenied
    rubrics = list(selectors.rubrics_for(user))
    committees = selectors.office_committee_ids(user)
    return render(request, "findings/review/rubric_list.html", {
        "rubrics": rubrics, "can_create": can_any(user, CREATE, Rubric),
        "needs_default": bool(committees) and not any(r.name == services.DEFAULT_RUBRIC_NAME for r in rubrics)})


@require_POST
@review_page
def rubric_default(request):
    user = request.user
    committees = selectors.office_committee_ids(user)
    if not committees:
        raise PermissionDenied
    from xuncha.registry.models import Committee

    for committee in scope(user, Committee).filter(pk__in=committees):
        services.rubric_default(actor=user, committee=committee)
    messages.success(request, _("The default rubric 四个准确 is ready."))
    return redirect("findings:review_rubrics")


def _rubric_form(request, rubric: Rubric | None):
    user = request.user
    form = RubricForm(request.POST or None, initial=RubricForm.initial_for(rubric) if rubric else {
        "criteria": "\n".join(f"{c['name']} {c['max']}" for c in services.DEFAULT_CRITERIA), "active": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if rubric is None:
                committee_id = sorted(selectors.office_committee_ids(user))[0]
                from xuncha.registry.models import Committee

                saved = services.rubric_create(actor=user, committee=scope(user, Committee).get(pk=committee_id),
                                               name=data["name"], criteria=data["criteria"])
                if not data["active"]:
                    services.rubric_update(actor=user, rubric=saved, active=False)
            else:
                services.rubric_update(actor=user, rubric=rubric, name=data["name"], criteria=data["criteria"],
                                       active=data["active"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The rubric has been saved."))
            return redirect("findings:review_rubrics")
    return render(request, "findings/review/rubric_form.html", {"form": form, "rubric": rubric})


@review_page
def rubric_create(request):
    if request.user.system_role or not selectors.office_committee_ids(request.user):
        raise PermissionDenied
    return _rubric_form(request, None)


@review_page
def rubric_edit(request, pk: int):
    rubric = selectors.get_rubric_for_user(request.user, pk)
    if not can(request.user, CHANGE, rubric):
        raise PermissionDenied
    return _rubric_form(request, rubric)
