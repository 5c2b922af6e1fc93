"""hidden_from: objects holding a value stay hidden from a role even inside its scope.
Leads (问题线索) are hidden from the superior office; the group, the office and the leading
group still see them."""

import pytest

from xuncha.access import policy
from xuncha.access.policy import CHANGE, VIEW
from xuncha.findings.models import PaperStep, Problem, WorkingPaper


@pytest.fixture
def lead(world, make_paper, findings):
    paper = make_paper(state="signed", kind="lead", title="村主任涉嫌侵占征地补偿款")
    problem = Problem.objects.create(assignment=findings.target1, seq=1, title=paper.title, description="……",
                                     classification=paper.classification, kind="lead")
    return paper, problem


def test_a_lead_is_hidden_from_the_superior_office_in_scope_and_can(world, lead):
    supervisor = world.users["supervisor"]
    paper, problem = lead
    for obj in (paper, problem):
        assert not policy.can(supervisor, VIEW, obj)
        assert not policy.scope(supervisor, type(obj)).filter(pk=obj.pk).exists()
    assert not policy.scope(supervisor, PaperStep).filter(paper=paper).exists()


def test_a_general_problem_stays_visible_to_the_superior_office(world, make_paper):
    paper = make_paper(state="signed")
    assert policy.can(world.users["supervisor"], VIEW, paper)
    assert policy.scope(world.users["supervisor"], WorkingPaper).filter(pk=paper.pk).exists()


@pytest.mark.parametrize("role", ["group_leader", "group_deputy", "office_admin", "office_staff", "leader"])
def test_the_group_office_and_leading_group_see_leads(world, lead, role):
    paper, problem = lead
    user = world.users[role]
    assert policy.can(user, VIEW, paper) and policy.can(user, VIEW, problem)
    assert policy.scope(user, Problem).filter(pk=problem.pk).exists()


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "group_member", "outsider"])
def test_others_never_see_leads(world, lead, role):
    paper, problem = lead
    user = world.users[role]
    assert not policy.can(user, VIEW, paper) and not policy.can(user, CHANGE, problem)
    assert not policy.scope(user, Problem).exists()


def test_the_liaison_sees_its_problems_once_fed_back_and_never_a_lead(world, make_paper, findings):
    liaison = world.users["unit_liaison"]  # of 东门村, target 1
    paper = make_paper(state="signed")
    general = Problem.objects.create(assignment=findings.target1, seq=10, title="一般问题", description="……",
                                     classification=paper.classification)
    lead = Problem.objects.create(assignment=findings.target1, seq=11, title="线索", description="……",
                                  classification=paper.classification, kind="lead")
    assert not policy.scope(liaison, Problem).exists()
    Problem.objects.filter(pk__in=[general.pk, lead.pk]).update(fed_back=True)
    general.refresh_from_db()
    lead.refresh_from_db()
    assert list(policy.scope(liaison, Problem)) == [general]
    assert policy.can(liaison, VIEW, general) and not policy.can(liaison, VIEW, lead)
    assert not policy.can(liaison, CHANGE, general)
    assert not policy.scope(world.users["receiver"], Problem).exists()
