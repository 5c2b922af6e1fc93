"""Who sees which transfer: a receiver sees only what was handed to its own organization (list,
page, API), and never the problem behind it; the inspected organization's liaison sees no
transfer at all; the superior office sees a transferred general problem but never a lead."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.rectification.transfers_helpers import api_for, client_for, hand, receivers_fixture  # noqa: F401
from xuncha.rectification.selectors import transfers as selectors

LEDGER = reverse("rectification:transfer_list")
RECEIVED = reverse("rectification:received_transfers")
API = "/api/v1/transfers"
HANDED_OVER = "关于东门村村集体资金管理问题的移交材料"


def _detail(transfer) -> str:
    return reverse("rectification:transfer_detail", args=[transfer.pk])


@pytest.fixture
def handed(world, problems, receivers):
    """To 县财政局: a general problem, with what is handed over written by the office (not the
    problem's own words). To 县纪委监委: the lead and another general problem."""
    finance = hand(world, [problems.general[1]], receivers.finance,
                   summaries={problems.general[1].pk: HANDED_OVER})[0]
    general, lead = hand(world, [problems.lead, problems.general[3]], receivers.commission)  # in number order
    return finance, lead, general


def _rows(response) -> set[int]:
    html = response.content.decode()
    return {int(pk) for pk in re.findall(r'data-testid="transfer-row" data-transfer="(\d+)"', html)}


def test_a_receiver_lists_only_its_own_organizations_transfers(world, receivers, handed):
    finance, lead, general = handed
    assert set(selectors.received(world.receiver)) == {finance}
    assert set(selectors.received(receivers.commission_user)) == {lead, general}
    assert _rows(client_for(world.receiver).get(RECEIVED)) == {finance.pk}
    assert _rows(client_for(receivers.commission_user).get(RECEIVED)) == {lead.pk, general.pk}


def test_a_receiver_opening_the_ledger_gets_its_own_list(world, handed):
    response = client_for(world.receiver).get(LEDGER)
    assert response.status_code == 302 and response["Location"] == RECEIVED


def test_another_receivers_transfer_is_a_404_on_the_page_and_in_the_api(world, receivers, handed):
    finance, lead, general = handed
    client = client_for(world.receiver)
    assert client.get(_detail(finance)).status_code == 200
    for transfer in (lead, general):
        assert client.get(_detail(transfer)).status_code == 404
        assert client.post(reverse("rectification:transfer_receive", args=[transfer.pk]),
                           {"received_on": "2024-06-05", "receiver_handler": "周科长"}).status_code == 404
    api = api_for(world.receiver)
    assert api.get(f"{API}/{finance.pk}").status_code == 200
    assert api.get(f"{API}/{lead.pk}").status_code == 404
    assert api.post(f"{API}/{lead.pk}/receipt", {"received_on": "2024-06-05", "receiver_handler": "周科长"},
                    content_type="application/json").status_code == 404
    assert [item["id"] for item in api.get(API).json()["items"]] == [finance.pk]


def test_a_receiver_reads_what_was_handed_over_never_the_problem(world, problems, handed):
    finance = handed[0]
    problem = problems.general[1]
    html = client_for(world.receiver).get(_detail(finance)).content.decode()
    assert HANDED_OVER in html
    assert problem.title not in html and problem.description not in html and problem.number not in html
    assert 'data-testid="transfer-problem"' not in html
    body = api_for(world.receiver).get(f"{API}/{finance.pk}").json()
    assert body["summary"] == HANDED_OVER and body["problem"] is None
    assert problem.title not in str(body)
    listed = client_for(world.receiver).get(RECEIVED).content.decode()
    assert problem.title not in listed and problem.number not in listed
    # The office reads the problem behind it.
    office = client_for(world.office_admin).get(_detail(finance)).content.decode()
    assert 'data-testid="transfer-problem"' in office and problem.number in office
    assert api_for(world.office_admin).get(f"{API}/{finance.pk}").json()["problem"]["id"] == problem.pk


def test_the_problem_page_and_api_refuse_a_receiver_as_they_refuse_a_missing_problem(world, problems,
                                                                                     handed):
    problem = problems.general[1]
    client = client_for(world.receiver)
    existing = client.get(reverse("findings:problem_detail", args=[problem.pk]))
    missing = client.get(reverse("findings:problem_detail", args=[problem.pk + 1000]))
    # The findings pages refuse the receiver outright (it reads no working paper), so that an
    # existing problem and a missing one answer alike: nothing leaks.
    assert existing.status_code == missing.status_code and existing.status_code in (403, 404)
    assert problem.title.encode() not in existing.content
    api = api_for(world.receiver)
    answers = {api.get(f"/api/v1/problems/{pk}").status_code for pk in (problem.pk, problem.pk + 1000)}
    assert len(answers) == 1 and answers <= {403, 404}


def test_the_liaison_sees_no_transfer_at_all(world, handed):
    finance = handed[0]
    client = client_for(world.unit_liaison)
    assert client.get(LEDGER).status_code == 403
    assert client.get(RECEIVED).status_code == 403
    assert client.get(_detail(finance)).status_code == 403
    api = api_for(world.unit_liaison)
    assert api.get(API).status_code == 403
    assert api.get(f"{API}/{finance.pk}").status_code == 404
    assert not selectors.transfers_for(world.unit_liaison, selectors.LedgerFilters()).exists()


def test_the_superior_office_sees_transferred_problems_but_never_a_lead(world, handed):
    finance, lead, general = handed
    client = client_for(world.supervisor)
    assert _rows(client.get(LEDGER)) == {finance.pk, general.pk}
    assert client.get(_detail(general)).status_code == 200
    assert client.get(_detail(lead)).status_code == 404
    assert _rows(client.get(LEDGER, {"kind": "lead"})) == set()
    api = api_for(world.supervisor)
    assert {item["id"] for item in api.get(API).json()["items"]} == {finance.pk, general.pk}
    assert api.get(f"{API}/{lead.pk}").status_code == 404
    totals = selectors.totals(selectors.ledger(world.supervisor, selectors.LedgerFilters()))
    assert totals["transfers"] == 2


@pytest.mark.parametrize("role", ["office_admin", "office_staff", "leader"])
def test_the_office_and_the_leading_group_see_every_transfer_of_the_county(world, handed, role):
    assert _rows(client_for(world.users[role]).get(LEDGER)) == {t.pk for t in handed}


def test_another_countys_office_sees_none(world, receivers, handed):
    assert _rows(client_for(receivers.other_office).get(LEDGER)) == set()
    assert client_for(receivers.other_office).get(_detail(handed[0])).status_code == 404
    assert api_for(receivers.other_office).get(API).json()["count"] == 0


@pytest.mark.parametrize("role", ["group_leader", "group_member", "outsider", "sysadmin", "auditor"])
def test_roles_outside_transfers_are_refused(world, handed, role):
    client = client_for(world.users[role])
    assert client.get(LEDGER).status_code == 403
    assert client.get(_detail(handed[0])).status_code == 403
