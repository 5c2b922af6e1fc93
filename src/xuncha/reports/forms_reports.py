"""Forms of the report pages: they parse what was posted and hand it to services_reports."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xuncha.reports import chain
from xuncha.reports.models import DocKind


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocKind.choices)


class StepForm(forms.Form):
    action = forms.ChoiceField(choices=[(chain.APPROVE, _("Approve")), (chain.RETURN, _("Return"))])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea)


class SubmitForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class SectionsForm(forms.Form):
    """One textarea per section of the latest version (keys and titles kept), and a note."""

    note = forms.CharField(label=_("What changed"), required=False, max_length=200,
                           widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, sections: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"body_{section['key']}"] = forms.CharField(
                label=section["title"], required=False, initial=section.get("body", ""),
                widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace"}), strip=False)

    def rows(self):
        return [(section, self[f"body_{section['key']}"]) for section in self.sections]

    def edited_sections(self) -> list[dict]:
        return [{"key": s["key"], "title": s["title"], "body": self.cleaned_data.get(f"body_{s['key']}", "")}
                for s in self.sections]

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                self.add_error("note" if field == "note" else None, errors)
        else:
            self.add_error(None, exc.messages)


class ChainForm:
    """The rows of the chain editor: name_<i> and roles_<i> (several) for i = 0, 1, …;
    a row with neither a name nor roles is left out."""

    EXTRA_ROWS = 2

    def __init__(self, data=None, *, steps: list[dict] | None = None):
        self.data = data
        self.steps = steps or []
        self.errors: list[str] = []

    def parsed_steps(self) -> list[dict]:
        steps = []
        indexes = sorted({int(k.split("_", 1)[1]) for k in self.data
                          if k.startswith(("name_", "roles_")) and k.split("_", 1)[1].isdigit()})
        for i in indexes:
            name = (self.data.get(f"name_{i}") or "").strip()
            roles = self.data.getlist(f"roles_{i}")
            if name or roles:
                steps.append({"name": name, "roles": roles})
        return steps

    def rows(self) -> list[dict]:
        steps = self.parsed_steps() if self.data is not None else self.steps
        rows = [{"index": i, "name": s.get("name", ""), "roles": list(s.get("roles", []))}
                for i, s in enumerate(steps)]
        rows += [{"index": len(rows) + n, "name": "", "roles": []} for n in range(self.EXTRA_ROWS)]
        return rows

    @staticmethod
    def role_choices() -> list[tuple[str, str]]:
        return [(role, chain.role_label(role)) for role in chain.STEP_ROLES]
