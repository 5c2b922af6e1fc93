"""Forms of the plan pages: they parse; services_plans checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xuncha.rectification.models import Plan, Task
from xuncha.registry.forms import ChineseDateField, StyledForm


class ProblemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class TaskForm(StyledForm):
    """One task. On the plan page there is one per problem (prefixed by the problem, which the
    URL names); the edit page adds the choice of problem."""

    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("What will be done, by whom, by when, to what (accounts, funds, "
                                           "documents, meetings) and how much."))
    responsible_leader = forms.CharField(label=_("Responsible leader"), max_length=100)
    lead_department = forms.CharField(label=_("Lead department"), max_length=100)
    person_in_charge = forms.CharField(label=_("Person in charge"), max_length=100)
    due = ChineseDateField(label=pgettext_lazy("task", "Deadline"))
    type = forms.ChoiceField(label=_("Type"), choices=Task.Type.choices, initial=Task.Type.CONCENTRATED)
    owner = forms.ChoiceField(label=_("Progress reported by"), required=False,
                              help_text=_("One of the organization's liaison accounts; empty: any of them."))

    def __init__(self, *args, owners, problems=None, **kwargs):
        """`owners`: the organization's liaison accounts, read once for all the forms of a page."""
        super().__init__(*args, **kwargs)
        self.owners = {str(u.pk): u for u in owners}
        self.fields["owner"].choices = [("", _("Any liaison of the organization")),
                                        *((pk, u.display_name) for pk, u in self.owners.items())]
        if problems is not None:
            self.fields = {"problem": ProblemChoiceField(label=_("Problem"), queryset=problems,
                                                         empty_label=None), **self.fields}
            self.fields["problem"].widget.attrs["class"] = "form-select"

    def clean_owner(self):
        """The account chosen (a User), or None."""
        value = self.cleaned_data.get("owner")
        return self.owners.get(value) if value else None


class SubmitForm(StyledForm):
    comment = forms.CharField(label=_("Note to the office"), widget=forms.Textarea(attrs={"rows": 2}),
                              required=False)


class ReviewForm(StyledForm):
    """The office's decision with an overall comment and a comment box per task (task_<id>)."""

    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("return", _("Return"))],
                                 widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Overall comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.task_fields = {}
        for task in tasks:
            name = f"task_{task.pk}"
            self.fields[name] = forms.CharField(
                label=_("Comment on task %(seq)s") % {"seq": task.seq}, required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm",
                                             "placeholder": _("e.g. the measures are vague, please make them "
                                                              "specific")}))
            self.task_fields[task.pk] = name

    def task_comments(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for pk, name in self.task_fields.items()}

    def field_for(self, task):
        return self[self.task_fields[task.pk]]


class PlanFilterForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Round"), queryset=None, required=False, empty_label=_("All rounds"))
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Any state")), *Plan.State.choices], required=False)
    organization = forms.CharField(label=_("Organization"), max_length=100, required=False,
                                   widget=forms.TextInput(attrs={"type": "search",
                                                                 "placeholder": _("Organization name")}))

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda r: r.label
        for field in self.fields.values():
            small = "form-select-sm" if isinstance(field.widget, forms.Select) else "form-control-sm"
            field.widget.attrs["class"] = f"{small.rsplit('-', 1)[0]} {small}"
