"""Access rules for regulations and study. The rules library and the campaigns are the
committee's reference material: every business role of the committee reads them (an
organization's liaison or receiver within its organization's committee); the office keeps them.
Study activities are recorded by the organization itself (its liaison) or by the office."""

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW
from xuncha.access.roles import Role
from xuncha.regulations.models import (
                Provision,
                Regulation,
                RegulationVersion,
                StudyActivity,
                StudyCampaign,
)

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
GROUP = (Role.GROUP_LEADER, Role.GROUP_DEPUTY, Role.GROUP_MEMBER)
READERS = (Role.LEADER, *OFFICE, *GROUP, Role.SUPERVISOR, Role.UNIT_LIAISON, Role.RECEIVER)

LIBRARY = policy.grants((READERS, {VIEW, EXPORT}), (OFFICE, {CREATE, CHANGE, DELETE}))
policy.register(Regulation, grants=LIBRARY, committee_path="committee", reference=True)
policy.register(RegulationVersion, grants=LIBRARY, committee_path="regulation__committee", reference=True)
policy.register(Provision, grants=policy.grants((READERS, {VIEW, EXPORT})),
                committee_path="version__regulation__committee", reference=True)
policy.register(StudyCampaign,
                grants=policy.grants(((Role.LEADER, *OFFICE, Role.SUPERVISOR, Role.UNIT_LIAISON), {VIEW}),
                                     (OFFICE, {CREATE, CHANGE, EXPORT})),
                committee_path="committee", reference=True)
policy.register(StudyActivity,
                grants=policy.grants(((Role.LEADER, *OFFICE, Role.SUPERVISOR, Role.UNIT_LIAISON), {VIEW}),
                                     ((*OFFICE, Role.UNIT_LIAISON), {CREATE, CHANGE, DELETE}), (OFFICE, {EXPORT})),
                committee_path="committee", organization_path="organization")
