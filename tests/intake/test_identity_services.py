"""Identity access: request → grant → view (counted, audited); refused, expired, revoked and
other people's accesses do not open it; the requester never decides; the one who typed the
identity in does not read it back without a grant; a database dump holds no identity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.intake.complaints_helpers import (  # noqa: F401
    CONTACT,
    NAME,
    SECRET_TEXT,
    findings,
    intake_fixture,
    media_fixture,
    register,
    text_file,
    uploaded_files,
)
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.intake import services_identity as services
from xuncha.intake.models import IdentityAccess

pytestmark = pytest.mark.usefixtures("english")
S = IdentityAccess.State


def _later(days: int = 30):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def named(world, intake):
    """A named complaint registered by the group leader for group 1."""
    return register(world, world.group_leader, group=world.group1, name=NAME, contact=CONTACT)


def test_request_grant_view_is_counted_and_audited(world, named):
    access = services.request_access(actor=world.group_deputy, complaint=named, reason="需当面核实细节")
    assert access.state == S.REQUESTED
    access = services.decide(actor=world.office_admin, access=access, grant=True, expires_on=_later())
    assert access.state == S.GRANTED and access.decided_by == world.office_admin
    assert services.view_identity(actor=world.group_deputy, complaint=named) == (NAME, CONTACT)
    assert services.view_identity(actor=world.group_deputy, complaint=named) == (NAME, CONTACT)
    access.refresh_from_db()
    assert access.views == 2 and access.last_viewed_at is not None
    views = AuditEvent.objects.filter(action="intake.identity_view", actor_id=world.group_deputy.pk)
    assert views.count() == 2 and all(NAME not in str(e.detail) + e.summary for e in views)
    assert list(AuditEvent.objects.filter(action__startswith="intake.identity").order_by("seq")
                .values_list("action", flat=True)) == [
        "intake.identity_request", "intake.identity_grant", "intake.identity_view", "intake.identity_view"]


def test_the_one_who_typed_it_in_needs_a_grant_too(world, named):
    with pytest.raises(PermissionDenied):
        services.view_identity(actor=world.group_leader, complaint=named)
    with pytest.raises(PermissionDenied):  # deciders read the requests, not the identity
        services.view_identity(actor=world.office_admin, complaint=named)
    assert not AuditEvent.objects.filter(action="intake.identity_view").exists()


def test_the_requester_never_decides_their_own(world, named):
    access = services.request_access(actor=world.office_admin, complaint=named, reason="核查")
    with pytest.raises(PermissionDenied):
        services.decide(actor=world.office_admin, access=access, grant=True, expires_on=_later())
    services.decide(actor=world.leader, access=access, grant=True, expires_on=_later())
    assert services.view_identity(actor=world.office_admin, complaint=named) == (NAME, CONTACT)


@pytest.mark.parametrize("who", ["office_staff", "group_leader", "group_deputy", "group_member", "receiver",
                                 "unit_liaison", "supervisor"])
def test_only_the_office_head_and_the_leading_group_decide(world, named, who):
    access = services.request_access(actor=world.group_deputy, complaint=named, reason="核查")
    with pytest.raises(PermissionDenied):
        services.decide(actor=world.users[who], access=access, grant=True, expires_on=_later())
    assert IdentityAccess.objects.get(pk=access.pk).state == S.REQUESTED


@pytest.mark.parametrize("who", ["leader", "group_member", "receiver", "unit_liaison", "supervisor"])
def test_who_may_not_request(world, named, who):
    with pytest.raises(PermissionDenied):
        services.request_access(actor=world.users[who], complaint=named, reason="想看")


def test_request_errors(world, intake, named):
    anonymous = register(world, world.group_leader, group=world.group1, content="匿名反映的另一件事")
    with pytest.raises(ValidationError) as excinfo:
        services.request_access(actor=world.group_leader, complaint=anonymous, reason="核查")
    assert set(excinfo.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError):
        services.request_access(actor=world.group_leader, complaint=named, reason=" ")
    services.request_access(actor=world.group_leader, complaint=named, reason="核查")
    with pytest.raises(ValidationError):  # one open request at a time
        services.request_access(actor=world.group_leader, complaint=named, reason="再次申请")


def test_decision_errors(world, named):
    access = services.request_access(actor=world.group_leader, complaint=named, reason="核查")
    with pytest.raises(ValidationError) as excinfo:
        services.decide(actor=world.leader, access=access, grant=True)
    assert set(excinfo.value.message_dict) == {"expires_on"}
    with pytest.raises(ValidationError) as excinfo:
        services.decide(actor=world.leader, access=access, grant=True, expires_on=_later(-1))
    assert set(excinfo.value.message_dict) == {"expires_on"}
    with pytest.raises(ValidationError) as excinfo:
        services.decide(actor=world.leader, access=access, grant=False)
    assert set(excinfo.value.message_dict) == {"comment"}
    services.decide(actor=world.leader, access=access, grant=False, comment="理由不充分")
    with pytest.raises(ValidationError) as excinfo:
        services.decide(actor=world.office_admin, access=access, grant=True, expires_on=_later())
    assert set(excinfo.value.message_dict) == {"state"}


def _granted(world, complaint, who="group_leader"):
    access = services.request_access(actor=world.users[who], complaint=complaint, reason="核查")
    return services.decide(actor=world.leader, access=access, grant=True, expires_on=_later())


def test_refused_expired_and_revoked_do_not_open_it(world, named):
    access = services.request_access(actor=world.group_leader, complaint=named, reason="核查")
    services.decide(actor=world.leader, access=access, grant=False, comment="不予批准")
    with pytest.raises(PermissionDenied):
        services.view_identity(actor=world.group_leader, complaint=named)
    access = _granted(world, named)
    IdentityAccess.objects.filter(pk=access.pk).update(expires_on=_later(-1))
    with pytest.raises(PermissionDenied):
        services.view_identity(actor=world.group_leader, complaint=named)
    access = _granted(world, named)
    assert services.view_identity(actor=world.group_leader, complaint=named)[0] == NAME
    services.revoke(actor=world.office_admin, access=access, comment="核查结束")
    with pytest.raises(PermissionDenied):
        services.view_identity(actor=world.group_leader, complaint=named)
    with pytest.raises(ValidationError):
        services.revoke(actor=world.office_admin, access=access)
    assert AuditEvent.objects.filter(action="intake.identity_view").count() == 1
    assert AuditEvent.objects.filter(action="intake.identity_revoke").count() == 1


def test_someone_else_s_grant_does_not_open_it(world, named):
    _granted(world, named, "group_deputy")
    for who in ("group_leader", "office_admin", "leader", "group_member", "receiver"):
        with pytest.raises(PermissionDenied):
            services.view_identity(actor=world.users[who], complaint=named)


def test_a_grant_is_void_once_the_complaint_leaves_the_group(world, named):
    from xuncha.intake import services_complaints

    _granted(world, named, "group_deputy")
    services_complaints.handle(actor=world.office_admin, complaint=named, action="to_group", group=world.group2)
    with pytest.raises(PermissionDenied):
        services.view_identity(actor=world.group_deputy, complaint=named)


def test_a_database_dump_and_the_uploads_hold_no_identity_nor_file_content(world, intake, media):
    complaint = register(world, world.group_leader, group=world.group1, name=NAME, contact=CONTACT,
                         files=[text_file()])
    access = _granted(world, complaint)
    services.view_identity(actor=world.group_leader, complaint=access.complaint)
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if not (table.startswith("intake_") or table.startswith("access_audit")):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                dump.append(" ".join(bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v)
                                     for v in row))
    text = "\n".join(dump)
    assert "intake_complaint" in connection.introspection.table_names() and complaint.subject in text
    for secret in (NAME, CONTACT, SECRET_TEXT):
        assert secret not in text
    files = uploaded_files(media)
    assert files and all(SECRET_TEXT.encode() not in p.read_bytes() and NAME.encode() not in p.read_bytes()
                         for p in files)
