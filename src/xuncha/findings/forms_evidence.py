"""The upload form of a paper's evidence: it only parses; findings.uploads judges the file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.findings.uploads import ACCEPT_ATTRIBUTE
from xuncha.registry.forms import StyledForm


class EvidenceForm(StyledForm):
    file = forms.FileField(label=_("File"), allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
                           help_text=_("PDF, images (JPEG, PNG, GIF, WebP) or Word, Excel and PowerPoint "
                                       "documents (.docx, .xlsx, .pptx)."))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
