"""The complaint register's services: registering by the office and by a group, refusals by
role and by group, field errors, files refused with nothing stored, every handling transition
by every role, edits, working-paper links, duplicates, replies, attachments and the export."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from tests.intake.complaints_helpers import (  # noqa: F401
    CONTACT,
    EXE_BYTES,
    NAME,
    PDF_BYTES,
    RECEIVED,
    findings,
    intake_fixture,
    make_paper,
    media_fixture,
    pdf,
    register,
    text_file,
    uploaded_files,
)
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.intake import attachments
from xuncha.intake import services_complaints as services
from xuncha.intake.models import Complaint, ComplaintAttachment, ComplaintMessage, ComplaintStep
from xuncha.intake.selectors import complaints as selectors
from xuncha.rounds.models import Group, Round

pytestmark = pytest.mark.usefixtures("english")
H = Complaint.Handling


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# -- registering -----------------------------------------------------------------------------

def test_the_office_registers_a_named_complaint_with_a_file(world, intake, media):
    complaint = register(world, name=NAME, contact=CONTACT, organization=world.village, concerns="村支书王某",
                         category=intake.village_focus, files=[pdf()])
    complaint.refresh_from_db()
    assert complaint.number == "2024-0001" and complaint.handling == H.PENDING
    assert complaint.group is None and complaint.round is None and not complaint.anonymous
    assert complaint.created_by == world.office_admin and complaint.contact_digest
    assert bytes(complaint.informant_name) and NAME.encode() not in bytes(complaint.informant_name)
    [attachment] = complaint.attachments.all()
    assert attachment.original_name == "材料.pdf" and attachments.read(attachment) == PDF_BYTES
    event = AuditEvent.objects.get(action="complaint.register")
    assert event.object_id == str(complaint.pk) and event.detail["anonymous"] is False
    assert NAME not in str(event.detail) and CONTACT not in str(event.detail) and NAME not in event.summary
    assert register(world).number == "2024-0002"


def test_a_group_registers_for_itself_and_gets_its_round(world, intake):
    complaint = register(world, world.group_leader, group=world.group1)
    assert complaint.round == world.round and complaint.group == world.group1 and complaint.anonymous


@pytest.mark.parametrize("who", ["group_member", "unit_liaison", "receiver", "supervisor", "leader", "outsider"])
def test_others_may_not_register_for_group_1(world, intake, who):
    with pytest.raises(PermissionDenied):
        register(world, world.users[who], group=world.group1)
    assert not Complaint.objects.exists()


def test_a_group_may_not_register_without_its_group_nor_after_its_round(world, intake):
    with pytest.raises(PermissionDenied):
        register(world, world.group_leader)
    Round.objects.filter(pk=world.round.pk).update(state=Round.State.COMPLETED)
    with pytest.raises(PermissionDenied):
        register(world, world.group_leader, group=Group.objects.select_related("round").get(pk=world.group1.pk))


def test_another_committees_office_may_not_register_here(world, intake):
    with pytest.raises(PermissionDenied):
        register(world, intake.other_office)


def test_field_errors_are_named_and_nothing_is_written(world, intake):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        register(world, subject=" ", content="", received_on=tomorrow, channel="fax", category=intake.point,
                 organization=world.other_township, name="名" * 101)
    assert set(_errors(excinfo)) == {"subject", "content", "received_on", "channel", "category", "organization",
                                     "name"}
    assert not Complaint.objects.exists() and not AuditEvent.objects.filter(action="complaint.register").exists()


def test_the_round_must_be_the_groups(world, intake):
    other_round = Round.objects.create(term=world.term, number=2, planned_entry=date(2024, 6, 1),
                                       planned_exit=date(2024, 7, 1))
    with pytest.raises(ValidationError) as excinfo:
        register(world, round=other_round, group=world.group1)
    assert set(_errors(excinfo)) == {"group"}


@pytest.mark.parametrize(("upload", "reason"), [
    (lambda: pdf("程序.pdf", EXE_BYTES), "named .pdf"),
    (lambda: pdf("大文件.pdf", PDF_BYTES + b"0" * 2048), "too large"),
])
def test_disguised_and_oversized_files_are_refused_with_nothing_stored(world, intake, media, settings, upload,
                                                                       reason):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as excinfo:
        register(world, name=NAME, files=[text_file(), upload()])
    assert reason in " ".join(_errors(excinfo)["attachments"])
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()
    assert uploaded_files(media) == []


# -- handling --------------------------------------------------------------------------------

ROLES = ["office_admin", "office_staff", "group_leader", "group_deputy", "group_member", "leader", "supervisor",
         "unit_liaison", "receiver"]
OFFICE = {"office_admin", "office_staff"}
GROUP_1 = {"group_leader", "group_deputy"}
# (state, action) → who may: the module's table, spelled out again for the test.
EXPECTED = {
    (H.PENDING, "to_group"): OFFICE, (H.PENDING, "to_department"): OFFICE, (H.PENDING, "out_of_scope"): OFFICE,
    (H.PENDING, "conclude"): OFFICE | GROUP_1, (H.TO_GROUP, "conclude"): OFFICE | GROUP_1,
    (H.TO_DEPARTMENT, "conclude"): OFFICE, (H.CONCLUDED, "reopen"): OFFICE, (H.OUT_OF_SCOPE, "reopen"): OFFICE,
}
ARGS = {"to_group": {"group": "group2"}, "to_department": {"passed_to": "县民政局"},
        "out_of_scope": {"passed_to": "县法院（诉讼事项）"}, "conclude": {"outcome": "经核实，反映问题部分属实。"},
        "reopen": {"comment": "来信人补充了新材料"}}


def _in_state(world, state: str) -> Complaint:
    complaint = register(world, group=world.group1)
    Complaint.objects.filter(pk=complaint.pk).update(handling=state)
    complaint.refresh_from_db()
    return complaint


class _Undo(Exception):
    """Rolls one case's savepoint back so the next case starts from the same rows."""


def _case(world, state: str, action: str, role: str) -> None:
    complaint = _in_state(world, state)
    args = {k: (getattr(world, v) if v.startswith("group") else v) for k, v in ARGS[action].items()}
    allowed_roles = EXPECTED.get((state, action))
    actor = world.users[role]
    if allowed_roles is not None and role in allowed_roles:
        done = services.handle(actor=actor, complaint=complaint, action=action, **args)
        step = ComplaintStep.objects.get(complaint=complaint)
        assert (step.from_state, step.to_state, step.actor, step.action) == (state, done.handling, actor, action)
        assert AuditEvent.objects.filter(action=f"complaint.{action}", object_id=str(complaint.pk)).exists()
        return
    sees = role in OFFICE | GROUP_1 | {"leader"}
    may_change = role in OFFICE | GROUP_1
    expected = ValidationError if allowed_roles is None and may_change else PermissionDenied
    if not sees:
        expected = PermissionDenied
    with pytest.raises(expected):
        services.handle(actor=actor, complaint=complaint, action=action, **args)
    assert not ComplaintStep.objects.filter(complaint=complaint).exists()
    assert Complaint.objects.get(pk=complaint.pk).handling == state


@pytest.mark.parametrize("role", ROLES)
def test_every_handling_transition_by_every_role(world, intake, role):
    """Every (state, action) for the role, each case in a savepoint rolled back after it."""
    for state in H.values:
        for action in services.ACTIONS:
            try:
                with transaction.atomic():
                    _case(world, state, action, role)
                    raise _Undo
            except _Undo:
                pass
            except Exception as failure:
                raise AssertionError(f"{role} {action} on {state}") from failure


def test_passing_to_a_group_sets_group_and_round_and_the_group_concludes(world, intake):
    complaint = register(world)
    with pytest.raises(ValidationError) as excinfo:
        services.handle(actor=world.office_admin, complaint=complaint, action="to_group")
    assert set(_errors(excinfo)) == {"group"}
    complaint = services.handle(actor=world.office_admin, complaint=complaint, action="to_group", group=world.group2)
    assert (complaint.handling, complaint.group, complaint.round) == (H.TO_GROUP, world.group2, world.round)
    with pytest.raises(PermissionDenied):
        services.handle(actor=world.group_leader, complaint=complaint, action="conclude", outcome="了结")
    with pytest.raises(ValidationError) as excinfo:
        services.handle(actor=world.group_member, complaint=complaint, action="conclude", outcome=" ")
    assert set(_errors(excinfo)) == {"outcome"}
    complaint = services.handle(actor=world.group_member, complaint=complaint, action="conclude", outcome="已核实")
    assert complaint.handling == H.CONCLUDED and complaint.outcome == "已核实"


def test_reopening_returns_to_the_handling_it_was_concluded_from(world, intake):
    complaint = register(world)
    services.handle(actor=world.office_admin, complaint=complaint, action="to_department", passed_to="县民政局")
    services.handle(actor=world.office_admin, complaint=complaint, action="conclude", outcome="民政局已办结")
    with pytest.raises(ValidationError) as excinfo:
        services.handle(actor=world.office_admin, complaint=complaint, action="reopen")
    assert set(_errors(excinfo)) == {"comment"}
    complaint = services.handle(actor=world.office_staff, complaint=complaint, action="reopen", comment="补充材料")
    assert complaint.handling == H.TO_DEPARTMENT and complaint.handled_on is None
    assert list(complaint.steps.values_list("action", flat=True)) == ["to_department", "conclude", "reopen"]


def test_a_group_stops_handling_once_its_round_is_completed(world, intake):
    complaint = register(world, world.group_leader, group=world.group1)
    Round.objects.filter(pk=world.round.pk).update(state=Round.State.COMPLETED)
    with pytest.raises(PermissionDenied):
        services.handle(actor=world.group_leader, complaint=complaint, action="conclude", outcome="了结")


def test_another_round_s_group_cannot_be_chosen(world, intake):
    complaint = register(world, world.group_leader, group=world.group1)
    other_round = Round.objects.create(term=world.term, number=2, planned_entry=date(2024, 6, 1),
                                       planned_exit=date(2024, 7, 1))
    other_group = other_round.groups.create(number=1)
    with pytest.raises(ValidationError) as excinfo:
        services.handle(actor=world.office_admin, complaint=complaint, action="to_group", group=other_group)
    assert set(_errors(excinfo)) == {"group"}


# -- edits, papers, duplicates ---------------------------------------------------------------

def test_edit_relinks_duplicates_and_stops_once_concluded(world, intake):
    first = register(world, content="工程款被挪用")
    second = register(world, world.group_leader, group=world.group1, content="另一件事")
    second = services.edit(actor=world.group_leader, complaint=second, content="工程款被挪用！", subject="工程款",
                           category=intake.village_focus)
    assert second.duplicate_of == first and second.subject == "工程款" and second.category == intake.village_focus
    event = AuditEvent.objects.get(action="complaint.edit")
    assert set(event.detail) == {"content", "subject", "category", "duplicate_of"}
    services.handle(actor=world.group_leader, complaint=second, action="conclude", outcome="已了结")
    with pytest.raises(ValidationError):
        services.edit(actor=world.office_admin, complaint=second, subject="改")
    with pytest.raises(PermissionDenied):
        services.edit(actor=world.group_member, complaint=first, subject="改")


def test_papers_of_the_group_only(world, intake, make_paper):  # noqa: F811
    complaint = register(world, world.group_leader, group=world.group1)
    own = make_paper("signed")
    other = make_paper("draft", target=intake.findings.target2)
    services.link_paper(actor=world.group_leader, complaint=complaint, paper=own)
    assert list(complaint.papers.all()) == [own]
    with pytest.raises(ValidationError) as excinfo:
        services.link_paper(actor=world.office_admin, complaint=complaint, paper=other)
    assert set(_errors(excinfo)) == {"paper"}
    with pytest.raises(ValidationError):
        services.link_paper(actor=world.group_leader, complaint=complaint, paper=own)
    services.unlink_paper(actor=world.office_admin, complaint=complaint, paper=own)
    assert not complaint.papers.exists()
    assert AuditEvent.objects.filter(action__in=["complaint.link_paper", "complaint.unlink_paper"]).count() == 2


def test_duplicates_marked_by_hand(world, intake, make_user):
    first = register(world, content="甲事")
    second = register(world, content="乙事")
    third = register(world, world.group_leader, group=world.group1, content="丙事")
    services.mark_duplicate(actor=world.office_admin, complaint=second, original=first)
    third = services.mark_duplicate(actor=world.office_admin, complaint=third, original=second)
    assert third.duplicate_of == first  # the first of the chain
    with pytest.raises(ValidationError):
        services.mark_duplicate(actor=world.office_admin, complaint=first, original=first)
    with pytest.raises(ValidationError):  # the group does not see the office's complaints
        services.mark_duplicate(actor=world.group_leader, complaint=third, original=second)
    services.mark_duplicate(actor=world.group_leader, complaint=third, original=None)
    assert Complaint.objects.get(pk=third.pk).duplicate_of is None


# -- messages, attachments, export -----------------------------------------------------------

def test_replies_go_to_online_filers_only(world, intake):
    letter = register(world, world.group_leader, group=world.group1)
    with pytest.raises(ValidationError) as excinfo:
        services.reply(actor=world.group_leader, complaint=letter, text="已收到")
    assert set(_errors(excinfo)) == {"text"}
    Complaint.objects.filter(pk=letter.pk).update(receipt_prefix="AB12CD34", channel="online")
    letter.refresh_from_db()
    message = services.reply(actor=world.group_leader, complaint=letter, text="已转巡察组核实")
    assert not message.from_public and message.author == world.group_leader
    for who in ("leader", "group_member", "receiver"):
        with pytest.raises(PermissionDenied):
            services.reply(actor=world.users[who], complaint=letter, text="x")
    assert ComplaintMessage.objects.count() == 1


def test_attachments_added_and_downloads_audited(world, intake, media):
    complaint = register(world, world.group_deputy, group=world.group1)
    [stored] = services.add_attachments(actor=world.group_deputy, complaint=complaint, files=[text_file()])
    with pytest.raises(ValidationError):
        services.add_attachments(actor=world.group_deputy, complaint=complaint, files=[pdf("x.pdf", EXE_BYTES)])
    with pytest.raises(PermissionDenied):
        services.add_attachments(actor=world.group_member, complaint=complaint, files=[text_file()])
    assert ComplaintAttachment.objects.count() == 1 and len(uploaded_files(media)) == 1
    assert services.read_attachment(actor=world.leader, attachment=stored).decode().startswith("村会计")
    assert AuditEvent.objects.filter(action="complaint.attachment_download", actor_id=world.leader.pk).exists()
    with pytest.raises(PermissionDenied):
        services.read_attachment(actor=world.group_member, attachment=stored)


def test_the_export_holds_no_identity_and_is_the_office_s(world, intake):
    register(world, name=NAME, contact=CONTACT, category=intake.village_focus)
    register(world, world.group_leader, group=world.group1, subject="工程款问题", content="工程款被挪用")
    data, count = services.export_register(actor=world.office_staff, filters=selectors.RegisterFilters())
    assert count == 2
    sheet = load_workbook(io.BytesIO(data)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "工程款问题" in cells and "转巡察组了解" not in cells and "待处理" in cells
    assert NAME not in cells and CONTACT not in cells
    assert AuditEvent.objects.filter(action="complaint.export", actor_id=world.office_staff.pk).exists()
    for who in ("leader", "group_leader"):
        with pytest.raises(PermissionDenied):
            services.export_register(actor=world.users[who], filters=selectors.RegisterFilters())
