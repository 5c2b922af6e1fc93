"""Forms of the public portal. They only parse; services_public validates what it stores."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.findings.uploads import ACCEPT_ATTRIBUTE
from xuncha.intake import services_public

ANONYMOUS, NAMED = "anonymous", "named"
HONEYPOT = "website"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the content checks are the service's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE + ",.txt"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


def target_value(announcement, organization=None) -> str:
    return f"o{organization.pk}" if organization is not None else f"g{announcement.group_id}"


def target_choices(announcements) -> list:
    """One option per group, and one per organization it inspects, grouped by group."""
    choices = []
    for announcement in announcements:
        group = announcement.group
        options = [(target_value(announcement), _("%(group)s (any of its organizations)") % {"group": group.name})]
        options += [(target_value(announcement, a.organization), a.organization.name)
                    for a in group.assignments.all()]
        choices.append((group.full_name, options))
    return choices


class ComplaintForm(forms.Form):
    target = forms.ChoiceField(label=_("To which inspection group, about which organization"))
    content = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 8}),
                              max_length=services_public.CONTENT_MAX)
    concerns = forms.CharField(label=_("Whom it concerns"), required=False,
                               max_length=services_public.CONCERNS_MAX,
                               help_text=_("The person or office the matter is about, if you know."))
    identity = forms.ChoiceField(label=_("Your identity"), choices=[(ANONYMOUS, _("I stay anonymous")),
                                                                    (NAMED, _("I give my name and contact"))],
                                 widget=forms.RadioSelect, initial=ANONYMOUS)
    name = forms.CharField(label=_("Your name"), required=False, max_length=services_public.NAME_MAX)
    contact = forms.CharField(label=_("Phone or address"), required=False, max_length=services_public.CONTACT_MAX,
                              help_text=_("Encrypted; only people granted access may read it."))
    attachments = MultipleFileField(label=_("Attachments"), required=False,
                                    help_text=_("Up to 5 files: PDF, images, Word or Excel (.docx, .xlsx), text."))
    # The honeypot: hidden with CSS, left empty by people, filled in by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, announcements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.announcements = list(announcements)
        self.fields["target"].choices = target_choices(self.announcements)

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean(self):
        data = super().clean()
        if data.get("identity") == NAMED:
            if not (data.get("name", "").strip() or data.get("contact", "").strip()):
                self.add_error("name", _("Give your name or a contact, or choose to stay anonymous."))
        else:
            data["name"] = data["contact"] = ""  # "anonymous" wins over what was typed
        return data

    def target_pks(self) -> dict:
        value = self.cleaned_data["target"]
        return {"organization": value[1:]} if value.startswith("o") else {"group": value[1:]}


class ConfirmForm(forms.Form):
    """"I have saved my receipt code": the code comes back in a hidden field to show it again
    should the box be left unticked (it is in no URL and nowhere on the server)."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    saved = forms.BooleanField(label=_("I have written down or saved my receipt code"),
                               error_messages={"required": _("Tick the box once you have saved the code.")})


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                         "autocapitalize": "characters"}))


class MessageForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    text = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=services_public.MESSAGE_MAX)
