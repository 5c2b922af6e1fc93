"""Problems from signed papers: defaults, refusals, merge, split, delete, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.findings.problem_helpers import problem
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.checklist.models import Item, Version
from xuncha.findings import services_problems as services
from xuncha.findings.models import Problem


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _messages(exc: pytest.ExceptionInfo) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


# -- create ----------------------------------------------------------------------------------

def test_it_makes_a_problem_with_defaults_from_the_papers(world, findings, make_paper):
    a = make_paper("signed", title="租金未入账", facts="收取租金3万元未入账。", amount=Decimal("30000"))
    b = make_paper("registered", title="另一笔", facts="鱼塘承包费2万元坐支。", amount=Decimal("20000.50"))
    made = services.problem_create(actor=world.group_leader, papers=[b, a])
    assert made.title == "租金未入账"
    assert made.description == "收取租金3万元未入账。\n\n鱼塘承包费2万元坐支。"
    assert made.classification == findings.items["V2.1.1"]
    assert made.amount == Decimal("50000.50") and made.kind == "general" and made.severity == "minor"
    assert (made.group, made.round, made.organization) == (world.group1, world.round, world.village)
    assert made.seq == 1 and set(made.papers.all()) == {a, b}
    assert "租金" in made.search_text and "坐支" in made.search_text
    event = AuditEvent.objects.get(action="problem.create")
    assert event.object_id == str(made.pk)
    assert problem(world, make_paper).seq == 2


def test_a_lead_among_the_papers_makes_a_lead(world, make_paper):
    made = problem(world, make_paper, papers=[make_paper("signed"), make_paper("signed", kind="lead")])
    assert made.kind == "lead"


@pytest.mark.parametrize("state", ["draft", "submitted", "reviewed", "returned"])
def test_only_signed_papers_make_a_problem(world, make_paper, state):
    paper = make_paper(state)
    with pytest.raises(ValidationError) as exc:
        services.problem_create(actor=world.group_leader, papers=[paper])
    assert paper.number in _messages(exc)
    assert not Problem.objects.exists()


def test_papers_of_two_targets_are_refused(world, findings, make_paper):
    from xuncha.rounds.models import Assignment

    other = Assignment.objects.create(group=world.group1, organization=world.department)
    papers = [make_paper("signed"), make_paper("signed", target=other, classification=findings.items["V2.1.1"])]
    with pytest.raises(ValidationError, match="different inspection targets"):
        services.problem_create(actor=world.group_leader, papers=papers)


def test_a_paper_goes_into_one_problem_only(world, make_paper):
    first = problem(world, make_paper)
    paper = first.papers.get()
    with pytest.raises(ValidationError) as exc:
        services.problem_create(actor=world.group_leader, papers=[paper, make_paper("signed")])
    assert "Already in another problem" in _messages(exc) and paper.number in _messages(exc)


@pytest.mark.parametrize("role, error", [
    ("group_member", ValidationError),  # another group's paper: not even visible
    ("group_deputy", None), ("office_admin", None),
    ("leader", PermissionDenied), ("supervisor", PermissionDenied),
])
def test_who_makes_a_problem(world, make_paper, role, error):
    paper = make_paper("signed")
    if error is None:
        assert services.problem_create(actor=world.users[role], papers=[paper]).pk
    else:
        with pytest.raises(error):
            services.problem_create(actor=world.users[role], papers=[paper])
        assert not Problem.objects.exists()


def test_a_group_member_of_the_own_group_may_not_make_one(world, findings, make_paper):
    paper = make_paper("signed", target=findings.target2)
    with pytest.raises(PermissionDenied):
        services.problem_create(actor=world.group_member, papers=[paper])


def test_the_classification_is_a_manifestation_in_force_or_the_papers_own(world, findings, make_paper):
    paper = make_paper("signed")
    for wrong in (findings.items["V2.1"], findings.items["V2.1.1.1"], findings.items["T1.1.1"]):
        with pytest.raises(ValidationError) as exc:
            services.problem_create(actor=world.group_leader, papers=[paper], classification=wrong)
        assert "classification" in exc.value.message_dict
    made = services.problem_create(actor=world.group_leader, papers=[paper], classification=findings.items["V2.1.2"])
    assert made.classification == findings.items["V2.1.2"]


def test_an_older_version_item_of_the_papers_stays_valid(world, findings, make_paper):
    old = findings.items["V2.1.1"]
    newer = Version.objects.create(library=findings.village_version.library, number=2, state="published")
    focus = Item.objects.create(version=newer, key="V2", title="群众身边", level=1)
    point = Item.objects.create(version=newer, key="V2.1", title="三资", level=2, parent=focus)
    Item.objects.create(version=newer, key="V2.1.1", title="坐收坐支", level=3, parent=point)
    paper = make_paper("signed", classification=old)
    assert services.problem_create(actor=world.group_leader, papers=[paper]).classification == old
    with pytest.raises(ValidationError):
        services.problem_create(actor=world.group_leader, papers=[make_paper("signed", classification=None)],
                                classification=findings.items["V2.1.2"])


# -- update and delete -----------------------------------------------------------------------

def test_it_updates_and_keeps_the_search_key(world, make_paper):
    made = problem(world, make_paper)
    services.problem_update(actor=world.group_deputy, problem=made, title="挪用集體資金", severity="grave")
    made.refresh_from_db()
    assert made.severity == "grave" and "挪用集体资金" in made.search_text
    assert AuditEvent.objects.filter(action="problem.update").exists()
    with pytest.raises(ValidationError) as exc:
        services.problem_update(actor=world.group_deputy, problem=made, title="  ")
    assert "title" in exc.value.message_dict


def test_delete_frees_the_papers(world, make_paper):
    made = problem(world, make_paper)
    paper = made.papers.get()
    with pytest.raises(PermissionDenied):
        services.problem_delete(actor=world.leader, problem=made)
    services.problem_delete(actor=world.group_leader, problem=made)
    assert not Problem.objects.exists()
    assert problem(world, make_paper, papers=[paper]).pk
    assert AuditEvent.objects.filter(action="problem.delete").exists()


# -- merge -----------------------------------------------------------------------------------

def test_merge_keeps_the_first_with_all_the_papers(world, make_paper):
    a = problem(world, make_paper, amount=Decimal("100"))
    b = problem(world, make_paper, papers=[make_paper("signed", kind="lead")], amount=Decimal("50"),
                severity="serious")
    merged = services.problem_merge(actor=world.group_leader, problems=[b, a], title="合并后的问题")
    assert merged.pk == a.pk and not Problem.objects.filter(pk=b.pk).exists()
    assert merged.papers.count() == 2 and merged.kind == "lead" and merged.severity == "serious"
    assert merged.amount == Decimal("150") and merged.title == "合并后的问题"
    event = AuditEvent.objects.get(action="problem.merge")
    assert event.object_id == str(a.pk) and event.detail["merged_ids"] == [b.pk]


def test_merge_refuses_other_targets_and_single_problems(world, findings, make_paper):
    a = problem(world, make_paper)
    # the group member may not make problems: the office makes one for group 2
    b = problem(world, make_paper, actor=world.office_admin, target=findings.target2)
    with pytest.raises(ValidationError, match="same inspection target"):
        services.problem_merge(actor=world.office_admin, problems=[a, b])
    with pytest.raises(ValidationError, match="at least two"):
        services.problem_merge(actor=world.group_leader, problems=[a])
    with pytest.raises(ValidationError):  # group 1's leader does not see group 2's problem
        services.problem_merge(actor=world.group_leader, problems=[a, b])
    assert Problem.objects.count() == 2


# -- split -----------------------------------------------------------------------------------

def test_split_keeps_part_one_and_makes_new_problems(world, make_paper):
    p1, p2, p3 = (make_paper("signed", facts=f"事实{i}") for i in range(3))
    made = problem(world, make_paper, papers=[p1, p2, p3])
    first, second = services.problem_split(actor=world.group_leader, problem=made, parts=[
        {"title": "甲", "description": "甲的情况", "papers": [p1, p3]},
        {"title": "乙", "papers": [p2]},
    ])
    assert first.pk == made.pk and set(first.papers.all()) == {p1, p3} and first.title == "甲"
    assert second.split_from == made and list(second.papers.all()) == [p2]
    assert second.description == "事实1" and second.seq == made.seq + 1
    assert AuditEvent.objects.filter(action="problem.split", object_id=str(made.pk)).exists()


@pytest.mark.parametrize("parts, words", [
    ([{"title": "甲", "papers": ["p1", "p2"]}], "at least two"),
    ([{"title": "甲", "papers": ["p1"]}, {"title": "乙", "papers": []}], "no working paper"),
    ([{"title": "甲", "papers": ["p1"]}, {"title": "乙", "papers": ["p1"]}], "exactly one part"),
    ([{"title": "甲", "papers": ["p1", "p2"]}, {"title": "乙", "papers": ["x"]}], "not in this problem"),
])
def test_split_refusals(world, make_paper, parts, words):
    papers = {"p1": make_paper("signed"), "p2": make_paper("signed"), "x": make_paper("signed")}
    made = problem(world, make_paper, papers=[papers["p1"], papers["p2"]])
    parts = [{**part, "papers": [papers[k] for k in part["papers"]]} for part in parts]
    with pytest.raises(ValidationError, match=words):
        services.problem_split(actor=world.group_leader, problem=made, parts=parts)
    assert Problem.objects.count() == 1 and made.papers.count() == 2
