"""Forms of the papers pages: they parse fields, the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.findings.models import Kind, WorkingPaper
from xuncha.registry.forms import ChineseDateField, StyledForm

TEXT_FIELDS = ("title", "source", "facts", "informants", "learned_on", "place", "classification", "basis",
               "amount", "persons_involved", "kind")


def grouped_classifications(items) -> list:
    """Choices grouped as 监督重点 › 监督要点, each holding its manifestations."""
    groups: dict[tuple, list] = {}
    for item in items:
        point = item.parent
        label = f"{point.parent.title} › {point.title}"
        groups.setdefault((point.parent.position, point.position, point.pk, label), []).append((item.pk, item.title))
    return [("", _("— not classified yet —"))] + [(key[3], choices) for key, choices in groups.items()]


def _text(label, rows=4, **kwargs):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class PaperTextForm(StyledForm):
    """The text of a paper (what an amendment may change as well)."""

    title = forms.CharField(label=_("Summary of the problem"), max_length=200)
    source = forms.ChoiceField(label=_("Source"), choices=WorkingPaper.Source.choices)
    facts = _text(_("Facts established"), rows=8, required=False,
                  help_text=_("How, from whom, when, where and what was learned."))
    informants = forms.CharField(label=_("Learned from"), max_length=200, required=False)
    learned_on = ChineseDateField(label=_("Learned on"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    classification = forms.TypedChoiceField(label=_("Classification"), coerce=int, required=False, empty_value=None)
    basis = _text(_("Basis (rules breached)"), rows=3, required=False)
    amount = forms.DecimalField(label=_("Amount involved (yuan)"), min_value=0, max_digits=16, decimal_places=2,
                                required=False)
    persons_involved = forms.CharField(label=_("Persons involved"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)

    def __init__(self, *args, manifestations, **kwargs):
        self.manifestations = {item.pk: item for item in manifestations}
        super().__init__(*args, **kwargs)
        self.fields["learned_on"].widget.input_type = "date"
        self.fields["classification"].choices = grouped_classifications(self.manifestations.values())

    def clean_classification(self):
        pk = self.cleaned_data.get("classification")
        return self.manifestations.get(pk) if pk else None

    @staticmethod
    def initial_for(paper: WorkingPaper) -> dict:
        initial = {name: getattr(paper, name) for name in TEXT_FIELDS}
        initial["classification"] = paper.classification_id
        return initial

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in TEXT_FIELDS}


class PaperForm(PaperTextForm):
    authors = forms.ModelMultipleChoiceField(
        label=_("Authors"), queryset=None, required=False,
        help_text=_("The members who wrote the paper, usually two."))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["authors"]
        field.queryset = members
        field.label_from_instance = lambda m: f"{m.person.name}（{m.get_role_display()}）"
        field.widget.attrs["size"] = min(8, max(3, len(field.queryset)))


class AmendmentForm(PaperTextForm):
    reason = _text(_("Reason for the amendment"), rows=3)


class StepForm(forms.Form):
    action = forms.CharField(max_length=16)
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
