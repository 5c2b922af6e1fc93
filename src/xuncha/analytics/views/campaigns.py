"""Special campaign pages (专项治理): the list (with "our items" for a responsible organization),
starting a campaign, one campaign with its items, results and totals, an item's page where its
result is reported, and the campaign's conclusion.

A campaign outside the user's scope is a 404; an item is reached by the office of its committee
or by the organization responsible for it. Writes are POST-only.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuncha.access.policy import CHANGE, CREATE, DELETE, VIEW, can, can_any
from xuncha.analytics import filters as shared_filters
from xuncha.analytics import services_campaigns as services
from xuncha.analytics.forms_campaigns import CampaignForm, CloseForm, ItemForm, ReportForm
from xuncha.analytics.models import Campaign, CampaignItem
from xuncha.analytics.selectors import campaigns as selectors
from xuncha.analytics.selectors import recommendations as rec_selectors
from xuncha.workbench.pages import service_page

PER_PAGE = 30

campaign_page = partial(service_page, refuse_system_roles=True)


def _save(form, call) -> bool:
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return False
    return True


def _detail_url(campaign) -> str:
    return reverse("analytics:campaign_detail", args=[campaign.pk])


@require_GET
@campaign_page
def campaign_list(request):
    user = request.user
    if not selectors.reads_campaigns(user):
        raise PermissionDenied
    state = request.GET.get("state", "")
    if state not in Campaign.State.values:
        state = ""
    page = Paginator(selectors.campaigns(user, state=state), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "analytics/campaigns/list.html", {
        "page": page, "campaigns": page.object_list, "state": state, "states": Campaign.State.choices,
        "my_items": list(selectors.my_items(user)[:100]),
        "can_create": can_any(user, CREATE, Campaign),
    })


@campaign_page
def campaign_create(request):
    user = request.user
    if not can_any(user, CREATE, Campaign):
        raise PermissionDenied
    committee = shared_filters.home_committee(user)
    if committee is None:
        raise Http404
    posted = request.method == "POST"
    recommendations = selectors.recommendation_options(user, committee)
    initial = {"started_on": rec_selectors.today()}
    if request.GET.get("recommendation", "").isdigit():
        initial["recommendation"] = recommendations.filter(pk=request.GET["recommendation"]).first()
    form = CampaignForm(request.POST if posted else None, initial=initial, recommendations=recommendations,
                        organizations=selectors.organization_options(user, committee))
    made: list[Campaign] = []
    if posted and form.is_valid() and _save(form, lambda d: made.append(services.start(actor=user, committee=committee,
                                                                                       **d))):
        messages.success(request, _("The campaign has been started."))
        return redirect(_detail_url(made[0]))
    return render(request, "analytics/campaigns/create.html", {"form": form}, status=400 if posted else 200)


def _render_detail(request, campaign: Campaign, *, status: int = 200, **forms):
    user = request.user
    office = can(user, CHANGE, campaign, roles=services.OFFICE)
    active = campaign.state == Campaign.State.ACTIVE
    if office and active:
        forms.setdefault("item_form", ItemForm(organizations=selectors.organization_options(user, campaign.committee)))
        forms.setdefault("close_form", CloseForm())
    items = list(selectors.items_of(user, campaign))
    for item in items:
        item.reportable = active and can(user, CHANGE, item, roles=selectors.REPORTING)
    return render(request, "analytics/campaigns/detail.html", {
        "campaign": campaign, "items": items, "totals": selectors.totals(campaign), "office": office and active,
        **forms,
    }, status=status)


@require_GET
@campaign_page
def campaign_detail(request, pk: int):
    return _render_detail(request, selectors.get_campaign_for_user(request.user, pk))


@require_POST
@campaign_page
def campaign_item_add(request, pk: int):
    user = request.user
    campaign = selectors.get_campaign_for_user(user, pk)
    if not can(user, CREATE, CampaignItem(campaign=campaign), roles=services.OFFICE):
        raise PermissionDenied
    form = ItemForm(request.POST, organizations=selectors.organization_options(user, campaign.committee))
    if form.is_valid() and _save(form, lambda d: services.item_add(actor=user, campaign=campaign, **d)):
        messages.success(request, _("The item has been added."))
        return redirect(_detail_url(campaign))
    return _render_detail(request, campaign, item_form=form, status=400)


@require_POST
@campaign_page
def campaign_close(request, pk: int):
    user = request.user
    campaign = selectors.get_campaign_for_user(user, pk)
    if not can(user, CHANGE, campaign, roles=services.OFFICE):
        raise PermissionDenied
    form = CloseForm(request.POST)
    if form.is_valid() and _save(form, lambda d: services.close(actor=user, campaign=campaign, **d)):
        messages.success(request, _("The campaign has concluded."))
        return redirect(_detail_url(campaign))
    for message in form.non_field_errors():
        messages.error(request, message)
    return _render_detail(request, campaign, close_form=form, status=400)


# -- one item --------------------------------------------------------------------------------

def _render_item(request, item: CampaignItem, *, status: int = 200, **forms):
    user = request.user
    active = item.campaign.state == Campaign.State.ACTIVE
    reportable = active and can(user, CHANGE, item, roles=selectors.REPORTING)
    editable = active and can(user, CHANGE, item, roles=services.OFFICE)
    if reportable:
        forms.setdefault("report_form", ReportForm(initial={
            "completed_on": item.completed_on or rec_selectors.today(), "problems_fixed": item.problems_fixed,
            "money_recovered": item.money_recovered, "result": item.result}))
    if editable:
        forms.setdefault("edit_form", ItemForm(
            initial={"title": item.title, "organization": item.organization, "due": item.due},
            organizations=selectors.organization_options(user, item.campaign.committee)))
    return render(request, "analytics/campaigns/item.html", {
        "item": item, "campaign": item.campaign, "reportable": reportable, "editable": editable,
        "may_delete": editable and item.state == CampaignItem.State.OPEN and can(user, DELETE, item),
        "campaign_readable": can(user, VIEW, item.campaign), **forms,
    }, status=status)


@require_GET
@campaign_page
def campaign_item(request, pk: int):
    return _render_item(request, selectors.get_item_for_user(request.user, pk))


@require_POST
@campaign_page
def campaign_item_report(request, pk: int):
    user = request.user
    item = selectors.get_item_for_user(user, pk)
    if not can(user, CHANGE, item, roles=selectors.REPORTING):
        raise PermissionDenied
    form = ReportForm(request.POST)
    if form.is_valid() and _save(form, lambda d: services.item_report(actor=user, item=item, **d)):
        messages.success(request, _("The result has been reported."))
        return redirect("analytics:campaign_item", item.pk)
    return _render_item(request, item, report_form=form, status=400)


@require_POST
@campaign_page
def campaign_item_edit(request, pk: int):
    user = request.user
    item = selectors.get_item_for_user(user, pk)
    if not can(user, CHANGE, item, roles=services.OFFICE):
        raise PermissionDenied
    form = ItemForm(request.POST, organizations=selectors.organization_options(user, item.campaign.committee))
    if form.is_valid() and _save(form, lambda d: services.item_update(actor=user, item=item, **d)):
        messages.success(request, _("The item has been saved."))
        return redirect("analytics:campaign_item", item.pk)
    return _render_item(request, item, edit_form=form, status=400)


@require_POST
@campaign_page
def campaign_item_delete(request, pk: int):
    user = request.user
    item = selectors.get_item_for_user(user, pk)
    if not can(user, DELETE, item, roles=services.OFFICE):
        raise PermissionDenied
    try:
        services.item_delete(actor=user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("analytics:campaign_item", item.pk)
    messages.success(request, _("The item has been removed."))
    return redirect(_detail_url(item.campaign))
