"""Recommendation services: drafting from problems or a cluster (symptoms written exactly, leads
refused, numbering), every (state, action, role) of the transition table, the response deadline
from the policy version in force on the issue date, closing, and the department's side."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tests.analytics.recommendations_helpers import (  # noqa: F401
    STATES,
    SYMPTOMS,
    letter,
    letters_data_fixture,
    other_receiver_fixture,
)
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.analytics import services_recommendations as svc
from xuncha.analytics import symptoms
from xuncha.analytics.models import Recommendation, RecommendationStep, SystemOutcome
from xuncha.analytics.selectors import recommendations as selectors
from xuncha.checklist.models import Item
from xuncha.findings.models import Problem
from xuncha.rectification.models import DeadlinePolicy
from xuncha.rounds.models import Assignment, Group, Round, Term

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_symptoms_are_written_from_the_problems(world, letters_data):
    rec = letter(world, letters_data)
    assert rec.symptoms == SYMPTOMS
    assert (rec.year, rec.seq, rec.state) == (timezone.localdate().year, 1, "draft")
    assert rec.number == f"〔{rec.year}〕1号"
    assert set(rec.problems.all()) == set(letters_data.problems)
    assert [a.organization for a in rec.addressees.all()] == [world.department]


@pytest.mark.parametrize(("amount", "text"), [("3500.50", "3500.5元"), ("12000", "1.2万元"), ("8000000", "800万元"),
                                              ("10000", "1万元"), ("0.5", "0.5元")])
def test_amounts_read_as_an_official_document_writes_them(amount, text):
    from decimal import Decimal

    assert symptoms.money(Decimal(amount)) == text


def test_symptoms_of_nothing_is_empty():
    assert symptoms.describe([]) == ""


def test_a_cluster_gives_its_members_without_the_lead(world, letters_data):
    rec = svc.draft(actor=world.office_staff, committee=world.county, term=world.term, title="建议书",
                    cluster=letters_data.cluster)
    assert set(rec.problems.all()) == set(letters_data.problems)
    assert rec.cluster == letters_data.cluster and rec.symptoms == SYMPTOMS


def test_a_selected_lead_is_refused(world, letters_data):
    with pytest.raises(ValidationError) as exc:
        svc.draft(actor=world.office_admin, committee=world.county, term=world.term, title="建议书",
                  problems=[letters_data.problems[0], letters_data.lead])
    assert list(exc.value.message_dict) == ["problems"]
    assert letters_data.lead.number in exc.value.message_dict["problems"][0]
    assert not Recommendation.objects.exists()


def test_problems_of_another_committee_are_refused(world, letters_data):
    term = Term.objects.create(committee=world.other, number=1, name="第一届", start_date=date(2024, 1, 1))
    rnd = Round.objects.create(term=term, number=1, planned_entry=date(2024, 3, 1), planned_exit=date(2024, 4, 1))
    target = Assignment.objects.create(group=Group.objects.create(round=rnd, number=1),
                                       organization=world.other_township)
    foreign = Problem.objects.create(assignment=target, seq=1, title="外县问题", description="外县",
                                     classification=Item.objects.filter(level=3).first())
    with pytest.raises(ValidationError) as exc:
        svc.draft(actor=world.office_admin, committee=world.county, term=world.term, title="建议书",
                  problems=[foreign])
    assert list(exc.value.message_dict) == ["problems"]


@pytest.mark.parametrize("field", ["title", "term", "addressees", "problems"])
def test_bad_input_names_the_field(world, letters_data, field):
    args = dict(actor=world.office_admin, committee=world.county, term=world.term, title="建议书",
                problems=letters_data.problems[:2], addressees=[world.department])
    args.update({"title": {"title": "  "}, "term": {"term": Term.objects.create(
        committee=world.other, number=2, name="外届", start_date=date(2024, 1, 1))},
        "addressees": {"addressees": [world.other_township]}, "problems": {"problems": []}}[field])
    with pytest.raises(ValidationError) as exc:
        svc.draft(**args)
    assert list(exc.value.message_dict) == [field]


@pytest.mark.parametrize("role", ["leader", "supervisor", "receiver", "unit_liaison", "group_leader"])
def test_only_the_office_drafts(world, letters_data, role):
    with pytest.raises(PermissionDenied):
        svc.draft(actor=world.users[role], committee=world.county, term=world.term, title="建议书",
                  problems=letters_data.problems[:1])


def test_numbers_follow_each_other_in_the_year(world, letters_data):
    first = letter(world, letters_data)
    second = letter(world, letters_data, title="第二份")
    assert (first.seq, second.seq) == (1, 2)


# -- the transition table -------------------------------------------------------------------

ROLES = ("office_staff", "leader", "supervisor", "receiver", "unit_liaison")
ACTIONS = {
    svc.EDIT: lambda u, r: svc.update(actor=u, rec=r, title="改后的标题"),
    svc.SUBMIT: lambda u, r: svc.submit(actor=u, rec=r),
    svc.APPROVE: lambda u, r: svc.approve(actor=u, rec=r),
    svc.RETURN: lambda u, r: svc.return_(actor=u, rec=r, comment="再完善"),
    svc.ISSUE: lambda u, r: svc.issue(actor=u, rec=r, issued_on=timezone.localdate()),
    svc.CLOSE: lambda u, r: svc.close(actor=u, rec=r),
}


class Undo(Exception):
    pass


@pytest.mark.parametrize("state", STATES)
def test_every_state_action_and_role(world, letters_data, state):
    rec = letter(world, letters_data, state)
    if state in ("draft", "returned"):
        svc.update(actor=world.office_admin, rec=rec, causes="原因")
        svc.set_items(actor=world.office_admin, rec=rec, texts=["一条建议"])
    if state == "issued":
        svc.respond(actor=world.office_admin, addressee=rec.addressees.get(), responded_on=timezone.localdate(),
                    response="已落实")
    for action, call in ACTIONS.items():
        for role in ROLES:
            expected_next, roles = svc.TRANSITIONS.get((state, action), (None, svc.ROLES_OF[action]))
            steps = RecommendationStep.objects.filter(recommendation=rec).count()
            try:
                with transaction.atomic():
                    if role not in roles:
                        with pytest.raises(PermissionDenied):
                            call(world.users[role], rec)
                    elif expected_next is None:
                        with pytest.raises(ValidationError) as exc:
                            call(world.users[role], rec)
                        assert "state" in exc.value.message_dict, (action, role)
                    else:
                        call(world.users[role], rec)
                        rec.refresh_from_db()
                        assert rec.state == expected_next, (action, role)
                        made = RecommendationStep.objects.filter(recommendation=rec).count() - steps
                        assert made == (0 if action == svc.EDIT else 1), (action, role)
                    raise Undo
            except Undo:
                rec.refresh_from_db()


def test_each_transition_leaves_a_step_and_an_audit_event(world, letters_data):
    rec = letter(world, letters_data, "closed")
    steps = list(rec.steps.values_list("action", "from_state", "to_state"))
    assert steps == [("submit", "draft", "submitted"), ("approve", "submitted", "approved"),
                     ("issue", "approved", "issued"), ("close", "issued", "closed")]
    assert rec.steps.get(action="approve").actor == world.leader
    actions = set(AuditEvent.objects.filter(object_id=str(rec.pk), action__startswith="recommendation.")
                  .values_list("action", flat=True))
    assert {"recommendation.draft", "recommendation.submit", "recommendation.approve", "recommendation.issue",
            "recommendation.close", "recommendation.items", "recommendation.update"} <= actions


def test_returning_needs_a_comment_and_the_office_resubmits(world, letters_data):
    rec = letter(world, letters_data, "submitted")
    with pytest.raises(ValidationError) as exc:
        svc.return_(actor=world.leader, rec=rec, comment=" ")
    assert list(exc.value.message_dict) == ["comment"]
    svc.return_(actor=world.leader, rec=rec, comment="病情病理不够深入")
    assert rec.steps.get(action="return").comment == "病情病理不够深入"
    svc.update(actor=world.office_staff, rec=rec, causes="深入分析后的原因")
    svc.submit(actor=world.office_staff, rec=rec)
    assert Recommendation.objects.get(pk=rec.pk).state == "submitted"


def test_submitting_needs_causes_items_and_addressees(world, letters_data):
    rec = letter(world, letters_data, addressees=[])
    with pytest.raises(ValidationError) as exc:
        svc.submit(actor=world.office_admin, rec=rec)
    assert set(exc.value.message_dict) == {"causes", "items", "addressees"}


def test_items_are_numbered_and_replaced(world, letters_data):
    rec = letter(world, letters_data)
    svc.set_items(actor=world.office_admin, rec=rec, texts=["甲", "", "  乙  ", "丙"])
    assert list(rec.items.values_list("seq", "text")) == [(1, "甲"), (2, "乙"), (3, "丙")]
    svc.set_items(actor=world.office_admin, rec=rec, texts=["丁"])
    assert list(rec.items.values_list("seq", "text")) == [(1, "丁")]


def test_refilling_symptoms_follows_the_problems(world, letters_data):
    rec = letter(world, letters_data)
    svc.update(actor=world.office_admin, rec=rec, problems=letters_data.problems[:2], refill_symptoms=True)
    rec.refresh_from_db()
    assert rec.symptoms.startswith("第一届第一轮巡察中，共发现此类问题2个，涉及2个党组织，涉及金额15.5万元。")


def test_addressees_can_be_changed_while_drafting(world, letters_data, other_receiver):
    rec = letter(world, letters_data)
    svc.update(actor=world.office_admin, rec=rec, addressees=[other_receiver.organization, world.township])
    assert {a.organization for a in rec.addressees.all()} == {other_receiver.organization, world.township}


def test_only_a_never_submitted_draft_is_deleted(world, letters_data):
    rec = letter(world, letters_data, "returned")
    with pytest.raises(ValidationError):
        svc.delete(actor=world.office_admin, rec=rec)
    draft = letter(world, letters_data, title="另一份")
    svc.delete(actor=world.office_admin, rec=draft)
    assert not Recommendation.objects.filter(pk=draft.pk).exists()


# -- issue and the deadline policy ----------------------------------------------------------

def test_the_deadline_comes_from_the_policy_in_force_on_the_issue_date(world, letters_data):
    today = timezone.localdate()
    change = today - timedelta(days=30)
    old = DeadlinePolicy.objects.create(committee=world.county, effective_from=date(2000, 1, 1),
                                        recommendation_response_months=3)
    new = DeadlinePolicy.objects.create(committee=world.county, effective_from=change,
                                        recommendation_response_months=1)
    before = letter(world, letters_data, "issued", issued_on=change - timedelta(days=1))
    after = letter(world, letters_data, "issued", issued_on=change, title="第二份")
    from xuncha.rectification.deadlines import add_months

    assert (before.policy, before.response_due) == (old, add_months(change - timedelta(days=1), 3))
    assert (after.policy, after.response_due) == (new, add_months(change, 1))


def test_issue_dates_are_checked(world, letters_data):
    rec = letter(world, letters_data, "approved")
    for day in (None, timezone.localdate() + timedelta(days=1), timezone.localdate() - timedelta(days=3)):
        with pytest.raises(ValidationError) as exc:
            svc.issue(actor=world.office_admin, rec=rec, issued_on=day)
        assert list(exc.value.message_dict) == ["issued_on"]


def test_closing_waits_for_every_addressee(world, letters_data, other_receiver):
    rec = letter(world, letters_data, "issued", addressees=[world.department, other_receiver.organization])
    first, second = rec.addressees.order_by("id")
    svc.respond(actor=world.receiver, addressee=first, responded_on=timezone.localdate(), response="已建立台账")
    with pytest.raises(ValidationError) as exc:
        svc.close(actor=world.office_admin, rec=rec)
    assert "县农业农村局" in exc.value.message_dict["state"][0]
    svc.respond(actor=other_receiver.user, addressee=second, responded_on=timezone.localdate(), response="已规范")
    assert svc.close(actor=world.office_admin, rec=rec).state == "closed"


# -- the department's side ------------------------------------------------------------------

def test_the_receiver_signs_responds_and_records_systems(world, letters_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rec = letter(world, letters_data, "issued")
    addressee = rec.addressees.get()
    today = timezone.localdate()
    svc.acknowledge(actor=world.receiver, addressee=addressee, received_on=today)
    with pytest.raises(ValidationError):
        svc.acknowledge(actor=world.receiver, addressee=addressee, received_on=today)
    svc.respond(actor=world.receiver, addressee=addressee, responded_on=today, response="",
                file=io.BytesIO(PDF), file_name="落实情况.pdf")
    addressee.refresh_from_db()
    assert addressee.response_file_name == "落实情况.pdf" and addressee.responded_by == world.receiver
    outcome = svc.outcome_add(actor=world.receiver, addressee=addressee, title="村集体资产管理办法", adopted_on=today,
                              kind="new")
    svc.outcome_add(actor=world.receiver, addressee=addressee, title="资源发包管理规定", adopted_on=today,
                    kind="improved", file=io.BytesIO(PDF), file_name="规定.pdf")
    assert SystemOutcome.objects.filter(addressee=addressee).count() == 2
    assert selectors.totals(selectors.filtered(world.office_admin, selectors.LedgerFilters()), today)["outcomes"] == 2
    event = AuditEvent.objects.filter(action="recommendation.outcome_add").first()
    assert event.detail["on_behalf"] is False
    svc.outcome_delete(actor=world.receiver, outcome=outcome)
    assert SystemOutcome.objects.filter(addressee=addressee).count() == 1


def test_the_office_records_for_the_department_and_the_audit_says_so(world, letters_data):
    rec = letter(world, letters_data, "issued")
    addressee = rec.addressees.get()
    svc.respond(actor=world.office_staff, addressee=addressee, responded_on=timezone.localdate(),
                response="书面报告已收到")
    addressee.refresh_from_db()
    assert addressee.received_on == timezone.localdate()
    assert AuditEvent.objects.get(action="recommendation.respond").detail["on_behalf"] is True


def test_a_response_needs_text_or_a_document_checked_by_content(world, letters_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    addressee = letter(world, letters_data, "issued").addressees.get()
    with pytest.raises(ValidationError) as exc:
        svc.respond(actor=world.receiver, addressee=addressee, responded_on=timezone.localdate(), response=" ")
    assert list(exc.value.message_dict) == ["response"]
    with pytest.raises(ValidationError) as exc:
        svc.respond(actor=world.receiver, addressee=addressee, responded_on=timezone.localdate(),
                    file=io.BytesIO(b"not a pdf at all"), file_name="报告.pdf")
    assert list(exc.value.message_dict) == ["response_file"]
    assert not list(tmp_path.rglob("*.pdf"))


@pytest.mark.parametrize("who", ["other_receiver", "unit_liaison", "leader", "supervisor"])
def test_others_cannot_answer_for_the_department(world, letters_data, other_receiver, who):
    addressee = letter(world, letters_data, "issued").addressees.get()
    user = other_receiver.user if who == "other_receiver" else world.users[who]
    with pytest.raises(PermissionDenied):
        svc.respond(actor=user, addressee=addressee, responded_on=timezone.localdate(), response="x")
    with pytest.raises(PermissionDenied):
        svc.outcome_add(actor=user, addressee=addressee, title="制度", adopted_on=timezone.localdate())


@pytest.mark.parametrize("state", ["approved", "closed"])
def test_a_letter_not_issued_is_not_answered(world, letters_data, state):
    addressee = letter(world, letters_data, state).addressees.get()
    with pytest.raises(PermissionDenied if state == "approved" else ValidationError):
        svc.respond(actor=world.receiver, addressee=addressee, responded_on=timezone.localdate(), response="x")
    with pytest.raises(ValidationError):
        svc.respond(actor=world.office_admin, addressee=addressee, responded_on=timezone.localdate(), response="x")
