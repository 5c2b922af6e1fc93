"""Access rules for rectification. The deadline policy is the office's, read by those who plan."""

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, VIEW
from xuncha.access.roles import Role
from xuncha.rectification.models import DeadlinePolicy

policy.register(DeadlinePolicy,
                grants={Role.LEADER: {VIEW}, Role.OFFICE_ADMIN: {VIEW, CREATE, CHANGE}, Role.OFFICE_STAFF: {VIEW},
                        Role.SUPERVISOR: {VIEW}},
                committee_path="committee")
