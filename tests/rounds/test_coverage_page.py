"""The coverage page: who may open it, what it shows, and in how many queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from xuncha.registry.models import Organization
from xuncha.rounds.models import Assignment, Term
from xuncha.workbench.nav import menu_for

URL = reverse("rounds:coverage")


def _open(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


@pytest.mark.parametrize("role", ["leader", "office_admin", "office_staff", "supervisor",
                                  "group_leader", "group_member"])
def test_it_opens_for_those_who_may_see_the_term(client, world, role):
    # Group members may see the terms (policy.scope on Term), so they see the coverage too:
    # the figures of the term's plan, not another group's material.
    Assignment.objects.create(group=world.group1, organization=world.village)
    response = _open(client, world.users[role], term=world.term.pk)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.total.total, figures.total.covered) == (3, 1)
    assert b'data-testid="coverage-table-kind"' in response.content


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "outsider", "sysadmin", "secadmin", "auditor"])
def test_it_is_refused_to_those_who_may_not_see_terms(client, world, role):
    assert _open(client, world.users[role]).status_code == 403
    assert _open(client, world.users[role], term=world.term.pk).status_code == 403


def test_it_asks_anonymous_visitors_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


@pytest.mark.parametrize("term", ["other", "999999", "abc"])
def test_a_term_out_of_scope_or_missing_is_not_found(client, world, term):
    other = Term.objects.create(committee=world.other, number=1, name="邻县第一届", start_date=date(2024, 1, 1))
    wanted = str(other.pk) if term == "other" else term
    assert _open(client, world.office_admin, term=wanted).status_code == 404
    # the superior office sees the neighbouring county's term
    assert _open(client, world.supervisor, term=wanted).status_code == (200 if term == "other" else 404)


def test_it_defaults_to_the_latest_term_of_the_committee(client, world):
    newer = Term.objects.create(committee=world.county, number=2, name="第二届", start_date=date(2029, 1, 1))
    response = _open(client, world.office_admin)
    assert response.context["term"] == newer
    assert "第二届" in response.content.decode()


def test_it_says_when_there_is_no_term(client, world, make_user):
    neighbour = make_user("neighbour_office", role="office_admin", committee=world.other)
    response = _open(client, neighbour)
    assert response.status_code == 200
    assert response.context["term"] is None


def test_it_shows_the_tables_without_javascript_and_embeds_the_chart_data(client, world):
    Assignment.objects.create(group=world.group1, organization=world.village)
    html = _open(client, world.office_admin).content.decode()
    assert 'id="coverage-data"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "城关镇" in html and "33.3%" in html
    # the chart column stays hidden until the script draws it
    assert 'xc-chart-col d-none' in html


def test_it_warns_when_the_rest_of_the_term_cannot_cover_everything(client, world):
    Assignment.objects.create(group=world.group1, organization=world.village)
    Term.objects.filter(pk=world.term.pk).update(planned_rounds=2)
    response = _open(client, world.office_admin)
    # one round with one target so far; one round to come → at most 1 more, 2 left
    assert response.context["warning"]
    assert b'data-testid="coverage-warning"' in response.content
    Term.objects.filter(pk=world.term.pk).update(planned_rounds=3)
    response = _open(client, world.office_admin)
    assert response.context["warning"] == ""  # 2 rounds × 1 = 2: exactly enough


def test_it_filters_and_paginates_what_is_not_covered(client, world):
    for i in range(60):
        Organization.objects.create(committee=world.county, name=f"新{i}村", kind=world.kinds["village"],
                                    parent=world.township)
    response = _open(client, world.office_admin, kind="village")
    page = response.context["page"]
    assert page.paginator.count == 61 and len(page.object_list) == 50
    response = _open(client, world.office_admin, kind="village", page=2)
    assert len(response.context["page"].object_list) == 11
    response = _open(client, world.office_admin, township="other")
    assert [o.name for o in response.context["page"].object_list] == ["县财政局"]


def test_it_opens_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for i in range(80):
        org = Organization.objects.create(committee=world.county, name=f"新{i}村", kind=world.kinds["village"],
                                          parent=world.township)
        if i % 2:
            Assignment.objects.create(group=world.group1, organization=org)
    client.force_login(world.office_admin)
    client.get(URL)
    # session, user, assignments, menu and page: the figures take four, the list three
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert response.context["figures"].total.covered == 40


def test_the_menu_shows_coverage_to_those_who_may_open_it(world, rf):
    def labels(user):
        return [str(i["label"]) for stage in menu_for(user) for i in stage["items"]]

    assert any("覆盖" in label or "coverage" in label for label in labels(world.office_admin))
    assert not any("覆盖" in label or "coverage" in label for label in labels(world.unit_liaison))


def test_only_the_coverage_entry_is_current_on_its_page(world):
    menu = menu_for(world.office_admin, URL)
    current = [str(i["label"]) for stage in menu for i in stage["items"] if i["active"]]
    assert len(current) == 1
    assert [s["stage"] for s in menu if s["active"]] == ["plan"]
