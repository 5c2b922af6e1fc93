"""What a user has to do now, for the workbench. Each app registers providers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Todo:
    title: str | Promise
    count: int
    url: str
    level: str = "primary"  # Bootstrap colour: primary, warning, danger


Provider = Callable[[object], list[Todo]]
PROVIDERS: list[Provider] = []


def provider(fn: Provider) -> Provider:
    PROVIDERS.append(fn)
    return fn


def todos_for(user) -> list[Todo]:
    found: list[Todo] = []
    for fn in PROVIDERS:
        found.extend(todo for todo in fn(user) if todo.count)
    return found
