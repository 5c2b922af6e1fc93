"""Forms of the registry pages: they parse and check fields, the services write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xuncha.registry import selectors
from xuncha.registry.models import Person, Relative
from xuncha.registry.validation import clean_name, clean_phone, clean_unified_code
from xuncha.workbench.forms import add_service_errors

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y年%m月%d日", "%Y/%m/%d", "%Y.%m.%d"]


class ChineseDateField(forms.DateField):
    """A date typed as 2024-02-28 or 2024年2月28日."""

    default_error_messages = {
        "invalid": _("Enter a date such as 2024-02-28 or 2024年2月28日."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("widget", forms.DateInput(
            format="%Y-%m-%d", attrs={"placeholder": "2024-02-28", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split())
        return super().to_python(value)


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, `is-invalid` on fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] += " is-invalid"

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show a ValidationError raised by a service on the field it names."""
        add_service_errors(self, exc)
        self.mark_invalid()


def _name_field(max_length: int):
    return forms.CharField(label=_("Name"), max_length=max_length)


class OrganizationForm(StyledForm):
    name = _name_field(100)
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=None, empty_label=None)
    parent = forms.ModelChoiceField(
        label=_("Parent organization"), queryset=None, required=False,
        empty_label=_("None (top level)"),
        help_text=_("A village under its township; leave empty for a top-level organization."))
    principal = forms.ModelChoiceField(label=_("Principal"), queryset=None, required=False,
                                       empty_label=_("Not recorded"))
    unified_code = forms.CharField(label=_("Unified social credit code"), max_length=18,
                                   required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                help_text=_("Clear to deactivate an organization that no longer exists."))

    def __init__(self, *args, user, committee, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = selectors.kinds_for(user)
        parents = selectors.organizations_for(user, committee=committee.pk).select_related(None)
        if organization is not None:
            parents = parents.exclude(pk=organization.pk)
        self.fields["parent"].queryset = parents.only("id", "name")
        self.fields["principal"].queryset = (
            selectors.people_for(user, committee=committee.pk).select_related("organization"))
        self.fields["principal"].label_from_instance = (
            lambda p: f"{p.name}（{p.organization.name}）" if p.organization_id else p.name)

    def clean_name(self):
        return clean_name(self.cleaned_data["name"], max_length=100)

    def clean_unified_code(self):
        return clean_unified_code(self.cleaned_data["unified_code"])


class PersonForm(StyledForm):
    name = _name_field(50)
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", "—"), *Person.Gender.choices])
    birth_date = ChineseDateField(label=_("Birth date"), required=False)
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, required=False,
                                          empty_label="—")
    post = forms.CharField(label=_("Post"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            help_text=_("A mobile number, or an area code and number such as 0871-12345678."))

    def __init__(self, *args, user, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            selectors.organizations_for(user, committee=committee.pk).select_related(None)
            .only("id", "name"))

    def clean_name(self):
        return clean_name(self.cleaned_data["name"], max_length=50)

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class _EntryForm(StyledForm):
    """Shared by work history and relatives: an organization from the list or by name."""

    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, required=False,
                                          empty_label="—")
    organization_name = forms.CharField(
        label=_("Or organization name"), max_length=100, required=False,
        help_text=_("For an organization not in the registry."))
    post = forms.CharField(label=_("Post"), max_length=100, required=False)

    def __init__(self, *args, user, person, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            selectors.organizations_for(user, committee=person.committee_id).select_related(None)
            .only("id", "name"))


class WorkHistoryForm(_EntryForm):
    prefix_name = "wh"
    start_date = ChineseDateField(label=_("From"))
    end_date = ChineseDateField(label=_("To"), required=False,
                                help_text=_("Leave empty if the person still works there."))
    field_order = ["start_date", "end_date", "organization", "organization_name", "post"]

    def clean(self):
        data = super().clean()
        if not data.get("organization") and not data.get("organization_name"):
            self.add_error("organization", _("Give the organization."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class RelativeForm(_EntryForm):
    prefix_name = "rel"
    relation = forms.ChoiceField(label=_("Relation"), choices=Relative.Relation.choices)
    name = _name_field(50)
    field_order = ["relation", "name", "organization", "organization_name", "post"]

    def clean_name(self):
        return clean_name(self.cleaned_data["name"], max_length=50)


# -- list filters (GET) ----------------------------------------------------------------------

class _FilterForm(StyledForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, data, *, user, **kwargs):
        super().__init__(data, **kwargs)
        committees = list(selectors.committees_for(user))
        if len(committees) > 1:
            self.fields["committee"] = forms.TypedChoiceField(
                label=_("Committee"), required=False, coerce=int, empty_value=None,
                choices=[("", _("All committees")), *((c.pk, c.name) for c in committees)])
            self.fields["committee"].widget.attrs["class"] = "form-select"

    def value(self, name: str):
        """The parsed value of a filter; a bad value counts as no filter."""
        if not self.is_valid():
            field = self.fields[name]
            try:
                return field.clean(field.widget.value_from_datadict(self.data, self.files, name))
            except ValidationError:
                return field.clean("") if not field.required else None
        return self.cleaned_data.get(name)


class OrganizationFilterForm(_FilterForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    active = forms.TypedChoiceField(
        label=_("State"), required=False, empty_value=None,
        coerce=lambda value: value == "1",
        choices=[("", _("Active and inactive")), ("1", _("Active")), ("0", _("Inactive"))])
    parent = forms.TypedChoiceField(label=_("Parent organization"), required=False, coerce=int,
                                    empty_value=None)
    principal = forms.ChoiceField(label=_("Principal"), required=False,
                                  choices=[("", _("Any")), ("none", _("No principal"))])

    def __init__(self, data, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        self.fields["kind"].choices = [
            ("", _("All kinds")), *selectors.kinds_for(user).values_list("code", "name")]
        parents = (selectors.organizations_for(user).select_related(None)
                   .filter(children__isnull=False).distinct().values_list("id", "name"))
        self.fields["parent"].choices = [("", _("Any parent")), *parents]

    def selector_params(self) -> dict:
        params = {
            "query": (self.value("q") or "").strip(),
            "kind": self.value("kind") or "",
            "active": self.value("active"),
            "parent": self.value("parent"),
            "without_principal": self.value("principal") == "none",
        }
        if "committee" in self.fields:
            params["committee"] = self.value("committee")
        return params


class PersonFilterForm(_FilterForm):
    organization = forms.TypedChoiceField(label=_("Organization"), required=False, coerce=int,
                                          empty_value=None)

    def __init__(self, data, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        organizations = selectors.organizations_for(user).select_related(None).values_list("id", "name")
        self.fields["organization"].choices = [("", _("All organizations")), *organizations]

    def selector_params(self) -> dict:
        params = {"query": (self.value("q") or "").strip(),
                  "organization": self.value("organization")}
        if "committee" in self.fields:
            params["committee"] = self.value("committee")
        return params
