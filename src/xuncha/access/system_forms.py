"""Forms of the 三员 pages and the API-token page: they parse, the services decide."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from xuncha.access.roles import BUSINESS_ROLES, Role
from xuncha.access.system_selectors import ACCOUNT_STATUSES, AuditFilter
from xuncha.registry.models import Committee

BUSINESS_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in BUSINESS_ROLES]

_SEARCH = {"class": "form-control form-control-sm"}
_SELECT = {"class": "form-select form-select-sm"}


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Username or name"), required=False, max_length=150,
                        widget=forms.TextInput(attrs={**_SEARCH, "type": "search"}))
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All")), *zip(ACCOUNT_STATUSES, (_("Active"), _("Deactivated"), _("Locked")),
                                       strict=True)],
        widget=forms.Select(attrs=_SELECT),
    )


class AccountCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50,
                                widget=forms.TextInput(attrs={"class": "form-control"}))

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()

    def clean_full_name(self) -> str:
        return self.cleaned_data["full_name"].strip()


class AssignmentFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All roles")), *BUSINESS_ROLE_CHOICES],
                             widget=forms.Select(attrs=_SELECT))
    committee = forms.ModelChoiceField(label=_("Committee"), required=False, queryset=None,
                                       empty_label=_("All committees"), widget=forms.Select(attrs=_SELECT))
    user = forms.CharField(label=_("Account"), required=False, max_length=150,
                           widget=forms.TextInput(attrs={**_SEARCH, "type": "search"}))

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Account"), queryset=None, to_field_name="username",
        help_text=_("The account's username."),
        error_messages={"invalid_choice": _("There is no active account with this username.")},
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *BUSINESS_ROLE_CHOICES],
                             widget=forms.Select(attrs={"class": "form-select"}))
    committee = forms.ModelChoiceField(
        label=_("Committee"), queryset=None,
        # The organization choices follow the committee (htmx swaps them in).
        widget=forms.Select(attrs={
            "class": "form-select", "hx-get": reverse_lazy("system:role_organizations"),
            "hx-target": "#organization-field", "hx-trigger": "change",
        }),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=None, required=False,
        help_text=_("Only for unit liaisons and receivers: the organization they act for."),
        error_messages={"invalid_choice": _("Choose an organization of the chosen committee.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, accounts, committees, organizations, **kwargs):
        """`organizations` is a callable giving the choices for a committee (or None)."""
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts
        self.fields["committee"].queryset = committees
        raw = self.data.get("committee") if self.is_bound else self.initial.get("committee")
        committee = raw if isinstance(raw, Committee) else None
        if committee is None and raw and str(raw).isdigit():
            committee = committees.filter(pk=raw).first()
        # Only one committee's organizations are offered: a province has tens of thousands.
        self.fields["organization"].queryset = organizations(committee)
        self.fields["organization"].label_from_instance = lambda o: o.name


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60,
                           help_text=_("What the token is for, e.g. the statistics script."),
                           widget=forms.TextInput(attrs={"class": "form-control"}))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Account"), required=False, max_length=150,
                            widget=forms.TextInput(attrs={**_SEARCH, "type": "search"}))
    action = forms.CharField(label=_("Action"), required=False, max_length=40,
                             help_text=_("A prefix such as account. finds every account event."),
                             widget=forms.TextInput(attrs=_SEARCH))
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60,
                                  widget=forms.TextInput(attrs=_SEARCH))
    object_id = forms.CharField(label=_("Object ID"), required=False, max_length=64,
                                widget=forms.TextInput(attrs=_SEARCH))
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={**_SEARCH, "type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={**_SEARCH, "type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> AuditFilter:
        """The filter to apply; an invalid form filters on its valid fields only."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return AuditFilter(
            actor=data.get("actor", "").strip(),
            action=data.get("action", "").strip(),
            object_type=data.get("object_type", "").strip(),
            object_id=data.get("object_id", "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to") if "date_to" not in self.errors else None,
        )
