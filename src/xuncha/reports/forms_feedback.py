"""Forms of the feedback pages: they parse; services_feedback checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.findings.forms_problems import classification_path
from xuncha.registry.forms import ChineseDateField, StyledForm
from xuncha.reports.models import FeedbackCopy


class ProblemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number} {obj.title}（{classification_path(obj.classification)}）"


class FeedbackForm(StyledForm):
    problems = ProblemChoiceField(label=_("Problems fed back"), queryset=None, required=False,
                                  widget=forms.CheckboxSelectMultiple,
                                  help_text=_("Problem leads are never fed back to the organization."))
    requirements = forms.CharField(label=_("Rectification requirements"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems
        # A list of checkboxes, not a form control.
        self.fields["problems"].widget.attrs["class"] = "form-check-input"


class IssueForm(StyledForm):
    fed_back_on = ChineseDateField(label=_("Feedback date"))


class MeetingForm(StyledForm):
    held_on = ChineseDateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 3}))
    receipt_acknowledged = forms.BooleanField(label=_("Receipt acknowledged"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CopyForm(StyledForm):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=_("Choose…"))
    role = forms.ChoiceField(label=_("As"), choices=FeedbackCopy.Role.choices)
    sent_on = ChineseDateField(label=_("Sent on"))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
