from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not correct."),
        "locked": _("This account is locked after repeated failed logins. Try again after %(until)s."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            until = getattr(self.request, "xuncha_locked_until", None)
            if until is not None:
                shown = formats.date_format(timezone.localtime(until), "H:i")
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked", params={"until": shown},
                ) from None
            raise


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not all digits, not like your username."),
    )
    new_password_again = forms.CharField(label=_("New password again"), widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data
