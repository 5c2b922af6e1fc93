"""Problem pages: who sees which problems (leads never for the superior office), the list's
filters and query count, making a problem from ticked papers, edit, merge, split, delete."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.findings.problem_helpers import problem
from xuncha.findings.models import Problem

NO_PROBLEMS = ["unit_liaison", "receiver", "outsider", "sysadmin", "secadmin", "auditor"]


def _create_url(*papers):
    return reverse("findings:problem_create") + "?" + "&".join(f"papers={p.pk}" for p in papers)


# -- reading ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role, sees", [
    ("group_leader", True), ("group_deputy", True), ("office_admin", True), ("office_staff", True),
    ("leader", True), ("supervisor", True), ("group_member", False),
])
def test_who_sees_a_general_problem(client, world, make_paper, role, sees):
    made = problem(world, make_paper, title="村集体资金坐收坐支")
    client.force_login(world.users[role])
    listing = client.get(reverse("findings:problem_list"))
    assert listing.status_code == 200
    assert ("村集体资金坐收坐支" in listing.content.decode()) is sees
    assert client.get(reverse("findings:problem_detail", args=[made.pk])).status_code == (200 if sees else 404)


@pytest.mark.parametrize("role, sees", [
    ("group_leader", True), ("office_admin", True), ("leader", True), ("supervisor", False),
])
def test_leads_are_never_shown_to_the_superior_office(client, world, make_paper, role, sees):
    lead = problem(world, make_paper, papers=[make_paper("signed", kind="lead")], title="线索：书记收受好处")
    client.force_login(world.users[role])
    assert ("线索：书记收受好处" in client.get(reverse("findings:problem_list")).content.decode()) is sees
    assert client.get(reverse("findings:problem_detail", args=[lead.pk])).status_code == (200 if sees else 404)
    page = client.get(reverse("findings:search"), {"q": "收受好处"}).content.decode()
    assert ("书记" in page) is sees


@pytest.mark.parametrize("role", NO_PROBLEMS)
def test_inspected_organizations_and_receivers_see_no_problems(client, world, make_paper, role):
    made = problem(world, make_paper)
    client.force_login(world.users[role])
    assert client.get(reverse("findings:problem_list")).status_code == 403
    assert client.get(reverse("findings:problem_detail", args=[made.pk])).status_code == 403
    assert client.get(reverse("findings:search"), {"q": "资金"}).status_code == 403


def test_the_detail_shows_the_classification_path_and_the_papers(client, world, make_paper):
    made = problem(world, make_paper)
    paper = made.papers.get()
    client.force_login(world.office_admin)
    page = client.get(reverse("findings:problem_detail", args=[made.pk])).content.decode()
    assert "群众身边不正之风和腐败问题 › 村集体“三资”管理 › 村集体资金坐收坐支、公款私存" in page
    assert paper.number in page


def test_the_list_filters_and_pins_its_queries(client, world, findings, make_paper, django_assert_max_num_queries):
    for i in range(12):
        problem(world, make_paper, title=f"问题{i}", severity="grave" if i % 3 == 0 else "minor")
    problem(world, make_paper, actor=world.office_admin, target=findings.target2, title="三会一课不落实")
    client.force_login(world.office_admin)
    url = reverse("findings:problem_list")
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "问题11" in page and "三会一课不落实" in page
    assert "三会一课不落实" not in client.get(url, {"group": world.group1.pk}).content.decode()
    only = client.get(url, {"assignment": findings.target2.pk}).content.decode()
    assert "三会一课不落实" in only and "问题1<" not in only
    grave = client.get(url, {"severity": "grave"}).content.decode()
    assert "问题3" in grave and "问题1<" not in grave
    focus = client.get(url, {"focus": "T1"}).content.decode()
    assert "三会一课不落实" in focus and "问题3" not in focus
    words = client.get(url, {"q": "三會一課"}).content.decode()
    assert "三会一课不落实" in words and "问题3" not in words
    assert client.get(url, {"round": world.round.pk, "kind": "lead"}).status_code == 200


# -- making one ------------------------------------------------------------------------------

def test_a_group_leader_makes_a_problem_from_ticked_papers(client, world, findings, make_paper):
    a = make_paper("signed", title="租金未入账", facts="收取租金3万元未入账。")
    b = make_paper("registered", title="承包费坐支", facts="鱼塘承包费坐支。")
    make_paper("draft", title="草稿不列出")
    client.force_login(world.group_leader)
    candidates = client.get(reverse("findings:problem_candidates")).content.decode()
    assert a.number in candidates and b.number in candidates and "草稿不列出" not in candidates
    form = client.get(_create_url(a, b))
    assert form.status_code == 200
    assert "收取租金3万元未入账。" in form.content.decode() and b.number in form.content.decode()
    response = client.post(_create_url(a, b), {
        "title": "村集体资金坐收坐支", "description": "两笔收入未入账。",
        "classification": findings.items["V2.1.1"].pk, "kind": "general", "severity": "serious", "amount": "",
    })
    made = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("findings:problem_detail",
                                                                           args=[made.pk])
    assert set(made.papers.all()) == {a, b} and made.severity == "serious"
    assert a.number not in client.get(reverse("findings:problem_candidates")).content.decode()


def test_an_unsigned_paper_is_refused_with_a_message(client, world, findings, make_paper):
    draft = make_paper("reviewed")
    client.force_login(world.group_leader)
    response = client.post(_create_url(draft), {
        "title": "x", "description": "y", "classification": findings.items["V2.1.1"].pk, "kind": "general",
        "severity": "minor"})
    assert response.status_code == 400 and draft.number in response.content.decode()
    assert not Problem.objects.exists()


@pytest.mark.parametrize("role, group2, status", [
    ("group_leader", True, 404),  # another group's paper
    ("group_member", False, 403), ("supervisor", False, 403), ("leader", False, 403),
])
def test_making_a_problem_is_refused(client, world, findings, make_paper, role, group2, status):
    paper = make_paper("signed", target=findings.target2 if group2 else None)
    client.force_login(world.users[role])
    assert client.get(_create_url(paper)).status_code == status
    assert client.post(_create_url(paper), {"title": "x"}).status_code == status
    assert not Problem.objects.exists()


def test_the_candidates_page_is_403_for_readers(client, world):
    client.force_login(world.leader)
    assert client.get(reverse("findings:problem_candidates")).status_code == 403


# -- edit, merge, split, delete --------------------------------------------------------------

def test_edit_and_delete(client, world, findings, make_paper):
    made = problem(world, make_paper)
    client.force_login(world.group_deputy)
    url = reverse("findings:problem_edit", args=[made.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "新标题", "description": "新的描述", "kind": "general",
                                 "classification": findings.items["V2.1.2"].pk, "severity": "minor"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.title == "新标题" and made.classification == findings.items["V2.1.2"]
    delete = reverse("findings:problem_delete", args=[made.pk])
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302 and not Problem.objects.exists()


@pytest.mark.parametrize("role, status", [("leader", 403), ("supervisor", 403), ("group_member", 404)])
def test_edit_and_delete_are_refused(client, world, make_paper, role, status):
    made = problem(world, make_paper)
    client.force_login(world.users[role])
    assert client.get(reverse("findings:problem_edit", args=[made.pk])).status_code == status
    assert client.post(reverse("findings:problem_delete", args=[made.pk])).status_code == status
    assert client.get(reverse("findings:problem_split", args=[made.pk])).status_code == status
    assert Problem.objects.filter(pk=made.pk).exists()


def test_merge_from_the_list(client, world, make_paper):
    a, b = problem(world, make_paper, title="甲"), problem(world, make_paper, title="乙")
    client.force_login(world.group_leader)
    url = reverse("findings:problem_merge") + f"?problems={a.pk}&problems={b.pk}"
    page = client.get(url)
    assert page.status_code == 200 and a.number in page.content.decode()
    response = client.post(url, {"title": "甲乙合并", "description": "合并", "severity": "minor"})
    assert response.status_code == 302
    assert list(Problem.objects.values_list("title", flat=True)) == ["甲乙合并"]
    assert Problem.objects.get().papers.count() == 2


def test_merge_of_a_problem_out_of_scope_is_404(client, world, findings, make_paper):
    a = problem(world, make_paper)
    b = problem(world, make_paper, actor=world.office_admin, target=findings.target2)
    client.force_login(world.group_leader)
    assert client.get(reverse("findings:problem_merge") + f"?problems={a.pk}&problems={b.pk}").status_code == 404


def test_split_page(client, world, make_paper):
    p1, p2 = make_paper("signed"), make_paper("signed")
    made = problem(world, make_paper, papers=[p1, p2])
    client.force_login(world.group_leader)
    url = reverse("findings:problem_split", args=[made.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {f"paper_{p1.pk}": "1", f"paper_{p2.pk}": "1", "title_1": "甲", "title_2": "乙"})
    assert bad.status_code == 400 and Problem.objects.count() == 1
    response = client.post(url, {f"paper_{p1.pk}": "1", f"paper_{p2.pk}": "2", "title_1": "甲", "title_2": "乙"})
    assert response.status_code == 302
    assert sorted(Problem.objects.values_list("title", flat=True)) == ["乙", "甲"]
    assert Problem.objects.get(title="乙").split_from_id == made.pk


def test_the_menu_and_the_todo_lead_to_the_problems(client, world, make_paper):
    make_paper("signed")
    client.force_login(world.group_leader)
    home = client.get("/").content.decode()
    assert reverse("findings:problem_list") in home and reverse("findings:search") in home
    assert reverse("findings:problem_candidates") in home
    client.force_login(world.unit_liaison)
    assert reverse("findings:problem_list") not in client.get("/").content.decode()
