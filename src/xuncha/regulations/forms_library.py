"""Forms of the rules library: they parse the input and hand it to services_library."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.regulations.models import RegulationVersion


class RegulationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    short_title = forms.CharField(label=_("Short title"), max_length=40,
                                  help_text=_("The name used in citations: 条例 in 条例(2024)第三十二条."))
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class VersionImportForm(forms.Form):
    label = forms.CharField(label=_("Version"), max_length=20, help_text=_("As cited, e.g. 2024."))
    doc_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    effective_on = forms.DateField(label=_("In force from"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("Paste the whole text: each article starts a line with 第X条."))
    docx = forms.FileField(label=_("Or a Word document (.docx)"), required=False)
    preview = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "preview":
                field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        data = super().clean()
        upload = data.get("docx")
        data["docx_bytes"] = upload.read() if upload else None
        if not data["docx_bytes"] and not (data.get("text") or "").strip() and not self.errors:
            raise forms.ValidationError(_("Paste the text or upload a Word document (.docx)."))
        return data


SOURCE_CHOICES = RegulationVersion.Source.choices
