"""The clusters pages: the three tabs, one cluster, one explained pair, a problem's near-duplicates;
who reads them (office, leading group, superior office) and who gets 403/404; query counts."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.analytics.clusters_helpers import add_problem, county_fixture, rectify  # noqa: F401 - fixtures
from tests.conftest import PASSWORD
from xuncha.analytics import detection
from xuncha.analytics.models import Cluster, DepartmentMapping, ProblemMatch
from xuncha.workbench.nav import menu_for

CLUSTERS = reverse("analytics:clusters")
READERS = ("office_admin", "office_staff", "leader", "supervisor")
REFUSED = ("group_leader", "group_deputy", "group_member", "unit_liaison", "receiver", "outsider", "sysadmin",
           "auditor")


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture(name="detected")
def detected_fixture(county):
    rectify(county.early)
    detection.detect(county.world.county)
    county.common_cluster = Cluster.objects.get(key=min(p.pk for p in county.common))
    county.pair_cluster = Cluster.objects.get(key=min(p.pk for p in county.pair))
    county.match = ProblemMatch.objects.get(problem=county.late, earlier=county.early)
    return county


def test_recurring_tab_lists_persistent_pairs_first(detected):
    # A second, plain recurrence of 东门村 (after the persistent one in the ordering).
    again = add_problem(detected.round3, detected.villages[0], "村集体资金坐收坐支", "2025年租金2万元未入账，直接用于开支。",
                        detected.items["C1.1.1"])
    detection.detect(detected.world.county)
    response = client_for(detected.world.office_admin).get(CLUSTERS, {"tab": "recurring"})
    assert response.status_code == 200
    html = response.content.decode()
    relations = re.findall(r'data-testid="pair-\d+" data-relation="(\w+)"', html)
    assert relations[0] == "persistent" and "recurring" in relations
    assert f'data-testid="pair-{detected.match.pk}"' in html and 'data-testid="badge-persistent"' in html
    assert f'data-testid="organization-{detected.villages[0].pk}"' in html
    assert ProblemMatch.objects.filter(problem=again).exists()


def test_common_tab_shows_clusters_of_at_least_k_organizations(detected):
    response = client_for(detected.world.leader).get(CLUSTERS, {"tab": "common"})
    html = response.content.decode()
    assert f'data-testid="cluster-{detected.common_cluster.pk}"' in html
    assert f'data-testid="cluster-{detected.pair_cluster.pk}"' not in html  # two organizations < 3


def test_systemic_tab_follows_the_mapping(detected):
    world = detected.world
    office = client_for(world.office_admin)
    assert f'cluster-{detected.common_cluster.pk}"' not in office.get(CLUSTERS, {"tab": "systemic"}).content.decode()
    mapping = DepartmentMapping.objects.create(committee=world.county, point=detected.items["C1.2"],
                                               department=world.department)
    html = office.get(CLUSTERS, {"tab": "systemic"}).content.decode()
    assert f'data-testid="cluster-{detected.common_cluster.pk}"' in html and world.department.name in html
    mapping.delete()
    assert f'cluster-{detected.common_cluster.pk}"' not in office.get(CLUSTERS, {"tab": "systemic"}).content.decode()


def test_term_filter(detected):
    office = client_for(detected.world.office_admin)
    html = office.get(CLUSTERS, {"tab": "common", "term": detected.term2.pk}).content.decode()
    assert f'cluster-{detected.common_cluster.pk}"' not in html
    html = office.get(CLUSTERS, {"tab": "common", "term": detected.term1.pk}).content.decode()
    assert f'cluster-{detected.common_cluster.pk}"' in html
    assert office.get(CLUSTERS, {"term": 999999}).status_code == 404


@pytest.mark.parametrize("name", READERS)
def test_readers(detected, name):
    client = client_for(detected.world.users[name])
    for tab in ("recurring", "common", "systemic"):
        assert client.get(CLUSTERS, {"tab": tab, "committee": detected.world.county.pk}).status_code == 200
    assert client.get(reverse("analytics:cluster_detail", args=[detected.common_cluster.pk])).status_code == 200
    assert client.get(reverse("analytics:match_detail", args=[detected.match.pk])).status_code == 200
    assert client.get(reverse("analytics:problem_matches", args=[detected.late.pk])).status_code == 200
    assert CLUSTERS in _menu_urls(detected.world.users[name])


def _menu_urls(user) -> list[str]:
    return [item["url"] for stage in menu_for(user) for item in stage["items"]]


@pytest.mark.parametrize("name", REFUSED)
def test_refused(detected, name):
    assert CLUSTERS not in _menu_urls(detected.world.users[name])
    client = client_for(detected.world.users[name])
    for url in (CLUSTERS, reverse("analytics:cluster_detail", args=[detected.common_cluster.pk]),
                reverse("analytics:match_detail", args=[detected.match.pk]),
                reverse("analytics:problem_matches", args=[detected.late.pk])):
        assert client.get(url).status_code in (403, 404), url


def test_out_of_scope_is_404(detected, world):
    other_problem = add_problem(detected.round1, world.other_township, "x", "y", detected.items["C1.1.1"])
    # Another committee's records: a cluster row and a pair, written directly.
    from xuncha.rounds.models import Round, Term

    term = Term.objects.create(committee=world.other, number=1, name="第一届", start_date=detected.term1.start_date)
    rnd = Round.objects.create(term=term, number=1, planned_entry=detected.round1.planned_entry,
                               planned_exit=detected.round1.planned_exit)
    a = add_problem(rnd, world.other_township, "惠农补贴发放不及时", "耕地地力保护补贴延迟4个月才发放到农户。",
                    detected.items["C1.2.1"])
    b = add_problem(rnd, world.other_township, "惠农补贴发放不及时", "耕地地力保护补贴延迟5个月才发放到农户。",
                    detected.items["C1.2.1"])
    detection.detect(world.other)
    match = ProblemMatch.objects.get(problem=b, earlier=a)
    cluster = Cluster.objects.create(committee=world.other, term=term, key=a.pk, label="x", problem_count=2,
                                     organization_count=2, round_count=1)
    office = client_for(world.office_admin)
    assert office.get(reverse("analytics:cluster_detail", args=[cluster.pk])).status_code == 404
    assert office.get(reverse("analytics:match_detail", args=[match.pk])).status_code == 404
    assert office.get(reverse("analytics:problem_matches", args=[a.pk])).status_code == 404
    assert office.get(CLUSTERS, {"committee": world.other.pk}).status_code == 404
    # The superior office reads its whole subtree.
    supervisor = client_for(world.supervisor)
    assert supervisor.get(reverse("analytics:match_detail", args=[match.pk])).status_code == 200
    assert other_problem.pk


def test_supervisor_never_sees_a_pair_with_a_lead(detected):
    lead_pairs = ProblemMatch.objects.filter(problem=detected.lead) | ProblemMatch.objects.filter(earlier=detected.lead)
    pair = lead_pairs.first()
    assert pair is not None
    assert client_for(detected.world.supervisor).get(reverse("analytics:match_detail", args=[pair.pk])).status_code == 404
    assert client_for(detected.world.office_admin).get(reverse("analytics:match_detail", args=[pair.pk])).status_code == 200


def test_cluster_detail_explains_each_member(detected):
    cluster = detected.common_cluster
    response = client_for(detected.world.office_admin).get(reverse("analytics:cluster_detail", args=[cluster.pk]))
    html = response.content.decode()
    for problem in detected.common:
        assert f'data-testid="member-{problem.pk}"' in html
        assert reverse("findings:problem_detail", args=[problem.pk]) in html
    assert html.count("<mark>") >= 3
    assert re.search(r'data-testid="similarity">\d+%', html)
    assert f"?cluster={cluster.pk}" in html  # draft a recommendation
    # The leading group reads but drafts no letter.
    html = client_for(detected.world.leader).get(reverse("analytics:cluster_detail", args=[cluster.pk])).content.decode()
    assert "draft-recommendation" not in html


def test_match_detail_explains_the_pair(detected):
    html = client_for(detected.world.office_admin).get(
        reverse("analytics:match_detail", args=[detected.match.pk])).content.decode()
    assert f'data-testid="similarity">{round(detected.match.similarity * 100)}%' in html
    assert 'data-testid="badge-persistent"' in html and 'data-testid="why"' in html
    assert re.search(r'data-testid="text-later">[^<]*<mark>', html) or "<mark>" in html.split('data-testid="text-later"')[1]
    assert "<mark>" in html.split('data-testid="phrases"')[1]
    assert detected.world.village.name in html


def test_problem_matches(detected):
    html = client_for(detected.world.office_admin).get(
        reverse("analytics:problem_matches", args=[detected.early.pk])).content.decode()
    assert f'data-testid="match-{detected.match.pk}" data-other="{detected.late.pk}"' in html
    unmatched = detected.noise[2]
    html = client_for(detected.world.office_admin).get(
        reverse("analytics:problem_matches", args=[unmatched.pk])).content.decode()
    assert 'data-testid="empty"' in html


def test_list_pages_query_counts(detected, django_assert_max_num_queries):
    for i in range(3):  # more pairs and clusters: the counts must not grow with them
        add_problem(detected.round3, detected.villages[i], "惠农补贴发放不及时", f"耕地地力保护补贴延迟{i + 6}个月才发放到农户。",
                    detected.items["C1.2.1"])
        add_problem(detected.round3, detected.villages[i], "村集体资金坐收坐支", f"2025年租金{i + 2}万元未入账，直接用于开支。",
                    detected.items["C1.1.1"])
    detection.detect(detected.world.county)
    DepartmentMapping.objects.create(committee=detected.world.county, point=detected.items["C1.2"],
                                     department=detected.world.department)
    client = client_for(detected.world.office_admin)
    client.get(CLUSTERS)  # warm the session and caches
    for tab in ("recurring", "common", "systemic"):
        with django_assert_max_num_queries(22):
            assert client.get(CLUSTERS, {"tab": tab}).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("analytics:cluster_detail", args=[detected.common_cluster.pk])).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("analytics:problem_matches", args=[detected.late.pk])).status_code == 200
