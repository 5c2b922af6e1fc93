"""Forms of the campaign pages: they parse; services_campaigns checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xuncha.registry.forms import ChineseDateField, StyledForm


class CampaignForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    recommendation = forms.ModelChoiceField(label=_("Following the recommendation"), queryset=None, required=False,
                                            empty_label=_("None"))
    lead_department = forms.ModelChoiceField(label=_("Lead department"), queryset=None, required=False,
                                             empty_label=_("None"))
    started_on = ChineseDateField(label=_("Started on"))
    ends_on = ChineseDateField(label=_("Planned end"), required=False)

    def __init__(self, *args, recommendations, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = recommendations
        self.fields["recommendation"].label_from_instance = lambda r: f"{r.number} {r.title}"
        self.fields["lead_department"].queryset = organizations


class ItemForm(StyledForm):
    title = forms.CharField(label=pgettext_lazy("campaign", "Item"), max_length=300)
    organization = forms.ModelChoiceField(label=_("Responsible organization"), queryset=None, required=False,
                                          empty_label=_("None"))
    due = ChineseDateField(label=_("Due"), required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class ReportForm(StyledForm):
    completed_on = ChineseDateField(label=_("Completed on"))
    problems_fixed = forms.IntegerField(label=_("Problems fixed"), min_value=0, initial=0)
    money_recovered = forms.DecimalField(label=_("Money recovered (yuan)"), min_value=0, max_digits=16,
                                         decimal_places=2, initial=0)
    result = forms.CharField(label=pgettext_lazy("campaign", "Result"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(StyledForm):
    summary = forms.CharField(label=_("Results of the campaign"), widget=forms.Textarea(attrs={"rows": 4}))
