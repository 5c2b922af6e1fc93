"""Forms of the peer-review pages: they parse; the review services check and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuncha.findings.models import Defect, ReviewSession
from xuncha.registry.forms import StyledForm
from xuncha.workbench.forms import add_service_errors


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.username


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.username


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class SessionOpenForm(StyledForm):
    round = RoundChoiceField(label=gettext_lazy("Round"), queryset=None)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    rubric = forms.ModelChoiceField(label=gettext_lazy("Rubric"), queryset=None)
    sample = forms.ChoiceField(label=gettext_lazy("Sample"), choices=ReviewSession.Sample.choices,
                               initial=ReviewSession.Sample.RANDOM)
    per_group = forms.IntegerField(label=gettext_lazy("Papers per group"), min_value=1, max_value=999,
                                   required=False, initial=3,
                                   help_text=gettext_lazy("For a random sample: how many signed papers to draw in each group."))
    reviewers = UserMultipleChoiceField(
        label=gettext_lazy("Reviewers"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=gettext_lazy("Office staff, or members of the round's groups: nobody is given a paper of their own group."))

    def __init__(self, *args, rounds, rubrics, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["rubric"].queryset = rubrics
        self.fields["reviewers"].queryset = reviewers

    def clean(self):
        data = super().clean()
        if data.get("sample") == ReviewSession.Sample.RANDOM and not data.get("per_group"):
            self.add_error("per_group", _("Give how many papers to draw in each group (at least 1)."))
        return data


class SessionCloseForm(forms.Form):
    force = forms.BooleanField(required=False)


class ReassignForm(forms.Form):
    reviewer = UserChoiceField(queryset=None)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


def _criteria_text(criteria) -> str:
    return "\n".join(f"{c['name']} {c['max']}" for c in criteria)


class RubricForm(StyledForm):
    """Criteria typed one per line as "name maximum", e.g. 事实准确 25."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    criteria = forms.CharField(
        label=gettext_lazy("Criteria"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One criterion per line: its name, a space, and its maximum score (1 to 100), "
                               "e.g. 事实准确 25."))
    active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)

    @staticmethod
    def initial_for(rubric) -> dict:
        return {"name": rubric.name, "criteria": _criteria_text(rubric.criteria), "active": rubric.active}

    def clean_criteria(self) -> list[dict]:
        rows, errors = [], []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            name, _sep, top = line.replace("\u3000", " ").rpartition(" ")
            if not name.strip() or not top.strip().isdigit():
                errors.append(_("Line %(n)d: write the name, a space, and the maximum score.") % {"n": number})
                continue
            rows.append({"name": name.strip(), "max": int(top)})
        if errors:
            raise ValidationError(errors)
        return rows


class ReviewForm(StyledForm):
    """A score and a comment per criterion of the session (fields score_0, comment_0, ...),
    and the defects found."""

    defects = forms.MultipleChoiceField(label=gettext_lazy("Defects found"), choices=Defect.choices,
                                        required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, criteria, **kwargs):
        self.criteria = list(criteria)
        super().__init__(*args, **kwargs)
        for i, c in enumerate(self.criteria):
            self.fields[f"score_{i}"] = forms.DecimalField(
                label=c["name"], min_value=0, max_value=c["max"], decimal_places=1, max_digits=5,
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control"}),
                help_text=_("0 to %(max)s") % {"max": c["max"]})
            self.fields[f"comment_{i}"] = forms.CharField(
                label=_("Comment on %(name)s") % {"name": c["name"]}, required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
        self.fields["defects"].widget.attrs["class"] = "form-check-input"

    @staticmethod
    def initial_for(review) -> dict:
        initial = {"defects": review.defects}
        for i, c in enumerate(review.session.criteria):
            initial[f"score_{i}"] = review.scores.get(c["name"])
            initial[f"comment_{i}"] = review.comments.get(c["name"], "")
        return initial

    def rows(self):
        return [(c, self[f"score_{i}"], self[f"comment_{i}"]) for i, c in enumerate(self.criteria)]

    def payload(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {c["name"]: data.get(f"score_{i}") for i, c in enumerate(self.criteria)},
            "comments": {c["name"]: data.get(f"comment_{i}", "") for i, c in enumerate(self.criteria)},
            "defects": data.get("defects", []),
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        """The service names "scores.<criterion>" and "comments.<criterion>"; put them on
        that criterion's fields."""
        names = {c["name"]: i for i, c in enumerate(self.criteria)}
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                kind, _sep, name = key.partition(".")
                if name in names and kind in ("scores", "comments"):
                    self.add_error(f"{'score' if kind == 'scores' else 'comment'}_{names[name]}", messages)
                else:
                    self.add_error(key if key in self.fields else None, messages)
        else:
            add_service_errors(self, exc)
        self.mark_invalid()
