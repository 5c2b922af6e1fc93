"""The form of a deadline-policy version: it parses; services_policies checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.rectification import services_policies as services
from xuncha.registry.forms import ChineseDateField, StyledForm


def _months(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=services.MAX_MONTHS)


def _days(label, help_text) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=services.MAX_DAYS, help_text=help_text)


class PolicyForm(StyledForm):
    effective_from = ChineseDateField(label=_("Effective from"))
    basis = forms.CharField(label=_("Basis"), max_length=200, required=False,
                            help_text=_("The regulation or decision these deadlines come from."))
    rectification_months = _months(_("Concentrated rectification (months after feedback)"))
    progress_report_months = _months(_("Progress report (months after feedback)"))
    transfer_feedback_months = _months(_("Feedback on transferred problems and leads (months after transfer)"))
    disclosure_months = _months(_("Public disclosure (months after the review opinion)"))
    warn_green_days = _days(_("Green warning (days before a deadline)"), "")
    warn_yellow_days = _days(_("Yellow warning (days before a deadline)"), _("At most the green warning's days."))

    def values(self) -> services.Values:
        return services.Values(**self.cleaned_data)

    @classmethod
    def initial_from(cls, policy) -> dict:
        return {name: getattr(policy, name) for name in cls.base_fields}
