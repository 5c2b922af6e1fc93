"""Pages of working papers: who sees what (404 out of scope, 403 without the right), the editor,
the sign-off buttons, amendments, the inbox, to-dos and query counts on the ledger."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from xuncha.findings.models import PaperAmendment, WorkingPaper
from xuncha.text.search import search_key
from xuncha.workbench.todos import todos_for

READERS = ["group_leader", "group_deputy", "office_admin", "office_staff", "leader", "supervisor"]


def _detail(paper):
    return reverse("findings:paper_detail", args=[paper.pk])


@pytest.mark.parametrize("role", READERS)
def test_the_pages_render_for_each_role_that_reads_group_1(client, world, findings, make_paper, role):
    paper = make_paper(state="signed")
    client.force_login(world.users[role])
    ledger = client.get(reverse("findings:papers"), {"round": world.round.pk, "group": world.group1.pk})
    assert ledger.status_code == 200 and paper.number in ledger.content.decode()
    page = client.get(_detail(paper))
    assert page.status_code == 200 and "村集体资金坐收坐支" in page.content.decode()
    assert client.get(reverse("findings:paper_inbox")).status_code == 200


@pytest.mark.parametrize("role", ["group_member", "unit_liaison", "receiver", "outsider", "sysadmin"])
def test_group_1_papers_are_not_found_by_others(client, world, findings, make_paper, role):
    paper = make_paper(state="signed")
    client.force_login(world.users[role])
    for name in ("findings:paper_detail", "findings:paper_edit", "findings:paper_amend"):
        assert client.get(reverse(name, args=[paper.pk])).status_code == 404, name
    assert client.post(reverse("findings:paper_step", args=[paper.pk]), {"action": "register"}).status_code == 404
    assert WorkingPaper.objects.get(pk=paper.pk).state == "signed"


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "outsider", "sysadmin"])
def test_the_ledger_is_forbidden_to_roles_without_papers(client, world, findings, role):
    client.force_login(world.users[role])
    assert client.get(reverse("findings:papers")).status_code == 403
    assert client.get(reverse("findings:paper_create")).status_code == 403


def test_the_supervisor_never_sees_a_lead(client, world, findings, make_paper):
    lead = make_paper(state="signed", kind="lead", title="村干部涉嫌侵占集体资金")
    general = make_paper(state="signed")
    client.force_login(world.supervisor)
    assert client.get(_detail(lead)).status_code == 404
    ledger = client.get(reverse("findings:papers"), {"round": world.round.pk})
    assert general.number in ledger.content.decode() and lead.number not in ledger.content.decode()


def test_the_group_member_sees_only_their_own_group(client, world, findings, make_paper):
    mine = make_paper(target=findings.target2)
    theirs = make_paper()
    client.force_login(world.group_member)
    content = client.get(reverse("findings:papers")).content.decode()
    assert mine.number in content and theirs.number not in content


def test_a_member_writes_a_paper_through_the_editor(client, world, findings):
    client.force_login(world.group_deputy)
    form = client.get(reverse("findings:paper_create"))
    content = form.content.decode()
    assert form.status_code == 200 and "村集体资金坐收坐支、公款私存" in content
    assert "optgroup" in content and "乡村振兴政策落实" in content and "“三会一课”落实不到位" not in content
    response = client.post(reverse("findings:paper_create"), {
        "title": "租金收入未入账", "source": "documents", "facts": "2023年租金3万元未入账。",
        "classification": findings.items["V2.1.1"].pk, "kind": "general", "amount": "30000",
        "authors": [findings.members["group_deputy"].pk, findings.members["group_leader"].pk]})
    paper = WorkingPaper.objects.get()
    assert response.status_code == 302 and response.url == _detail(paper)
    assert paper.number == "第一届第一轮第一组-001" and paper.authors.count() == 2


def test_the_editor_shows_service_errors_on_the_fields(client, world, findings):
    client.force_login(world.group_deputy)
    response = client.post(reverse("findings:paper_create"), {
        "title": "租金", "source": "documents", "kind": "general",
        "authors": [findings.members["group_member"].pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["authors"]
    assert not WorkingPaper.objects.exists()


def test_the_office_may_not_open_the_editor(client, world, findings, make_paper):
    paper = make_paper()
    client.force_login(world.office_admin)
    assert client.get(reverse("findings:paper_create")).status_code == 403
    assert client.get(reverse("findings:paper_edit", args=[paper.pk])).status_code == 403


def test_the_chain_through_the_buttons(client, world, findings, make_paper):
    paper = make_paper()
    url = reverse("findings:paper_step", args=[paper.pk])
    client.force_login(world.group_deputy)
    assert client.get(url).status_code == 405
    page = client.get(_detail(paper)).content.decode()
    assert 'value="submit"' in page and 'value="approve"' not in page
    client.post(url, {"action": "submit"})
    client.post(url, {"action": "return", "comment": ""})
    assert WorkingPaper.objects.get(pk=paper.pk).state == "submitted"
    client.post(url, {"action": "approve", "comment": "同意"})
    assert client.post(url, {"action": "sign"}).status_code == 403  # the deputy does not sign
    client.force_login(world.group_leader)
    client.post(url, {"action": "sign", "comment": "同意"})
    paper = WorkingPaper.objects.get(pk=paper.pk)
    assert paper.state == "signed" and paper.is_frozen
    page = client.get(_detail(paper)).content.decode()
    assert "同意" in page
    try:
        assert f"{reverse('findings:problem_create')}?papers={paper.pk}" in page
    except NoReverseMatch:  # the problems pages are not there yet
        assert 'data-testid="paper-make-problem"' not in page
    assert client.get(reverse("findings:paper_edit", args=[paper.pk])).status_code == 302  # to the amendment
    response = client.post(reverse("findings:paper_amend", args=[paper.pk]), {
        "title": "村集体租金收入未入账", "source": "documents", "facts": paper.facts, "kind": "general",
        "classification": paper.classification_id, "reason": "表述更准确"})
    assert response.status_code == 302
    amendment = PaperAmendment.objects.get(paper=paper)
    assert amendment.changes == {"title": ["村集体资金坐收坐支", "村集体租金收入未入账"]}
    page = client.get(_detail(paper)).content.decode()
    assert "表述更准确" in page and "村集体租金收入未入账" in page
    client.force_login(world.office_staff)
    client.post(url, {"action": "register"})
    assert WorkingPaper.objects.get(pk=paper.pk).state == "registered"


def test_the_inbox_and_to_dos_of_each_role(client, world, findings, make_paper):
    submitted = make_paper(state="submitted")
    reviewed = make_paper(state="reviewed")
    signed = make_paper(state="signed")
    returned = make_paper(state="returned")
    returned.authors.add(findings.members["group_leader"])
    expected = {"group_deputy": {submitted}, "group_leader": {reviewed, returned}, "office_admin": {signed}}
    for role, papers in expected.items():
        client.force_login(world.users[role])
        content = client.get(reverse("findings:paper_inbox")).content.decode()
        for paper in (submitted, reviewed, signed, returned):
            assert (paper.number in content) == (paper in papers), (role, paper.state)
        assert sum(t.count for t in todos_for(world.users[role])
                   if t.url == reverse("findings:paper_inbox")) == len(papers)


def test_the_ledger_filters_and_searches(client, world, findings, make_paper):
    rent = make_paper(title="租金收入未入账", source="visit")
    lead = make_paper(title="村干部侵佔补贴", kind="lead", state="submitted")
    for paper in (rent, lead):  # make_paper writes no search key; the services do
        WorkingPaper.objects.filter(pk=paper.pk).update(search_text=search_key(paper.title, paper.facts))
    client.force_login(world.group_leader)
    url = reverse("findings:papers")

    def shown(**params):
        content = client.get(url, params).content.decode()
        return {p for p in (rent, lead) if p.number in content}

    assert shown() == {rent, lead}
    assert shown(state="submitted") == {lead}
    assert shown(kind="lead") == {lead}
    assert shown(source="visit") == {rent}
    assert shown(q="侵占") == {lead}  # traditional 佔 matches simplified 占
    assert shown(target=findings.target1.pk) == {rent, lead}


def test_the_ledger_query_count_does_not_grow_with_papers(client, world, findings, make_paper,
                                                          django_assert_max_num_queries):
    for i in range(30):
        paper = make_paper(title=f"问题{i}", state="signed" if i % 2 else "draft")
        paper.authors.set([findings.members["group_leader"], findings.members["group_deputy"]])
    client.force_login(world.office_admin)
    url = reverse("findings:papers")
    client.get(url)  # warm the session
    with django_assert_max_num_queries(14):
        response = client.get(url, {"round": world.round.pk, "group": world.group1.pk})
    assert response.content.decode().count("赵刚") >= 30


def test_the_paper_page_links_to_its_evidence(client, world, findings, make_paper):
    paper = make_paper()
    client.force_login(world.group_deputy)
    page = client.get(_detail(paper)).content.decode()
    try:
        assert reverse("findings:paper_evidence", args=[paper.pk]) in page
    except NoReverseMatch:  # the evidence pages are not there yet
        assert 'data-testid="paper-evidence-link"' not in page
