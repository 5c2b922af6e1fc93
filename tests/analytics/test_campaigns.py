"""Special campaigns: started by the office (from an issued letter), items reported by the
organization responsible for them only (or the office for it), concluded once every item is
done; the pages of each role and their totals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.analytics.recommendations_helpers import (  # noqa: F401
    letter,
    letters_data_fixture,
    login,
    other_receiver_fixture,
)
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.analytics import services_campaigns as svc
from xuncha.analytics.models import Campaign, CampaignItem
from xuncha.analytics.selectors import campaigns as selectors

BASE = "/analytics/recommendations/campaigns/"


@pytest.fixture(name="campaign")
def campaign_fixture(world, letters_data):
    rec = letter(world, letters_data, "issued")
    today = timezone.localdate()
    campaign = svc.start(actor=world.office_admin, committee=world.county, title="村集体资产专项治理",
                         recommendation=rec, lead_department=world.department, started_on=today - timedelta(days=10))
    finance = svc.item_add(actor=world.office_admin, campaign=campaign, title="清理未入账资产",
                           organization=world.department, due=today + timedelta(days=30))
    village = svc.item_add(actor=world.office_staff, campaign=campaign, title="东门村补录资产台账",
                           organization=world.village)
    return campaign, finance, village


def _report(user, item, **extra):
    values = dict(result="已清理入账", completed_on=timezone.localdate(), problems_fixed=3, money_recovered="12000.50")
    values.update(extra)
    return svc.item_report(actor=user, item=item, **values)


def test_items_are_numbered_and_reported_by_their_organization(world, campaign):
    camp, finance, village = campaign
    assert (finance.seq, village.seq) == (1, 2)
    _report(world.receiver, finance)
    _report(world.unit_liaison, village, money_recovered=0, problems_fixed=1)
    assert selectors.totals(camp) == {"items": 2, "done": 2, "problems_fixed": 4,
                                      "money_recovered": Decimal("12000.50")}
    assert AuditEvent.objects.filter(action="campaign.item_report").count() == 2


@pytest.mark.parametrize("who", ["other_receiver", "unit_liaison", "leader", "supervisor"])
def test_an_item_is_not_reported_by_another_organization(world, campaign, other_receiver, who):
    _camp, finance, _village = campaign
    user = other_receiver.user if who == "other_receiver" else world.users[who]
    with pytest.raises(PermissionDenied):
        _report(user, finance)


def test_the_office_reports_for_the_organization(world, campaign):
    _camp, finance, _village = campaign
    _report(world.office_staff, finance)
    assert AuditEvent.objects.get(action="campaign.item_report").detail["on_behalf"] is True


def test_a_report_checks_its_values(world, campaign):
    _camp, finance, _village = campaign
    with pytest.raises(ValidationError) as exc:
        _report(world.receiver, finance, result="", money_recovered="-1", problems_fixed="x",
                completed_on=timezone.localdate() + timedelta(days=1))
    assert set(exc.value.message_dict) == {"result", "money_recovered", "problems_fixed", "completed_on"}


def test_concluding_waits_for_every_item(world, campaign):
    camp, finance, village = campaign
    _report(world.receiver, finance)
    with pytest.raises(ValidationError) as exc:
        svc.close(actor=world.office_admin, campaign=camp, summary="完成")
    assert "2" in exc.value.message_dict["state"][0]
    _report(world.unit_liaison, village)
    svc.close(actor=world.office_admin, campaign=camp, summary="清理资产120万元")
    camp.refresh_from_db()
    assert camp.state == "closed"
    with pytest.raises(ValidationError):
        _report(world.receiver, finance)


def test_only_the_office_starts_and_adds(world, letters_data):
    with pytest.raises(PermissionDenied):
        svc.start(actor=world.leader, committee=world.county, title="专项", started_on=timezone.localdate())
    draft = letter(world, letters_data)
    with pytest.raises(ValidationError) as exc:
        svc.start(actor=world.office_admin, committee=world.county, title="专项", started_on=timezone.localdate(),
                  recommendation=draft, lead_department=world.other_township)
    assert set(exc.value.message_dict) == {"recommendation", "lead_department"}


def test_an_item_with_a_result_is_not_removed(world, campaign):
    _camp, finance, village = campaign
    _report(world.receiver, finance)
    with pytest.raises(ValidationError):
        svc.item_delete(actor=world.office_admin, item=finance)
    svc.item_delete(actor=world.office_admin, item=village)
    assert not CampaignItem.objects.filter(pk=village.pk).exists()


# -- pages -----------------------------------------------------------------------------------

def test_the_office_starts_a_campaign_on_the_page(world, letters_data):
    rec = letter(world, letters_data, "issued")
    client = login("office_admin")
    assert client.get(f"{BASE}new/", {"recommendation": rec.pk}).status_code == 200
    response = client.post(f"{BASE}new/", {"title": "专项治理", "recommendation": rec.pk,
                                           "lead_department": world.department.pk,
                                           "started_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    camp = Campaign.objects.get()
    assert client.post(f"{BASE}{camp.pk}/items/", {"title": "清理", "organization": world.village.pk}).status_code == 302
    html = client.get(f"{BASE}{camp.pk}/").content.decode()
    assert 'data-testid="campaign-item"' in html and 'data-items="1" data-done="0"' in html


def test_the_list_costs_the_same_for_more_campaigns(world, campaign):
    client = login("office_admin")
    with CaptureQueriesContext(connection) as one:
        client.get(BASE)
    for n in range(3):
        more = svc.start(actor=world.office_admin, committee=world.county, title=f"专项{n}",
                         started_on=timezone.localdate())
        svc.item_add(actor=world.office_admin, campaign=more, title="事项", organization=world.department)
    with CaptureQueriesContext(connection) as four:
        html = client.get(BASE).content.decode()
    assert html.count('data-testid="campaign-row"') == 4
    assert len(four) == len(one)


def test_the_list_for_each_role(world, campaign, other_receiver):
    camp, finance, village = campaign
    html = login("office_admin").get(BASE).content.decode()
    assert f'data-campaign="{camp.pk}"' in html
    html = login("receiver").get(BASE).content.decode()  # its department leads it and holds an item
    assert f'data-campaign="{camp.pk}"' in html and f'data-item="{finance.pk}"' in html
    assert f'data-item="{village.pk}"' not in html
    html = login("unit_liaison").get(BASE).content.decode()
    assert f'data-item="{village.pk}"' in html and f'data-campaign="{camp.pk}"' not in html
    html = login("agri_receiver").get(BASE).content.decode()
    assert 'data-testid="campaign-row"' not in html and 'data-testid="my-item"' not in html
    assert login("group_leader").get(BASE).status_code == 403
    assert login("unit_liaison").get(f"{BASE}{camp.pk}/").status_code == 404


def test_the_responsible_organization_reports_on_the_item_page(world, campaign, other_receiver):
    _camp, finance, village = campaign
    client = login("unit_liaison")
    assert client.get(f"{BASE}items/{finance.pk}/").status_code == 404
    html = client.get(f"{BASE}items/{village.pk}/").content.decode()
    assert 'data-testid="report-form"' in html and 'data-testid="item-edit-form"' not in html
    response = client.post(f"{BASE}items/{village.pk}/result/", {
        "completed_on": timezone.localdate().isoformat(), "problems_fixed": 2, "money_recovered": "500",
        "result": "台账已补录"})
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.state == "done" and village.money_recovered == Decimal("500")
    assert login("agri_receiver").post(f"{BASE}items/{finance.pk}/result/", {}).status_code == 404
    assert login("leader").post(f"{BASE}items/{finance.pk}/result/", {}).status_code == 403
