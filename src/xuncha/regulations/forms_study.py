"""Forms of the study pages: they parse; services_study checks and writes."""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.utils.translation import gettext_lazy as _

from xuncha.registry.forms import ChineseDateField, StyledForm
from xuncha.registry.models import Organization, OrganizationKind
from xuncha.regulations.models import Provision, RegulationVersion, StudyActivity, StudyCampaign
from xuncha.regulations.selectors.study import ActivityFilters


def version_label(version: RegulationVersion) -> str:
    return f"{version.regulation.title}（{version.label}）"


class VersionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: RegulationVersion) -> str:
        return version_label(obj)


class VersionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RegulationVersion) -> str:
        return version_label(obj)


def article_label(article: Provision) -> str:
    text = article.text.replace("\n", " ")
    return f"{article.label} {text[:40]}{'…' if len(text) > 40 else ''}"


class ActivityFilterForm(StyledForm):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *StudyActivity.Kind.choices])
    campaign = forms.TypedChoiceField(label=_("Campaign"), coerce=int, required=False, empty_value=None)
    held_from = ChineseDateField(label=_("From"), required=False)
    held_to = ChineseDateField(label=_("To"), required=False)

    def __init__(self, *args, organizations, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", _("All organizations")),
                                               *((o.pk, o.name) for o in organizations)]
        self.fields["campaign"].choices = [("", _("All campaigns")), *((c.pk, c.title) for c in campaigns)]

    def filters(self) -> ActivityFilters:
        if not self.is_valid():
            return ActivityFilters()
        d = self.cleaned_data
        return ActivityFilters(organization=d["organization"], kind=d["kind"], campaign=d["campaign"],
                               held_from=d["held_from"], held_to=d["held_to"])


class ActivityForm(StyledForm):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=Organization.objects.none(),
                                          empty_label=None)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=StudyCampaign.objects.none(), required=False,
                                      empty_label=_("None"),
                                      help_text=_("The campaign this activity answers, if any."))
    kind = forms.ChoiceField(label=_("Kind"), choices=StudyActivity.Kind.choices)
    held_on = ChineseDateField(label=_("Date"))
    topic = forms.CharField(label=_("Topic"), max_length=200)
    versions = VersionsField(label=_("Documents studied"), queryset=RegulationVersion.objects.none(),
                             required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    articles = forms.ModelMultipleChoiceField(
        label=_("Articles studied"), queryset=Provision.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Articles of the chosen documents; choose the documents and press “Show their articles”."))
    attendees = forms.IntegerField(label=_("Attended"), min_value=0)
    expected = forms.IntegerField(label=_("Expected"), min_value=0, required=False)
    materials = forms.CharField(label=_("Materials and what was learned"), required=False,
                                widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, organizations, campaigns, versions, articles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["campaign"].queryset = campaigns
        self.fields["versions"].queryset = versions
        field = self.fields["articles"]
        field.queryset = articles
        # Grouped by document: one <optgroup> per version.
        field.choices = [(version_label(v), [(a.pk, article_label(a)) for a in group])
                         for v, group in groupby(articles, key=lambda a: a.version)]


class CampaignForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    version = VersionField(label=_("Rule to study"), queryset=RegulationVersion.objects.none(),
                           empty_label=_("Choose…"))
    starts_on = ChineseDateField(label=_("From"))
    due_on = ChineseDateField(label=_("Due"))
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations that must study"), queryset=Organization.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("More can be added by township or kind on the campaign's page."))

    def __init__(self, *args, versions, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["organizations"].queryset = organizations


class AddOrganizationsForm(StyledForm):
    township = forms.ModelChoiceField(label=_("Township"), queryset=Organization.objects.none(), required=False,
                                      empty_label=_("Any"),
                                      help_text=_("The township and the organizations under it."))
    kind = forms.ModelChoiceField(label=_("Kind of organization"), queryset=OrganizationKind.objects.none(),
                                  required=False, empty_label=_("Any"),
                                  help_text=_("With a township: only those of this kind under it."))

    def __init__(self, *args, townships, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["kind"].queryset = kinds
