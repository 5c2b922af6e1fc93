"""Forms of the fieldwork pages: they parse and check fields, the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.registry.forms import ChineseDateField, StyledForm
from xuncha.rounds.models import DocumentRequest

DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y年%m月%d日 %H:%M",
                          "%Y年%m月%d日%H:%M"]


class ChineseDateTimeField(forms.DateTimeField):
    """A time typed in the browser's picker, as 2024-02-28 09:30, or as 2024年2月28日 9:30."""

    default_error_messages = {"invalid": _("Enter a time such as 2024-02-28 09:30.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATETIME_INPUT_FORMATS)
        kwargs.setdefault("widget", forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}))
        super().__init__(**kwargs)


def _date(label, **kwargs):
    field = ChineseDateField(label=label, **kwargs)
    field.widget.input_type = "date"
    return field


def _text(label, rows=4, **kwargs):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class InterviewForm(StyledForm):
    interviewee = forms.CharField(label=_("Interviewee"), max_length=50)
    post = forms.CharField(label=_("Post"), max_length=100, required=False)
    held_at = ChineseDateTimeField(label=_("Time"))
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    interviewers = forms.CharField(label=_("Interviewers"), max_length=200,
                                   help_text=_("Names of the group's members who held the talk, separated by 、"))
    recorder = forms.CharField(label=_("Recorder"), max_length=50, required=False)
    summary = _text(_("Summary"), rows=8)


class DocumentRequestForm(StyledForm):
    item = forms.CharField(label=_("Documents requested"), max_length=200)
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=9999, initial=1)
    medium = forms.ChoiceField(label=_("Medium"), choices=DocumentRequest.Medium.choices)
    original = forms.TypedChoiceField(
        label=_("Original or copy"), coerce=lambda v: v == "original", initial="copy",
        choices=[("copy", _("Copy")), ("original", _("Original"))])
    requested_on = _date(_("Requested on"))
    due = _date(_("Return due"), required=False)
    provided_on = _date(_("Provided on"), required=False)
    returned_on = _date(_("Returned on"), required=False)

    @staticmethod
    def initial_for(doc: DocumentRequest) -> dict:
        initial = {name: getattr(doc, name) for name in DocumentRequestForm.base_fields}
        initial["original"] = "original" if doc.original else "copy"
        return initial


class SpotFixForm(StyledForm):
    item = forms.CharField(label=_("Matter"), max_length=300)
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=_("Choose…"))
    fixed_on = _date(_("Date"))
    measure = _text(_("Measure taken"))

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = targets
        # A group still without targets records fixes without naming the organization.
        field.required = targets.exists()


class AnnouncementForm(StyledForm):
    scope = _text(_("What is accepted"), rows=5,
                  help_text=_("The matters the group accepts letters, calls and visits about."))
    phone = forms.CharField(label=_("Phone"), max_length=40)
    mailbox = forms.CharField(label=_("Mailbox"), max_length=120, required=False,
                              help_text=_("The postal mailbox, e.g. 县邮政局 0001 信箱"))
    email = forms.EmailField(label=_("E-mail"), required=False)
    period_start = _date(_("From"))
    period_end = _date(_("To"))
    published = forms.BooleanField(label=_("Published"), required=False)


class GuidanceVisitForm(StyledForm):
    visited_on = _date(_("Date"))
    leaders = forms.CharField(label=_("Visiting leaders"), max_length=200)
    diagnoses = _text(_("Diagnoses"), rows=6, help_text=_("The weaknesses found (把脉)."))


class PrescriptionForm(StyledForm):
    content = _text(_("Prescription"), rows=3)
    owner = forms.CharField(label=_("Owner"), max_length=50)
    due = _date(_("Due"))


class AnswerForm(StyledForm):
    answer = _text(_("Answer"), rows=5)
