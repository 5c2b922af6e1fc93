"""Forms of the task pages: they parse; services_tasks checks (files by content) and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xuncha.findings.uploads import ACCEPT_ATTRIBUTE
from xuncha.registry.forms import ChineseDateField, StyledForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleaned to a list (empty when none were chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProgressForm(StyledForm):
    reported_on = ChineseDateField(label=_("Date"))
    text = forms.CharField(label=pgettext_lazy("rectification", "Progress"), widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("What has been done, by whom, with what result."))
    files = MultipleFileField(label=pgettext_lazy("rectification", "Evidence"), required=False, allow_empty_file=True,
                              help_text=_("PDF, images (JPEG, PNG, GIF, WebP) or Word, Excel and PowerPoint "
                                          "documents (.docx, .xlsx, .pptx); several may be chosen."))


class TransitionForm(StyledForm):
    """The comment of a transition; the action is the button pressed (services_tasks judges both)."""

    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
