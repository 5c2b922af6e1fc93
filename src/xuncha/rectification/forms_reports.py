"""Forms of the progress report pages: they parse; services_reports checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.rectification.models import Disclosure, ProgressReport
from xuncha.rectification.selectors.reports import NOT_STARTED, LedgerFilters
from xuncha.registry.forms import ChineseDateField, StyledForm


class LedgerFilterForm(StyledForm):
    round = forms.TypedChoiceField(label=_("Round"), coerce=int, required=False, empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), (NOT_STARTED, _("Not submitted (not started)")),
                                        *ProgressReport.State.choices]
        if rounds:
            self.fields["round"].choices = [("", _("All rounds")), *((r.pk, r.label) for r in rounds)]
        else:
            # The organization's liaison reads no rounds: its list is short enough without.
            del self.fields["round"]

    def filters(self) -> LedgerFilters:
        if not self.is_valid():
            return LedgerFilters()
        data = self.cleaned_data
        return LedgerFilters(round=data.get("round"), state=data["state"], overdue=data["overdue"])


class ReportForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text of the report"), required=False, widget=forms.Textarea(attrs={"rows": 14}))
    file = forms.FileField(label=_("Report file"), required=False,
                           widget=forms.FileInput(attrs={"accept": ".docx,.pdf"}),
                           help_text=_("The signed report as a Word document (.docx) or a PDF file; it replaces "
                                       "the file attached before."))
    remove_file = forms.BooleanField(label=_("Remove the attached file"), required=False)


class AcceptForm(StyledForm):
    opinion = forms.CharField(label=_("Review opinion"), widget=forms.Textarea(attrs={"rows": 6}))
    reviewed_on = ChineseDateField(label=_("Date of the review opinion"))


class ReturnForm(StyledForm):
    comment = forms.CharField(label=_("What the organization should improve"),
                              widget=forms.Textarea(attrs={"rows": 4}))


class DisclosureForm(StyledForm):
    published_on = ChineseDateField(label=_("Published on"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Disclosure.Channel.choices)
    place = forms.CharField(label=_("Where"), max_length=200,
                            help_text=_("The web address, notice board or meeting."))
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content published"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
