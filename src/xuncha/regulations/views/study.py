"""Study pages: activities (list, record, edit, one activity, publish) and campaigns (list,
create, edit, progress, adding organizations by township or kind).

The office writes everything; an organization's liaison records its own organization's
activities; the leading group and the superior office read. An activity or campaign outside the
user's scope is a 404; a role that reads but may not write gets the 403 page. Writes are POST-only.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW, can, can_any, scope
from xuncha.registry.models import Organization, OrganizationKind
from xuncha.regulations import services_study as services
from xuncha.regulations.forms_study import (
    ActivityFilterForm,
    ActivityForm,
    AddOrganizationsForm,
    CampaignForm,
)
from xuncha.regulations.models import StudyActivity, StudyCampaign
from xuncha.regulations.selectors import study as selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 50

activity_page = partial(service_page, refuse_system_roles=True, readable=StudyActivity)
campaign_page = partial(service_page, refuse_system_roles=True, readable=StudyCampaign)


def _require(user, action, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _save(form, call):
    """Call the service with the form's data; its ValidationError goes onto the form."""
    try:
        return call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


# -- activities ------------------------------------------------------------------------------

@activity_page
def activity_list(request):
    user = request.user
    form = ActivityFilterForm(
        request.GET or None,
        organizations=scope(user, Organization, VIEW).filter(
            pk__in=scope(user, StudyActivity, VIEW).values("organization_id")).order_by("name_key"),
        campaigns=selectors.campaigns_for(user))
    filters = form.filters() if request.GET else selectors.ActivityFilters()
    page = Paginator(selectors.activities_for(user, filters), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "regulations/study/activity_list.html", {
        "form": form, "page": page, "can_create": can_any(user, CREATE, StudyActivity),
    })


def _activity_form(request, user, *, initial, version_ids):
    """The form with article choices of the versions chosen (in the POST, the query or the activity)."""
    data = request.POST if request.method == "POST" else None
    if data is not None:
        version_ids = data.getlist("versions")
    elif request.GET.getlist("versions"):
        version_ids = request.GET.getlist("versions")
    return ActivityForm(
        data, initial=initial, organizations=selectors.organizations_to_record(user),
        campaigns=selectors.campaigns_for(user), versions=selectors.versions_for(user),
        articles=selectors.articles_of(user, version_ids))


def _wants_articles_only(request) -> bool:
    """The “Show their articles” button posts the form to reload the article choices."""
    return "show_articles" in request.POST


@activity_page
def activity_create(request):
    user = request.user
    if not can_any(user, CREATE, StudyActivity):
        raise PermissionDenied
    initial = {"kind": StudyActivity.Kind.BRANCH_MEETING}
    campaign_id = request.GET.get("campaign")
    if campaign_id:
        campaign = selectors.campaigns_for(user).filter(pk__in=selectors._ids([campaign_id])).first()
        if campaign is not None:
            initial.update(campaign=campaign.pk, versions=[campaign.version_id], topic=campaign.title)
    form = _activity_form(request, user, initial=initial, version_ids=initial.get("versions", []))
    if request.method == "POST" and not _wants_articles_only(request) and form.is_valid():
        activity = _save(form, lambda data: services.activity_record(actor=user, **data))
        if activity is not None:
            messages.success(request, _("The study activity has been recorded."))
            return redirect("regulations:study_activity_detail", activity.pk)
    return render(request, "regulations/study/activity_form.html", {
        "form": form, "heading": _("Record a study activity"), "cancel_url": reverse("regulations:study_activities"),
    }, status=400 if form.errors else 200)


@activity_page
def activity_detail(request, pk: int):
    user = request.user
    activity = selectors.get_activity_for_user(user, pk)
    return render(request, "regulations/study/activity_detail.html", {
        "activity": activity,
        "articles": activity.articles.all(),
        "can_edit": can(user, CHANGE, activity), "can_delete": can(user, DELETE, activity),
        "can_publish": can(user, EXPORT, activity),
    })


@activity_page
def activity_edit(request, pk: int):
    user = request.user
    activity = selectors.get_activity_for_user(user, pk)
    _require(user, CHANGE, activity)
    versions = [v.pk for v in activity.versions.all()]
    initial = {"organization": activity.organization_id, "campaign": activity.campaign_id, "kind": activity.kind,
               "held_on": activity.held_on, "topic": activity.topic, "versions": versions,
               "articles": [a.pk for a in activity.articles.all()], "attendees": activity.attendees,
               "expected": activity.expected, "materials": activity.materials}
    form = _activity_form(request, user, initial=initial, version_ids=versions)
    if request.method == "POST" and not _wants_articles_only(request) and form.is_valid():
        saved = _save(form, lambda data: services.activity_update(actor=user, activity=activity, **data))
        if saved is not None:
            messages.success(request, _("The study activity has been saved."))
            return redirect("regulations:study_activity_detail", activity.pk)
    return render(request, "regulations/study/activity_form.html", {
        "form": form, "activity": activity, "heading": _("Edit the study activity"),
        "cancel_url": reverse("regulations:study_activity_detail", args=[activity.pk]),
    }, status=400 if form.errors else 200)


@require_POST
@activity_page
def activity_delete(request, pk: int):
    user = request.user
    activity = selectors.get_activity_for_user(user, pk)
    _require(user, DELETE, activity)
    services.activity_delete(actor=user, activity=activity)
    messages.success(request, _("The study activity has been deleted."))
    return redirect("regulations:study_activities")


@require_POST
@activity_page
def activity_publish(request, pk: int):
    user = request.user
    activity = selectors.get_activity_for_user(user, pk)
    _require(user, EXPORT, activity)
    services.activity_publish(actor=user, activity=activity)
    messages.success(request, _("The activity is now on the public portal's study section."))
    return redirect("regulations:study_activity_detail", activity.pk)


@require_POST
@activity_page
def activity_unpublish(request, pk: int):
    user = request.user
    activity = selectors.get_activity_for_user(user, pk)
    _require(user, EXPORT, activity)
    services.activity_unpublish(actor=user, activity=activity)
    messages.success(request, _("The activity has been taken off the public portal."))
    return redirect("regulations:study_activity_detail", activity.pk)


# -- campaigns -------------------------------------------------------------------------------

def _office_committee(user):
    """The committee whose campaigns the user creates (the first the policy allows)."""
    from xuncha.access.policy import assignments

    for a in assignments(user):
        if a.committee_id and can(user, CREATE, StudyCampaign(committee=a.committee)):
            return a.committee
    return None


@campaign_page
def campaign_list(request):
    user = request.user
    page = Paginator(selectors.campaigns_for(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "regulations/study/campaign_list.html", {
        "page": page, "can_create": can_any(user, CREATE, StudyCampaign),
    })


def _campaign_form(request, user, committee, initial=None):
    return CampaignForm(
        request.POST or None, initial=initial,
        versions=selectors.versions_for(user).filter(regulation__committee=committee),
        organizations=scope(user, Organization, VIEW).filter(committee=committee, active=True).order_by("name_key"))


@campaign_page
def campaign_create(request):
    user = request.user
    committee = _office_committee(user)
    if committee is None:
        raise PermissionDenied
    form = _campaign_form(request, user, committee)
    if request.method == "POST" and form.is_valid():
        campaign = _save(form, lambda data: services.campaign_create(actor=user, committee=committee, **data))
        if campaign is not None:
            messages.success(request, _("The study campaign has been created."))
            return redirect("regulations:study_campaign_detail", campaign.pk)
    return render(request, "regulations/study/campaign_form.html", {
        "form": form, "heading": _("New study campaign"), "cancel_url": reverse("regulations:study_campaigns"),
    }, status=400 if form.errors else 200)


@campaign_page
def campaign_edit(request, pk: int):
    user = request.user
    campaign = selectors.get_campaign_for_user(user, pk)
    _require(user, CHANGE, campaign)
    initial = {"title": campaign.title, "version": campaign.version_id, "starts_on": campaign.starts_on,
               "due_on": campaign.due_on, "organizations": list(campaign.organizations.values_list("pk", flat=True))}
    form = _campaign_form(request, user, campaign.committee, initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(form, lambda data: services.campaign_update(actor=user, campaign=campaign, **data))
        if saved is not None:
            messages.success(request, _("The study campaign has been saved."))
            return redirect("regulations:study_campaign_detail", campaign.pk)
    return render(request, "regulations/study/campaign_form.html", {
        "form": form, "campaign": campaign, "heading": _("Edit the study campaign"),
        "cancel_url": reverse("regulations:study_campaign_detail", args=[campaign.pk]),
    }, status=400 if form.errors else 200)


def _add_form(data, user, campaign):
    return AddOrganizationsForm(
        data, townships=scope(user, Organization, VIEW).filter(
            committee=campaign.committee, kind__code=selectors.TOWNSHIP, active=True).order_by("name_key"),
        kinds=OrganizationKind.objects.order_by("sort_order"))


@campaign_page
def campaign_detail(request, pk: int):
    user = request.user
    campaign = selectors.get_campaign_for_user(user, pk)
    progress = selectors.campaign_progress(user, campaign)
    organizations = selectors.required_organizations(user, campaign).order_by("township_name", "name_key")
    can_change = can(user, CHANGE, campaign)
    return render(request, "regulations/study/campaign_detail.html", {
        "campaign": campaign, "progress": progress, "organizations": organizations,
        "running": selectors.is_running(campaign), "can_change": can_change,
        "add_form": _add_form(None, user, campaign) if can_change else None,
        "can_record": can_any(user, CREATE, StudyActivity),
    })


@require_POST
@campaign_page
def campaign_add_organizations(request, pk: int):
    user = request.user
    campaign = selectors.get_campaign_for_user(user, pk)
    _require(user, CHANGE, campaign)
    form = _add_form(request.POST, user, campaign)
    if form.is_valid():
        try:
            added = services.campaign_add_organizations(actor=user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(n)s organizations added.") % {"n": added})
    else:
        messages.error(request, _("Choose a township or a kind of organization."))
    return redirect("regulations:study_campaign_detail", campaign.pk)
