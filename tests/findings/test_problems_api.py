"""/api/v1/problems: scoped lists and details, writes through the services, refusals
(401, 403, 404, 422), the search over papers and problems, query counts."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.findings.problem_helpers import problem
from xuncha.access import services as access_services
from xuncha.findings.models import Problem
from xuncha.text.search import search_key

API = "/api/v1/problems"


@pytest.fixture
def api_as(db):
    """api_as(user) → a client sending a bearer token of `user`."""
    def make(user) -> Client:
        _, key = access_services.token_create(actor=user, user=user, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"}, enforce_csrf_checks=True)
    return make


def _post(client, url, body):
    return client.post(f"{API}{url}", body, content_type="application/json")


def _fields(response) -> list[str]:
    return [e["field"] for e in response.json()["detail"]]


def test_it_needs_a_token(client, world):
    assert client.get(API).status_code == 401
    assert client.get(f"{API}/search?q=资金").status_code == 401


@pytest.mark.parametrize("role, count", [
    ("office_admin", 2), ("leader", 2), ("group_leader", 2), ("supervisor", 1), ("group_member", 0),
])
def test_the_list_is_scoped_and_hides_leads_from_the_superior_office(api_as, world, make_paper, role, count):
    problem(world, make_paper)
    problem(world, make_paper, papers=[make_paper("signed", kind="lead")])
    response = api_as(world.users[role]).get(API)
    assert response.status_code == 200 and response.json()["count"] == count


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "outsider"])
def test_roles_without_problems_get_403(api_as, world, role):
    assert api_as(world.users[role]).get(API).status_code == 403


def test_list_filters_and_query_count(api_as, world, findings, make_paper, django_assert_max_num_queries):
    for i in range(5):
        problem(world, make_paper, title=f"资金问题{i}", severity="grave" if i == 0 else "minor")
    problem(world, make_paper, actor=world.office_admin, target=findings.target2, title="三会一课")
    client = api_as(world.office_admin)
    with django_assert_max_num_queries(8):
        body = client.get(API, {"limit": 3}).json()
    assert body["count"] == 6 and len(body["items"]) == 3
    item = body["items"][0]
    assert item["classification"]["path"].count("›") == 2 and item["organization_name"]
    assert client.get(API, {"severity": "grave"}).json()["count"] == 1
    assert client.get(API, {"group": world.group2.pk}).json()["count"] == 1
    assert client.get(API, {"focus": "V2"}).json()["count"] == 5
    assert client.get(API, {"q": "資金"}).json()["count"] == 5


def test_detail_and_404(api_as, world, findings, make_paper):
    made = problem(world, make_paper)
    body = api_as(world.group_deputy).get(f"{API}/{made.pk}").json()
    assert body["number"] == made.number and [p["id"] for p in body["papers"]] == [made.papers.get().pk]
    assert api_as(world.group_member).get(f"{API}/{made.pk}").status_code == 404
    assert api_as(world.group_deputy).get(f"{API}/999999").status_code == 404


def test_create_from_papers(api_as, world, findings, make_paper):
    a, b = make_paper("signed", amount="100"), make_paper("signed", amount="50")
    response = _post(api_as(world.group_leader), "", {"papers": [a.pk, b.pk], "severity": "serious"})
    assert response.status_code == 201
    body = response.json()
    assert body["amount"] == "150.00" and body["severity"] == "serious" and len(body["papers"]) == 2
    assert Problem.objects.get().classification == findings.items["V2.1.1"]


def test_create_refusals(api_as, world, findings, make_paper):
    signed, draft = make_paper("signed"), make_paper("draft")
    other = make_paper("signed", target=findings.target2)
    leader = api_as(world.group_leader)
    assert _fields(_post(leader, "", {"papers": [other.pk]})) == ["papers"]
    assert _fields(_post(leader, "", {"papers": [draft.pk]})) == ["papers"]
    assert _fields(_post(leader, "", {"papers": [signed.pk], "classification": findings.items["V2.1"].pk})) \
        == ["classification"]
    assert _fields(_post(leader, "", {"papers": []})) == ["papers"]
    assert _fields(_post(leader, "", {"papers": [signed.pk], "colour": "red"})) == ["colour"]
    assert _post(api_as(world.leader), "", {"papers": [signed.pk]}).status_code == 403
    assert _post(api_as(world.supervisor), "", {"papers": [signed.pk]}).status_code == 403
    assert not Problem.objects.exists()


def test_update_and_delete(api_as, world, findings, make_paper):
    made = problem(world, make_paper)
    deputy = api_as(world.group_deputy)
    response = deputy.patch(f"{API}/{made.pk}", {"title": "新标题", "classification": findings.items["V2.1.2"].pk},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["classification"]["key"] == "V2.1.2"
    bad = deputy.patch(f"{API}/{made.pk}", {"severity": "huge"}, content_type="application/json")
    assert bad.status_code == 422 and _fields(bad) == ["severity"]
    assert api_as(world.leader).patch(f"{API}/{made.pk}", {"title": "x"},
                                          content_type="application/json").status_code == 403
    assert api_as(world.group_member).delete(f"{API}/{made.pk}").status_code == 404
    assert api_as(world.leader).delete(f"{API}/{made.pk}").status_code == 403
    assert deputy.delete(f"{API}/{made.pk}").status_code == 204
    assert not Problem.objects.exists()


def test_merge_and_split(api_as, world, findings, make_paper):
    a, b = problem(world, make_paper), problem(world, make_paper)
    leader = api_as(world.group_leader)
    merged = _post(leader, "/merge", {"problems": [a.pk, b.pk], "title": "合并"})
    assert merged.status_code == 200 and merged.json()["id"] == a.pk and len(merged.json()["papers"]) == 2
    p1, p2 = (p["id"] for p in merged.json()["papers"])
    bad = _post(leader, f"/{a.pk}/split", {"parts": [{"title": "甲", "papers": [p1]}, {"title": "乙", "papers": [p1]}]})
    assert bad.status_code == 422 and _fields(bad) == ["parts"]
    split = _post(leader, f"/{a.pk}/split", {"parts": [{"title": "甲", "papers": [p1]}, {"title": "乙", "papers": [p2]}]})
    assert split.status_code == 201
    assert [p["title"] for p in split.json()] == ["甲", "乙"] and split.json()[1]["split_from"] == a.pk
    other = problem(world, make_paper, actor=world.office_admin, target=findings.target2)
    assert _fields(_post(leader, "/merge", {"problems": [a.pk, other.pk]})) == ["problems"]
    assert _post(api_as(world.leader), "/merge", {"problems": [a.pk, split.json()[1]["id"]]}).status_code == 403


def test_search_returns_papers_and_problems_in_scope(api_as, world, findings, make_paper):
    paper = make_paper("signed", title="村集體資金被挪用", facts="")
    paper.search_text = search_key(paper.title)
    paper.save(update_fields=["search_text"])
    problem(world, make_paper, title="挪用村集体资金", description="挪用资金。")
    body = api_as(world.group_leader).get(f"{API}/search", {"q": "挪用集体资金"}).json()
    assert body["terms"] == ["挪用", "集体", "资金"]
    assert body["papers"]["count"] == 1 and body["papers"]["items"][0]["id"] == paper.pk
    assert body["problems"]["count"] == 1
    other = api_as(world.group_member).get(f"{API}/search", {"q": "挪用集体资金"}).json()
    assert other["papers"]["count"] == 0 and other["problems"]["count"] == 0
    assert api_as(world.unit_liaison).get(f"{API}/search", {"q": "资金"}).status_code == 403
    assert api_as(world.group_leader).get(f"{API}/search").status_code == 422
