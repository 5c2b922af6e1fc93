"""Forms of the problem pages: they parse; services_problems checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.checklist.models import Item
from xuncha.findings.models import Kind, Problem
from xuncha.findings.selectors.problems import ProblemFilters
from xuncha.registry.forms import StyledForm

MAX_PARTS = 6


def classification_path(item: Item) -> str:
    """监督重点 › 监督要点 › 问题表现形式"""
    point = item.parent
    focus = point.parent if point else None
    return " › ".join(i.title for i in (focus, point, item) if i is not None)


class ClassificationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Item) -> str:
        return classification_path(obj)


def _text(label, rows=6, **kwargs):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class ProblemFilterForm(StyledForm):
    round = forms.TypedChoiceField(label=_("Round"), coerce=int, required=False, empty_value=None)
    group = forms.TypedChoiceField(label=_("Group"), coerce=int, required=False, empty_value=None)
    assignment = forms.TypedChoiceField(label=_("Inspection target"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=[("", _("All severities")), *Problem.Severity.choices])
    focus = forms.ChoiceField(label=_("Supervision focus"), required=False)
    q = forms.CharField(label=_("Words"), required=False, max_length=100)

    def __init__(self, *args, rounds, groups, targets, focuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", _("All rounds")), *((r.pk, r.label) for r in rounds)]
        self.fields["group"].choices = [("", _("All groups")), *((g.pk, g.full_name) for g in groups)]
        self.fields["assignment"].choices = [("", _("All targets")),
                                             *((a.pk, f"{a.organization.name}（{a.group.name}）") for a in targets)]
        self.fields["focus"].choices = [("", _("All focuses")), *focuses]

    def filters(self) -> ProblemFilters:
        if not self.is_valid():
            return ProblemFilters(q=self.data.get("q", "")[:100])
        data = self.cleaned_data
        return ProblemFilters(round=data["round"], group=data["group"], assignment=data["assignment"],
                              kind=data["kind"], severity=data["severity"], focus=data["focus"], q=data["q"])


class ProblemForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("Description"), rows=8)
    classification = ClassificationField(label=_("Classification"), queryset=Item.objects.none(),
                                         empty_label=_("Choose…"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices,
                             help_text=_("Problem leads are confidential: only the group, the office and the "
                                         "leading group see them."))
    severity = forms.ChoiceField(label=_("Severity"), choices=Problem.Severity.choices)
    amount = forms.DecimalField(label=_("Amount involved (yuan)"), required=False, min_value=0,
                                max_digits=16, decimal_places=2)

    def __init__(self, *args, classifications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].queryset = classifications


class MergeForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("Description"), rows=10)
    severity = forms.ChoiceField(label=_("Severity"), choices=Problem.Severity.choices)


class SplitForm(StyledForm):
    """One title and description per part; each paper assigned to one part."""

    def __init__(self, *args, papers, parts: int = 2, **kwargs):
        super().__init__(*args, **kwargs)
        self.papers = list(papers)
        self.part_count = max(2, min(parts, MAX_PARTS))
        choices = [(str(n), _("Part %(n)s") % {"n": n}) for n in range(1, self.part_count + 1)]
        for paper in self.papers:
            self.fields[f"paper_{paper.pk}"] = forms.ChoiceField(label=f"{paper.number} {paper.title}",
                                                                 choices=choices)
        for n in range(1, self.part_count + 1):
            self.fields[f"title_{n}"] = forms.CharField(label=_("Title of part %(n)s") % {"n": n}, max_length=200)
            self.fields[f"description_{n}"] = _text(_("Description of part %(n)s") % {"n": n}, rows=4,
                                                    required=False)
        # StyledForm styled the fields present when it ran; style the ones added here too.
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if css not in field.widget.attrs.get("class", ""):
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    def paper_fields(self):
        return [self[f"paper_{p.pk}"] for p in self.papers]

    def part_fields(self):
        return [(n, self[f"title_{n}"], self[f"description_{n}"]) for n in range(1, self.part_count + 1)]

    def parts(self) -> list[dict]:
        data = self.cleaned_data
        return [{"title": data[f"title_{n}"], "description": data.get(f"description_{n}", ""),
                 "papers": [p for p in self.papers if data[f"paper_{p.pk}"] == str(n)]}
                for n in range(1, self.part_count + 1)]
