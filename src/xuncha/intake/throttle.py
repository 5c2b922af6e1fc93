"""Rate limits of the public portal, counted in the database so every server process shares
them (Throttle rows: a keyed hash of scope and value, a window, a count).

The client address is request.META["REMOTE_ADDR"]. Behind a reverse proxy (nginx) that address
is the proxy's: the proxy must then pass the client's address in REMOTE_ADDR (e.g. uWSGI's
`uwsgi_param REMOTE_ADDR $remote_addr`, or gunicorn with a trusted X-Forwarded-For rewritten by
the proxy) — otherwise every visitor shares one counter. Headers sent by the client are never
trusted here.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from xuncha.intake import crypto
from xuncha.intake.models import Throttle

KEEP = timedelta(days=1)  # windows older than this are purged; no window may be longer
PURGE_ONE_IN = 50


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _key(scope: str, value: str) -> str:
    return crypto.digest(f"{scope}:{value}")


def window_start(window: int, now: datetime | None = None) -> datetime:
    """The start of the fixed window of `window` seconds that contains `now`."""
    now = now or timezone.now()
    seconds = int(now.timestamp())
    return datetime.fromtimestamp(seconds - seconds % window, tz=UTC)


def retry_at(window: int = 3600, now: datetime | None = None) -> datetime:
    """When the current window ends and counting starts again."""
    return window_start(window, now) + timedelta(seconds=window)


def count(scope: str, value: str, window: int = 3600) -> int:
    row = Throttle.objects.filter(key=_key(scope, value), window_start=window_start(window)).values_list(
        "count", flat=True).first()
    return row or 0


def exceeded(scope: str, value: str, limit: int, window: int = 3600) -> bool:
    """Whether `limit` hits were already counted in this window (without counting one)."""
    return count(scope, value, window) >= limit


def hit(scope: str, value: str, limit: int, window: int = 3600) -> bool:
    """Count one hit; True while the hits of this window are at most `limit`."""
    assert 0 < window <= KEEP.total_seconds()
    key, start = _key(scope, value), window_start(window)
    with transaction.atomic():
        # UPDATE … SET count = count + 1 is atomic on SQLite and PostgreSQL alike; the first hit
        # of a window inserts, and a concurrent first hit that loses the race updates instead.
        if not Throttle.objects.filter(key=key, window_start=start).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    Throttle.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:
                Throttle.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        counted = Throttle.objects.filter(key=key, window_start=start).values_list("count", flat=True).get()
    if secrets.randbelow(PURGE_ONE_IN) == 0:
        purge()
    return counted <= limit


def purge(now: datetime | None = None) -> int:
    """Remove the windows that no limit looks at any more."""
    deleted, _ = Throttle.objects.filter(window_start__lt=(now or timezone.now()) - KEEP).delete()
    return deleted
