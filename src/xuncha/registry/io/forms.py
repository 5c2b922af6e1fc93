"""Forms of the import/export pages: they only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.registry.models import Committee, ImportJob


class ImportForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none(),
                                       empty_label=None)
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportJob.Kind.choices,
                             widget=forms.RadioSelect)
    file = forms.FileField(label=_("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    dry_run = forms.BooleanField(label=_("Only check, import nothing"), required=False)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        # The committees come from the access policy; there are only ever a few.
        self.fields["committee"].queryset = Committee.objects.filter(pk__in=[c.pk for c in committees])
        for name in ("committee",):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs["class"] = "form-control"
        self.fields["dry_run"].widget.attrs["class"] = "form-check-input"


class ExportForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none(),
                                       empty_label=None)
    kind = forms.ChoiceField(choices=ImportJob.Kind.choices)

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.filter(pk__in=[c.pk for c in committees])
        self.fields["committee"].widget.attrs["class"] = "form-select"
