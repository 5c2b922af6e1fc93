"""Writes for study (学习贯彻): activities recorded by an organization, campaigns that require
organizations to study a rule by a date, and publishing selected activities to the public portal.

An organization's liaison records activities of its own organization only; the office records
them for any organization of its committee (the policy decides: CREATE on the activity with its
organization). Publishing sends material out of the system, so it needs EXPORT on the activity,
which the policy grants to the office only. Every function checks the policy, runs in one
transaction and leaves an audit event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, require
from xuncha.registry.models import Organization, OrganizationKind
from xuncha.regulations.models import Provision, RegulationVersion, StudyActivity, StudyCampaign

ACTIVITY_FIELDS = ("organization", "kind", "held_on", "topic", "versions", "articles", "attendees", "expected",
                   "materials", "campaign")
CAMPAIGN_FIELDS = ("title", "version", "starts_on", "due_on")


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


# -- activities ------------------------------------------------------------------------------

def _check_activity(activity: StudyActivity, versions: Sequence[RegulationVersion],
                    articles: Sequence[Provision]) -> None:
    errors: dict[str, list[str]] = {}
    activity.topic = (activity.topic or "").strip()
    activity.materials = (activity.materials or "").strip()
    if not activity.topic:
        errors["topic"] = _required()
    elif len(activity.topic) > 200:
        errors["topic"] = [_("At most 200 characters.")]
    if activity.kind not in StudyActivity.Kind.values:
        errors["kind"] = [_("Choose a kind of study activity.")]
    if activity.held_on is None:
        errors["held_on"] = _required()
    elif activity.held_on > timezone.localdate():
        errors["held_on"] = [_("The date of the activity cannot be in the future.")]
    if activity.attendees is None:
        errors["attendees"] = _required()
    elif activity.attendees < 0:
        errors["attendees"] = [_("The number of attendees cannot be negative.")]
    if activity.expected is not None and activity.expected < 0:
        errors["expected"] = [_("The number expected cannot be negative.")]
    elif activity.expected is not None and activity.attendees is not None and activity.attendees > activity.expected:
        errors["attendees"] = [_("More attended (%(attended)s) than were expected (%(expected)s).")
                               % {"attended": activity.attendees, "expected": activity.expected}]
    committee_id = activity.organization.committee_id
    if any(v.regulation.committee_id != committee_id for v in versions):
        errors["versions"] = [_("Choose documents of the organization's own committee's library.")]
    version_ids = {v.pk for v in versions}
    stray = [a for a in articles if a.version_id not in version_ids]
    if stray:
        errors["articles"] = [_("These articles are not in the chosen documents: %(articles)s.")
                              % {"articles": "、".join(a.address or a.label for a in stray)}]
    if activity.campaign_id and activity.campaign.committee_id != committee_id:
        errors["campaign"] = [_("Choose a campaign of the organization's own committee.")]
    if errors:
        raise ValidationError(errors)


def _with_campaign_version(campaign: StudyCampaign | None, versions: Iterable[RegulationVersion]):
    """The rule a campaign is about is studied by an activity held for the campaign."""
    versions = list(versions)
    if campaign is not None and campaign.version_id not in {v.pk for v in versions}:
        versions.append(campaign.version)
    return versions


@transaction.atomic
def activity_record(*, actor, organization: Organization, kind: str, held_on: date | None, topic: str,
                    versions: Sequence[RegulationVersion] = (), articles: Sequence[Provision] = (),
                    attendees: int | None, expected: int | None = None, materials: str = "",
                    campaign: StudyCampaign | None = None) -> StudyActivity:
    """Record a study activity of `organization` (its liaison, or the office of its committee)."""
    activity = StudyActivity(organization=organization, committee_id=organization.committee_id, kind=kind,
                             held_on=held_on, topic=topic, attendees=attendees, expected=expected,
                             materials=materials or "", campaign=campaign, created_by=_account(actor))
    require(actor, CREATE, activity)
    versions = _with_campaign_version(campaign, versions)
    _check_activity(activity, versions, articles)
    activity.save()
    activity.versions.set(versions)
    activity.articles.set(articles)
    audit.record(actor=actor, action="study.activity_record", obj=activity,
                 summary=f"{organization.name} {held_on} {activity.topic}")
    return activity


@transaction.atomic
def activity_update(*, actor, activity: StudyActivity, **values) -> StudyActivity:
    """Change an activity; moving it to another organization needs the right to record there."""
    unknown = set(values) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    activity = (StudyActivity.objects.select_for_update(of=("self",))
                .select_related("organization", "campaign").get(pk=activity.pk))
    require(actor, CHANGE, activity)
    versions = values.pop("versions", None)
    articles = values.pop("articles", None)
    if versions is None:
        versions = list(activity.versions.select_related("regulation"))
    if articles is None:
        articles = list(activity.articles.all())
    before = {name: str(getattr(activity, name)) for name in values}
    for name, value in values.items():
        setattr(activity, name, value)
    if "organization" in values:
        activity.committee_id = activity.organization.committee_id
        require(actor, CREATE, activity)
    versions = _with_campaign_version(activity.campaign, versions)
    _check_activity(activity, versions, articles)
    activity.save()
    activity.versions.set(versions)
    activity.articles.set(articles)
    changed = {name: [old, str(getattr(activity, name))] for name, old in before.items()
               if old != str(getattr(activity, name))}
    audit.record(actor=actor, action="study.activity_update", obj=activity, summary=activity.topic,
                 detail={"changed": changed})
    return activity


@transaction.atomic
def activity_delete(*, actor, activity: StudyActivity) -> None:
    require(actor, DELETE, activity)
    summary = str(activity)
    pk = activity.pk
    audit.record(actor=actor, action="study.activity_delete", obj=activity, summary=summary)
    StudyActivity.objects.filter(pk=pk).delete()


def _set_published(actor, activity: StudyActivity, published: bool) -> StudyActivity:
    activity = StudyActivity.objects.select_for_update().select_related("organization").get(pk=activity.pk)
    require(actor, EXPORT, activity)
    if activity.published == published:
        return activity
    activity.published = published
    activity.published_at = timezone.now() if published else None
    activity.save(update_fields=["published", "published_at"])
    audit.record(actor=actor, action="study.activity_publish" if published else "study.activity_unpublish",
                 obj=activity, summary=str(activity))
    return activity


@transaction.atomic
def activity_publish(*, actor, activity: StudyActivity) -> StudyActivity:
    """Put the activity on the public portal's study section (the office)."""
    return _set_published(actor, activity, True)


@transaction.atomic
def activity_unpublish(*, actor, activity: StudyActivity) -> StudyActivity:
    return _set_published(actor, activity, False)


# -- campaigns -------------------------------------------------------------------------------

def _check_campaign(campaign: StudyCampaign, organizations: Sequence[Organization] | None) -> None:
    errors: dict[str, list[str]] = {}
    campaign.title = (campaign.title or "").strip()
    if not campaign.title:
        errors["title"] = _required()
    elif len(campaign.title) > 200:
        errors["title"] = [_("At most 200 characters.")]
    if not campaign.version_id:
        errors["version"] = _required()
    elif campaign.version.regulation.committee_id != campaign.committee_id:
        errors["version"] = [_("Choose a document of the committee's own library.")]
    if campaign.starts_on is None:
        errors["starts_on"] = _required()
    if campaign.due_on is None:
        errors["due_on"] = _required()
    elif campaign.starts_on is not None and campaign.due_on < campaign.starts_on:
        errors["due_on"] = [_("The due date cannot be before the start.")]
    if organizations is not None:
        foreign = [o for o in organizations if o.committee_id != campaign.committee_id]
        if foreign:
            errors["organizations"] = [_("Not organizations of this committee: %(names)s.")
                                       % {"names": "、".join(o.name for o in foreign)}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_create(*, actor, committee, title: str, version: RegulationVersion | None, starts_on: date | None,
                    due_on: date | None, organizations: Sequence[Organization] = ()) -> StudyCampaign:
    """A campaign of the office: `organizations` of `committee` must study `version` by `due_on`."""
    campaign = StudyCampaign(committee=committee, title=title, version=version, starts_on=starts_on,
                             due_on=due_on, created_by=_account(actor))
    require(actor, CREATE, campaign)
    _check_campaign(campaign, organizations)
    campaign.save()
    campaign.organizations.set(organizations)
    audit.record(actor=actor, action="study.campaign_create", obj=campaign, summary=campaign.title,
                 detail={"organizations": len(organizations)})
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: StudyCampaign, organizations: Sequence[Organization] | None = None,
                    **values) -> StudyCampaign:
    """Change title, rule, dates; `organizations`, when given, replaces the required list."""
    unknown = set(values) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields {unknown}")
    campaign = StudyCampaign.objects.select_for_update().get(pk=campaign.pk)
    require(actor, CHANGE, campaign)
    before = {name: str(getattr(campaign, name)) for name in values}
    for name, value in values.items():
        setattr(campaign, name, value)
    _check_campaign(campaign, organizations)
    campaign.save()
    if organizations is not None:
        campaign.organizations.set(organizations)
    changed = {name: [old, str(getattr(campaign, name))] for name, old in before.items()
               if old != str(getattr(campaign, name))}
    audit.record(actor=actor, action="study.campaign_update", obj=campaign, summary=campaign.title,
                 detail={"changed": changed,
                         **({"organizations": len(organizations)} if organizations is not None else {})})
    return campaign


@transaction.atomic
def campaign_add_organizations(*, actor, campaign: StudyCampaign, township: Organization | None = None,
                               kind: OrganizationKind | None = None,
                               organizations: Sequence[Organization] = ()) -> int:
    """Add organizations to the required list; returns how many were new. `township`: the township
    and the organizations under it (with `kind`: only those of that kind under it); `kind` alone:
    every active organization of that kind in the committee."""
    campaign = StudyCampaign.objects.select_for_update().get(pk=campaign.pk)
    require(actor, CHANGE, campaign)
    if township is None and kind is None and not organizations:
        raise ValidationError({"township": [_("Choose a township, a kind of organization or organizations.")]})
    if township is not None and township.committee_id != campaign.committee_id:
        raise ValidationError({"township": [_("Choose an organization of this committee.")]})
    _check_campaign(campaign, organizations)
    ids = {o.pk for o in organizations}
    if township is not None or kind is not None:
        qs = Organization.objects.filter(committee_id=campaign.committee_id, active=True)
        if township is not None:
            under = qs.filter(parent_id=township.pk)
            if kind is not None:
                ids.update(under.filter(kind_id=kind.pk).values_list("pk", flat=True))
            else:
                ids.update(under.values_list("pk", flat=True))
                ids.add(township.pk)
        else:
            ids.update(qs.filter(kind_id=kind.pk).values_list("pk", flat=True))
    present = set(campaign.organizations.filter(pk__in=ids).values_list("pk", flat=True))
    new = sorted(ids - present)
    campaign.organizations.add(*new)
    audit.record(actor=actor, action="study.campaign_add_organizations", obj=campaign, summary=campaign.title,
                 detail={"added": len(new), "township": getattr(township, "pk", None),
                         "kind": getattr(kind, "code", None)})
    return len(new)
