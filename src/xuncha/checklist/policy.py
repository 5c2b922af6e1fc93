"""Access rules for the checklist: the office keeps it; everyone who inspects reads it."""

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, EXPORT, IMPORT, VIEW
from xuncha.access.roles import Role
from xuncha.checklist.models import Item, Library, Version

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
READERS = (Role.LEADER, *OFFICE, Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER, Role.SUPERVISOR)


def _grants() -> dict[str, set[str]]:
    grants = {role: {VIEW, EXPORT} for role in READERS}
    for role in OFFICE:
        grants[role] |= {CREATE, CHANGE, IMPORT}
    return grants


policy.register(Library, grants=_grants(), committee_path="committee")
policy.register(Version, grants=_grants(), committee_path="library__committee")
policy.register(Item, grants=_grants(), committee_path="version__library__committee")
