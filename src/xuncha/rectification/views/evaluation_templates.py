"""Scoring-template pages: the office's templates (the default written down the first time the
office opens them), one template with its criteria, deduction items and total points, editing
a criterion with its deduction items, copying a template into a new one.

The office writes, the leading group reads; other roles get the 403 page. A template some batch
uses keeps its criteria as they were scored: its pages offer a copy instead of edits.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuncha.access.policy import CHANGE, CREATE, DELETE, can
from xuncha.rectification import services_evaluation as services
from xuncha.rectification.evaluation_defaults import default_template
from xuncha.rectification.forms_evaluation import (
    CopyForm,
    CriterionForm,
    DeductionFormSet,
    TemplateCreateForm,
    TemplateForm,
    add_deduction_errors,
    deduction_rows,
)
from xuncha.rectification.models import Criterion, EvaluationTemplate
from xuncha.rectification.selectors import evaluation as selectors
from xuncha.workbench.pages import service_page

template_page = partial(service_page, refuse_system_roles=True, readable=EvaluationTemplate)


def _save(form, call) -> bool:
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    return True


def _committees(user) -> list:
    return selectors.committees_to_evaluate(user, EvaluationTemplate)


@require_GET
@template_page
def template_list(request):
    user = request.user
    committees = _committees(user)
    for committee in committees:
        default_template(committee, actor=user)
    return render(request, "rectification/evaluation/template_list.html", {
        "templates": selectors.templates_for(user),
        "form": TemplateCreateForm(committees=committees) if committees else None,
    })


@require_POST
@template_page
def template_create(request):
    user = request.user
    committees = _committees(user)
    if not committees:
        raise PermissionDenied
    form = TemplateCreateForm(request.POST, committees=committees)
    made = None

    def call(data):
        nonlocal made
        made = services.template_create(actor=user, committee=data["committee"], name=data["name"],
                                        description=data["description"])

    if form.is_valid() and _save(form, call):
        messages.success(request, _("The template has been created; add its criteria."))
        return redirect("rectification:template_detail", made.pk)
    return render(request, "rectification/evaluation/template_list.html", {
        "templates": selectors.templates_for(user), "form": form}, status=400)


def _render_template(request, template: EvaluationTemplate, *, status: int = 200, **forms):
    user = request.user
    may_change = can(user, CHANGE, template)
    if may_change:
        forms.setdefault("edit_form", TemplateForm(initial={"name": template.name,
                                                            "description": template.description}))
    if can(user, CREATE, EvaluationTemplate(committee=template.committee)):
        forms.setdefault("copy_form", CopyForm(initial={"name": _("%(name)s (copy)") % {"name": template.name}}))
    return render(request, "rectification/evaluation/template_detail.html", {
        "template": template, "criteria": template.rows,
        "editable": may_change and not template.in_use,
        "may_delete": not template.in_use and can(user, DELETE, template),
        **forms,
    }, status=status)


@require_GET
@template_page
def template_detail(request, pk: int):
    return _render_template(request, selectors.get_template_for_user(request.user, pk))


def _changeable(request, pk: int) -> EvaluationTemplate:
    template = selectors.get_template_for_user(request.user, pk)
    if not can(request.user, CHANGE, template):
        raise PermissionDenied
    return template


@require_POST
@template_page
def template_edit(request, pk: int):
    template = _changeable(request, pk)
    form = TemplateForm(request.POST)
    if form.is_valid() and _save(form, lambda data: services.template_update(
            actor=request.user, template=template, name=data["name"], description=data["description"])):
        messages.success(request, _("The template has been saved."))
        return redirect("rectification:template_detail", template.pk)
    return _render_template(request, template, edit_form=form, status=400)


@require_POST
@template_page
def template_copy(request, pk: int):
    template = selectors.get_template_for_user(request.user, pk)
    form = CopyForm(request.POST)
    made = None

    def call(data):
        nonlocal made
        made = services.template_copy(actor=request.user, template=template, name=data["name"])

    if form.is_valid() and _save(form, call):
        messages.success(request, _("The template has been copied; change the copy as you need."))
        return redirect("rectification:template_detail", made.pk)
    return _render_template(request, template, copy_form=form, status=400)


def _post_and_report(request, pk: int, call, done: str):
    template = _changeable(request, pk)
    try:
        call(template)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("rectification:template_detail", template.pk)
    messages.success(request, done)
    return None


@require_POST
@template_page
def template_defaults(request, pk: int):
    _post_and_report(request, pk, lambda t: services.template_reset(actor=request.user, template=t),
                     _("The default criteria and deduction items have been added."))
    return redirect("rectification:template_detail", pk)


@require_POST
@template_page
def template_delete(request, pk: int):
    failed = _post_and_report(request, pk, lambda t: services.template_delete(actor=request.user, template=t),
                              _("The template has been deleted."))
    return failed or redirect("rectification:template_list")


# -- criteria --------------------------------------------------------------------------------

def _criterion_page(request, template: EvaluationTemplate, criterion: Criterion | None):
    user = request.user
    if request.method == "POST":
        form, formset = CriterionForm(request.POST), DeductionFormSet(request.POST, prefix="deductions")
        if form.is_valid() and formset.is_valid():
            rows, positions = deduction_rows(formset)
            data = form.cleaned_data
            try:
                services.criterion_save(actor=user, template=template, criterion=criterion, title=data["title"],
                                        points=data["points"], guidance=data["guidance"],
                                        indicator=data["indicator"], deductions=rows)
            except ValidationError as exc:
                add_deduction_errors(form, formset, positions, exc)
            else:
                messages.success(request, _("The criterion has been saved."))
                return redirect("rectification:template_detail", template.pk)
        status = 400
    else:
        initial = ({"title": criterion.title, "points": criterion.points, "indicator": criterion.indicator,
                    "guidance": criterion.guidance} if criterion else {})
        items = [{"id": d.pk, "description": d.description, "points": d.points}
                 for d in (criterion.items if criterion else [])]
        form, formset = CriterionForm(initial=initial), DeductionFormSet(initial=items, prefix="deductions")
        status = 200
    return render(request, "rectification/evaluation/criterion_form.html", {
        "template": template, "criterion": criterion, "form": form, "formset": formset,
        "in_use": services.template_in_use(template)}, status=status)


@require_http_methods(["GET", "POST"])
@template_page
def criterion_create(request, pk: int):
    template = _changeable(request, pk)
    return _criterion_page(request, template, None)


@require_http_methods(["GET", "POST"])
@template_page
def criterion_edit(request, pk: int):
    criterion = selectors.get_criterion_for_user(request.user, pk)
    if not can(request.user, CHANGE, criterion):
        raise PermissionDenied
    return _criterion_page(request, criterion.template, criterion)


@require_POST
@template_page
def criterion_delete(request, pk: int):
    criterion = selectors.get_criterion_for_user(request.user, pk)
    if not can(request.user, DELETE, criterion):
        raise PermissionDenied
    try:
        services.criterion_delete(actor=request.user, criterion=criterion)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The criterion has been removed."))
    return redirect("rectification:template_detail", criterion.template_id)
