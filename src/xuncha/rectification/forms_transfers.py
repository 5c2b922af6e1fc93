"""Forms of the transfers pages: they parse; services_transfers checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.rectification.models import Transfer, TransferAction
from xuncha.rectification.selectors import transfers as selectors
from xuncha.registry.forms import ChineseDateField, StyledForm

KIND_CHOICES = [("", _("Problems and leads")), (selectors.KIND_PROBLEM, _("Problems")),
                (selectors.KIND_LEAD, _("Problem leads"))]


class LedgerFilterForm(StyledForm):
    round = forms.ModelChoiceField(label=_("Round"), queryset=None, required=False, empty_label=_("All rounds"))
    receiver = forms.ModelChoiceField(label=_("Receiver"), queryset=None, required=False,
                                      empty_label=_("All receivers"))
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states")), *Transfer.State.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=KIND_CHOICES)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, rounds, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda r: r.label
        self.fields["receiver"].queryset = receivers

    def filters(self) -> selectors.LedgerFilters:
        """The filters asked for; a value that does not parse is left out."""
        if not self.is_valid():
            data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        else:
            data = self.cleaned_data
        rnd, receiver = data.get("round"), data.get("receiver")
        return selectors.LedgerFilters(round=rnd.pk if rnd else None, receiver=receiver.pk if receiver else None,
                                       state=data.get("state") or "", kind=data.get("kind") or "",
                                       overdue=bool(data.get("overdue")))


class ChooseForm(StyledForm):
    """The first step of handing over: the round and the receiver (GET)."""

    round = forms.ModelChoiceField(label=_("Round"), queryset=None, empty_label=_("Choose…"))
    receiver = forms.ModelChoiceField(label=_("Receiver"), queryset=None, empty_label=_("Choose…"),
                                      help_text=_("Discipline inspection commissions and organization departments "
                                                  "come first. The receiver needs no account in the system."))

    def __init__(self, *args, rounds, receivers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda r: r.label
        self.fields["receiver"].queryset = receivers


class ProblemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.number} {obj.title}"


class TransferForm(StyledForm):
    """The second step: the problems handed over, each with what is handed over (its title and
    description unless edited), the date and the transfer letter's reference number."""

    problems = ProblemChoiceField(label=_("Problems and leads handed over"), queryset=None,
                                  widget=forms.CheckboxSelectMultiple)
    transferred_on = ChineseDateField(label=_("Transferred on"))
    number = forms.CharField(label=_("Reference number"), max_length=50, required=False,
                             help_text=_("The transfer letter's number; shared by the problems handed over together."))

    def __init__(self, *args, candidates, summary_of, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = candidates
        self.fields["problems"].widget.attrs["class"] = "form-check-input"
        self.candidates = list(candidates)
        for problem in self.candidates:
            self.fields[self.summary_name(problem)] = forms.CharField(
                label=_("What is handed over"), initial=summary_of(problem), required=False,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))

    @staticmethod
    def summary_name(problem) -> str:
        return f"summary_{problem.pk}"

    def rows(self):
        """(problem, its checkbox, its summary field), in the candidates' order."""
        boxes = {str(box.data["value"]): box for box in self["problems"]}
        return [(p, boxes.get(str(p.pk)), self[self.summary_name(p)]) for p in self.candidates]

    def summaries(self) -> dict[int, str]:
        chosen = {p.pk for p in self.cleaned_data["problems"]}
        return {p.pk: self.cleaned_data.get(self.summary_name(p), "") for p in self.candidates if p.pk in chosen}


class TransferEditForm(StyledForm):
    summary = forms.CharField(label=_("What is handed over"), widget=forms.Textarea(attrs={"rows": 5}))
    number = forms.CharField(label=_("Reference number"), max_length=50, required=False)


class ReceiptForm(StyledForm):
    received_on = ChineseDateField(label=_("Received on"))
    receiver_handler = forms.CharField(label=_("Handler at the receiver"), max_length=100)


class ActionForm(StyledForm):
    on = ChineseDateField(label=_("Date"))
    method = forms.ChoiceField(label=_("Handling"), choices=[("", _("Choose…")), *TransferAction.Method.choices])
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AnswerForm(StyledForm):
    answered_on = ChineseDateField(label=_("Reported back on"))
    people_disciplined = forms.IntegerField(label=_("People given party or government sanctions"), min_value=0,
                                            initial=0)
    people_handled = forms.IntegerField(label=_("People given organizational handling"), min_value=0, initial=0)
    money_recovered = forms.DecimalField(label=_("Money recovered (yuan)"), min_value=0, max_digits=16,
                                         decimal_places=2, initial=0)
    systems_established = forms.IntegerField(label=_("Systems established or improved"), min_value=0, initial=0)
    result = forms.CharField(label=_("Written result"), widget=forms.Textarea(attrs={"rows": 4}))
