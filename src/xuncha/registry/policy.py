"""Access rules for the registry. The permission-matrix test pins what these allow."""

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, EXPORT, IMPORT, VIEW
from xuncha.access.roles import Role
from xuncha.registry.models import (
    Committee,
    ImportJob,
    Organization,
    OrganizationKind,
    Person,
    Relative,
    WorkHistory,
)

READERS = (
    Role.LEADER, Role.OFFICE_ADMIN, Role.OFFICE_STAFF,
    Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER, Role.SUPERVISOR,
)
OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
OFFICE_WRITE = {VIEW, CREATE, CHANGE, IMPORT, EXPORT}


def _grants(readers, writers, **extra):
    grants = {role: {VIEW} for role in readers}
    for role in writers:
        grants[role] = set(OFFICE_WRITE)
    grants.update(extra)
    return grants


policy.register(
    Committee,
    grants=_grants(READERS, (), **{Role.SYSADMIN: {VIEW, CREATE, CHANGE}, Role.SECADMIN: {VIEW}}),
    committee_path="",
)
policy.register(
    OrganizationKind,
    grants={**{role: {VIEW} for role in (*READERS, Role.UNIT_LIAISON, Role.RECEIVER)},
            Role.SYSADMIN: {VIEW, CREATE, CHANGE}},
    shared=True,
)
policy.register(
    Organization,
    grants=_grants(
        READERS, OFFICE,
        **{Role.LEADER: {VIEW, EXPORT}, Role.UNIT_LIAISON: {VIEW}, Role.RECEIVER: {VIEW},
           Role.SECADMIN: {VIEW}},
    ),
    committee_path="committee",
    organization_path="",
)
policy.register(
    Person,
    grants=_grants(READERS, OFFICE, **{Role.LEADER: {VIEW, EXPORT}, Role.UNIT_LIAISON: {VIEW}}),
    committee_path="committee",
    organization_path="organization",
)
for detail in (WorkHistory, Relative):
    # Where people worked and who their relatives are serves recusal; units never see it.
    policy.register(
        detail,
        grants=_grants(READERS, OFFICE),
        committee_path="person__committee",
        organization_path="person__organization",
    )

# An import job (progress and error list of one upload) is seen only by whoever started it;
# who may import at all is decided on Organization / Person ("import").
policy.register(ImportJob, grants={}, owner_path="created_by", owner_actions={VIEW})
