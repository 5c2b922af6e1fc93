"""Forms of the evaluation pages: they parse; services_evaluation checks and writes, and its
errors come back onto the field they name (the row's field for multi-row input)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xuncha.rectification.models import Criterion, Evaluation
from xuncha.registry.forms import ChineseDateField, StyledForm
from xuncha.workbench.forms import add_service_errors


class BatchForm(StyledForm):
    committee = forms.TypedChoiceField(label=_("Committee"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example: 2024年度巡察整改评估."))
    period_start = ChineseDateField(label=_("Deadlines from"))
    period_end = ChineseDateField(label=_("Deadlines until"),
                                  help_text=_("Every organization whose concentrated rectification was due within "
                                              "the period, both days included, is evaluated."))
    template = forms.ModelChoiceField(label=_("Scoring template"), queryset=None, empty_label=None)

    def __init__(self, *args, committees, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.committees = {c.pk: c for c in committees}
        self.fields["committee"].choices = [(c.pk, c.name) for c in committees]
        if len(committees) == 1:
            self.fields["committee"].widget = forms.HiddenInput()
            self.fields["committee"].initial = committees[0].pk
        self.fields["template"].queryset = templates
        self.fields["template"].label_from_instance = (
            (lambda t: f"{t.name}（{t.committee.name}）") if len(committees) > 1 else (lambda t: t.name))

    def clean_committee(self):
        return self.committees[self.cleaned_data["committee"]]


class CloseForm(StyledForm):
    conclusion = forms.CharField(label=_("Overall findings"), widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text=_("They close the batch report; a concluded batch can no longer change."))


class TemplateForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TemplateCreateForm(TemplateForm):
    committee = forms.TypedChoiceField(label=_("Committee"), coerce=int)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.committees = {c.pk: c for c in committees}
        self.fields["committee"].choices = [(c.pk, c.name) for c in committees]
        if len(committees) == 1:
            self.fields["committee"].widget = forms.HiddenInput()
            self.fields["committee"].initial = committees[0].pk

    def clean_committee(self):
        return self.committees[self.cleaned_data["committee"]]


class CopyForm(StyledForm):
    name = forms.CharField(label=_("Name of the copy"), max_length=100)


class CriterionForm(StyledForm):
    title = forms.CharField(label=_("Criterion"), max_length=100)
    points = forms.DecimalField(label=_("Points"), max_digits=5, decimal_places=1)
    indicator = forms.ChoiceField(label=_("Indicator shown beside it"), choices=Criterion.Indicator.choices,
                                  required=False)
    guidance = forms.CharField(label=_("Scoring guidance"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DeductionForm(StyledForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput())
    description = forms.CharField(label=_("Deduction item"), max_length=200, required=False)
    points = forms.DecimalField(label=_("Points each time"), max_digits=5, decimal_places=1, required=False)
    delete = forms.BooleanField(label=_("Remove"), required=False)


DeductionFormSet = forms.formset_factory(DeductionForm, extra=3)


def deduction_rows(formset) -> tuple[list[dict], list[int]]:
    """The rows for criterion_save (blank new rows left out) and, per row, its form's index."""
    rows, positions = [], []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if data.get("id") is None and not data.get("description") and data.get("points") is None:
            continue
        rows.append({"id": data.get("id"), "description": data.get("description", ""),
                     "points": data.get("points"), "delete": data.get("delete", False)})
        positions.append(index)
    return rows, positions


def add_deduction_errors(form: StyledForm, formset, positions: Sequence[int], exc: ValidationError) -> None:
    """Errors of "deductions.<row>.<field>" onto the formset's row; the rest onto the form."""
    rest: dict[str, list[str]] = {}
    for key, messages in exc.message_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "deductions" and parts[1].isdigit() and int(parts[1]) < len(positions):
            row = formset.forms[positions[int(parts[1])]]
            row.add_error(parts[2] if parts[2] in row.fields else None, messages)
            row.mark_invalid()
        else:
            rest[key] = messages
    if rest:
        form.add_service_errors(ValidationError(rest))


@dataclass
class ScoreRow:
    """One criterion of the scoring form, with its bound fields."""

    sheet: object  # selectors.evaluation.SheetRow
    confirm: forms.BoundField
    score: forms.BoundField
    comment: forms.BoundField
    deductions: list[tuple[object, forms.BoundField]]


class ScoreForm(StyledForm):
    """Per criterion: "scored" ticked, an explicit score or the times each deduction item applies
    (pre-filled with the indicators' suggestions until it is scored), a comment; then the
    evaluation's comment and follow-up."""

    comment = forms.CharField(label=_("Evaluation comments"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.ChoiceField(label=_("Follow-up measures"), choices=Evaluation.FollowUp.choices, required=False,
                                  help_text=_("Required for a basically satisfactory or unsatisfactory grade."))
    follow_up_note = forms.CharField(label=_("Follow-up arrangements"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for row in sheet:
            pk, scored = row.criterion.pk, row.score is not None
            self.fields[f"c{pk}_confirm"] = forms.BooleanField(
                label=_("Scored"), required=False, initial=scored,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
            self.fields[f"c{pk}_score"] = forms.DecimalField(
                label=_("Score"), required=False, max_digits=5, decimal_places=1,
                initial=row.score.score if row.explicit else None,
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.1", "min": "0",
                                                "max": str(row.criterion.points),
                                                "placeholder": _("points less deductions")}))
            self.fields[f"c{pk}_comment"] = forms.CharField(
                label=_("Comment"), required=False,
                initial=row.score.comment if scored else "",
                widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}))
            for item in row.deductions:
                self.fields[f"c{pk}_d{item.deduction.pk}"] = forms.IntegerField(
                    label=item.deduction.description, required=False, min_value=0, max_value=99,
                    initial=item.applied if scored else item.suggested,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": "0"}))

    def rows(self) -> list[ScoreRow]:
        made = []
        for row in self.sheet:
            pk = row.criterion.pk
            made.append(ScoreRow(row, self[f"c{pk}_confirm"], self[f"c{pk}_score"], self[f"c{pk}_comment"],
                                 [(item, self[f"c{pk}_d{item.deduction.pk}"]) for item in row.deductions]))
        return made

    def scores(self) -> list[dict]:
        """The rows for evaluation_score: the criteria ticked as scored."""
        data, found = self.cleaned_data, []
        self.positions = []
        for row in self.sheet:
            pk = row.criterion.pk
            if not data.get(f"c{pk}_confirm"):
                continue
            found.append({"criterion": pk, "score": data.get(f"c{pk}_score"),
                          "comment": data.get(f"c{pk}_comment", ""),
                          "deductions": {item.deduction.pk: data.get(f"c{pk}_d{item.deduction.pk}") or 0
                                         for item in row.deductions}})
            self.positions.append(pk)
        return found

    def add_service_errors(self, exc: ValidationError) -> None:
        """"scores.<row>.…" onto that criterion's score field; the rest by name."""
        rest: dict[str, list[str]] = {}
        for key, messages in exc.message_dict.items():
            parts = key.split(".")
            if parts[0] == "scores" and len(parts) == 3 and parts[1].isdigit() \
                    and int(parts[1]) < len(self.positions):
                self.add_error(f"c{self.positions[int(parts[1])]}_score", messages)
            else:
                rest[key] = messages
        if rest:
            add_service_errors(self, ValidationError(rest))
        self.mark_invalid()
