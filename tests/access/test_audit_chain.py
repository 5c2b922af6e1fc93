"""The audit log is one hash chain that the database keeps append-only and `verify` checks."""

from __future__ import annotations

import importlib
import threading
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from xuncha.access import audit, context, policy
from xuncha.access.models import AuditEvent, AuditHead

MIGRATION = importlib.import_module("xuncha.access.migrations.0002_audit_append_only")

pytestmark = pytest.mark.django_db


def _record(n: int, prefix: str = "event") -> list[AuditEvent]:
    return [
        audit.record(actor=policy.CONSOLE, action="test.event", summary=f"{prefix} {i}",
                     detail={"i": i, "名": "巡察", "nested": {"b": [1, 2.5], "a": None}})
        for i in range(1, n + 1)
    ]


@contextmanager
def _append_only_lifted():
    """What an intruder with database rights could do: switch the triggers off for a moment."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE access_auditevent DISABLE TRIGGER access_auditevent_no_update")
        else:
            cursor.execute("DROP TRIGGER access_auditevent_no_update")
            cursor.execute("DROP TRIGGER access_auditevent_no_delete")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE access_auditevent ENABLE TRIGGER access_auditevent_no_update")
            else:
                for sql in MIGRATION.SQLITE:
                    cursor.execute(sql)


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _assert_refused(sql: str, params=()) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw(sql, params)


def test_events_are_chained_in_sequence():
    events = _record(5)
    stored = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5]
    assert stored[0].prev_hash == audit.GENESIS
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.prev_hash == before.hash
    assert [e.hash for e in stored] == [e.hash for e in events]
    assert all(audit.compute_hash(e) == e.hash for e in stored)
    head = AuditHead.objects.get(pk=1)
    assert (head.seq, head.hash) == (5, stored[-1].hash)


def test_verify_is_ok_on_an_intact_chain():
    assert audit.verify() == audit.VerifyResult(True, 0)
    _record(12)
    assert audit.verify() == audit.VerifyResult(True, 12)
    assert audit.verify(chunk_size=5).ok


def test_event_records_actor_object_and_request_context(world):
    token = context.set_current(context.RequestContext(ip="10.1.2.3", role="office_admin"))
    try:
        event = audit.record(actor=world.office_admin, action="test.read", obj=world.villager,
                             summary="read")
    finally:
        context.reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_id, stored.actor_name) == (world.office_admin.pk, "office_admin")
    assert (stored.object_type, stored.object_id) == ("registry.Person", str(world.villager.pk))
    assert (stored.ip, stored.role) == ("10.1.2.3", "office_admin")
    assert audit.verify().ok


@pytest.mark.parametrize("ip", ["", "unix:/run/xuncha.sock", "2001:0DB8:0000::0001", "::ffff:10.0.0.1"])
def test_unusual_client_addresses_keep_the_chain_verifiable(ip):
    token = context.set_current(context.RequestContext(ip=ip, role=""))
    try:
        audit.record(actor=policy.CONSOLE, action="test.ip", summary=ip)
    finally:
        context.reset(token)
    assert audit.verify().ok, audit.verify()


def test_long_values_are_cut_to_fit_and_still_verify():
    audit.record(actor=None, actor_name="名" * 400, action="test.long", summary="长" * 500)
    event = AuditEvent.objects.get()
    assert len(event.summary) == 300 and len(event.actor_name) == 150
    assert audit.verify().ok


def test_an_event_rolled_back_with_its_write_leaves_no_gap():
    _record(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=policy.CONSOLE, action="test.lost", summary="rolled back")
        raise RuntimeError
    third = audit.record(actor=policy.CONSOLE, action="test.kept", summary="kept")
    assert third.seq == 3
    assert audit.verify().ok


@pytest.mark.parametrize("column", ["summary", "detail"])
def test_changed_content_is_detected_at_that_event(column):
    events = _record(6)
    target = events[3]
    value = "改过的摘要" if column == "summary" else '{"i": 999}'
    with _append_only_lifted():
        _raw(f"UPDATE access_auditevent SET {column} = %s WHERE seq = %s", [value, target.seq])
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == target.seq == 4
    assert result.checked == 3
    assert "内容" in result.reason


def test_a_deleted_event_in_the_middle_is_a_gap():
    _record(6)
    with _append_only_lifted():
        _raw("DELETE FROM access_auditevent WHERE seq = %s", [3])
    result = audit.verify()
    assert (result.ok, result.broken_seq) == (False, 4)
    assert "从 2 跳至 4" in result.reason


def test_a_deleted_last_event_disagrees_with_the_head():
    _record(4)
    with _append_only_lifted():
        _raw("DELETE FROM access_auditevent WHERE seq = %s", [4])
    result = audit.verify()
    assert (result.ok, result.checked, result.broken_seq) == (False, 3, 4)


def test_a_forged_event_with_its_own_hash_recomputed_breaks_the_link():
    events = _record(5)
    forged = AuditEvent.objects.get(seq=3)
    forged.summary = "伪造"
    forged.prev_hash = "f" * 64  # the forger cannot know it without rewriting every event before
    forged.hash = audit.compute_hash(forged)
    with _append_only_lifted():
        _raw("UPDATE access_auditevent SET summary = %s, prev_hash = %s, hash = %s WHERE seq = 3",
             [forged.summary, forged.prev_hash, forged.hash])
    result = audit.verify()
    assert (result.ok, result.broken_seq) == (False, 3)
    assert "前序哈希值" in result.reason
    assert events[2].hash != forged.hash


def test_a_forged_event_keeping_the_prev_link_breaks_the_next_one():
    _record(5)
    forged = AuditEvent.objects.get(seq=3)
    forged.summary = "伪造"
    forged.hash = audit.compute_hash(forged)
    with _append_only_lifted():
        _raw("UPDATE access_auditevent SET summary = %s, hash = %s WHERE seq = 3",
             [forged.summary, forged.hash])
    result = audit.verify()
    assert (result.ok, result.broken_seq) == (False, 4)


def test_the_database_refuses_update_and_delete():
    _record(3)
    _assert_refused("UPDATE access_auditevent SET summary = %s WHERE seq = %s", ["x", 2])
    _assert_refused("DELETE FROM access_auditevent WHERE seq = %s", [2])
    _assert_refused("DELETE FROM access_auditevent")
    if connection.vendor == "postgresql":
        _assert_refused("TRUNCATE access_auditevent")
    # the refusals left the test database usable and the chain untouched
    assert AuditEvent.objects.count() == 3
    assert audit.verify().ok


def test_the_orm_cannot_change_or_delete_events_either():
    event = _record(1)[0]
    event.summary = "changed"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert audit.verify().ok


def test_append_only_is_back_after_the_tampering_helper():
    _record(2)
    with _append_only_lifted():
        pass
    _assert_refused("UPDATE access_auditevent SET summary = %s WHERE seq = %s", ["x", 1])
    _assert_refused("DELETE FROM access_auditevent WHERE seq = %s", [1])


def test_audit_verify_command_reports_an_intact_chain(capsys):
    _record(3)
    call_command("audit", "verify")
    assert "audit chain intact: 3 events" in capsys.readouterr().out


def test_audit_verify_command_fails_naming_the_broken_event():
    _record(5)
    with _append_only_lifted():
        _raw("UPDATE access_auditevent SET summary = %s WHERE seq = %s", ["tampered", 2])
    with pytest.raises(CommandError, match=r"broken at event 2\b"):
        call_command("audit", "verify")


# The condition is a string so that it is evaluated when the test runs, before any database
# set-up: on SQLite the test is skipped without a transactional flush of the tables.
@pytest.mark.skipif("connection.vendor != 'postgresql'",
                    reason="needs PostgreSQL: SQLite serializes writers in one process anyway")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_form_one_chain(transactional_db):
    threads_count, per_thread = 8, 25
    start = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                audit.record(actor=policy.CONSOLE, action="test.concurrent", summary=f"{n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    total = threads_count * per_thread
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    assert len(set(AuditEvent.objects.values_list("summary", flat=True))) == total
    assert audit.verify() == audit.VerifyResult(True, total)
