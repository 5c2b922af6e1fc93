"""Transfer pages: the ledger (filters, overdue first, totals equal to sums counted one by one,
query counts, the Excel export), handing over in two steps, one transfer with the receiver's
receipt / handling / results forms, the receiver's list, the overdue boundary, menus and to-dos."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from tests.rectification.transfers_helpers import (  # noqa: F401
    ON,
    client_for,
    days,
    hand,
    receivers_fixture,
    set_due,
)
from xuncha.access.models import AuditEvent
from xuncha.findings.models import Problem
from xuncha.rectification import services_transfers as services
from xuncha.rectification.models import Transfer, TransferAction
from xuncha.rectification.selectors import transfers as selectors
from xuncha.workbench.nav import menu_for
from xuncha.workbench.todos import todos_for

LEDGER = reverse("rectification:transfer_list")
EXPORT = reverse("rectification:transfer_export")
NEW = reverse("rectification:transfer_create")
RECEIVED = reverse("rectification:received_transfers")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _detail(transfer) -> str:
    return reverse("rectification:transfer_detail", args=[transfer.pk])


def _rows(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="transfer-row" data-transfer="(\d+)"',
                                         response.content.decode())]


def _totals(response) -> dict[str, str]:
    row = re.search(r'<tr data-testid="transfer-totals"([^>]*)>', response.content.decode()).group(1)
    return dict(re.findall(r'data-(\w+)="([^"]*)"', row))


def _receive(world, transfer, on=ON):
    return services.transfer_receive(actor=world.receiver, transfer=transfer, received_on=on,
                                     receiver_handler="周科长")


def _answer(actor, transfer, on, disciplined=0, handled=0, money="0", systems=0):
    return services.transfer_answer(actor=actor, transfer=transfer, answered_on=on, people_disciplined=disciplined,
                                    people_handled=handled, money_recovered=money, systems_established=systems,
                                    result="已办结。")


@pytest.fixture
def ledger(world, problems, receivers):
    """Five transfers of the county: to 县财政局 two problems, one answered on time and one in
    handling with a deadline still ahead; to 县纪委监委 the lead (answered late), and two
    problems left unanswered past their deadline."""
    today = timezone.localdate()
    answered, ahead = hand(world, problems.general[:2], receivers.finance)
    _receive(world, answered)
    _answer(world.receiver, answered, ON + days(20), disciplined=1, handled=2, money="30000.00", systems=1)
    _receive(world, ahead)
    set_due(ahead, today + days(40))
    overdue_old, overdue_new, lead = hand(world, [problems.general[2], problems.general[3], problems.lead],
                                          receivers.commission)
    set_due(overdue_old, today - days(30))
    set_due(overdue_new, today - days(2))
    services.transfer_receive(actor=receivers.commission_user, transfer=lead, received_on=ON,
                              receiver_handler="吴主任")
    _answer(receivers.commission_user, lead, lead.feedback_due + days(3), disciplined=2, handled=1,
            money="12000.50", systems=2)
    return {"answered": answered, "ahead": ahead, "overdue_old": overdue_old, "overdue_new": overdue_new,
            "lead": lead}


# -- the ledger ------------------------------------------------------------------------------

def test_the_ledger_puts_the_overdue_first_the_longest_overdue_on_top(world, ledger):
    response = client_for(world.office_admin).get(LEDGER)
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[:2] == [ledger["overdue_old"].pk, ledger["overdue_new"].pk]
    assert set(rows) == {t.pk for t in ledger.values()}
    html = response.content.decode()
    assert 'data-testid="transfer-export"' in html and 'data-testid="transfer-new"' in html


def test_the_totals_equal_the_sums_counted_one_by_one(world, ledger):
    today = timezone.localdate()
    rows = list(Transfer.objects.all())
    expected = {
        "transfers": str(len(rows)),
        "answered": str(sum(t.state == "answered" for t in rows)),
        "overdue": str(sum(t.state != "answered" and t.feedback_due < today for t in rows)),
        "disciplined": str(sum(t.people_disciplined for t in rows)),
        "handled": str(sum(t.people_handled for t in rows)),
        "money": str(sum((t.money_recovered for t in rows), Decimal(0))),
        "systems": str(sum(t.systems_established for t in rows)),
    }
    assert expected == {"transfers": "5", "answered": "2", "overdue": "2", "disciplined": "3", "handled": "3",
                        "money": "42000.50", "systems": "3"}
    assert _totals(client_for(world.office_admin).get(LEDGER)) == expected
    sums = selectors.totals(selectors.ledger(world.office_admin, selectors.LedgerFilters()))
    assert sums["answered_late"] == 1
    # Filtered: the totals follow the filter.
    finance = _totals(client_for(world.office_admin).get(LEDGER, {"receiver": world.department.pk}))
    assert (finance["transfers"], finance["disciplined"], finance["money"]) == ("2", "1", "30000.00")


def test_the_totals_come_from_one_aggregate_query(world, ledger, django_assert_num_queries):
    qs = selectors.ledger(world.office_admin, selectors.LedgerFilters())
    selectors.round_choices(world.office_admin)  # assignments cached
    with django_assert_num_queries(1):
        selectors.totals(qs)


@pytest.mark.parametrize(("query", "expected"), [
    ({"state": "answered"}, {"answered", "lead"}),
    ({"state": "transferred"}, {"overdue_old", "overdue_new"}),
    ({"kind": "lead"}, {"lead"}),
    ({"kind": "problem"}, {"answered", "ahead", "overdue_old", "overdue_new"}),
    ({"overdue": "on"}, {"overdue_old", "overdue_new"}),
    ({"receiver": "commission"}, {"overdue_old", "overdue_new", "lead"}),
    ({"round": "this"}, {"answered", "ahead", "overdue_old", "overdue_new", "lead"}),
    ({"round": "none"}, set()),
])
def test_the_ledger_filters(world, receivers, ledger, query, expected):
    from xuncha.rounds.models import Round

    if query.get("receiver") == "commission":
        query = {"receiver": receivers.commission.pk}
    if query.get("round") == "this":
        query = {"round": world.round.pk}
    elif query.get("round") == "none":
        query = {"round": Round.objects.create(term=world.term, number=2, planned_entry=ON, planned_exit=ON).pk}
    assert set(_rows(client_for(world.office_admin).get(LEDGER, query))) == {ledger[k].pk for k in expected}


def test_the_ledger_query_count_does_not_grow_with_rows(world, problems, receivers, ledger,
                                                        django_assert_max_num_queries):
    client = client_for(world.office_admin)
    client.get(LEDGER)
    with django_assert_max_num_queries(11):
        few = client.get(LEDGER)
    for seq in range(6, 16):
        extra = Problem.objects.create(assignment=problems.target, seq=seq, title=f"问题{seq}", description="……",
                                       classification=problems.general[0].classification)
        hand(world, [extra], receivers.organization_department)
    with django_assert_max_num_queries(11):
        many = client.get(LEDGER)
    assert len(_rows(many)) == len(_rows(few)) + 10


def test_the_receivers_list_query_count_does_not_grow_with_rows(world, problems, receivers,
                                                                django_assert_max_num_queries):
    for seq in range(6, 14):
        extra = Problem.objects.create(assignment=problems.target, seq=seq, title=f"问题{seq}", description="……",
                                       classification=problems.general[0].classification)
        hand(world, [extra], receivers.finance)
    client = client_for(world.receiver)
    client.get(RECEIVED)
    with django_assert_max_num_queries(8):
        response = client.get(RECEIVED)
    assert len(_rows(response)) == 8


@pytest.mark.parametrize("role", ["office_admin", "leader", "supervisor"])
def test_oversight_reads_the_ledger(world, ledger, role):
    assert client_for(world.users[role]).get(LEDGER).status_code == 200


# -- the export ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["office_staff", "leader"])
def test_the_export_is_the_filtered_ledger_with_its_totals_and_audited(world, receivers, ledger, role):
    response = client_for(world.users[role]).get(EXPORT, {"receiver": receivers.commission.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[1][0] == "序号" and values[1][5] == "移交内容"
    body = values[2:-1]
    assert [row[3] for row in body] == [ledger["overdue_old"].problem.number, ledger["overdue_new"].problem.number,
                                        ledger["lead"].problem.number]
    assert body[2][4] == "问题线索" and body[0][19] == "逾期未反馈" and body[2][19] == "逾期反馈"
    total = values[-1]
    assert total[0] == "合计" and total[14:18] == [2, 1, 12000.5, 2]
    event = AuditEvent.objects.get(action="transfer.export")
    assert event.detail["count"] == 3 and event.detail["filters"]["receiver"] == receivers.commission.pk


def test_text_typed_by_people_never_becomes_a_formula(world, problems, receivers):
    hand(world, [problems.general[0]], receivers.finance, summary="=HYPERLINK(\"http://x\")")
    ws = load_workbook(io.BytesIO(client_for(world.office_admin).get(EXPORT).content)).active
    cell = ws.cell(row=3, column=6)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


@pytest.mark.parametrize("role", ["supervisor", "receiver", "unit_liaison"])
def test_the_export_is_refused_without_the_export_permission(world, ledger, role):
    assert client_for(world.users[role]).get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action="transfer.export").exists()


# -- handing over ----------------------------------------------------------------------------

def test_handing_over_in_two_steps(world, problems, receivers):
    hand(world, [problems.general[0]], receivers.commission)
    client = client_for(world.office_admin)
    first = client.get(NEW)
    assert first.status_code == 200 and 'data-testid="transfer-form"' not in first.content.decode()
    # Receivers: the commission and the organization department first.
    options = re.findall(r'<option value="(\d+)"', first.content.decode().split('name="receiver"')[1].split("</select>")[0])
    assert [int(o) for o in options[:2]] == [receivers.commission.pk, receivers.organization_department.pk]
    second = client.get(NEW, {"round": world.round.pk, "receiver": receivers.commission.pk})
    html = second.content.decode()
    candidates = [int(pk) for pk in re.findall(r'data-testid="candidate" data-problem="(\d+)"', html)]
    assert candidates == [p.pk for p in problems.all if p != problems.general[0]]
    assert problems.lead.description in html  # the default of what is handed over
    response = client.post(NEW, {
        "round": world.round.pk, "receiver": receivers.commission.pk, "problems": [problems.lead.pk, problems.general[1].pk],
        f"summary_{problems.lead.pk}": "村主任涉嫌侵占征地补偿款问题线索", f"summary_{problems.general[1].pk}": "坐收坐支问题",
        "transferred_on": "2024年6月3日", "number": "县巡办移〔2024〕7号"})
    assert response.status_code == 302
    made = {t.problem_id: t for t in Transfer.objects.filter(receiver=receivers.commission, number="县巡办移〔2024〕7号")}
    assert made[problems.lead.pk].summary == "村主任涉嫌侵占征地补偿款问题线索"
    assert made[problems.general[1].pk].transferred_on == ON


def test_a_refused_hand_over_shows_the_errors_and_writes_nothing(world, problems, receivers):
    client = client_for(world.office_admin)
    tomorrow = timezone.localdate() + days(1)
    response = client.post(NEW, {"round": world.round.pk, "receiver": receivers.finance.pk,
                                 "problems": [problems.general[0].pk], f"summary_{problems.general[0].pk}": " ",
                                 "transferred_on": tomorrow.isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The date cannot be in the future." in html and problems.general[0].number in html
    assert not Transfer.objects.exists()
    assert client.post(NEW, {"round": world.round.pk}).status_code == 400


@pytest.mark.parametrize("role", ["leader", "supervisor", "receiver"])
def test_only_the_office_opens_the_hand_over_page(world, problems, receivers, role):
    client = client_for(world.users[role])
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"round": world.round.pk, "receiver": receivers.finance.pk,
                             "problems": [problems.general[0].pk], "transferred_on": "2024-06-03"}).status_code == 403
    assert not Transfer.objects.exists()


# -- one transfer ----------------------------------------------------------------------------

def test_the_receiver_signs_records_handling_and_reports_results_on_the_page(world, problems, receivers):
    [transfer] = hand(world, [problems.general[1]], receivers.finance)
    client = client_for(world.receiver)
    html = client.get(_detail(transfer)).content.decode()
    assert 'data-testid="receipt-form"' in html and 'data-testid="answer-form"' not in html
    assert 'data-testid="edit-form"' not in html
    response = client.post(reverse("rectification:transfer_receive", args=[transfer.pk]),
                           {"received_on": "2024-06-05", "receiver_handler": "周科长"})
    assert response.status_code == 302
    html = client.get(_detail(transfer)).content.decode()
    assert 'data-testid="action-form"' in html and 'data-testid="answer-form"' in html
    assert client.post(reverse("rectification:transfer_action_add", args=[transfer.pk]),
                       {"on": "2024-06-10", "method": "preliminary", "note": "调取账目"}).status_code == 302
    bad = client.post(reverse("rectification:transfer_answer", args=[transfer.pk]),
                      {"answered_on": "2024-07-01", "people_disciplined": "1", "people_handled": "0",
                       "money_recovered": "30000", "systems_established": "1", "result": ""})
    assert bad.status_code == 400 and transfer.__class__.objects.get(pk=transfer.pk).state == "received"
    good = client.post(reverse("rectification:transfer_answer", args=[transfer.pk]),
                       {"answered_on": "2024-07-01", "people_disciplined": "1", "people_handled": "0",
                        "money_recovered": "30000", "systems_established": "1", "result": "追回资金3万元。"})
    assert good.status_code == 302
    html = client.get(_detail(transfer)).content.decode()
    assert 'data-testid="result-money">30000.00<' in html and 'data-method="preliminary"' in html
    assert "Correct the results" in html


def test_the_office_edits_until_receipt_but_may_not_sign(world, problems, receivers):
    [transfer] = hand(world, [problems.general[1]], receivers.finance)
    office = client_for(world.office_admin)
    assert 'data-testid="edit-form"' in office.get(_detail(transfer)).content.decode()
    assert office.post(reverse("rectification:transfer_edit", args=[transfer.pk]),
                       {"summary": "坐收坐支问题", "number": "8号"}).status_code == 302
    assert office.post(reverse("rectification:transfer_receive", args=[transfer.pk]),
                       {"received_on": "2024-06-05", "receiver_handler": "周科长"}).status_code == 403
    _receive(world, transfer)
    assert 'data-testid="edit-form"' not in office.get(_detail(transfer)).content.decode()
    late = office.post(reverse("rectification:transfer_edit", args=[transfer.pk]), {"summary": "再改"})
    assert late.status_code == 302
    transfer.refresh_from_db()
    assert transfer.summary == "坐收坐支问题"


@pytest.mark.parametrize("role", ["leader", "supervisor"])
def test_oversight_reads_a_transfer_but_writes_nothing(world, problems, receivers, role):
    [transfer] = hand(world, [problems.general[1]], receivers.finance)
    client = client_for(world.users[role])
    html = client.get(_detail(transfer)).content.decode()
    assert "<form method=\"post\"" not in html.split('data-testid="transfer-summary"')[1].split("</main>")[0]
    for name, data in (("transfer_edit", {"summary": "改"}),
                       ("transfer_receive", {"received_on": "2024-06-05", "receiver_handler": "某"}),
                       ("transfer_action_add", {"on": "2024-06-05", "method": "other", "note": "某"}),
                       ("transfer_answer", {"answered_on": "2024-06-05", "result": "某"})):
        assert client.post(reverse(f"rectification:{name}", args=[transfer.pk]), data).status_code == 403
    assert not TransferAction.objects.exists()


def test_the_deadline_and_its_policy_show_on_the_page(world, problems, receivers):
    [transfer] = hand(world, [problems.general[1]], receivers.finance)
    html = client_for(world.receiver).get(_detail(transfer)).content.decode()
    assert 'data-level="red"' in html and 'data-overdue="1"' in html
    assert "feedback within 3 months" in html


# -- the overdue boundary --------------------------------------------------------------------

def test_a_transfer_is_overdue_only_once_its_deadline_day_has_passed(world, problems, receivers):
    today = timezone.localdate()
    due_today, due_yesterday, due_in_ten, due_in_eleven, due_in_twenty, due_in_21 = hand(
        world, problems.general[:4] + [problems.lead], receivers.commission) + hand(
        world, [problems.general[0]], receivers.finance)
    for transfer, due in ((due_today, today), (due_yesterday, today - days(1)), (due_in_ten, today + days(10)),
                          (due_in_eleven, today + days(11)), (due_in_twenty, today + days(20)),
                          (due_in_21, today + days(21))):
        set_due(transfer, due)
    levels = {t.pk: selectors.deadline(t, today) for t in Transfer.objects.select_related("policy")}
    assert [levels[t.pk].level for t in (due_today, due_yesterday, due_in_ten, due_in_eleven, due_in_twenty,
                                         due_in_21)] == ["yellow", "red", "yellow", "green", "green", ""]
    assert [t.pk for t in Transfer.objects.all() if levels[t.pk].overdue] == [due_yesterday.pk]
    overdue = client_for(world.office_admin).get(LEDGER, {"overdue": "on"})
    assert _rows(overdue) == [due_yesterday.pk]
    assert selectors.overdue_for_office(world.office_admin).get() == due_yesterday
    # Answered after its deadline: no longer overdue, but counted as answered late.
    services.transfer_receive(actor=receivers.commission_user, transfer=due_yesterday, received_on=ON,
                              receiver_handler="吴主任")
    _answer(receivers.commission_user, due_yesterday, today)
    due_yesterday.refresh_from_db()
    standing = selectors.deadline(due_yesterday, today)
    assert not standing.overdue and standing.answered_late and standing.level == ""
    assert not selectors.overdue_for_office(world.office_admin).exists()


# -- menus and to-dos ------------------------------------------------------------------------

def _labels(user) -> set[str]:
    return {str(item["label"]) for stage in menu_for(user) for item in stage["items"]}


def test_menus(world, receivers):
    assert "Transfer ledger" in _labels(world.office_admin) and "Transferred to us" not in _labels(world.office_admin)
    assert "Transfer ledger" in _labels(world.supervisor)
    assert "Transferred to us" in _labels(world.receiver) and "Transfer ledger" not in _labels(world.receiver)
    assert not {"Transfer ledger", "Transferred to us"} & _labels(world.unit_liaison)


def _todos(user) -> dict[str, tuple[int, str]]:
    return {str(t.title): (t.count, t.level) for t in todos_for(user)}


def test_to_dos_for_the_receiver_and_the_office(world, problems, receivers):
    today = timezone.localdate()
    waiting, near, far = hand(world, problems.general[:3], receivers.finance)
    set_due(waiting, today + days(60))
    set_due(near, today + days(5))
    set_due(far, today + days(60))
    _receive(world, near)
    _receive(world, far)
    todos = _todos(world.receiver)
    assert todos["Transfers to acknowledge"] == (1, "warning")
    assert todos["Transfer feedback due"] == (1, "warning")
    assert "Transfer feedback overdue" not in _todos(world.office_admin)
    set_due(far, today - days(1))
    assert _todos(world.receiver)["Transfer feedback due"] == (2, "danger")
    assert _todos(world.office_admin)["Transfer feedback overdue"] == (1, "danger")
    assert not {"Transfers to acknowledge", "Transfer feedback due"} & set(_todos(receivers.commission_user))
    assert "Transfer feedback overdue" not in _todos(world.supervisor)
