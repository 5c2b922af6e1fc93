"""Forms of the pool pages: they parse, the services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.registry.forms import ChineseDateField, StyledForm
from xuncha.rounds.models import InspectorEvaluation, Skill
from xuncha.rounds.services_pool import MAX_PER_SKILL, SEED_LIMIT


class SkillsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Skills"))
        kwargs.setdefault("choices", Skill.choices)
        super().__init__(**kwargs)


class PoolFilterForm(forms.Form):
    AVAILABILITY = [("", _("Anyone")), ("1", _("Available")), ("0", _("Not available"))]

    skill = forms.ChoiceField(label=_("Skill"), required=False, choices=[("", _("Any skill")), *Skill.choices],
                              widget=forms.Select(attrs={"class": "form-select"}))
    available = forms.ChoiceField(label=_("Availability"), required=False, choices=AVAILABILITY,
                                  widget=forms.Select(attrs={"class": "form-select"}))
    due = forms.BooleanField(label=_("Evaluation due"), required=False,
                             widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

    def selector_params(self) -> dict:
        if not self.is_valid():
            return {}
        value = self.cleaned_data["available"]
        return {"skill": self.cleaned_data["skill"],
                "available": None if value == "" else value == "1",
                "due": self.cleaned_data["due"]}


class ProfileForm(StyledForm):
    skills = SkillsField()
    available = forms.BooleanField(label=_("Available for rounds"), required=False, initial=True,
                                   help_text=_("Clear while the inspector cannot be sent (illness, posting, training…)."))
    approved_on = ChineseDateField(label=_("Approved on"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].widget.attrs["class"] = "form-check-input"


class ProfileAddForm(ProfileForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, widget=forms.RadioSelect,
                                    error_messages={"required": _("Choose the person to add."),
                                                    "invalid_choice": _("Choose one of the people found.")})
    field_order = ["person", "skills", "available", "approved_on", "note"]

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].widget.attrs["class"] = "form-check-input"


class EvaluationForm(StyledForm):
    round = forms.ModelChoiceField(label=_("Round"), queryset=None, empty_label=None)
    grade = forms.ChoiceField(label=_("Grade"), choices=InspectorEvaluation.Grade.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda r: r.label


class DrawForm(StyledForm):
    """One count per skill, and an optional seed to repeat a draw."""

    seed = forms.IntegerField(label=_("Seed"), required=False, min_value=0, max_value=SEED_LIMIT - 1,
                              help_text=_("Leave empty for a new random draw; give a recorded seed to repeat one."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counts = {value: forms.IntegerField(label=label, required=False, min_value=0, max_value=MAX_PER_SKILL,
                                            widget=forms.NumberInput(attrs={"class": "form-control", "placeholder": "0"}))
                  for value, label in Skill.choices}
        self.fields = {**counts, **self.fields}

    def skill_fields(self):
        return [self[value] for value in Skill.values]

    def requested(self) -> dict[str, int]:
        return {value: self.cleaned_data.get(value) or 0 for value in Skill.values}
