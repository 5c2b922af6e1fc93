"""Forms of the recommendation pages: they parse; services_recommendations checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xuncha.analytics.models import Recommendation, SystemOutcome
from xuncha.findings.uploads import ACCEPT_ATTRIBUTE
from xuncha.registry.forms import ChineseDateField, StyledForm

BLANK_ITEMS = 2  # empty rows offered under the written recommendations
MAX_ITEMS = 50


class ProblemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number} {obj.organization.name} {obj.title}"


class OrganizationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class LedgerFilterForm(StyledForm):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states")), *Recommendation.State.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class DraftForm(StyledForm):
    """A new letter: its title, term (and round), the problems it draws on, the addressees."""

    title = forms.CharField(label=_("Title"), max_length=200)
    term = forms.ModelChoiceField(label=_("Term"), queryset=None, empty_label=None)
    round = forms.ModelChoiceField(label=_("Round"), queryset=None, required=False, empty_label=_("Several rounds"))
    problems = ProblemChoiceField(label=_("Problems"), queryset=None, required=False,
                                  widget=forms.CheckboxSelectMultiple)
    addressees = OrganizationChoices(label=_("Addressed to"), queryset=None, required=False,
                                     widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, terms, rounds, problems, addressees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda r: r.label
        self.fields["problems"].queryset = problems
        self.fields["addressees"].queryset = addressees
        for name in ("problems", "addressees"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class EditForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    symptoms = forms.CharField(label=_("Symptoms"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                               help_text=_("Written from the problems' data; edit as needed. One paragraph a line."))
    refill_symptoms = forms.BooleanField(label=_("Write the symptoms again from the problems"), required=False)
    causes = forms.CharField(label=_("Root causes"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("Why the problems keep occurring. One paragraph a line."))
    problems = ProblemChoiceField(label=_("Problems"), queryset=None, required=False,
                                  widget=forms.CheckboxSelectMultiple)
    addressees = OrganizationChoices(label=_("Addressed to"), queryset=None, required=False,
                                     widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, problems, addressees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems
        self.fields["addressees"].queryset = addressees
        for name in ("problems", "addressees"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class ItemsForm(StyledForm):
    """The numbered recommendations: one box per item, with blank rows for new ones (no script
    needed); a box left empty removes its item."""

    def __init__(self, *args, texts=(), **kwargs):
        super().__init__(*args, **kwargs)
        count = len(texts) + BLANK_ITEMS
        if self.is_bound:
            posted = [int(k[5:]) for k in self.data if k.startswith("item_") and k[5:].isdigit()]
            count = min(max(posted, default=0), MAX_ITEMS)
        for n in range(1, count + 1):
            self.fields[f"item_{n}"] = forms.CharField(
                label=_("Recommendation %(n)d") % {"n": n}, required=False,
                initial=texts[n - 1] if n <= len(texts) else "", widget=forms.Textarea(attrs={"rows": 2}))
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def texts(self) -> list[str]:
        return [self.cleaned_data.get(name, "") for name in self.fields]


class CommentForm(StyledForm):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IssueForm(StyledForm):
    issued_on = ChineseDateField(label=pgettext_lazy("recommendation", "Issued on"))
    comment = forms.CharField(label=_("Comment"), required=False)


class ReceiptForm(StyledForm):
    received_on = ChineseDateField(label=_("Received on"))


class ResponseForm(StyledForm):
    responded_on = ChineseDateField(label=_("Responded on"))
    response = forms.CharField(label=_("Response"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("How the recommendations were acted on; or attach the written report."))
    response_file = forms.FileField(label=_("Response document"), required=False,
                                    widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))


class OutcomeForm(StyledForm):
    title = forms.CharField(label=pgettext_lazy("system of rules", "System"), max_length=200)
    adopted_on = ChineseDateField(label=_("Adopted on"))
    kind = forms.ChoiceField(label=_("Kind"), choices=SystemOutcome.Kind.choices)
    document = forms.FileField(label=_("Document"), required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
