"""Who is acting, from where, in which role: set per request, read by the audit log."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    role: str = ""


_NONE = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("xuncha_request_context", default=None)


def current() -> RequestContext:
    return _current.get() or _NONE


def set_current(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)
