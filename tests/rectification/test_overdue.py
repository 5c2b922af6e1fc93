"""The overdue list: what is past its deadline (and only that), days overdue, most overdue first,
the warning periods, filters, links, scope (the superior office without transferred leads, the
other county, the liaison and the receiver refused) and a fixed number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.rectification.test_dashboard_helpers import (  # noqa: F401 - fixtures
    TODAY,
    build_fixture,
    documents_in_tmp,
    scenario_fixture,
    today_fixture,
)
from xuncha.rectification.selectors import overdue
from xuncha.rectification.views.dashboard import try_reverse

OVERDUE = reverse("rectification:overdue")


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _listed(response) -> list[tuple[str, int, int]]:
    assert response.status_code == 200
    return [(r.item.kind, r.item.pk, r.item.days) for r in response.context["rows"]]


def _county_overdue(s) -> list[tuple[str, int, int]]:
    return [("disclosure", s.d_report.pk, 31), ("task", s.a_tasks["red"].pk, 31), ("transfer", s.lead_transfer.pk, 31),
            ("task", s.a_tasks["requested"].pk, 22), ("report", s.a_feedback.pk, 12)]


def test_the_office_sees_everything_past_its_deadline_most_overdue_first(world, scenario):
    response = _client(world.office_admin).get(OVERDUE)
    assert _listed(response) == _county_overdue(scenario)
    html = response.content.decode()
    assert f'data-testid="overdue-transfer-{scenario.lead_transfer.pk}"' in html
    assert "县财政局" in html and "河湾村" in html and "2024年8月1日" in html
    assert "河口镇" not in html


@pytest.mark.parametrize("role", ["office_staff", "leader"])
def test_other_readers_of_the_committee(world, scenario, role):
    assert _listed(_client(world.users[role]).get(OVERDUE)) == _county_overdue(scenario)


def test_finished_things_and_deadlines_today_are_not_overdue(world, scenario, build):
    plan = scenario.a_tasks["red"].plan
    due_today = build.task(plan, TODAY, title="今天到期")
    listed = _listed(_client(world.office_admin).get(OVERDUE))
    assert ("task", due_today.pk, 0) not in listed
    # Closed task, submitted report (西山村), answered transfer: none listed.
    assert ("task", scenario.a_tasks["closed"].pk) not in [(k, pk) for k, pk, _ in listed]
    assert not [k for k, pk, _ in listed if k == "report" and pk == scenario.c_report.feedback_id]
    assert ("transfer", scenario.answered.pk) not in [(k, pk) for k, pk, _ in listed]
    # Disclosing ends the disclosure's overdue, submitting the report ends the report's.
    build.disclose(scenario.d_report, date(2024, 8, 20))
    build.report(scenario.a_feedback, "submitted")
    listed = _listed(_client(world.office_admin).get(OVERDUE))
    assert {k for k, _, _ in listed} == {"task", "transfer"}


def test_a_returned_report_is_outstanding_again(world, scenario, build):
    build.report(scenario.a_feedback, "returned")
    rows = _client(world.office_admin).get(OVERDUE, {"kind": "report"}).context["rows"]
    assert [(r.item.pk, r.item.report_id) for r in rows] == [(scenario.a_feedback.pk, scenario.a_feedback.progress_report.pk)]


def test_the_warning_periods(world, scenario):
    client = _client(world.office_admin)
    yellow = client.get(OVERDUE, {"level": "yellow"})
    # 9 and 4 days left: 南街村's yellow task, 北坡村's progress report (due 2024-09-10).
    assert [(k, pk, -days) for k, pk, days in _listed(yellow)] == [
        ("task", scenario.a_tasks["yellow"].pk, 4), ("report", scenario.b.feedback.pk, 9)]
    green = client.get(OVERDUE, {"level": "green"})
    assert _listed(green) == [("task", scenario.a_tasks["green"].pk, -14)]
    assert 'data-testid="days">14<' in green.content.decode()
    # An unknown level shows the overdue list.
    assert _listed(client.get(OVERDUE, {"level": "purple"})) == _county_overdue(scenario)


def test_filters_kind_round_term_and_organization(world, scenario):
    client = _client(world.office_admin)
    s = scenario
    assert _listed(client.get(OVERDUE, {"kind": "transfer"})) == [("transfer", s.lead_transfer.pk, 31)]
    assert _listed(client.get(OVERDUE, {"kind": "task"})) == [("task", s.a_tasks["red"].pk, 31),
                                                              ("task", s.a_tasks["requested"].pk, 22)]
    assert _listed(client.get(OVERDUE, {"round": s.round2.pk})) == [("transfer", s.lead_transfer.pk, 31)]
    assert _listed(client.get(OVERDUE, {"term": s.term1.pk})) == [
        row for row in _county_overdue(s) if row[0] != "transfer"]
    by_org = client.get(OVERDUE, {"organization": s.a.organization_id})
    assert [k for k, _, _ in _listed(by_org)] == ["task", "task", "report"]
    assert by_org.context["organization"].name == "南街村"
    # The transfer is filed under the organization whose problem was handed over.
    assert _listed(client.get(OVERDUE, {"organization": s.e.organization_id})) == [
        ("transfer", s.lead_transfer.pk, 31)]
    # Another county's organization is not a filter the office can use.
    other = client.get(OVERDUE, {"organization": world.other_township.pk})
    assert other.context["organization"] is None and _listed(other) == _county_overdue(s)
    assert _listed(client.get(OVERDUE, {"kind": "nonsense"})) == _county_overdue(s)


def test_each_row_links_to_its_page(world, scenario):
    rows = {(r.item.kind, r.item.pk): r.url for r in _client(world.office_admin).get(OVERDUE).context["rows"]}
    s = scenario
    assert rows[("report", s.a_feedback.pk)] == reverse("reports:feedback_detail", args=[s.a_feedback.pk])
    expected = {("task", s.a_tasks["red"].pk): try_reverse("rectification:task_detail", s.a_tasks["red"].pk),
                ("disclosure", s.d_report.pk): try_reverse("rectification:report_detail", s.d_report.pk),
                ("transfer", s.lead_transfer.pk): try_reverse("rectification:transfer_detail", s.lead_transfer.pk)}
    for key, url in expected.items():
        assert rows[key] == url


def test_the_supervisor_sees_the_subtree_without_transferred_leads(world, scenario):
    listed = _listed(_client(world.supervisor).get(OVERDUE))
    assert listed[0] == ("task", scenario.f_task.pk, 62)
    assert ("transfer", scenario.lead_transfer.pk, 31) not in listed
    assert listed[1:] == [row for row in _county_overdue(scenario) if row[0] != "transfer"]
    assert "村主任涉嫌侵占补偿款" not in _client(world.supervisor).get(OVERDUE).content.decode()


def test_the_other_countys_office_sees_only_its_own(world, scenario, make_user):
    other_admin = make_user("other_admin", role="office_admin", committee=world.other)
    assert _listed(_client(other_admin).get(OVERDUE)) == [("task", scenario.f_task.pk, 62)]


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "group_leader", "group_deputy", "outsider", "sysadmin",
                                  "secadmin"])
def test_the_list_is_refused_to_other_roles(world, scenario, role):
    assert _client(world.users[role]).get(OVERDUE).status_code == 403


def test_the_selectors_read_only_the_scope(world, scenario):
    """For the liaison and the receiver the pages are refused; their scopes would give only their
    own organization's things anyway (no other organization, no lead to the liaison)."""
    liaison = overdue.merged(overdue.scoped(world.unit_liaison), today=TODAY)
    assert list(liaison) == []  # 东门村 has nothing here
    receiver = [(r["row_kind"], r["row_item"]) for r in overdue.merged(overdue.scoped(world.receiver), today=TODAY)]
    assert receiver == [("transfer", scenario.lead_transfer.pk)]


def test_pages_and_query_count(world, scenario, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr("xuncha.rectification.views.dashboard.PER_PAGE", 2)
    client = _client(world.office_admin)
    pages = [_listed(client.get(OVERDUE, {"page": n})) for n in (1, 2, 3)]
    assert sum(pages, []) == _county_overdue(scenario) and [len(p) for p in pages] == [2, 2, 1]
    monkeypatch.setattr("xuncha.rectification.views.dashboard.PER_PAGE", 50)
    client.get(OVERDUE)
    with django_assert_max_num_queries(10):
        response = client.get(OVERDUE, {"organization": scenario.a.organization_id})
    assert len(response.context["rows"]) == 3
