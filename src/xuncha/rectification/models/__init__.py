"""Rectification (整改): the deadline policy, plans and tasks with progress and closure, the
organization's progress report and its public disclosure, transfers of problems and leads to
receivers, rectification evaluation, and the log of reminders sent."""

from xuncha.rectification.models.deadlines import DeadlinePolicy
from xuncha.rectification.models.evaluation import (
    Criterion,
    Deduction,
    Evaluation,
    EvaluationBatch,
    EvaluationScore,
    EvaluationTemplate,
)
from xuncha.rectification.models.plans import (
    Plan,
    PlanStep,
    Progress,
    ProgressEvidence,
    Task,
    TaskStep,
)
from xuncha.rectification.models.reminders import Reminder
from xuncha.rectification.models.reports import Disclosure, ProgressReport
from xuncha.rectification.models.transfers import Transfer, TransferAction

__all__ = [
    "Criterion", "DeadlinePolicy", "Deduction", "Disclosure", "Evaluation", "EvaluationBatch", "EvaluationScore",
    "EvaluationTemplate", "Plan", "PlanStep", "Progress", "ProgressEvidence", "ProgressReport", "Reminder", "Task",
    "TaskStep", "Transfer", "TransferAction",
]
