"""The round's state machine, table-driven: every (state, action) pair for every acting role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuncha.access import policy
from xuncha.access.models import AuditEvent
from xuncha.rounds import services
from xuncha.rounds.models import Round, RoundTransition
from xuncha.rounds.transitions import BY_ACTION, ORDER, TRANSITIONS

from .plan_helpers import planned_round, staff

S = Round.State
# Who may take each step in 示例县委: the leading group approves and returns, the office moves
# the round on, and only an office administrator completes it.
ALLOWED = {
    "approve": {"leader"},
    "return": {"leader"},
    "enter": {"office_admin", "office_staff"},
    "withdraw": {"office_admin", "office_staff"},
    "feed_back": {"office_admin", "office_staff"},
    "rectify": {"office_admin", "office_staff"},
    "complete": {"office_admin"},
}
NEXT = {"approve": S.APPROVED, "return": S.PLANNED, "enter": S.STATIONED, "withdraw": S.REPORTING,
        "feed_back": S.FEEDBACK, "rectify": S.RECTIFYING, "complete": S.COMPLETED}
SOURCE = {"approve": S.PLANNED, "return": S.APPROVED, "enter": S.APPROVED, "withdraw": S.STATIONED,
          "feed_back": S.REPORTING, "rectify": S.FEEDBACK, "complete": S.RECTIFYING}
ACTORS = ["leader", "office_admin", "office_staff", "group_leader", "group_member", "supervisor",
          "unit_liaison", "outsider"]
PAIRS = [(state, action) for state in ORDER for action in BY_ACTION]


def test_the_table_is_the_documented_pipeline():
    assert {t.action: (t.source, t.target) for t in TRANSITIONS} == {
        a: (SOURCE[a], NEXT[a]) for a in BY_ACTION}
    assert {t.action: {str(r) for r in t.roles} for t in TRANSITIONS} == ALLOWED


@pytest.fixture
def staffed(world):
    rnd = planned_round(world)
    staff(world, rnd)
    return rnd


def _at(rnd: Round, state: str) -> Round:
    Round.objects.filter(pk=rnd.pk).update(state=state)
    rnd.refresh_from_db()
    return rnd


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_state_and_action(world, staffed, state, action):
    for name in ACTORS:
        rnd = _at(staffed, state)
        user = world.users[name]
        before = RoundTransition.objects.count()
        if state != SOURCE[action]:
            with pytest.raises(services.TransitionRefused) as refused:
                services.round_transition(actor=user, round=rnd, action=action, comment="因为")
            assert str(Round.State(SOURCE[action]).label) in str(refused.value), (name, str(refused.value))
            assert str(Round.State(state).label) in str(refused.value)
        elif name not in ALLOWED[action]:
            with pytest.raises(policy.PermissionDenied):
                services.round_transition(actor=user, round=rnd, action=action, comment="因为")
        else:
            done = services.round_transition(actor=user, round=rnd, action=action, comment=" 因为 ")
            assert done.state == NEXT[action]
            assert Round.objects.get(pk=rnd.pk).state == NEXT[action]
            row = RoundTransition.objects.latest("id")
            assert (row.action, row.from_state, row.to_state, row.actor, row.comment) == (
                action, state, NEXT[action], user, "因为")
            assert row.at is not None
            continue
        assert Round.objects.get(pk=rnd.pk).state == state, name
        assert RoundTransition.objects.count() == before


def test_an_unknown_action_is_refused(world, staffed):
    with pytest.raises(services.TransitionRefused):
        services.round_transition(actor=world.leader, round=staffed, action="skip")


def test_return_needs_a_reason(world, staffed):
    rnd = _at(staffed, S.APPROVED)
    with pytest.raises(services.TransitionRefused):
        services.round_transition(actor=world.leader, round=rnd, action="return", comment="  ")
    services.round_transition(actor=world.leader, round=rnd, action="return", comment="对象重复")
    assert Round.objects.get(pk=rnd.pk).state == S.PLANNED


@pytest.mark.parametrize(("kwargs", "needle"), [
    ({"leader": False}, "组长"),
    ({"target": False}, "巡察"),
])
def test_entering_needs_a_leader_and_a_target_in_every_group(world, kwargs, needle):
    rnd = planned_round(world)
    staff(world, rnd)
    lacking = staff(world, rnd, **kwargs)
    rnd = _at(rnd, S.APPROVED)
    with pytest.raises(services.TransitionRefused) as refused:
        services.round_transition(actor=world.office_admin, round=rnd, action="enter")
    assert lacking.name in str(refused.value)
    assert Round.objects.get(pk=rnd.pk).state == S.APPROVED


def test_entering_needs_a_group(world):
    rnd = _at(planned_round(world), S.APPROVED)
    with pytest.raises(services.TransitionRefused):
        services.round_transition(actor=world.office_admin, round=rnd, action="enter")


def test_the_whole_way_writes_the_history_and_the_audit_log(world, staffed):
    steps = [("leader", "approve"), ("leader", "return"), ("leader", "approve"), ("office_admin", "enter"),
             ("office_staff", "withdraw"), ("office_staff", "feed_back"), ("office_staff", "rectify"),
             ("office_admin", "complete")]
    for name, action in steps:
        services.round_transition(actor=world.users[name], round=staffed, action=action, comment=f"{action}说明")
    history = list(RoundTransition.objects.filter(round=staffed))
    assert [(h.actor.username, h.action) for h in history] == steps
    assert [h.to_state for h in history][-1] == S.COMPLETED
    assert [h.at for h in history] == sorted(h.at for h in history)
    events = AuditEvent.objects.filter(object_id=str(staffed.pk), action__startswith="round.").exclude(
        action="round.create").order_by("seq")
    assert [e.action for e in events] == [f"round.{a}" for _, a in steps]
    assert events[0].detail["comment"] == "approve说明"


# -- through the page --------------------------------------------------------------------------

def _post(client, rnd, action, comment=""):
    return client.post(reverse("rounds:round_transition", args=[rnd.pk]),
                       {"action": action, "comment": comment}, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_page_offers_the_steps_the_role_may_take(client, world, staffed):
    url = reverse("rounds:round_detail", args=[staffed.pk])
    client.force_login(world.leader)
    assert [t.action for t in client.get(url).context["transitions"]] == ["approve"]
    client.force_login(world.office_admin)
    assert client.get(url).context["transitions"] == []
    _at(staffed, S.APPROVED)
    assert [t.action for t in client.get(url).context["transitions"]] == ["enter"]
    client.force_login(world.leader)
    assert [t.action for t in client.get(url).context["transitions"]] == ["return"]
    client.force_login(world.group_leader)
    assert client.get(url).context["transitions"] == []


def test_the_page_takes_a_step_and_shows_it_in_the_history(client, world, staffed):
    client.force_login(world.leader)
    response = _post(client, staffed, "approve", "同意")
    assert Round.objects.get(pk=staffed.pk).state == S.APPROVED
    assert response.redirect_chain[-1][0] == reverse("rounds:round_detail", args=[staffed.pk])
    [entry] = response.context["timeline"]
    assert (entry.actor, entry.comment) == (world.leader, "同意")
    assert "同意" in response.content.decode()


def test_the_page_shows_the_reason_of_a_refusal(client, world, staffed):
    client.force_login(world.office_admin)
    response = _post(client, staffed, "enter")
    assert Round.objects.get(pk=staffed.pk).state == S.PLANNED
    [message] = _messages(response)
    assert str(Round.State.APPROVED.label) in message
    response = _post(client, staffed, "approve")
    [message] = _messages(response)
    assert Round.objects.get(pk=staffed.pk).state == S.PLANNED
    assert str(BY_ACTION["approve"].label) in message


def test_the_page_refuses_entering_a_group_without_a_leader(client, world, staffed):
    lacking = staff(world, staffed, leader=False)
    _at(staffed, S.APPROVED)
    client.force_login(world.office_admin)
    [message] = _messages(_post(client, staffed, "enter"))
    assert lacking.name in message
    assert Round.objects.get(pk=staffed.pk).state == S.APPROVED


def test_the_page_wants_a_reason_to_return(client, world, staffed):
    _at(staffed, S.APPROVED)
    client.force_login(world.leader)
    _post(client, staffed, "return")
    assert Round.objects.get(pk=staffed.pk).state == S.APPROVED
    _post(client, staffed, "return", "补充巡察对象")
    assert Round.objects.get(pk=staffed.pk).state == S.PLANNED


def test_transitions_are_post_only_and_hidden_from_outsiders(client, world, staffed):
    url = reverse("rounds:round_transition", args=[staffed.pk])
    client.force_login(world.leader)
    assert client.get(url).status_code == 405
    for name in ("unit_liaison", "sysadmin", "outsider"):
        client.force_login(world.users[name])
        response = client.post(url, {"action": "approve"})
        assert response.status_code in (403, 404), name
    assert Round.objects.get(pk=staffed.pk).state == S.PLANNED
    client.force_login(world.leader)
    assert client.post(url, {"action": "bogus"}).status_code == 302
    assert Round.objects.get(pk=staffed.pk).state == S.PLANNED
