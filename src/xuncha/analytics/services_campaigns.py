"""Writes for special campaigns (专项治理), e.g. on village collective assets.

The office starts a campaign of its committee, often following an issued recommendation, with a
lead department and dates; it lists the items to get done, each with the organization
responsible and a due date. The responsible organization (its receiver or liaison) — or the
office for it — reports an item's result: what was done, when, problems fixed and money
recovered; the item is then done, and reporting again corrects it while the campaign is under
way. The office concludes the campaign with a summary once every item is done.

    campaign  active → closed (the office, every item done, a summary)
    item      open → done (the responsible organization or the office; again = a correction)

Every write leaves an audit event naming what changed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, DELETE, can, require
from xuncha.analytics.models import Campaign, CampaignItem, Recommendation
from xuncha.analytics.selectors import campaigns as selectors
from xuncha.analytics.selectors import recommendations as rec_selectors
from xuncha.registry.models import Organization

OFFICE = selectors.OFFICE
REPORTING = selectors.REPORTING
ACTIVE, CLOSED = Campaign.State.ACTIVE, Campaign.State.CLOSED
OPEN, DONE = CampaignItem.State.OPEN, CampaignItem.State.DONE
MONEY_LIMIT = Decimal("1e14")
COUNT_LIMIT = 2_147_483_647


def _account(actor):
    return actor if getattr(actor, "pk", None) else None


def _required() -> list[str]:
    return [_("This field is required.")]


def _text(value, field: str, errors: dict, *, max_length: int | None = None, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _required()
    elif max_length is not None and len(value) > max_length:
        errors[field] = [_("At most %(n)d characters.") % {"n": max_length}]
    return value


def _organization(org: Organization | None, committee, field: str, errors: dict) -> None:
    if org is not None and (org.committee_id != committee.pk or not org.active):
        errors[field] = [_("Choose an active organization of this committee.")]


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).select_related("committee").get(pk=campaign.pk)


def _active(campaign: Campaign) -> None:
    if campaign.state != ACTIVE:
        raise ValidationError({"state": [_("The campaign has concluded; it can no longer be changed.")]})


@transaction.atomic
def start(*, actor, committee, title: str, started_on: date | None, recommendation: Recommendation | None = None,
          lead_department: Organization | None = None, ends_on: date | None = None) -> Campaign:
    """The office starts a campaign of its committee, following an issued letter if given."""
    campaign = Campaign(committee=committee, recommendation=recommendation, lead_department=lead_department)
    require(actor, CREATE, campaign, roles=OFFICE)
    errors: dict[str, list[str]] = {}
    title = _text(title, "title", errors, max_length=Campaign._meta.get_field("title").max_length)
    if started_on is None:
        errors["started_on"] = _required()
    elif ends_on is not None and ends_on < started_on:
        errors["ends_on"] = [_("The planned end cannot be before the start.")]
    if recommendation is not None and (recommendation.committee_id != committee.pk or recommendation.state not in (
            Recommendation.State.ISSUED, Recommendation.State.CLOSED)):
        errors["recommendation"] = [_("Choose an issued recommendation of this committee.")]
    _organization(lead_department, committee, "lead_department", errors)
    if errors:
        raise ValidationError(errors)
    campaign.title, campaign.started_on, campaign.ends_on = title, started_on, ends_on
    campaign.created_by = _account(actor)
    campaign.save()
    audit.record(actor=actor, action="campaign.start", obj=campaign, summary=title,
                 detail={"recommendation": recommendation.pk if recommendation else None,
                         "lead_department": lead_department.pk if lead_department else None,
                         "started_on": started_on.isoformat(), "ends_on": ends_on.isoformat() if ends_on else None})
    return campaign


def _item_fields(campaign: Campaign, title, organization, due, errors: dict) -> str:
    title = _text(title, "title", errors, max_length=CampaignItem._meta.get_field("title").max_length)
    _organization(organization, campaign.committee, "organization", errors)
    if due is not None and due < campaign.started_on:
        errors["due"] = [_("The due date cannot be before the campaign starts.")]
    return title


@transaction.atomic
def item_add(*, actor, campaign: Campaign, title: str, organization: Organization | None = None,
             due: date | None = None) -> CampaignItem:
    """The office adds an item (numbered next) to a campaign under way."""
    require(actor, CREATE, CampaignItem(campaign=campaign, organization=organization), roles=OFFICE)
    campaign = _lock(campaign)
    _active(campaign)
    errors: dict[str, list[str]] = {}
    title = _item_fields(campaign, title, organization, due, errors)
    if errors:
        raise ValidationError(errors)
    seq = (campaign.items.aggregate(m=Max("seq"))["m"] or 0) + 1
    item = CampaignItem.objects.create(campaign=campaign, seq=seq, title=title, organization=organization, due=due)
    audit.record(actor=actor, action="campaign.item_add", obj=item, summary=f"{campaign.title} {seq}. {title}",
                 detail={"campaign": campaign.pk, "organization": organization.pk if organization else None,
                         "due": due.isoformat() if due else None})
    return item


def _lock_item(item: CampaignItem) -> CampaignItem:
    return (CampaignItem.objects.select_for_update(of=("self",)).select_related("campaign__committee", "organization")
            .get(pk=item.pk))


@transaction.atomic
def item_update(*, actor, item: CampaignItem, title: str, organization: Organization | None = None,
                due: date | None = None) -> CampaignItem:
    """The office corrects an item of a campaign under way (title, responsible organization, due)."""
    require(actor, CHANGE, item, roles=OFFICE)
    item = _lock_item(item)
    _active(item.campaign)
    errors: dict[str, list[str]] = {}
    title = _item_fields(item.campaign, title, organization, due, errors)
    if errors:
        raise ValidationError(errors)
    before = {"title": item.title, "organization": item.organization_id, "due": item.due}
    item.title, item.organization, item.due = title, organization, due
    after = {"title": item.title, "organization": item.organization_id, "due": item.due}
    changes = {k: {"old": str(before[k]), "new": str(after[k])} for k in before if before[k] != after[k]}
    if changes:
        item.save(update_fields=["title", "organization", "due"])
        audit.record(actor=actor, action="campaign.item_update", obj=item, summary=f"{item.campaign.title} {item.seq}",
                     detail=changes)
    return item


@transaction.atomic
def item_delete(*, actor, item: CampaignItem) -> None:
    """The office removes an item added by mistake, while it has no result."""
    require(actor, DELETE, item, roles=OFFICE)
    item = _lock_item(item)
    _active(item.campaign)
    if item.state == DONE:
        raise ValidationError({"state": [_("The item has a result; it can no longer be removed.")]})
    audit.record(actor=actor, action="campaign.item_delete", obj=item, summary=f"{item.campaign.title} {item.seq}",
                 detail={"campaign": item.campaign_id, "title": item.title})
    item.delete()


def _count(value, errors: dict) -> int | None:
    try:
        number = int(str(value).strip() or "0") if value is not None else 0
    except ValueError:
        number = -1
    if number < 0:
        errors["problems_fixed"] = [_("Enter a whole number that is 0 or more.")]
        return None
    if number > COUNT_LIMIT:
        errors["problems_fixed"] = [_("The number is too large.")]
        return None
    return number


def _money(value, errors: dict) -> Decimal | None:
    try:
        amount = Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except (InvalidOperation, ValueError):
        errors["money_recovered"] = [_("Enter an amount in yuan, such as 12000.50.")]
        return None
    if not amount.is_finite() or amount < 0:
        errors["money_recovered"] = [_("Enter an amount in yuan that is 0 or more.")]
    elif amount.as_tuple().exponent < -2:  # type: ignore[operator]
        errors["money_recovered"] = [_("Give the amount to the fen: at most two decimal places.")]
    elif amount >= MONEY_LIMIT:
        errors["money_recovered"] = [_("The amount is too large.")]
    else:
        return amount.quantize(Decimal("0.01"))
    return None


@transaction.atomic
def item_report(*, actor, item: CampaignItem, result: str, completed_on: date | None, problems_fixed=0,
                money_recovered=0) -> CampaignItem:
    """The responsible organization (its receiver or liaison) or the office reports the item's
    result; the item is then done. Reporting again corrects it; the audit keeps the old values."""
    require(actor, CHANGE, item, roles=REPORTING)
    item = _lock_item(item)
    _active(item.campaign)
    errors: dict[str, list[str]] = {}
    result = _text(result, "result", errors)
    if completed_on is None:
        errors["completed_on"] = _required()
    elif completed_on > rec_selectors.today():
        errors["completed_on"] = [_("The date cannot be in the future.")]
    elif completed_on < item.campaign.started_on:
        errors["completed_on"] = [_("The date cannot be before the campaign starts.")]
    fixed = _count(problems_fixed, errors)
    money = _money(money_recovered, errors)
    if errors:
        raise ValidationError(errors)
    before = {"state": item.state, "result": item.result, "problems_fixed": item.problems_fixed,
              "money_recovered": str(item.money_recovered),
              "completed_on": item.completed_on.isoformat() if item.completed_on else None}
    item.state, item.result, item.completed_on = DONE, result, completed_on
    item.problems_fixed, item.money_recovered = fixed, money
    item.save(update_fields=["state", "result", "completed_on", "problems_fixed", "money_recovered"])
    audit.record(actor=actor, action="campaign.item_report" if before["state"] == OPEN else "campaign.item_correct",
                 obj=item, summary=f"{item.campaign.title} {item.seq}",
                 detail={"before": before, "completed_on": completed_on.isoformat(), "problems_fixed": fixed,
                         "money_recovered": str(money),
                         "on_behalf": not _reports_for_itself(actor, item)})
    return item


def _reports_for_itself(actor, item: CampaignItem) -> bool:
    return can(actor, CHANGE, item, roles=selectors.RESPONSIBLE)


@transaction.atomic
def close(*, actor, campaign: Campaign, summary: str) -> Campaign:
    """The office concludes the campaign with a summary of its results, once every item is done."""
    require(actor, CHANGE, campaign, roles=OFFICE)
    campaign = _lock(campaign)
    _active(campaign)
    errors: dict[str, list[str]] = {}
    summary = _text(summary, "summary", errors)
    open_items = list(campaign.items.filter(state=OPEN).order_by("seq").values_list("seq", flat=True))
    if open_items:
        errors["state"] = [_("Items %(items)s have no result yet.") % {"items": "、".join(map(str, open_items))}]
    if errors:
        raise ValidationError(errors)
    campaign.state, campaign.summary = CLOSED, summary
    campaign.save(update_fields=["state", "summary"])
    audit.record(actor=actor, action="campaign.close", obj=campaign, summary=campaign.title,
                 detail={"from": ACTIVE, "to": CLOSED, **{k: str(v) for k, v in selectors.totals(campaign).items()}})
    return campaign
