"""Transfer services: handing over (deadline from the policy in force on the transfer date, bulk
all or nothing, the checks), the receiver's receipt, handling steps and results (validation,
corrections audited), the office's corrections, and who may do each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from tests.rectification.transfers_helpers import ON, days, hand, receivers_fixture  # noqa: F401
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.rectification import services_transfers as services
from xuncha.rectification.deadlines import EARLIEST
from xuncha.rectification.models import DeadlinePolicy, Transfer, TransferAction


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _fields(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


def _events(action: str):
    return AuditEvent.objects.filter(action=action).order_by("seq")


# -- handing over ----------------------------------------------------------------------------

def test_a_transfer_copies_the_round_and_takes_the_deadline_from_the_policy(world, problems, receivers):
    problem = problems.general[1]
    [transfer] = hand(world, [problem], receivers.finance, number="县巡办移〔2024〕3号")
    assert transfer.round == problem.round and transfer.problem == problem
    assert transfer.state == Transfer.State.TRANSFERRED
    assert transfer.summary == f"{problem.title}\n{problem.description}"
    assert transfer.feedback_due == date(2024, 9, 3)
    assert transfer.policy.effective_from == EARLIEST and transfer.policy.transfer_feedback_months == 3
    assert transfer.handler == world.office_admin and transfer.number == "县巡办移〔2024〕3号"
    event = _events("transfer.create").get()
    assert event.object_id == str(transfer.pk) and event.actor_id == world.office_admin.pk
    assert event.detail["feedback_due"] == "2024-09-03" and event.detail["policy"] == transfer.policy.pk


def test_the_deadline_follows_the_policy_in_force_on_the_transfer_date(world, problems, receivers):
    new = DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2024, 2, 8),
                                        transfer_feedback_months=2, basis="巡察工作实施办法（2024年修订）")
    [before] = hand(world, [problems.general[0]], receivers.finance, on=date(2024, 2, 7))
    [on_the_day] = hand(world, [problems.general[1]], receivers.finance, on=date(2024, 2, 8))
    [after] = hand(world, [problems.lead], receivers.commission, on=date(2024, 12, 31))
    assert before.policy.effective_from == EARLIEST and before.feedback_due == date(2024, 5, 7)
    assert on_the_day.policy == new and on_the_day.feedback_due == date(2024, 4, 8)
    # 31 December + 2 months: February has no 31st, so its last day.
    assert after.policy == new and after.feedback_due == date(2025, 2, 28)
    # A later policy change leaves the deadlines already computed alone.
    DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2024, 3, 1), transfer_feedback_months=6)
    on_the_day.refresh_from_db()
    assert on_the_day.feedback_due == date(2024, 4, 8) and on_the_day.policy == new


def test_several_problems_go_to_one_receiver_in_one_go(world, problems, receivers):
    chosen = [problems.general[1], problems.general[3], problems.lead]
    made = hand(world, chosen, receivers.commission, number="县巡办移〔2024〕5号",
                summaries={problems.lead.pk: "村主任涉嫌侵占征地补偿款问题线索（详见附件）"})
    assert [t.problem for t in made] == chosen
    assert {t.number for t in made} == {"县巡办移〔2024〕5号"}
    assert made[2].summary == "村主任涉嫌侵占征地补偿款问题线索（详见附件）"
    assert made[0].summary.startswith(problems.general[1].title)
    assert _events("transfer.create").count() == 3


def test_a_bulk_transfer_is_all_or_nothing_and_names_the_problem(world, problems, receivers):
    hand(world, [problems.general[3]], receivers.finance)
    count, events = Transfer.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        hand(world, [problems.general[0], problems.general[3], problems.general[2]], receivers.finance)
    [message] = _fields(exc)["problems"]
    assert problems.general[3].number in message and "县财政局" in message
    assert Transfer.objects.count() == count and AuditEvent.objects.count() == events
    # The same problem may still go to another receiver.
    assert len(hand(world, [problems.general[3]], receivers.commission)) == 1


def test_an_empty_summary_names_its_problem_and_nothing_is_written(world, problems, receivers):
    with pytest.raises(ValidationError) as exc:
        hand(world, problems.general[:2], receivers.finance,
             summaries={problems.general[0].pk: "补贴发放问题", problems.general[1].pk: "  "})
    assert _fields(exc)["problems"] == [f"{problems.general[1].number}: write what is handed over."]
    assert not Transfer.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"transferred_on": None}, "transferred_on"),
    ({"transferred_on": "tomorrow"}, "transferred_on"),
    ({"receiver": "elsewhere"}, "receiver"),
    ({"receiver": "inactive"}, "receiver"),
    ({"receiver": None}, "receiver"),
    ({"problems": []}, "problems"),
    ({"summary": "两个问题一并移交"}, "summary"),
    ({"number": "号" * 51}, "number"),
])
def test_bad_transfers_are_refused_naming_the_field(world, problems, receivers, change, field):
    args = {"problems": problems.general[:2], "receiver": receivers.finance, "transferred_on": ON}
    args.update(change)
    if args["transferred_on"] == "tomorrow":
        args["transferred_on"] = timezone.localdate() + days(1)
    if args["receiver"] == "elsewhere":
        args["receiver"] = receivers.elsewhere
    elif args["receiver"] == "inactive":
        receivers.finance.active = False
        receivers.finance.save()
        args["receiver"] = receivers.finance
    with pytest.raises(ValidationError) as exc:
        services.transfer_create(actor=world.office_admin, **args)
    assert field in _fields(exc)
    assert not Transfer.objects.exists()


def test_a_problem_is_not_handed_to_its_own_organization(world, problems, receivers):
    with pytest.raises(ValidationError) as exc:
        hand(world, [problems.general[0]], world.village)
    assert problems.general[0].number in _fields(exc)["problems"][0]


def test_one_summary_replaces_the_default_for_a_single_problem(world, problems, receivers):
    [transfer] = hand(world, [problems.general[0]], receivers.finance, summary="  惠农补贴延迟发放问题  ")
    assert transfer.summary == "惠农补贴延迟发放问题"


@pytest.mark.parametrize("role", ["leader", "supervisor", "receiver", "unit_liaison", "group_leader", "outsider"])
def test_only_the_office_hands_over(world, problems, receivers, role):
    with pytest.raises(PermissionDenied):
        services.transfer_create(actor=world.users[role], problems=[problems.general[0]],
                                 receiver=receivers.finance, transferred_on=ON)
    assert not Transfer.objects.exists()


def test_office_staff_hands_over_but_another_countys_office_may_not(world, problems, receivers):
    made = services.transfer_create(actor=world.office_staff, problems=[problems.general[0]],
                                    receiver=receivers.finance, transferred_on=ON)
    assert made[0].handler == world.office_staff
    with pytest.raises(PermissionDenied):
        services.transfer_create(actor=receivers.other_office, problems=[problems.general[1]],
                                 receiver=receivers.finance, transferred_on=ON)


# -- the office's corrections ----------------------------------------------------------------

def test_the_office_corrects_the_summary_until_the_receiver_signs(world, problems, receivers):
    [transfer] = hand(world, [problems.general[0]], receivers.finance)
    services.transfer_update(actor=world.office_staff, transfer=transfer, summary="补贴发放问题", number="3号")
    transfer.refresh_from_db()
    assert (transfer.summary, transfer.number) == ("补贴发放问题", "3号")
    assert _events("transfer.update").get().detail["summary"]["new"] == "补贴发放问题"
    with pytest.raises(ValidationError) as exc:
        services.transfer_update(actor=world.office_admin, transfer=transfer, summary=" ")
    assert "summary" in _fields(exc)
    with pytest.raises(PermissionDenied):
        services.transfer_update(actor=world.receiver, transfer=transfer, summary="改")
    services.transfer_receive(actor=world.receiver, transfer=transfer, received_on=ON, receiver_handler="周科长")
    with pytest.raises(ValidationError) as exc:
        services.transfer_update(actor=world.office_admin, transfer=transfer, summary="再改")
    assert "state" in _fields(exc)


# -- receipt ---------------------------------------------------------------------------------

@pytest.fixture
def transfer(world, problems, receivers):
    return hand(world, [problems.general[1]], receivers.finance)[0]


def test_the_receiver_signs_for_its_transfer(world, transfer):
    services.transfer_receive(actor=world.receiver, transfer=transfer, received_on=ON + days(2),
                              receiver_handler=" 周科长 ")
    transfer.refresh_from_db()
    assert (transfer.state, transfer.received_on, transfer.receiver_handler) == ("received", ON + days(2), "周科长")
    event = _events("transfer.receive").get()
    assert (event.detail["from"], event.detail["to"]) == ("transferred", "received")
    with pytest.raises(ValidationError) as exc:
        services.transfer_receive(actor=world.receiver, transfer=transfer, received_on=ON + days(3),
                                  receiver_handler="周科长")
    assert "received_on" in _fields(exc)


@pytest.mark.parametrize(("received_on", "handler", "field"), [
    (ON - days(1), "周科长", "received_on"),
    ("tomorrow", "周科长", "received_on"),
    (None, "周科长", "received_on"),
    (ON, "  ", "receiver_handler"),
])
def test_a_bad_receipt_is_refused(world, transfer, received_on, handler, field):
    if received_on == "tomorrow":
        received_on = timezone.localdate() + days(1)
    with pytest.raises(ValidationError) as exc:
        services.transfer_receive(actor=world.receiver, transfer=transfer, received_on=received_on,
                                  receiver_handler=handler)
    assert field in _fields(exc)
    transfer.refresh_from_db()
    assert transfer.state == "transferred"


@pytest.mark.parametrize("who", ["office_admin", "leader", "supervisor", "commission_user", "unit_liaison"])
def test_only_the_receiver_of_that_organization_signs(world, receivers, transfer, who):
    actor = getattr(receivers, who, None) or world.users[who]
    with pytest.raises(PermissionDenied):
        services.transfer_receive(actor=actor, transfer=transfer, received_on=ON, receiver_handler="某某")


# -- handling steps --------------------------------------------------------------------------

def test_handling_steps_follow_the_receipt(world, transfer):
    with pytest.raises(ValidationError) as exc:
        services.action_add(actor=world.receiver, transfer=transfer, on=ON, method="preliminary")
    assert "state" in _fields(exc)
    services.transfer_receive(actor=world.receiver, transfer=transfer, received_on=ON, receiver_handler="周科长")
    action = services.action_add(actor=world.receiver, transfer=transfer, on=ON + days(5), method="talk_inquiry",
                                 note="对村报账员谈话函询")
    assert (action.transfer, action.recorded_by, action.method) == (transfer, world.receiver, "talk_inquiry")
    assert _events("transfer.action").get().detail["method"] == "talk_inquiry"


@pytest.mark.parametrize(("on", "method", "note", "field"), [
    (ON - days(1), "preliminary", "", "on"),
    ("tomorrow", "preliminary", "", "on"),
    (ON, "interrogation", "", "method"),
    (ON, "other", " ", "note"),
])
def test_a_bad_handling_step_is_refused(world, transfer, on, method, note, field):
    services.transfer_receive(actor=world.receiver, transfer=transfer, received_on=ON, receiver_handler="周科长")
    if on == "tomorrow":
        on = timezone.localdate() + days(1)
    with pytest.raises(ValidationError) as exc:
        services.action_add(actor=world.receiver, transfer=transfer, on=on, method=method, note=note)
    assert field in _fields(exc)
    assert not TransferAction.objects.exists()


def test_steps_may_follow_the_results_and_only_the_receiver_records_them(world, receivers, transfer):
    services.transfer_receive(actor=world.receiver, transfer=transfer, received_on=ON, receiver_handler="周科长")
    services.transfer_answer(actor=world.receiver, transfer=transfer, answered_on=ON + days(30), result="已责令整改。")
    services.action_add(actor=world.receiver, transfer=transfer, on=ON + days(40), method="concluded")
    for actor in (world.office_admin, receivers.commission_user, world.supervisor):
        with pytest.raises(PermissionDenied):
            services.action_add(actor=actor, transfer=transfer, on=ON + days(41), method="other", note="…")
    assert TransferAction.objects.filter(transfer=transfer).count() == 1


# -- results ---------------------------------------------------------------------------------

@pytest.fixture
def received(world, transfer):
    services.transfer_receive(actor=world.receiver, transfer=transfer, received_on=ON + days(1),
                              receiver_handler="周科长")
    return transfer


def _answer(world, transfer, **values):
    args = dict(answered_on=ON + days(60), people_disciplined=1, people_handled=2, money_recovered="30000.00",
                systems_established=1, result="给予村报账员党内警告处分，追回资金3万元，建立村级财务公开制度。")
    args.update(values)
    return services.transfer_answer(actor=world.receiver, transfer=transfer, **args)


def test_the_receiver_reports_back_the_results(world, received):
    _answer(world, received)
    received.refresh_from_db()
    assert received.state == "answered" and received.answered_on == ON + days(60)
    assert (received.people_disciplined, received.people_handled, received.systems_established) == (1, 2, 1)
    assert received.money_recovered == Decimal("30000.00")
    event = _events("transfer.answer").get()
    assert event.detail["to"] == "answered" and event.detail["late"] is False


def test_results_before_receipt_are_refused(world, transfer):
    with pytest.raises(ValidationError) as exc:
        _answer(world, transfer)
    assert "state" in _fields(exc)


@pytest.mark.parametrize(("values", "fields"), [
    ({"result": "  "}, {"result"}),
    ({"people_disciplined": -1, "people_handled": -2, "systems_established": -1},
     {"people_disciplined", "people_handled", "systems_established"}),
    ({"people_handled": 1.5}, {"people_handled"}),
    ({"people_handled": "两人"}, {"people_handled"}),
    ({"money_recovered": "-0.01"}, {"money_recovered"}),
    ({"money_recovered": "12.345"}, {"money_recovered"}),
    ({"money_recovered": "三万元"}, {"money_recovered"}),
    ({"money_recovered": "1e20"}, {"money_recovered"}),
    ({"answered_on": ON}, {"answered_on"}),  # before it was received
    ({"answered_on": None}, {"answered_on"}),
])
def test_bad_results_are_refused_naming_each_field(world, received, values, fields):
    with pytest.raises(ValidationError) as exc:
        _answer(world, received, **values)
    assert set(_fields(exc)) == fields
    received.refresh_from_db()
    assert received.state == "received" and received.result == ""


def test_a_correction_of_the_results_keeps_the_old_and_new_values(world, received):
    _answer(world, received)
    _answer(world, received, people_disciplined=2, money_recovered=Decimal("32000.5"),
            result="给予村报账员党内警告处分，追回资金3.2万元。")
    received.refresh_from_db()
    assert received.people_disciplined == 2 and received.money_recovered == Decimal("32000.50")
    changes = _events("transfer.correct").get().detail["changes"]
    assert changes["people_disciplined"] == {"old": 1, "new": 2}
    assert changes["money_recovered"] == {"old": "30000.00", "new": "32000.50"}
    assert set(changes) == {"people_disciplined", "money_recovered", "result"}
    # Reporting the same again changes and records nothing.
    _answer(world, received, people_disciplined=2, money_recovered="32000.50",
            result="给予村报账员党内警告处分，追回资金3.2万元。")
    assert _events("transfer.correct").count() == 1


def test_an_answer_after_the_deadline_is_late(world, received):
    _answer(world, received, answered_on=received.feedback_due + days(1))
    assert _events("transfer.answer").get().detail["late"] is True


@pytest.mark.parametrize("who", ["office_admin", "leader", "commission_user"])
def test_only_the_receiver_reports_results(world, receivers, received, who):
    actor = getattr(receivers, who, None) or world.users[who]
    with pytest.raises(PermissionDenied):
        services.transfer_answer(actor=actor, transfer=received, answered_on=ON + days(5), result="……")
