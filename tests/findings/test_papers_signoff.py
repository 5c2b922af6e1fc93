"""The sign-off chain, table-driven: every state × every action × every role, allowed exactly
as findings/signoff.py (and FINDINGS.md) says; frozen text; returns need a comment."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.findings.papers_helpers import both_groups
from xuncha.access import policy
from xuncha.access.models import AuditEvent
from xuncha.findings import services_papers as services
from xuncha.findings import signoff
from xuncha.findings.models import PaperAmendment, PaperStep, WorkingPaper

STATES = ["draft", "submitted", "reviewed", "signed", "registered", "returned"]
ACTIONS = ["submit", "approve", "return", "sign", "register"]
GROUP = {"group_leader", "group_deputy", "group_member"}
HEADS = {"group_leader", "group_deputy"}
OFFICE = {"office_admin", "office_staff"}
# The table as FINDINGS.md lists it: (state, action) → (next state, roles of the paper's group / office).
EXPECTED = {
    ("draft", "submit"): ("submitted", GROUP),
    ("returned", "submit"): ("submitted", GROUP),
    ("submitted", "approve"): ("reviewed", HEADS),
    ("submitted", "return"): ("returned", HEADS),
    ("reviewed", "sign"): ("signed", {"group_leader"}),
    ("reviewed", "return"): ("returned", {"group_leader"}),
    ("signed", "register"): ("registered", OFFICE),
    ("signed", "return"): ("returned", OFFICE),
}
ACTORS = ["g1_group_leader", "g1_group_deputy", "g1_group_member", "g2_group_leader", "g2_group_deputy",
          "g2_group_member", "office_admin", "office_staff", "leader", "supervisor", "unit_liaison"]


def test_the_table_is_exactly_the_documented_one():
    assert {key: (step.target, set(step.roles)) for key, step in signoff.TABLE.items()} == EXPECTED


@pytest.fixture
def actors(world, findings, make_user):
    users = both_groups(world, findings, make_user)
    users.update({name: world.users[name] for name in ("office_admin", "office_staff", "leader", "supervisor",
                                                        "unit_liaison")})
    return users


def _allowed(state: str, action: str, actor: str) -> bool:
    entry = EXPECTED.get((state, action))
    if entry is None:
        return False
    _, roles = entry
    if actor.startswith("g1_"):
        return actor[3:] in roles
    return actor in roles


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_take_which_step(world, make_paper, actors, state, actor):
    user = actors[actor]
    paper = make_paper(state=state)  # group 1's paper
    shown = {step.action for step in signoff.available(paper, user)}
    assert shown == {a for a in ACTIONS if _allowed(state, a, actor)}
    for action in ACTIONS:
        paper = WorkingPaper.objects.get(pk=paper.pk)
        before = PaperStep.objects.filter(paper=paper).count()
        if _allowed(state, action, actor):
            done = services.paper_step(actor=user, paper=paper, action=action, comment="意见")
            assert done.state == EXPECTED[(state, action)][0]
            step = PaperStep.objects.filter(paper=paper).latest("pk")
            assert (step.action, step.from_state, step.actor_id, step.comment) == (action, state, user.pk, "意见")
            assert step.role == (actor[3:] if actor.startswith("g1_") else actor)
            assert AuditEvent.objects.filter(action=f"paper.{action}", object_id=str(paper.pk)).exists()
            # back to the state under test for the next action
            WorkingPaper.objects.filter(pk=paper.pk).update(state=state)
        else:
            with pytest.raises((services.StepRefused, policy.PermissionDenied)):
                services.paper_step(actor=user, paper=paper, action=action, comment="意见")
            assert PaperStep.objects.filter(paper=paper).count() == before
            assert WorkingPaper.objects.get(pk=paper.pk).state == state


def test_a_step_from_the_wrong_state_says_why(world, make_paper):
    paper = make_paper(state="draft")
    with pytest.raises(services.StepRefused) as refused:
        services.paper_step(actor=world.group_leader, paper=paper, action="sign")
    assert refused.value.reason == "state"
    paper = make_paper(state="reviewed")
    with pytest.raises(services.StepRefused) as refused:
        services.paper_step(actor=world.group_deputy, paper=paper, action="sign")
    assert refused.value.reason == "role"


def test_a_return_needs_a_comment(world, make_paper):
    paper = make_paper(state="submitted")
    with pytest.raises(ValidationError) as invalid:
        services.paper_step(actor=world.group_deputy, paper=paper, action="return", comment="  ")
    assert "comment" in invalid.value.message_dict
    assert WorkingPaper.objects.get(pk=paper.pk).state == "submitted"
    services.paper_step(actor=world.group_deputy, paper=paper, action="return", comment="事实不清，补充调查")
    assert WorkingPaper.objects.get(pk=paper.pk).state == "returned"


def test_submitting_needs_title_facts_and_classification(world, make_paper):
    paper = make_paper(facts="", classification=None)
    with pytest.raises(ValidationError) as invalid:
        services.paper_step(actor=world.group_deputy, paper=paper, action="submit")
    assert set(invalid.value.message_dict) == {"facts", "classification"}


def test_signing_freezes_the_text_and_amendments_are_recorded(world, findings, make_paper):
    paper = make_paper(state="reviewed")
    paper = services.paper_step(actor=world.group_leader, paper=paper, action="sign")
    assert paper.frozen_at is not None
    with pytest.raises(ValidationError):
        services.paper_update(actor=world.group_leader, paper=paper, title="改过的标题")
    with pytest.raises(ValidationError) as invalid:
        services.paper_amend(actor=world.group_leader, paper=paper, changes={"title": "新标题"}, reason="")
    assert "reason" in invalid.value.message_dict
    amendment = services.paper_amend(actor=world.group_leader, paper=paper,
                                     changes={"title": "村集体租金未入账", "amount": "30000"},
                                     reason="核实后更正表述")
    assert amendment.changes == {"title": ["村集体资金坐收坐支", "村集体租金未入账"], "amount": [None, "30000"]}
    paper.refresh_from_db()
    assert paper.title == "村集体租金未入账" and "租金未入账" in paper.search_text
    # The deputy may not amend; the office may while registering; nobody amends an unfrozen paper.
    with pytest.raises(policy.PermissionDenied):
        services.paper_amend(actor=world.group_deputy, paper=paper, changes={"title": "x"}, reason="r")
    services.paper_amend(actor=world.office_staff, paper=paper, changes={"place": "村委会"}, reason="补充地点")
    assert PaperAmendment.objects.filter(paper=paper).count() == 2
    draft = make_paper()
    with pytest.raises(ValidationError):
        services.paper_amend(actor=world.group_leader, paper=draft, changes={"title": "x"}, reason="r")


def test_a_paper_returned_by_the_office_stays_frozen(world, make_paper):
    paper = make_paper(state="signed")
    paper = services.paper_step(actor=world.office_admin, paper=paper, action="return", comment="定性不准")
    assert paper.state == "returned" and paper.is_frozen
    with pytest.raises(ValidationError):
        services.paper_update(actor=world.group_leader, paper=paper, title="x")
    assert not services.may_edit(world.group_leader, paper)
    assert services.may_amend(world.group_leader, paper)
