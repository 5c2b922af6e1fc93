"""Access rules for rectification.

The deadline policy is the office's, read by those who plan. A plan and everything under it
(tasks, progress, evidence, the progress report and its disclosure) belong to the inspected
organization: its liaison writes them; the office reviews, closes and reopens (services tell the
two kinds of CHANGE apart with `roles=`); the leading group and the superior office read.
Inspection groups have finished by then and see none of it.

Transfers belong to the office that hands them over and to the receiver they were handed to:
a receiver sees only transfers to its own organization, never the problem or papers behind
them (the transfer carries what was handed over), and the superior office never sees a
transferred lead. Evaluation is the office's, read by the leading group and the superior office.
"""

from xuncha.access import policy
from xuncha.access.policy import CHANGE, CREATE, DELETE, EXPORT, VIEW
from xuncha.access.roles import Role
from xuncha.rectification.models import (
    Criterion,
    DeadlinePolicy,
    Deduction,
    Disclosure,
    Evaluation,
    EvaluationBatch,
    EvaluationScore,
    EvaluationTemplate,
    Plan,
    PlanStep,
    Progress,
    ProgressEvidence,
    ProgressReport,
    Reminder,
    Task,
    TaskStep,
    Transfer,
    TransferAction,
)

OFFICE = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF)
LIAISON = (Role.UNIT_LIAISON,)
RECEIVER = (Role.RECEIVER,)
_grants = policy.grants

policy.register(DeadlinePolicy,
                grants={Role.LEADER: {VIEW}, Role.OFFICE_ADMIN: {VIEW, CREATE, CHANGE}, Role.OFFICE_STAFF: {VIEW},
                        Role.SUPERVISOR: {VIEW}},
                committee_path="committee")

READ = ((Role.LEADER, *OFFICE, Role.SUPERVISOR, *LIAISON), {VIEW})


def _organization_owned(model, prefix: str, *extra) -> None:
    policy.register(model, grants=_grants(READ, *extra), committee_path=f"{prefix}round__committee",
                    organization_path=f"{prefix}organization")


_organization_owned(Plan, "", (OFFICE, {CREATE, CHANGE, EXPORT}), ((Role.LEADER,), {EXPORT}),
                    (LIAISON, {CREATE, CHANGE, EXPORT}))
_organization_owned(PlanStep, "plan__")
_organization_owned(Task, "plan__", (OFFICE, {CHANGE, EXPORT}), ((Role.LEADER,), {EXPORT}),
                    (LIAISON, {CREATE, CHANGE, DELETE, EXPORT}))
_organization_owned(TaskStep, "task__plan__")
_organization_owned(Progress, "task__plan__", (LIAISON, {CREATE}))
_organization_owned(ProgressEvidence, "progress__task__plan__", (LIAISON, {CREATE, DELETE}))
_organization_owned(ProgressReport, "", (OFFICE, {CHANGE}), (LIAISON, {CREATE, CHANGE}))
_organization_owned(Disclosure, "report__", (OFFICE, {CREATE, CHANGE, DELETE}), (LIAISON, {CREATE}))

NOT_LEADS = {Role.SUPERVISOR: ("problem__kind", "lead")}
policy.register(Transfer,
                grants=_grants(((Role.LEADER, *OFFICE, Role.SUPERVISOR, *RECEIVER), {VIEW}),
                               (OFFICE, {CREATE, CHANGE, EXPORT}), ((Role.LEADER,), {EXPORT}), (RECEIVER, {CHANGE})),
                committee_path="round__committee", organization_path="receiver", hidden_from=NOT_LEADS)
policy.register(TransferAction,
                grants=_grants(((Role.LEADER, *OFFICE, Role.SUPERVISOR, *RECEIVER), {VIEW}), (RECEIVER, {CREATE})),
                committee_path="transfer__round__committee", organization_path="transfer__receiver",
                hidden_from={Role.SUPERVISOR: ("transfer__problem__kind", "lead")})

for model, path in ((EvaluationTemplate, "committee"), (Criterion, "template__committee"),
                    (Deduction, "criterion__template__committee")):
    policy.register(model, grants=_grants(((Role.LEADER,), {VIEW}), (OFFICE, {VIEW, CREATE, CHANGE, DELETE})),
                    committee_path=path)
EVALUATION_READ = ((Role.LEADER, *OFFICE, Role.SUPERVISOR), {VIEW})
policy.register(EvaluationBatch,
                grants=_grants(EVALUATION_READ, (OFFICE, {CREATE, CHANGE, EXPORT}), ((Role.LEADER,), {EXPORT})),
                committee_path="committee")
policy.register(Evaluation, grants=_grants(EVALUATION_READ, (OFFICE, {CHANGE})), committee_path="batch__committee")
policy.register(EvaluationScore, grants=_grants(EVALUATION_READ, (OFFICE, {CHANGE})),
                committee_path="evaluation__batch__committee")

# The log of e-mail reminders: the office reads its committee's; a recipient reads their own.
policy.register(Reminder, grants=_grants((OFFICE, {VIEW})), committee_path="committee",
                owner_path="recipient", owner_actions={VIEW})
