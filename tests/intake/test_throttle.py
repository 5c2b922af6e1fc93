"""Rate-limit counters: per scope and value, per fixed window, keyed hashes only, purged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import RequestFactory
from django.utils import timezone

from tests.intake.public_helpers import media_fixture  # noqa: F401
from xuncha.intake import throttle
from xuncha.intake.models import Throttle


def test_hits_are_counted_up_to_the_limit(db, media):
    assert [throttle.hit("lookup", "10.0.0.1", 3) for _ in range(5)] == [True, True, True, False, False]
    assert throttle.count("lookup", "10.0.0.1") == 5 and throttle.exceeded("lookup", "10.0.0.1", 3)
    # Another value, another scope: counted apart.
    assert throttle.hit("lookup", "10.0.0.2", 3) and throttle.hit("complaint", "10.0.0.1", 3)
    assert not throttle.exceeded("lookup", "10.0.0.2", 3)
    assert Throttle.objects.count() == 3


def test_keys_are_keyed_hashes_not_addresses(db, media):
    throttle.hit("lookup", "192.168.77.88", 3)
    [row] = Throttle.objects.all()
    assert "192.168" not in row.key and len(row.key) == 64


def test_a_new_window_starts_counting_again(db, media, monkeypatch):
    now = datetime(2024, 3, 5, 10, 59, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert throttle.window_start(3600) == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    assert throttle.retry_at(3600) == datetime(2024, 3, 5, 11, 0, tzinfo=UTC)
    throttle.hit("lookup", "a", 1)
    assert not throttle.hit("lookup", "a", 1)
    now += timedelta(minutes=1)
    assert throttle.hit("lookup", "a", 1) and Throttle.objects.count() == 2


def test_old_windows_are_purged(db, media, monkeypatch):
    Throttle.objects.create(key="old", window_start=timezone.now() - timedelta(days=2), count=9)
    Throttle.objects.create(key="recent", window_start=timezone.now() - timedelta(hours=2), count=9)
    monkeypatch.setattr(throttle.secrets, "randbelow", lambda n: 0)  # this hit purges
    throttle.hit("lookup", "a", 1)
    assert sorted(Throttle.objects.values_list("key", flat=True))[-1] == "recent"
    assert not Throttle.objects.filter(key="old").exists() and Throttle.objects.count() == 2


def test_client_address_is_remote_addr_only():
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert throttle.client_address(request) == "10.1.2.3"
