"""Navigation by stage of the work. Apps add their pages; a stage shows once it has one
the user may open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STAGES: list[tuple[str, Promise]] = [
    ("plan", _("Planning")),
    ("fieldwork", _("Fieldwork")),
    ("reports", _("Reports and feedback")),
    ("rectification", _("Rectification")),
    ("analytics", _("Analysis")),
    ("intake", _("Complaints")),
    ("study", _("Regulations")),
    ("registry", _("Registry")),
    ("system", _("System")),
]


@dataclass(frozen=True)
class NavItem:
    stage: str
    label: Promise
    url_name: str
    visible: Callable[[object], bool]
    icon: str = "circle"


ITEMS: list[NavItem] = []


def add(item: NavItem) -> None:
    if item.stage not in dict(STAGES):
        raise ValueError(f"unknown stage {item.stage}")
    ITEMS.append(item)


def menu_for(user, current_path: str = "") -> list[dict]:
    menu = []
    for stage, label in STAGES:
        entries = []
        for item in ITEMS:
            if item.stage == stage and item.visible(user):
                url = reverse(item.url_name)
                entries.append({"label": item.label, "url": url, "icon": item.icon, "active": False})
        if entries:
            menu.append({"stage": stage, "label": label, "items": entries, "active": False})
    # Only the most specific entry is current: /rounds/coverage/ is not also /rounds/.
    matches = [e for s in menu for e in s["items"] if current_path.startswith(e["url"])]
    if matches:
        best = max(matches, key=lambda e: len(e["url"]))
        best["active"] = True
        for s in menu:
            s["active"] = any(e["active"] for e in s["items"])
    return menu
