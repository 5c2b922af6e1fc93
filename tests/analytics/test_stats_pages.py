"""The statistics page, its Word download and the drill-down lists: what each reader sees, the
refusals (403 for roles that read no statistics, 404 out of scope), and query counts."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from tests.analytics.stats_helpers import FOCUS_2, TODAY, dataset, stats_build  # noqa: F401
from xuncha.access.models import AuditEvent
from xuncha.analytics import drilldown, filters, statistics
from xuncha.analytics.summary import summary
from xuncha.workbench.nav import menu_for

PAGE = reverse("analytics:statistics")
WORD = reverse("analytics:statistics_word")
DRILL = reverse("analytics:drilldown")
COUNTS = ("rounds", "organizations", "complaints", "problems", "leads", "fed_back", "rectified", "overdue",
          "transfers", "recommendations", "addressees", "systems_outcomes", "campaigns")
SUMS = ("people_disciplined", "people_handled", "money_recovered", "systems_transfers")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_the_figures_the_summary_and_the_breakdowns(world, dataset):  # noqa: F811
    response = client_for(world.office_admin).get(PAGE, {"term": dataset.term.pk})
    assert response.status_code == 200
    html = response.content.decode()
    chosen = filters.parse(world.office_admin, {"term": dataset.term.pk})
    stats = statistics.compute(world.office_admin, chosen, today=TODAY)
    for key, figure in stats.figures.items():
        assert f'data-testid="figure-{key}-value"' in html
        assert f'href="{figure.link.replace("&", "&amp;")}"' in html
    assert 'data-testid="figure-problems-value" data-value="6"' in html
    assert summary(stats) in html
    assert 'data-testid="by-focus"' in html and FOCUS_2 in html
    assert 'data-testid="inspected-village-county-sinking"' in html
    assert 'data-testid="analytics-filters"' in html
    assert f'href="{WORD}?{chosen.query().replace("&", "&amp;")}"' in html


def test_the_page_makes_a_fixed_number_of_queries(world, dataset, stats_build, django_assert_max_num_queries):  # noqa: F811
    client = client_for(world.office_admin)
    for n in range(5):
        organization = stats_build.organization(f"新村{n}", "village", parent=world.township)
        target = stats_build.target(dataset.groups[2], organization)
        stats_build.problem(target, "P1", fed_back=True)
        stats_build.complaint(world.county, TODAY, organization=organization)
    with django_assert_max_num_queries(30):
        response = client.get(PAGE, {"term": dataset.term.pk})
    assert 'data-testid="figure-problems-value" data-value="11"' in response.content.decode()


def test_the_statistics_menu_entry(world):
    def entries(user):
        return {str(item["url"]) for stage in menu_for(user) for item in stage["items"]}

    for name in ("office_admin", "leader", "supervisor", "group_member"):
        assert PAGE in entries(world.users[name])
    for name in ("unit_liaison", "receiver", "sysadmin", "outsider"):
        assert PAGE not in entries(world.users[name])


@pytest.mark.parametrize("name", ["unit_liaison", "receiver", "sysadmin", "auditor", "outsider"])
@pytest.mark.parametrize("url", [PAGE, WORD, f"{DRILL}?figure=problems"])
def test_roles_without_statistics_get_403(world, name, url):
    assert client_for(world.users[name]).get(url).status_code == 403


def test_anonymous_is_sent_to_sign_in(world):
    assert Client().get(PAGE).status_code == 302


@pytest.mark.parametrize("url", [PAGE, WORD, DRILL])
def test_a_committee_out_of_scope_is_404(world, url):
    response = client_for(world.office_admin).get(url, {"committee": world.other.pk, "figure": "problems"})
    assert response.status_code == 404


def test_the_word_summary(world, dataset):  # noqa: F811
    response = client_for(world.leader).get(WORD, {"term": dataset.term.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[1] == "十四届示例县委巡察工作统计情况"
    assert paragraphs[3].startswith("十四届示例县委巡察工作开展以来，共开展了两轮巡察")
    figures = {row.cells[1].text: row.cells[2].text for row in document.tables[0].rows[1:]}
    assert figures["发现问题"] == "6" and figures["挽回经济损失"] == "12.35" and figures["整改完成率"] == "50.0"
    assert [row.cells[1].text for row in document.tables[1].rows[1:]] == [FOCUS_2, "贯彻落实党的路线方针政策情况"]
    event = AuditEvent.objects.filter(action="statistics.export").latest("seq")
    assert event.actor_name == "leader" and event.detail["figures"]["problems"] == "6"


# -- drill-down ------------------------------------------------------------------------------

def test_each_list_holds_the_rows_its_figure_counts(world, dataset):  # noqa: F811
    user = world.office_admin
    chosen = filters.parse(user, {"term": dataset.term.pk})
    stats = statistics.compute(user, chosen, today=TODAY)
    for key in COUNTS:
        assert drilldown.drilldown(user, chosen, key, today=TODAY).count() == stats.value(key), key
    transfers = {t.pk: t for t in drilldown.drilldown(user, chosen, "transfers")}
    for key in SUMS:
        field = "systems_established" if key == "systems_transfers" else key
        rows = drilldown.drilldown(user, chosen, key)
        assert sum(getattr(t, field) for t in rows) == stats.value(key), key
        assert all(getattr(transfers[t.pk], field) > 0 for t in rows)
    uncovered = [o.name for o in drilldown.drilldown(user, chosen, "coverage") if not o.is_covered]
    assert uncovered == ["北门村"]


def test_breakdown_rows_narrow_the_list(world, dataset):  # noqa: F811
    user = world.office_admin
    chosen = filters.parse(user, {"term": dataset.term.pk})
    stats = statistics.compute(user, chosen, today=TODAY)
    for rows, key in ((stats.by_focus, "focus"), (stats.by_point, "point"), (stats.by_problem_kind, "problem_kind")):
        for row in rows:
            assert drilldown.drilldown(user, chosen, "problems", {key: row.key}).count() == row.value
    for row in stats.inspected:
        narrowed = filters.parse(user, {"term": dataset.term.pk, "kind": row.kind_id})
        rows = drilldown.drilldown(user, narrowed, "organizations", {"mode": row.mode, "level": row.level})
        assert rows.count() == row.value
    for row in stats.addressees:
        assert drilldown.drilldown(user, chosen, "addressees", {"organization": row.key}).count() == row.value
    for row in stats.complaints_by_category:
        assert drilldown.drilldown(user, chosen, "complaints", {"category": row.key}).count() == row.value


def test_the_drilldown_page_links_to_the_detail_pages(world, dataset, django_assert_max_num_queries):  # noqa: F811
    client = client_for(world.office_admin)
    url = f"{DRILL}?{urlencode({'term': dataset.term.pk, 'figure': 'problems', 'focus': FOCUS_2})}"
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="drilldown-count">4<' in html
    assert f"· {FOCUS_2}" in html
    for problem in dataset.problems:
        shown = f'href="{reverse("findings:problem_detail", args=[problem.pk])}"' in html
        assert shown == (problem.classification.parent.parent.title == FOCUS_2)
    transfers = client.get(DRILL, {"term": dataset.term.pk, "figure": "money_recovered"}).content.decode()
    assert reverse("rectification:transfer_detail", args=[dataset.lead_transfer.pk]) in transfers
    overdue = client.get(DRILL, {"term": dataset.term.pk, "figure": "overdue"}).content.decode()
    assert reverse("rectification:task_detail", args=[dataset.overdue.pk]) in overdue


@pytest.mark.parametrize("figure", ["rounds", "organizations", "coverage", "complaints", "rectified", "transfers",
                                    "recommendations", "addressees", "systems_outcomes", "campaigns"])
def test_every_list_renders(world, dataset, figure):  # noqa: F811
    response = client_for(world.office_admin).get(DRILL, {"term": dataset.term.pk, "figure": figure})
    assert response.status_code == 200
    assert 'data-testid="drilldown-table"' in response.content.decode()


def test_unknown_figures_and_figures_the_user_cannot_read_are_404(world, dataset, stats_build, make_user):  # noqa: F811
    office = client_for(world.office_admin)
    assert office.get(DRILL, {"figure": "nonsense"}).status_code == 404
    assert office.get(DRILL).status_code == 404
    assert office.get(DRILL, {"figure": "coverage"}).status_code == 404  # no term chosen
    member = client_for(stats_build.member(make_user, "stats_member", dataset.groups[0]))
    assert member.get(DRILL, {"term": dataset.term.pk, "figure": "transfers"}).status_code == 404
    assert member.get(DRILL, {"term": dataset.term.pk, "figure": "problems"}).status_code == 200
    supervisor = client_for(world.supervisor)
    assert supervisor.get(DRILL, {"figure": "complaints"}).status_code == 404


def test_a_group_member_lists_only_its_groups_problems(world, dataset, stats_build, make_user):  # noqa: F811
    member = client_for(stats_build.member(make_user, "stats_member", dataset.groups[0]))
    html = member.get(DRILL, {"term": dataset.term.pk, "figure": "problems"}).content.decode()
    shown = {p.pk for p in dataset.problems if reverse("findings:problem_detail", args=[p.pk]) in html}
    assert shown == {p.pk for p in dataset.problems if p.group_id == dataset.groups[0].pk}


def test_the_superior_office_never_lists_a_lead(world, dataset):  # noqa: F811
    html = client_for(world.supervisor).get(DRILL, {"committee": world.county.pk, "figure": "problems"}).content.decode()
    lead = dataset.problems[2]
    assert reverse("findings:problem_detail", args=[lead.pk]) not in html
    assert reverse("findings:problem_detail", args=[dataset.problems[0].pk]) in html


def test_the_drilldown_is_paginated(world, dataset, monkeypatch):  # noqa: F811
    from xuncha.analytics.views import stats as views

    monkeypatch.setattr(views, "PER_PAGE", 4)
    client = client_for(world.office_admin)
    first = client.get(DRILL, {"term": dataset.term.pk, "figure": "problems"}).content.decode()
    second = client.get(DRILL, {"term": dataset.term.pk, "figure": "problems", "page": 2}).content.decode()
    assert 'data-testid="drilldown-count">6<' in first
    assert first.count('data-testid="row-') == 4 and second.count('data-testid="row-') == 2
    assert "page=2" in first and "figure=problems" in first
