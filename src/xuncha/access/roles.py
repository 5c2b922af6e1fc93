"""The roles of DESIGN §1 and the kind of scope each one holds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADER = "leader", _("Leading group")
    OFFICE_ADMIN = "office_admin", _("Office administrator")
    OFFICE_STAFF = "office_staff", _("Office staff")
    GROUP_LEADER = "group_leader", _("Group leader")
    GROUP_DEPUTY = "group_deputy", _("Deputy group leader")
    GROUP_MEMBER = "group_member", _("Group member")
    UNIT_LIAISON = "unit_liaison", _("Unit liaison")
    RECEIVER = "receiver", _("Receiver")
    SUPERVISOR = "supervisor", _("Superior office")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Security auditor")


class SystemRole(models.TextChoices):
    """The 三员: held on the account itself, so one account can hold at most one of them."""

    NONE = "", _("None")
    SYSADMIN = Role.SYSADMIN.value, Role.SYSADMIN.label
    SECADMIN = Role.SECADMIN.value, Role.SECADMIN.label
    AUDITOR = Role.AUDITOR.value, Role.AUDITOR.label


class ScopeKind(models.TextChoices):
    COMMITTEE = "committee", _("the committee")
    SUBTREE = "subtree", _("the committee and the committees under it")
    ORGANIZATION = "organization", _("one organization")
    INSTALLATION = "installation", _("the whole installation")


SYSTEM_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - SYSTEM_ROLES)
ORGANIZATION_ROLES = frozenset({Role.UNIT_LIAISON, Role.RECEIVER})
# Held through membership of one inspection group (rounds.GroupMember grants them).
GROUP_ROLES = frozenset({Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER})

SCOPE_OF_ROLE: dict[str, ScopeKind] = {
    Role.LEADER: ScopeKind.COMMITTEE,
    Role.OFFICE_ADMIN: ScopeKind.COMMITTEE,
    Role.OFFICE_STAFF: ScopeKind.COMMITTEE,
    Role.GROUP_LEADER: ScopeKind.COMMITTEE,
    Role.GROUP_DEPUTY: ScopeKind.COMMITTEE,
    Role.GROUP_MEMBER: ScopeKind.COMMITTEE,
    Role.UNIT_LIAISON: ScopeKind.ORGANIZATION,
    Role.RECEIVER: ScopeKind.ORGANIZATION,
    Role.SUPERVISOR: ScopeKind.SUBTREE,
    Role.SYSADMIN: ScopeKind.INSTALLATION,
    Role.SECADMIN: ScopeKind.INSTALLATION,
    Role.AUDITOR: ScopeKind.INSTALLATION,
}
