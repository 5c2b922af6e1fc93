"""Access rules for the access app's own models."""

from xuncha.access import policy
from xuncha.access.models import ApiToken, AuditEvent, RoleAssignment, User
from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW
from xuncha.access.roles import Role

# sysadmin manages accounts; secadmin grants roles; auditor reads the audit log.
policy.register(User, grants={
    Role.SYSADMIN: {VIEW, CREATE, CHANGE},
    Role.SECADMIN: {VIEW},
})
policy.register(RoleAssignment, grants={
    Role.SECADMIN: {VIEW, CREATE, DELETE},
    Role.SYSADMIN: {VIEW},
})
policy.register(AuditEvent, grants={
    Role.AUDITOR: {VIEW, EXPORT},
})
policy.register(
    ApiToken, grants={}, owner_path="user", owner_actions={VIEW, CREATE, DELETE},
)
