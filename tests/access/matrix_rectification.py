"""The permission matrix for rectification: plans and everything under them, the progress report
and its disclosure, transfers, evaluation and the reminder log.

"in" objects: a plan of 东门村 (the unit liaison's organization) in 示例县委, and a transfer of a
general problem to 县财政局 (the receiver's organization). "out" objects belong to 邻县县委.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xuncha.checklist.models import Item, Library, Version
from xuncha.findings.models import Problem
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
from xuncha.reports.models import Feedback, Report
from xuncha.rounds.models import Assignment, Group, Round, Term


def _t(**by_role: str) -> dict[str, set[str]]:
    return {role: set(actions.split()) for role, actions in by_role.items()}


SUP = _t(supervisor="view")
READ = dict(leader="view", office_admin="view", office_staff="view", supervisor="view", unit_liaison="view")
OFFICE_ONLY = dict(leader="view", office_admin="view create change delete", office_staff="view create change delete")
EVALUATION = dict(leader="view", office_admin="view change", office_staff="view change", supervisor="view")

EXPECTED = {
    "Plan": {"in": _t(**{**READ, "leader": "view export", "office_admin": "view create change export",
                         "office_staff": "view create change export", "unit_liaison": "view create change export"}),
             "out": SUP},
    "PlanStep": {"in": _t(**READ), "out": SUP},
    "Task": {"in": _t(**{**READ, "leader": "view export", "office_admin": "view change export",
                         "office_staff": "view change export", "unit_liaison": "view create change delete export"}),
             "out": SUP},
    "TaskStep": {"in": _t(**READ), "out": SUP},
    "Progress": {"in": _t(**{**READ, "unit_liaison": "view create"}), "out": SUP},
    "ProgressEvidence": {"in": _t(**{**READ, "unit_liaison": "view create delete"}), "out": SUP},
    "ProgressReport": {"in": _t(**{**READ, "office_admin": "view change", "office_staff": "view change",
                                   "unit_liaison": "view create change"}), "out": SUP},
    "Disclosure": {"in": _t(**{**READ, "office_admin": "view create change delete",
                               "office_staff": "view create change delete", "unit_liaison": "view create"}),
                   "out": SUP},
    "Transfer": {"in": _t(leader="view export", office_admin="view create change export",
                          office_staff="view create change export", supervisor="view", receiver="view change"),
                 "out": SUP},
    "TransferAction": {"in": _t(leader="view", office_admin="view", office_staff="view", supervisor="view",
                                receiver="view create"), "out": SUP},
    "EvaluationTemplate": {"in": _t(**OFFICE_ONLY), "out": _t()},
    "Criterion": {"in": _t(**OFFICE_ONLY), "out": _t()},
    "Deduction": {"in": _t(**OFFICE_ONLY), "out": _t()},
    "EvaluationBatch": {"in": _t(leader="view export", office_admin="view create change export",
                                 office_staff="view create change export", supervisor="view"), "out": SUP},
    "Evaluation": {"in": _t(**EVALUATION), "out": SUP},
    "EvaluationScore": {"in": _t(**EVALUATION), "out": SUP},
    "Reminder": {"in": _t(office_admin="view", office_staff="view"), "out": _t()},
}


def _objects(committee, organization, receiver, recipient, library_kind) -> dict:
    now = timezone.now()
    term = Term.objects.create(committee=committee, number=9, name="第九届", start_date=date(2023, 1, 1))
    round_ = Round.objects.create(term=term, number=1, planned_entry=date(2023, 3, 1),
                                  planned_exit=date(2023, 4, 30), state=Round.State.COMPLETED)
    group = Group.objects.create(round=round_, number=1)
    assignment = Assignment.objects.create(group=group, organization=organization)
    library = Library.objects.create(committee=committee, kind=library_kind, name="整改矩阵指引")
    version = Version.objects.create(library=library, number=1)
    focus = Item.objects.create(version=version, level=1, key="R1", title="全面从严治党")
    point = Item.objects.create(version=version, level=2, parent=focus, key="R1.1", title="财务管理")
    item = Item.objects.create(version=version, level=3, parent=point, key="R1.1.1", title="白条入账")
    problem = Problem.objects.create(assignment=assignment, seq=1, title="白条入账", description="……",
                                     classification=item, fed_back=True)
    policy = DeadlinePolicy.objects.create(committee=committee, effective_from=date(2023, 1, 1))
    report = Report.objects.create(assignment=assignment, title="巡察报告")
    feedback = Feedback.objects.create(assignment=assignment, report=report, state=Feedback.State.ISSUED,
                                       fed_back_on=date(2023, 6, 1), policy=policy,
                                       rectification_due=date(2023, 9, 1), progress_report_due=date(2023, 9, 1))
    plan = Plan.objects.create(feedback=feedback, organization=organization, round=round_,
                               state=Plan.State.APPROVED)
    task = Task.objects.create(plan=plan, problem=problem, seq=1, measures="2023年7月底前补齐凭证",
                               responsible_leader="张三", lead_department="财务室", person_in_charge="李四",
                               due=date(2023, 7, 31))
    progress = Progress.objects.create(task=task, reported_on=date(2023, 7, 1), text="已补齐凭证12张")
    report_ = ProgressReport.objects.create(feedback=feedback, organization=organization, round=round_,
                                            due=date(2023, 9, 1), title="整改进展情况报告")
    transfer = Transfer.objects.create(round=round_, problem=problem, receiver=receiver, summary="……",
                                       transferred_on=date(2023, 6, 5), policy=policy, feedback_due=date(2023, 9, 5))
    template = EvaluationTemplate.objects.create(committee=committee, name="整改评估评分表")
    criterion = Criterion.objects.create(template=template, seq=1, title="组织领导", points=15)
    batch = EvaluationBatch.objects.create(committee=committee, title="2023年整改评估", period_start=date(2023, 1, 1),
                                           period_end=date(2023, 12, 31), template=template)
    evaluation = Evaluation.objects.create(batch=batch, feedback=feedback, organization=organization)
    return {
        "Plan": plan,
        "PlanStep": PlanStep.objects.create(plan=plan, action="submit", from_state="draft", to_state="submitted",
                                            at=now),
        "Task": task,
        "TaskStep": TaskStep.objects.create(task=task, action="request", from_state="open", to_state="requested",
                                            at=now),
        "Progress": progress,
        "ProgressEvidence": ProgressEvidence.objects.create(progress=progress, file="rectification/x.pdf",
                                                            original_name="x.pdf", content_type="application/pdf",
                                                            size=10, sha256="0" * 64),
        "ProgressReport": report_,
        "Disclosure": Disclosure.objects.create(report=report_, published_on=date(2023, 10, 1), channel="website",
                                                place="https://example.gov.cn/", title="整改情况通报"),
        "Transfer": transfer,
        "TransferAction": TransferAction.objects.create(transfer=transfer, on=date(2023, 7, 1),
                                                        method="preliminary"),
        "EvaluationTemplate": template,
        "Criterion": criterion,
        "Deduction": Deduction.objects.create(criterion=criterion, seq=1, description="未按期报送", points=2),
        "EvaluationBatch": batch,
        "Evaluation": evaluation,
        "EvaluationScore": EvaluationScore.objects.create(evaluation=evaluation, criterion=criterion, score=12),
        "Reminder": Reminder.objects.create(committee=committee, recipient=recipient, subject=f"task:{task.pk}",
                                            level="yellow", due=task.due, email="a@example.org", sent_at=now),
    }


def rectification_objects(world, other_admin) -> dict[str, tuple]:
    kind = world.kinds["department"]
    inside = _objects(world.county, world.village, world.department, world.users["office_admin"], kind)
    outside = _objects(world.other, world.other_township, world.other_township, other_admin, kind)
    return {name: (inside[name], outside[name]) for name in inside}
