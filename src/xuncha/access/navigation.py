"""Navigation entries and workbench to-dos of this app."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from xuncha.access import system_selectors as selectors
from xuncha.workbench import nav, todos
from xuncha.workbench.nav import NavItem

nav.add(NavItem("system", _("Accounts"), "system:accounts", selectors.may_manage_accounts, icon="people"))
nav.add(NavItem("system", _("Role assignments"), "system:roles", selectors.may_grant_roles, icon="person-badge"))
nav.add(NavItem("system", _("Audit log"), "system:audit", selectors.may_read_audit, icon="journal-text"))
nav.add(NavItem("system", _("API tokens"), "system:tokens", selectors.may_hold_tokens, icon="key"))


@todos.provider
def locked_accounts(user) -> list[todos.Todo]:
    if not selectors.may_manage_accounts(user):
        return []
    return [todos.Todo(title=_("Locked accounts to unlock"), count=selectors.locked_account_count(user),
                       url=reverse("system:accounts") + "?status=locked", level="warning")]


@todos.provider
def accounts_waiting_for_role(user) -> list[todos.Todo]:
    if not selectors.may_grant_roles(user):
        return []
    return [todos.Todo(title=_("Accounts waiting for a role"),
                       count=selectors.accounts_waiting_for_role(user).count(),
                       url=reverse("system:roles") + "#waiting")]


@todos.provider
def recent_failed_logins(user) -> list[todos.Todo]:
    if not selectors.may_read_audit(user):
        return []
    since = timezone.now() - timedelta(hours=24)
    query = urlencode({"action": "login.failed", "date_from": timezone.localdate(since).isoformat()})
    return [todos.Todo(title=_("Failed logins in the last 24 hours"),
                       count=selectors.failed_logins_since(user, since),
                       url=reverse("system:audit") + "?" + query, level="danger")]
