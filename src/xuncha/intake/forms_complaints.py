"""Forms of the complaint register and identity access: they parse; the services check and write."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xuncha.findings.uploads import ACCEPT_ATTRIBUTE
from xuncha.intake.models import Complaint
from xuncha.intake.selectors import complaints as selectors
from xuncha.registry.forms import ChineseDateField, StyledForm
from xuncha.rounds.models import Group

ACCEPT = f"{ACCEPT_ATTRIBUTE},.txt"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the list may be empty unless required. The files are checked
    by content in the service (intake.attachments), not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class RoundField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class GroupField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.round.label} {obj.name}"


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title}（{obj.version.library.name}）"


class RegisterFilterForm(StyledForm):
    q = forms.CharField(label=_("Subject contains"), required=False, max_length=100)
    channel = forms.ChoiceField(label=pgettext_lazy("complaint", "Channel"), required=False,
                                choices=[("", _("All channels")), *Complaint.Channel.choices])
    handling = forms.ChoiceField(label=pgettext_lazy("complaint", "Handling"), required=False,
                                 choices=[("", _("All")), *Complaint.Handling.choices])
    round = RoundField(label=_("Round"), queryset=None, required=False, empty_label=_("All rounds"))
    group = GroupField(label=_("Inspection group"), queryset=None, required=False, empty_label=_("All groups"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    organization = forms.ModelChoiceField(label=_("Organization concerned"), queryset=None, required=False,
                                          empty_label=_("All organizations"))
    received_from = ChineseDateField(label=_("Received from"), required=False)
    received_to = ChineseDateField(label=_("Received until"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = selectors.round_choices(user)
        self.fields["group"].queryset = selectors.group_choices(user)
        self.fields["organization"].queryset = selectors.organization_choices(user)
        self.fields["category"].choices = [("", _("All categories")), (selectors.NO_CATEGORY, _("Not categorized")),
                                           *((t, t) for t in dict.fromkeys(c.title for c in selectors.category_choices(user)))]

    def filters(self) -> selectors.RegisterFilters:
        """The filters asked for; a value that does not parse is left out."""
        if not self.is_bound:
            return selectors.RegisterFilters()
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        category = data.get("category") or None
        return selectors.RegisterFilters(
            channel=data.get("channel") or "", handling=data.get("handling") or "",
            round=data["round"].pk if data.get("round") else None, group=data["group"].pk if data.get("group") else None,
            category=category,
            organization=data["organization"].pk if data.get("organization") else None,
            received_from=data.get("received_from"), received_to=data.get("received_to"), q=data.get("q") or "")


class ContentFields(StyledForm):
    """What a complaint says and whom it concerns (registering and editing)."""

    organization = forms.ModelChoiceField(label=_("Organization concerned"), queryset=None, required=False,
                                          empty_label=_("Not specified"))
    concerns = forms.CharField(label=_("Whom it concerns"), max_length=200, required=False,
                               help_text=_("The people or posts the complaint is about."))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 6}))
    category = CategoryField(label=_("Category"), queryset=None, required=False, empty_label=_("Not categorized"),
                             help_text=_("The supervision focus of the checklist the complaint falls under."))

    def __init__(self, *args, user, committee_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = selectors.organization_choices(user, committee_id)
        self.fields["category"].queryset = selectors.category_choices(user, committee_id)


class ComplaintForm(ContentFields):
    group = GroupField(label=_("Inspection group"), queryset=None, required=False,
                       empty_label=_("The office (no group yet)"))
    channel = forms.ChoiceField(label=pgettext_lazy("complaint", "Channel"), choices=Complaint.Channel.choices)
    received_on = ChineseDateField(label=pgettext_lazy("complaint", "Received on"))
    name = forms.CharField(label=_("Informant's name"), max_length=100, required=False,
                           help_text=_("Optional: leave empty for an anonymous complaint. Stored encrypted; "
                                       "you will not see it again without granted access."))
    contact = forms.CharField(label=_("Informant's contact"), max_length=200, required=False,
                              help_text=_("Telephone or address, optional; stored encrypted."))
    files = MultipleFileField(label=_("Attachments"),
                              help_text=_("PDF, images, Word, Excel, PowerPoint (.docx, .xlsx, .pptx) or plain text."))

    field_order = ["group", "channel", "received_on", "organization", "concerns", "subject", "content", "category",
                   "name", "contact", "files"]

    def __init__(self, *args, groups, group_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].required = group_required
        if group_required:
            self.fields["group"].empty_label = None


class EditForm(ContentFields):
    pass


class HandlingForm(StyledForm):
    group = GroupField(label=_("Inspection group"), queryset=None, required=False, empty_label=_("Choose…"))
    passed_to = forms.CharField(label=_("Passed to"), max_length=200, required=False,
                                help_text=_("The department or authority it was passed to."))
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on = ChineseDateField(label=_("Handled on"), required=False)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups if groups is not None else Group.objects.none()


class PaperForm(StyledForm):
    paper = forms.ModelChoiceField(label=_("Working paper"), queryset=None, empty_label=_("Choose…"))

    def __init__(self, *args, papers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paper"].queryset = papers
        self.fields["paper"].label_from_instance = lambda p: f"{p.number} {p.title}"


class DuplicateForm(StyledForm):
    duplicate_of = forms.CharField(label=_("Number of the earlier complaint"), max_length=20, required=False,
                                   help_text=_("Such as 2024-0003; leave empty to take the mark away."))


class ReplyForm(StyledForm):
    text = forms.CharField(label=_("Reply to the informant"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("The informant reads it with the receipt code on the status page."))


class AttachmentForm(StyledForm):
    files = MultipleFileField(label=_("Add attachments"), required=True)


class IdentityRequestForm(StyledForm):
    reason = forms.CharField(label=_("Why you need to know who sent it"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


GRANT_DAYS = 14  # a grant's default term: long enough to verify, short enough to lapse


def default_expiry() -> date:
    return timezone.localdate() + timedelta(days=GRANT_DAYS)


class DecisionForm(StyledForm):
    grant = forms.TypedChoiceField(label=pgettext_lazy("identity access", "Decision"), coerce=lambda v: v == "grant",
                                   choices=[("grant", pgettext_lazy("identity access", "Grant")), ("refuse", _("Refuse"))])
    expires_on = ChineseDateField(label=_("Granted until"), required=False,
                                  help_text=_("Required when granting."))
    comment = forms.CharField(label=_("Comment"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(StyledForm):
    comment = forms.CharField(label=_("Why the access is withdrawn"), max_length=1000, required=False)
