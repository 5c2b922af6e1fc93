"""services_public: filing online (validation naming the field, nothing half-written, audit
without the address), the filer's messages, and the public view of the handling."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.intake.public_helpers import (
    EXE_BYTES,
    media_fixture,  # noqa: F401
    portal_fixture,  # noqa: F401
    stored_files,
    upload,
)
from xuncha.access import context
from xuncha.access.models import AuditEvent
from xuncha.intake import receipts, services_public
from xuncha.intake.models import Complaint, ComplaintAttachment, ComplaintMessage, ComplaintStep

pytestmark = pytest.mark.usefixtures("english")


def _file(portal, **extra):
    args = {"committee": portal.world.county, "group": portal.world.group1.pk, "content": "村集体资金去向不明"}
    args.update(extra)
    return services_public.file_online(**args)


def test_filing_numbers_and_links_duplicates(portal):
    first, code = _file(portal, content="村集体资金去向不明。\n具体情况如下……")
    again, _ = _file(portal, content="村集体资金 去向不明 具体情况如下")
    assert (first.year, first.seq) == (timezone.localdate().year, 1) and again.seq == 2
    assert first.subject == "村集体资金去向不明。" and again.duplicate_of == first
    assert first.received_on == timezone.localdate() and first.channel == Complaint.Channel.ONLINE
    assert receipts.find(code) == first


@pytest.mark.parametrize(("extra", "field"), [
    ({"content": "  "}, "content"),
    ({"content": "长" * 5001}, "content"),
    ({"concerns": "某" * 201}, "concerns"),
    ({"name": "名" * 51}, "name"),
    ({"contact": "1" * 101}, "contact"),
    ({"group": None}, "group"),
    ({"group": None, "organization": 999999}, "organization"),
])
def test_bad_input_names_the_field(portal, extra, field):
    with pytest.raises(ValidationError) as refused:
        _file(portal, **extra)
    assert field in refused.value.message_dict
    assert not Complaint.objects.exists()


def test_organization_and_group_must_agree(portal):
    with pytest.raises(ValidationError):
        _file(portal, group=portal.world.group2.pk, organization=portal.world.village.pk)
    complaint, _ = _file(portal, group=None, organization=portal.world.village.pk)
    assert complaint.group == portal.world.group1 and complaint.organization == portal.world.village


def test_a_refused_file_rolls_everything_back(portal, media):
    with pytest.raises(ValidationError) as refused:
        _file(portal, files=[upload("好.png"), upload("坏.pdf", EXE_BYTES)])
    assert refused.value.message_dict["attachments"][0].startswith("坏.pdf")
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists() and stored_files(media) == []


def test_a_failure_after_storing_removes_the_files(portal, media):
    with mock.patch.object(receipts, "issue", side_effect=RuntimeError("boom")), pytest.raises(RuntimeError):
        _file(portal, files=[upload("好.png")])
    assert not Complaint.objects.exists() and stored_files(media) == []


def test_audit_names_the_public_and_keeps_no_address(portal):
    token = context.set_current(context.RequestContext(ip="10.9.8.7", role=""))
    try:
        complaint, _ = _file(portal, name="欧阳秀英", contact="13912345678")
        services_public.public_message(complaint=complaint, text="补充材料")
    finally:
        context.reset(token)
    events = list(AuditEvent.objects.filter(action__startswith="complaint.").order_by("seq"))
    assert [e.action for e in events] == ["complaint.file_online", "complaint.public_message"]
    for event in events:
        assert event.actor_id is None and event.actor_name == "public" and event.ip is None
        assert "欧阳秀英" not in str(event.detail) + event.summary and "139" not in str(event.detail)


def test_public_messages(portal):
    complaint, _ = _file(portal)
    message = services_public.public_message(complaint=complaint, text=" 补充材料 ")
    assert message.from_public and message.author is None and message.text == "补充材料"
    assert services_public.public_message(complaint=complaint, text="补充材料") == message  # a reload
    services_public.public_message(complaint=complaint, text="另一条")
    assert ComplaintMessage.objects.count() == 2
    for text in ("", "x" * 2001):
        with pytest.raises(ValidationError) as refused:
            services_public.public_message(complaint=complaint, text=text)
        assert "text" in refused.value.message_dict


def test_status_in_public_wording(portal):
    world = portal.world
    complaint, _ = _file(portal)
    ComplaintMessage.objects.create(complaint=complaint, author=world.office_staff, text="请提供时间地点")
    status = services_public.status(complaint)
    assert status.handling == "Accepted" and status.outcome == "" and not status.concluded
    assert status.group == world.group1.name and status.received_on == complaint.received_on
    assert [(m.from_public, m.text) for m in status.messages] == [(False, "请提供时间地点")]
    assert not hasattr(status.messages[0], "author")
    now = timezone.now()
    for old, new in (("pending", "to_department"), ("to_department", "concluded")):
        ComplaintStep.objects.create(complaint=complaint, action="x", from_state=old, to_state=new,
                                     actor=world.office_admin, at=now, comment="内部")
    complaint.handling, complaint.outcome, complaint.handled_on = "concluded", "已查实并纠正", date(2024, 5, 1)
    complaint.passed_to = "县纪委监委"
    status = services_public.status(complaint)
    assert status.handling == "Concluded" and status.outcome == "已查实并纠正" and status.concluded
    assert [s.handling for s in status.steps] == ["Passed to the competent department for handling", "Concluded"]
    assert "县纪委监委" not in repr(status) and "内部" not in repr(status)


def test_every_handling_has_a_public_wording():
    assert set(services_public.PUBLIC_HANDLING) == set(Complaint.Handling)
    assert str(services_public.PUBLIC_HANDLING["out_of_scope"]).startswith("Outside the scope")
