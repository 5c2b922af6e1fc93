"""The demo rectification of each feedback: its plan and the plan's review, the tasks with their
measures, their progress and evidence files, closure history, the progress report and its
disclosure. `Builder` draws them all from one random stream (the evidence files' names and
contents from a second), keeps them in memory, judges the measures' vagueness like the plan
services do, and saves them in bulk; the transfers and the evaluation draw from the same stream
afterwards.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from xuncha.access.models import User
from xuncha.demo import rectification_text as text
from xuncha.demo.rectification_rows import BATCH, at, insert, stamp
from xuncha.rectification.deadlines import add_months
from xuncha.rectification.models import (
    DeadlinePolicy,
    Disclosure,
    Plan,
    PlanStep,
    Progress,
    ProgressEvidence,
    ProgressReport,
    Task,
    TaskStep,
)
from xuncha.reports.models import Feedback
from xuncha.text import vagueness

T, S, A = Task.State, Task.Type, TaskStep.Action
NEXT = {A.REQUEST: T.REQUESTED, A.CLOSE: T.CLOSED, A.RETURN: T.OPEN, A.REOPEN: T.OPEN}
PLAN_NEXT = {PlanStep.Action.SUBMIT: Plan.State.SUBMITTED, PlanStep.Action.APPROVE: Plan.State.APPROVED,
             PlanStep.Action.RETURN: Plan.State.RETURNED}
SPLIT_RATE = 0.08  # problems answered by a task done at once and a long-term one


@dataclass(frozen=True)
class Tier:
    """A quality of rectification: how careless an organization's records are."""

    vague: float  # share of measures that are slogans
    late: float  # share of tasks closed after their deadline
    report_late: float
    plan_returned: float


@dataclass(frozen=True, slots=True)
class FedProblem:
    pk: int
    title: str
    amount: Decimal | None
    family: str


@dataclass(slots=True)
class _Task:
    row: Task
    family: str
    state: str = ""  # for a task due relative to the build day: the state to bring it to
    steps: list[TaskStep] = field(default_factory=list)
    progress: list[tuple[Progress, list[ProgressEvidence]]] = field(default_factory=list)
    last: datetime | None = None


@dataclass(slots=True)
class _Plan:
    row: Plan
    feedback: Feedback
    unit: text.Unit
    tier: Tier
    problems: list[FedProblem]
    tasks: list[_Task] = field(default_factory=list)
    steps: list[PlanStep] = field(default_factory=list)
    approved: date | None = None


class Builder:
    def __init__(self, seed: int, users: dict[str, User], liaisons: dict[int, User], today: date) -> None:
        self.rng = random.Random(f"rectification-{seed}")
        self.names = random.Random(f"rectification-files-{seed}")  # evidence names and contents
        self.users, self.liaisons, self.today = users, liaisons, today
        self.office = [users["office_admin"], users["office_staff"]]
        self.plans: list[_Plan] = []
        self.files: list[tuple[str, bytes]] = []
        self.reports: list[ProgressReport] = []
        self.disclosures: list[Disclosure] = []

    def clerk(self) -> User:
        return self.rng.choice(self.office)

    def days(self, first: date, last: date) -> date:
        """A day from first to last (the last when they cross), never after yesterday."""
        last = min(last, self.today - timedelta(days=1))
        first = min(first, last)
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    # -- the plan -----------------------------------------------------------------------------

    def plan(self, feedback: Feedback, unit: text.Unit, tier: Tier, problems: list[FedProblem]) -> _Plan:
        a = feedback.assignment
        row = Plan(feedback=feedback, organization_id=a.organization_id, round_id=a.round_id,
                   summary=f"针对反馈的{len(problems)}个问题，逐项制定整改措施，明确责任领导、牵头部门、责任人和完成时限。",
                   created_by=self.liaisons.get(a.organization_id))
        created = at(feedback.fed_back_on + timedelta(days=self.rng.randint(2, 6)), 9, self.rng.randint(0, 59))
        stamp(row, created_at=created, updated_at=created)
        item = _Plan(row, feedback, unit, tier, problems)
        self.plans.append(item)
        return item

    def write_tasks(self, item: _Plan, share: float = 1.0) -> None:
        rng, fb = self.rng, item.feedback
        used = text.Used()
        problems = item.problems[: max(1, round(len(item.problems) * share))]
        for p in problems:
            roll = rng.random()
            kinds = ([S.IMMEDIATE, S.LONG_TERM] if roll < SPLIT_RATE else [S.IMMEDIATE] if roll < 0.22
                     else [S.LONG_TERM] if roll < 0.28 else [S.CONCENTRATED])
            for kind in kinds:
                due = self.due(fb, kind)
                measures = (text.slogan(rng, used) if rng.random() < item.tier.vague
                            else text.measure(item.unit, p.family, p.title, p.amount, due, kind, rng, used))
                self.add_task(item, p, measures, due, kind)

    def add_task(self, item: _Plan, p: FedProblem, measures: str, due: date, kind: str) -> _Task:
        unit = item.unit
        row = Task(plan=item.row, problem_id=p.pk, seq=len(item.tasks) + 1, measures=measures, due=due, type=kind,
                   responsible_leader=text.person(unit, 0, unit.words["leader"]),
                   lead_department=text.lead_department(unit, p.family),
                   person_in_charge=text.person(unit, 1 + len(item.tasks) % 2, unit.words["finance"]),
                   owner=self.liaisons.get(item.row.organization_id))
        task = _Task(row, p.family)
        item.tasks.append(task)
        return task

    def relative(self, item: _Plan, specs: tuple[tuple[int, str], ...]) -> None:
        """Long-term tasks due some days from the build day, to be brought to a state."""
        for offset, state in specs:
            p = item.problems[len(item.tasks) % len(item.problems)]
            due = self.today + timedelta(days=offset)
            measures = text.measure(item.unit, p.family, p.title, p.amount, due, S.LONG_TERM, self.rng, text.Used())
            self.add_task(item, p, measures, due, S.LONG_TERM).state = state

    def due(self, fb: Feedback, kind: str) -> date:
        rng, fed, end = self.rng, fb.fed_back_on, fb.rectification_due
        if kind == S.IMMEDIATE:
            return min(end, fed + timedelta(days=rng.randint(20, 35)))
        if kind == S.CONCENTRATED:
            return end if rng.random() < 0.6 else fed + timedelta(days=rng.randint(45, (end - fed).days))
        return add_months(add_months(end, rng.randint(3, 9)).replace(day=1), 1) - timedelta(days=1)  # a month's end

    def review(self, item: _Plan, moves: list[tuple[str, date]]) -> None:
        """The plan's submissions and the office's decisions, in order; the last stays on it."""
        row, rng = item.row, self.rng
        state = Plan.State.DRAFT
        for action, day in moves:
            submit = action == PlanStep.Action.SUBMIT
            actor = self.liaisons.get(row.organization_id) if submit else self.clerk()
            comment = "" if submit else rng.choice(text.APPROVE if action == PlanStep.Action.APPROVE
                                                   else text.RETURN_PLAN)
            moment = at(day, 10 if submit else 16, rng.randint(0, 59))
            item.steps.append(PlanStep(plan=row, action=action, from_state=state, to_state=PLAN_NEXT[action],
                                       actor=actor, at=moment, comment=comment))
            state = PLAN_NEXT[action]
            if submit:
                row.submitted_at = moment
            else:
                row.decided_at, row.decided_by, row.comment = moment, actor, comment
        row.state = state
        item.approved = moves[-1][1] if state == Plan.State.APPROVED else None
        stamp(row, updated_at=item.steps[-1].at)

    def approve(self, item: _Plan, returned: bool) -> None:
        rng, fed, P = self.rng, item.feedback.fed_back_on, PlanStep.Action
        submitted = fed + timedelta(days=rng.randint(8, 14))
        if returned:
            back = submitted + timedelta(days=rng.randint(2, 4))
            again = back + timedelta(days=rng.randint(3, 6))
            self.review(item, [(P.SUBMIT, submitted), (P.RETURN, back), (P.SUBMIT, again),
                               (P.APPROVE, again + timedelta(days=rng.randint(2, 5)))])
        else:
            self.review(item, [(P.SUBMIT, submitted), (P.APPROVE, submitted + timedelta(days=rng.randint(3, 8)))])

    # -- a task's work ---------------------------------------------------------------------------

    def step(self, task: _Task, action: str, day: date, comment: str = "") -> None:
        row = task.row
        actor = row.owner if action == A.REQUEST else self.clerk()
        moment = at(day, 14 if action == A.REQUEST else 16, self.rng.randint(0, 59))
        if task.steps and moment <= task.steps[-1].at:  # two steps the same day, in their order
            moment = task.steps[-1].at + timedelta(minutes=self.rng.randint(20, 90))
        task.steps.append(TaskStep(task=row, action=action, from_state=row.state, to_state=NEXT[action],
                                   actor=actor, at=moment, comment=comment))
        row.state = NEXT[action]
        if action == A.CLOSE:
            row.closed_at, row.closed_by = moment, actor
        elif action == A.REOPEN:
            row.closed_at, row.closed_by = None, None
        task.last = moment

    def work(self, task: _Task, unit: text.Unit, first: date, last: date, *, evidence: bool) -> None:
        """One or two progress updates from first to last; the files come with the last."""
        rng, liaison = self.rng, task.row.owner
        count = 1 if rng.random() < 0.75 else 2
        for n, day in enumerate(sorted(self.days(first, last) for _ in range(count))):
            row = Progress(task=task.row, reported_on=day, reported_by=liaison,
                           text=text.progress(unit, task.family, rng, first=n == 0 and count == 2))
            moment = at(day, 10, rng.randint(0, 59))
            stamp(row, created_at=moment)
            files = ([self.evidence(row, task.family, day, liaison) for _ in range(1 if rng.random() < 0.85 else 2)]
                     if evidence and n == count - 1 else [])
            task.progress.append((row, files))
            task.last = max(task.last or moment, moment)

    def evidence(self, progress: Progress, family: str, day: date, uploader: User | None) -> ProgressEvidence:
        names = self.names
        name, ext = text.evidence(family, names)
        token = f"{names.getrandbits(64):016x}"
        content = (text.pdf(["Rectification evidence", f"Reference {token}", f"Date {day.isoformat()}"])
                   if ext == "pdf" else text.png(token, names.randint(0, 255)))
        path = f"rectification/{day:%Y/%m}/{names.getrandbits(128):032x}.{ext}"
        self.files.append((path, content))
        row = ProgressEvidence(progress=progress, file=path, original_name=name, size=len(content),
                               content_type="application/pdf" if ext == "pdf" else "image/png",
                               sha256=hashlib.sha256(content).hexdigest(), uploaded_by=uploader)
        stamp(row, uploaded_at=at(day, 11, self.rng.randint(0, 59)))
        return row

    def closed(self, task: _Task, unit: text.Unit, start: date, done: date, *, returned: bool = False) -> None:
        """Worked from `start`, closure requested and closed on `done` (the request returned once first)."""
        rng = self.rng
        done = min(done, self.today - timedelta(days=1))
        request = max(start, done - timedelta(days=rng.randint(1, 4)))
        if returned:
            first = max(start, request - timedelta(days=rng.randint(8, 20)))
            self.work(task, unit, start, first, evidence=True)
            self.step(task, A.REQUEST, first, rng.choice(text.REQUEST))
            start = min(first + timedelta(days=2), request)
            self.step(task, A.RETURN, start, rng.choice(text.RETURN_CLOSURE))
            start += timedelta(days=1)  # the files asked for come after the return
        self.work(task, unit, start, request, evidence=True)
        self.step(task, A.REQUEST, request, rng.choice(text.REQUEST))
        self.step(task, A.CLOSE, max(request, done), rng.choice(text.CLOSE))

    def play(self, task: _Task, unit: text.Unit, start: date, state: str) -> None:
        """Bring a task of a plan approved on `start` to `state` (requested, returned, reopened,
        or open) by today."""
        rng, today = self.rng, self.today
        recent = max(start + timedelta(days=3), today - timedelta(days=rng.randint(10, 40)))
        if state in ("requested", "returned"):
            self.work(task, unit, start + timedelta(days=1), recent, evidence=True)
            self.step(task, A.REQUEST, self.days(recent, today), rng.choice(text.REQUEST))
            if state == "returned":
                self.step(task, A.RETURN, self.days(task.last.date() + timedelta(days=2), today),
                          rng.choice(text.RETURN_CLOSURE))
        elif state == "reopened":
            done = self.days(start + timedelta(days=5), recent - timedelta(days=20))
            self.closed(task, unit, start + timedelta(days=1), done)
            self.step(task, A.REOPEN, self.days(done + timedelta(days=7), recent), rng.choice(text.REOPEN))
        elif rng.random() < 0.6:  # open, perhaps with progress but no files yet
            self.work(task, unit, start + timedelta(days=1), recent, evidence=False)

    def work_tasks(self, item: _Plan, *, completed: bool, reopen: bool = False) -> None:
        rng, start = self.rng, item.approved
        for task in item.tasks:
            if task.state:
                self.play(task, item.unit, max(start, self.today - timedelta(days=120)), task.state)
                continue
            roll = rng.random()
            if completed or (task.row.type != S.LONG_TERM and roll < 0.5):
                due = task.row.due
                done = (due + timedelta(days=rng.randint(3, 45)) if rng.random() < item.tier.late
                        else max(start + timedelta(days=4), due - timedelta(days=rng.randint(0, 30))))
                self.closed(task, item.unit, start + timedelta(days=1), done, returned=rng.random() < 0.05)
                if reopen and completed:
                    reopen, again = False, self.days(done + timedelta(days=20), done + timedelta(days=60))
                    self.step(task, A.REOPEN, again, rng.choice(text.REOPEN))
                    self.closed(task, item.unit, again, again + timedelta(days=rng.randint(15, 40)))
            elif task.row.type == S.LONG_TERM:
                self.play(task, item.unit, start, "requested" if roll < 0.2 else "open")
            else:
                self.play(task, item.unit, start, "requested" if roll < 0.62 else "returned" if roll < 0.69
                          else "reopened" if roll < 0.73 else "open")

    # -- progress report and disclosure ----------------------------------------------------------

    def report(self, item: _Plan, policies: list[DeadlinePolicy], state: str, disclose: str = "yes") -> None:
        """The progress report in `state` (missing, draft, submitted, returned, reviewed) and its
        disclosure (yes, late, no, or recent: reviewed a few days ago and not yet published)."""
        if state == "missing":
            return
        rng, fb, unit, today = self.rng, item.feedback, item.unit, self.today
        a, liaison = fb.assignment, self.liaisons.get(fb.assignment.organization_id)
        due, body = fb.progress_report_due, text.body(unit)
        submitted = (due + timedelta(days=rng.randint(2, 25)) if rng.random() < item.tier.report_late
                     else max(fb.fed_back_on + timedelta(days=20), due - timedelta(days=rng.randint(0, 12))))
        submitted = min(self.days(today - timedelta(days=8), today) if state == "submitted" else submitted,
                        today - timedelta(days=1))
        closed = [t for t in item.tasks if t.row.closed_at and timezone.localdate(t.row.closed_at) <= submitted]
        money = sum((p.amount for p in item.problems if p.amount), Decimal(0)) * Decimal("0.6")
        row = ProgressReport(
            feedback=fb, organization_id=a.organization_id, round_id=a.round_id, due=due, created_by=liaison,
            title=text.report_title(body, a.round.label),
            text=text.report_text(body, a.round.label, fb.fed_back_on, problems=len(item.problems),
                                  tasks=len(item.tasks), closed=len(closed), amount=money.quantize(Decimal("0.01")),
                                  rules=sum(1 for t in closed if "修订《" in t.row.measures)))
        stamp(row, created_at=at(max(fb.fed_back_on + timedelta(days=5), submitted - timedelta(days=10)), 9))
        self.reports.append(row)
        if state == "draft":
            row.text = row.text.split("\n", 1)[0]
            return
        row.state, row.submitted_on, row.submitted_by = ProgressReport.State.SUBMITTED, submitted, liaison
        if state == "returned":
            row.state, row.opinion = ProgressReport.State.RETURNED, text.REPORT_RETURN
        if state != "reviewed":
            return
        reviewed = (self.days(today - timedelta(days=12), today) if disclose == "recent"
                    else self.days(submitted + timedelta(days=4), submitted + timedelta(days=15)))
        rules = max((p for p in policies if p.effective_from <= reviewed), key=lambda p: p.effective_from)
        row.state, row.opinion = ProgressReport.State.REVIEWED, rng.choice(text.REPORT_OPINION)
        row.reviewed_on, row.reviewed_by, row.policy = reviewed, self.clerk(), rules
        row.disclosure_due = add_months(reviewed, rules.disclosure_months)
        if disclose in ("no", "recent"):
            return
        first = (row.disclosure_due + timedelta(days=rng.randint(5, 20)) if disclose == "late"
                 else self.days(reviewed + timedelta(days=3), row.disclosure_due - timedelta(days=1)))
        for n in range(1 if rng.random() < 0.8 else 2):
            channel, place, title, content = text.disclosure(unit, body, a.round.label, rng)
            day = min(first + timedelta(days=n * rng.randint(1, 6)), today)
            d = Disclosure(report=row, published_on=day, channel=channel, place=place, title=title, content=content,
                           recorded_by=liaison or self.office[1])
            stamp(d, created_at=at(day, 15, rng.randint(0, 59)))
            self.disclosures.append(d)

    # -- saving --------------------------------------------------------------------------------

    def assess(self) -> None:
        """The vagueness of every measure among the plan's measures for its other problems, as the
        plan services compute it; a returned plan's office comments go on its vague tasks."""
        for item in self.plans:
            # The office's comments stay on the tasks until its next decision.
            commented = item.row.state != Plan.State.APPROVED and any(
                s.action == PlanStep.Action.RETURN for s in item.steps)
            for task in item.tasks:
                found = vagueness.assess(task.row.measures, others=[o.row.measures for o in item.tasks
                                                                    if o.row.problem_id != task.row.problem_id])
                task.row.vagueness, task.row.vague = found.score, found.vague
                if commented and found.vague:
                    task.row.review_comment = (text.COPY_TASK if "copy" in found.reasons
                                               else self.rng.choice(text.VAGUE_TASK))

    def save(self, data_dir: Path) -> dict[str, int]:
        for item in self.plans:
            for i, task in enumerate(item.tasks):
                created = item.row._demo_stamps["created_at"] + timedelta(minutes=5 + i)
                stamp(task.row, created_at=created, updated_at=max(created, task.last or created))
        insert(Plan, [p.row for p in self.plans])
        PlanStep.objects.bulk_create([s for p in self.plans for s in p.steps], batch_size=BATCH)
        tasks = [t for p in self.plans for t in p.tasks]
        insert(Task, [t.row for t in tasks])
        TaskStep.objects.bulk_create([s for t in tasks for s in t.steps], batch_size=BATCH)
        progress = [(row, files) for t in tasks for row, files in t.progress]
        insert(Progress, [row for row, _ in progress])
        evidence = [e for _, files in progress for e in files]
        insert(ProgressEvidence, evidence)
        root = Path(data_dir) / "uploads"
        for path, content in self.files:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(content)
        insert(ProgressReport, self.reports)
        insert(Disclosure, self.disclosures)
        return {"rectification_plans": len(self.plans), "rectification_tasks": len(tasks),
                "task_steps": sum(len(t.steps) for t in tasks), "task_progress": len(progress),
                "evidence_files": len(evidence), "progress_reports": len(self.reports),
                "disclosures": len(self.disclosures), "vague_measures": sum(t.row.vague for t in tasks)}

