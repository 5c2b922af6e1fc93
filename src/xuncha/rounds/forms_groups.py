"""Forms of the group pages: they parse the input; the services check and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuncha.registry.forms import ChineseDateField, StyledForm
from xuncha.rounds.models import Assignment, GroupMember, MemberDeclaration
from xuncha.rounds.selectors import groups as selectors


class OverrideMixin(forms.Form):
    override_reason = forms.CharField(
        label=_("Override: written reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only an office administrator may let a conflict stand; the reason is kept on record."))


class MemberAddForm(OverrideMixin, StyledForm):
    q = forms.CharField(label=_("Find a person"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
                        help_text=_("Name or pinyin initials, e.g. wjg for 王建国."))
    person = forms.IntegerField(label=_("Person"), widget=forms.HiddenInput,
                                error_messages={"required": _("Choose the person from the list.")})
    role = forms.ChoiceField(label=_("Role in the group"), choices=GroupMember.Role.choices,
                             initial=GroupMember.Role.MEMBER)
    username = forms.CharField(
        label=_("Account"), required=False, max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "account-options"}),
        help_text=_("The user name of the account that gets access to the group; leave empty for none."))

    field_order = ["q", "person", "role", "username", "override_reason"]

    def __init__(self, *args, user, group, **kwargs):
        self.user, self.group = user, group
        super().__init__(*args, **kwargs)

    def clean_person(self):
        person = selectors.get_person_to_staff(self.user, self.group, self.cleaned_data["person"])
        if person is None:
            raise ValidationError(_("Choose the person from the list."))
        return person

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        account = selectors.get_account_to_grant(self.user, self.group, username)
        if account is None:
            raise ValidationError(_("No active account has the user name “%(name)s”.") % {"name": username})
        return account


class TargetAddForm(OverrideMixin, StyledForm):
    q = forms.CharField(label=_("Find an organization"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
                        help_text=_("Name, short name or pinyin initials."))
    organization = forms.IntegerField(label=_("Organization"), widget=forms.HiddenInput,
                                      error_messages={"required": _("Choose the organization from the list.")})
    mode = forms.ChoiceField(label=_("Mode"), choices=Assignment.Mode.choices, initial=Assignment.Mode.DIRECT)

    field_order = ["q", "organization", "mode", "override_reason"]

    def __init__(self, *args, user, group, **kwargs):
        self.user, self.group = user, group
        super().__init__(*args, **kwargs)

    def clean_organization(self):
        org = selectors.get_organization_to_inspect(self.user, self.group, self.cleaned_data["organization"])
        if org is None:
            raise ValidationError(_("Choose the organization from the list."))
        return org


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.name}（{obj.get_role_display()}）"


def _set_members(field, members, member_list=None) -> None:
    """Validate against the queryset; offer the members the page already loaded, if given."""
    field.queryset = members
    if member_list is not None:
        field.choices = [(m.pk, field.label_from_instance(m)) for m in member_list]


class DeclarationForm(StyledForm):
    member = MemberChoiceField(label=_("Member"), queryset=GroupMember.objects.none(),
                               empty_label=None)
    kind = forms.ChoiceField(label=_("Declaration"), choices=MemberDeclaration.Kind.choices)
    signed_on = ChineseDateField(label=_("Signed on"))
    content = forms.CharField(label=_("Content"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, members, member_list=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("signed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _set_members(self.fields["member"], members, member_list)


class ConflictForm(StyledForm):
    member = MemberChoiceField(label=_("Member"), queryset=GroupMember.objects.none(), empty_label=None)
    q = forms.CharField(label=_("Find an organization"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}))
    organization = forms.IntegerField(label=_("Organization"), widget=forms.HiddenInput,
                                      error_messages={"required": _("Choose the organization from the list.")})
    reason = forms.CharField(label=_("Reason"), max_length=300)
    declared_on = ChineseDateField(label=_("Declared on"))

    def __init__(self, *args, user, group, members, member_list=None, **kwargs):
        self.user, self.group = user, group
        kwargs.setdefault("initial", {}).setdefault("declared_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _set_members(self.fields["member"], members, member_list)

    def clean_organization(self):
        # A conflict may be declared with any organization of the committee, inspected or not.
        org = selectors.organizations_to_inspect(self.user, self.group).filter(
            pk=self.cleaned_data["organization"]).first()
        if org is None:
            raise ValidationError(_("Choose the organization from the list."))
        return org
