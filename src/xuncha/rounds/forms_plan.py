"""Forms of the plan pages: they parse; the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.registry.forms import ChineseDateField, StyledForm
from xuncha.rounds.models import Round, Term
from xuncha.rounds.transitions import BY_ACTION


class TermForm(StyledForm):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99,
                                help_text=_("The 14th term is 14."))
    name = forms.CharField(label=_("Name"), max_length=40, required=False,
                           help_text=_("e.g. 十四届; left empty, it is made from the number."))
    start_date = ChineseDateField(label=_("Start date"))
    end_date = ChineseDateField(label=_("End date"), required=False)
    planned_rounds = forms.IntegerField(label=_("Planned rounds"), min_value=1, max_value=99, initial=9)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["number"]  # a term keeps its number


class RoundForm(StyledForm):
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), empty_label=None)
    number = forms.IntegerField(label=_("Number in the term"), min_value=1, max_value=99, required=False,
                                help_text=_("Left empty: the next number in the term."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Round.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    theme = forms.CharField(label=_("Theme"), max_length=200, required=False,
                            help_text=_("Required for a special round."))
    planned_entry = ChineseDateField(label=_("Planned entry"))
    planned_exit = ChineseDateField(label=_("Planned exit"))

    def __init__(self, *args, terms=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # A round stays in its term with its number; the rest of the plan may change.
            del self.fields["term"]
            del self.fields["number"]
        else:
            self.fields["term"].queryset = terms
            if len({t.committee_id for t in terms}) > 1:
                self.fields["term"].label_from_instance = lambda t: f"{t.committee.name} · {t.name}"

    def clean(self):
        data = super().clean()
        entry, exit_ = data.get("planned_entry"), data.get("planned_exit")
        if entry and exit_ and exit_ < entry:
            self.add_error("planned_exit", _("The exit date is before the entry date."))
        if data.get("kind") == Round.Kind.SPECIAL and not (data.get("theme") or "").strip():
            self.add_error("theme", _("A special round needs its theme."))
        return data


class TransitionForm(StyledForm):
    action = forms.ChoiceField(choices=[(a, a) for a in BY_ACTION], widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class RoundFilterForm(StyledForm):
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), required=False,
                                  empty_label=_("All terms"))
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states")), *Round.State.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *Round.Kind.choices])

    def __init__(self, *args, terms=None, many_committees: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        if many_committees:
            self.fields["term"].label_from_instance = lambda t: f"{t.committee.name} · {t.name}"

    def selector_params(self) -> dict:
        if not self.is_valid():
            return {}
        term = self.cleaned_data.get("term")
        return {"term": term.pk if term else None, "state": self.cleaned_data.get("state") or "",
                "kind": self.cleaned_data.get("kind") or ""}
