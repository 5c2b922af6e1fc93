"""Forms of the checklist pages: they only parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.checklist.models import Item
from xuncha.registry.forms import StyledForm


class ItemForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=Item._meta.get_field("title").max_length)
    note = forms.CharField(label=_("Explanation"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class DraftForm(StyledForm):
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("YAML or Excel file"),
                           help_text=_("A file exported from a checklist version (.yaml or .xlsx). "
                                       "It replaces every item of the draft."))
