"""Store the demo rectification of the county's present term: for every issued feedback a plan
with its tasks, their progress, evidence files and closure history, the progress report and its
disclosure; transfers of the leads, cadre-selection problems and a few general problems to their
receivers, with the receivers' handling; one concluded evaluation batch. Runs inside the demo's
one transaction, right after the reports.

Completed rounds are done: plans approved (some after a return), every task closed (a few late,
a couple reopened and closed again), progress reports reviewed, disclosures made (one late, one
missing). The rectifying round shows every state: plans being written, awaiting review, returned
with a comment on a vague measure, approved; tasks open, awaiting closure, returned, closed,
reopened; a progress report awaiting review and a missing one. The app compares deadlines with
the real date, so some long-term tasks are due a few days from the day the demo is built; those
of the liaison accounts' organizations show every warning colour.

Each organization of a completed round is given a quality of rectification (named after the
grade it should earn) that decides how many of its measures are slogans, how many tasks close
late and whether its report is late; the evaluation applies the deductions the measured
indicators suggest, plus the evaluator's own, so grades follow the records. Rows are bulk-inserted
from the models (no services); stamps that the models set on save are written afterwards.
Evidence files are small PDF and PNG files, stored under the data directory's uploads (the
default storage's location) with their size and SHA-256.
"""

from __future__ import annotations

import hashlib
import random
import time as clock
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from xuncha.access import policy
from xuncha.access.models import RoleAssignment, User
from xuncha.access.roles import Role
from xuncha.demo import rectification_text as text
from xuncha.demo.catalog import DISCIPLINE, ORGANIZATION_DEPARTMENT
from xuncha.demo.findings_build import TERM
from xuncha.demo.findings_text import family_of
from xuncha.findings.models import Kind, Problem
from xuncha.rectification import indicators
from xuncha.rectification.deadlines import add_months
from xuncha.rectification.evaluation_defaults import default_template
from xuncha.rectification.models import (
    DeadlinePolicy,
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
    Task,
    TaskStep,
    Transfer,
    TransferAction,
)
from xuncha.rectification.services_evaluation import grade_for, selection
from xuncha.registry.models import Committee, Organization, Person
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Round
from xuncha.text import vagueness

BATCH = 500
T, S, A = Task.State, Task.Type, TaskStep.Action
NEXT = {A.REQUEST: T.REQUESTED, A.CLOSE: T.CLOSED, A.RETURN: T.OPEN, A.REOPEN: T.OPEN}
PLAN_NEXT = {PlanStep.Action.SUBMIT: Plan.State.SUBMITTED, PlanStep.Action.APPROVE: Plan.State.APPROVED,
             PlanStep.Action.RETURN: Plan.State.RETURNED}
FED_BACK = (Round.State.FEEDBACK, Round.State.RECTIFYING, Round.State.COMPLETED)
SPLIT_RATE = 0.08  # problems answered by a task done at once and a long-term one
# Long-term tasks due relative to the build day: (days from it, the state they are in).
SHOWCASE = ((-12, "open"), (5, "returned"), (15, "reopened"), (40, "open"), (60, "requested"))
RELATIVE = ((5, "open"), (15, "open"), (40, "open"))
# The rectifying round: how many plans and progress reports are in each state besides the rest.
PLAN_STATES = ("draft", "draft", "submitted", "submitted", "submitted", "returned", "returned", "returned")
REPORT_STATES = ("missing", "draft", "submitted", "returned")
# General problems handed to a functional department, by family.
DEPARTMENTS = {"subsidy": "县民政局", "assets": "县农业农村局", "projects": "县住房和城乡建设局", "cash": "县财政局"}
EVALUATED = (date(2023, 1, 1), date(2023, 12, 31), "2023年度巡察整改评估")
OPENED, CONCLUDED = date(2024, 1, 15), date(2024, 3, 15)


@dataclass(frozen=True)
class Tier:
    vague: float  # share of measures that are slogans
    late: float  # share of tasks closed after their deadline
    report_late: float
    plan_returned: float


TIERS = {"excellent": Tier(0.0, 0.0, 0.0, 0.03), "pass": Tier(0.06, 0.07, 0.05, 0.1),
         "basic": Tier(0.2, 0.3, 0.5, 0.35), "fail": Tier(0.35, 0.55, 1.0, 0.6)}
RECTIFYING = Tier(0.12, 0.15, 0.2, 0.2)
# The total each tier's evaluation lands in: [floor, ceiling).
RANGES = {"excellent": (90, 101), "pass": (80, 90), "basic": (60, 80), "fail": (0, 60)}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def stamp(row, **stamps: datetime) -> None:
    """Stamps of fields the model sets on save, written after the bulk insert."""
    row._demo_stamps = {**getattr(row, "_demo_stamps", {}), **stamps}


def insert(model, rows: list) -> None:
    """Bulk-insert the rows, then write their stamps. One UPDATE statement run for every row
    (executemany) rather than bulk_update: its CASE expressions take seconds over thousands of rows."""
    model.objects.bulk_create(rows, batch_size=BATCH)
    stamped = [r for r in rows if getattr(r, "_demo_stamps", None)]
    if not stamped:
        return
    names = sorted(stamped[0]._demo_stamps)
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(model._meta.db_table)} SET " + ", ".join(f"{quote(f.column)} = %s" for f in fields)
           + f" WHERE {quote(model._meta.pk.column)} = %s")
    params = []
    for row in stamped:
        for name in names:
            setattr(row, name, row._demo_stamps[name])
        params.append([f.get_db_prep_value(getattr(row, f.attname), connection) for f in fields] + [row.pk])
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@dataclass(frozen=True, slots=True)
class _Problem:
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
    problems: list[_Problem]
    tasks: list[_Task] = field(default_factory=list)
    steps: list[PlanStep] = field(default_factory=list)
    approved: date | None = None


class _Builder:
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

    def plan(self, feedback: Feedback, unit: text.Unit, tier: Tier, problems: list[_Problem]) -> _Plan:
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

    def add_task(self, item: _Plan, p: _Problem, measures: str, due: date, kind: str) -> _Task:
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


# -- transfers -------------------------------------------------------------------------------------

def transfers(builder: _Builder, county: Committee, policies: list[DeadlinePolicy], fed_on: dict[int, date],
              people: dict[int, list[tuple[str, str]]], families: dict[int, str]) -> dict[str, int]:
    """Leads to the discipline commission, cadre-selection problems to the organization department,
    two general problems a round to a functional department; handled and answered, but for two
    overdue and one handed over later in the rectifying round."""
    rng, today = builder.rng, builder.today
    names = {DISCIPLINE: "discipline", ORGANIZATION_DEPARTMENT: "organization"}
    receivers = {o.name: o for o in Organization.objects.filter(
        committee=county, name__in=[*names, *DEPARTMENTS.values()])}
    rounds = dict(Round.objects.filter(committee=county, term__number=TERM, state__in=FED_BACK)
                  .values_list("pk", "state"))
    general: list[int] = []
    by_round = defaultdict(list)
    for pk, rnd in (Problem.objects.filter(round__in=list(rounds), kind=Kind.GENERAL, amount__isnull=False,
                                           fed_back=True).order_by("round__number", "pk").values_list("pk", "round_id")):
        if families.get(pk) in DEPARTMENTS:
            by_round[rnd].append(pk)
    for pks in by_round.values():
        general += rng.sample(pks, min(2, len(pks)))
    rows = list(Problem.objects.filter(Q(kind__in=(Kind.LEAD, Kind.CADRE)) | Q(pk__in=general), round__in=list(rounds))
                .order_by("round__number", "assignment_id", "pk").values_list(
                    "pk", "round_id", "assignment_id", "organization_id", "title", "description", "kind", "amount"))
    made, actions, seq = [], [], Counter()
    held_back = 0  # leads of the rectifying round left unanswered (two overdue, one recent)
    for pk, rnd, assignment, organization, title, description, kind, amount in rows:
        name = (DISCIPLINE if kind == Kind.LEAD else ORGANIZATION_DEPARTMENT if kind == Kind.CADRE
                else DEPARTMENTS[families[pk]])
        receiver = receivers.get(name)
        if receiver is None or receiver.pk == organization or assignment not in fed_on:
            continue  # an organization's own problems are not handed to itself
        who = names.get(name, "department")
        pending = rounds[rnd] != Round.State.COMPLETED and kind == Kind.LEAD and held_back < 3
        handed = fed_on[assignment] + timedelta(days=rng.randint(2, 8))
        if pending and held_back == 2:
            handed = max(handed, today - timedelta(days=20))  # handed over later, still in time
        held_back += pending
        rules = max((p for p in policies if p.effective_from <= handed), key=lambda p: p.effective_from)
        seq[handed.year] += 1
        staff = people.get(receiver.pk) or [("", "")]
        row = Transfer(round_id=rnd, problem_id=pk, receiver=receiver, summary=f"{title}\n{description}".strip(),
                       number=f"{county.name[0]}巡移〔{handed.year}〕{seq[handed.year]}号", transferred_on=handed,
                       handler=builder.clerk(), policy=rules, feedback_due=add_months(handed, rules.transfer_feedback_months),
                       created_by=builder.office[0])
        received = min(handed + timedelta(days=rng.randint(0, 3)), today)
        row.state, row.received_on = Transfer.State.RECEIVED, received
        row.receiver_handler = f"{text.HANDLERS[who]} {staff[rng.randrange(len(staff))][0]}".strip()
        methods, disciplined, handled, money, systems = text.handling(who, amount, rng)
        late = rounds[rnd] == Round.State.COMPLETED and rng.random() < 0.08
        answered = (row.feedback_due + timedelta(days=rng.randint(3, 30)) if late
                    else builder.days(received + timedelta(days=20), row.feedback_due - timedelta(days=1)))
        if pending or answered >= today:
            methods, answered = methods[:1], None
        span = ((answered or today) - received).days
        days = sorted(received + timedelta(days=rng.randint(1, max(1, span - 1))) for _ in methods)
        if answered and methods[-1] == "concluded" and "case" in methods and rng.random() < 0.3:
            days[-1] = min(answered + timedelta(days=rng.randint(10, 40)), today)  # concluded after reporting back
        for method, day in zip(methods, days, strict=True):
            action = TransferAction(transfer=row, on=day, method=method, note=text.action_note(method, rng))
            stamp(action, created_at=at(day, 16, rng.randint(0, 59)))
            actions.append(action)
        if answered:
            row.state, row.answered_on, row.people_disciplined, row.people_handled = (
                Transfer.State.ANSWERED, answered, disciplined, handled)
            row.money_recovered, row.systems_established = money, systems
            row.result = text.transfer_result(name, disciplined=disciplined, handled=handled, money=money,
                                              systems=systems)
        stamp(row, created_at=at(handed, 10, rng.randint(0, 59)),
              updated_at=at(max([answered or received, *days]), 17))
        made.append(row)
    insert(Transfer, made)
    insert(TransferAction, actions)
    overdue = sum(1 for t in made if t.answered_on is None and t.feedback_due < today)
    return {"transfers": len(made), "transfer_actions": len(actions), "transfers_overdue": overdue}


# -- evaluation ------------------------------------------------------------------------------------

def evaluate(builder: _Builder, county: Committee, tiers: dict[int, str]) -> dict[str, int]:
    """The 2023 batch: the default template, the indicators measured when it opened, the
    deductions they suggest plus the evaluator's own, grades, follow-ups; concluded."""
    rng = builder.rng
    template = default_template(county, actor=policy.CONSOLE)
    EvaluationTemplate.objects.filter(pk=template.pk).update(created_at=at(OPENED - timedelta(days=10), 9))
    criteria = list(template.criteria.order_by("seq").prefetch_related("deductions"))
    start, end, title = EVALUATED
    batch = EvaluationBatch.objects.create(committee=county, title=title, period_start=start, period_end=end,
                                           template=template, state=EvaluationBatch.State.CLOSED,
                                           closed_at=at(CONCLUDED, 16), created_by=builder.office[0])
    EvaluationBatch.objects.filter(pk=batch.pk).update(created_at=at(OPENED, 9))
    feedbacks = list(selection(county, start, end).order_by("rectification_due", "pk")
                     .values_list("pk", "assignment__organization_id"))
    evaluations = Evaluation.objects.bulk_create([Evaluation(batch=batch, feedback_id=f, organization_id=o)
                                                  for f, o in feedbacks])
    measured = indicators.measure(Evaluation.objects.filter(batch=batch).values("feedback_id"), as_of=OPENED)
    probe = {"vague": 1, "missing_responsibility": 1, "overdue": 1, "without_evidence": 1,
             "disclosed_on_time": False, "plan_on_time": False, "report_on_time": False}
    scores = []
    for evaluation in evaluations:
        found = measured.get(evaluation.feedback_id, {})
        applied = {c.pk: {d.pk: indicators.suggest(found, d.description) for d in c.deductions.all()} for c in criteria}
        own = [(c, d) for c in criteria for d in c.deductions.all() if not indicators.suggest(probe, d.description)]

        def score(c, applied=applied) -> Decimal:
            taken = sum((d.points * applied[c.pk].get(d.pk, 0) for d in c.deductions.all()), Decimal(0))
            return max(Decimal(0), c.points - taken)

        tier = tiers.get(evaluation.feedback_id, "excellent")  # no problem was fed back
        floor, ceiling = RANGES[tier]
        total = sum(score(c) for c in criteria)
        while total >= ceiling or (tier == "excellent" and total == 100 and rng.random() < 0.5):
            fits = [(c, d) for c, d in own if total - min(d.points, score(c)) >= floor and score(c) > 0
                    and ("每" in d.description or not applied[c.pk].get(d.pk))]
            if not fits:
                break
            c, d = rng.choice(fits)
            applied[c.pk][d.pk] = applied[c.pk].get(d.pk, 0) + 1
            total = sum(score(c) for c in criteria)
        for c in criteria:
            taken = {str(d): n for d, n in applied[c.pk].items() if n}
            notes = [f"{d.description}（{taken[str(d.pk)]}项）" for d in c.deductions.all() if str(d.pk) in taken]
            scores.append(EvaluationScore(evaluation=evaluation, criterion=c, score=score(c), deductions=taken,
                                          comment="；".join(notes)))
        grade = grade_for(total)
        evaluation.indicators, evaluation.measured_at = found, at(OPENED, 9, 30)
        evaluation.total, evaluation.grade = total, grade
        evaluation.comment = rng.choice(text.EVALUATION_COMMENTS[grade])
        evaluation.follow_up = {"basic": rng.choice(("interview", "revisit")), "fail": "both"}.get(grade, "")
        evaluation.follow_up_note = text.FOLLOW_UP_NOTES.get(evaluation.follow_up, "")
        evaluation.evaluated_by = builder.clerk()
        evaluation.evaluated_at = at(builder.days(OPENED + timedelta(days=5), CONCLUDED - timedelta(days=5)), 15)
    Evaluation.objects.bulk_update(evaluations, ["indicators", "measured_at", "total", "grade", "comment", "follow_up",
                                                 "follow_up_note", "evaluated_by", "evaluated_at"], batch_size=BATCH)
    EvaluationScore.objects.bulk_create(scores, batch_size=BATCH)
    grades = Counter(e.grade for e in evaluations)
    batch.conclusion = text.batch_conclusion(len(evaluations), grades, sum(m.get("vague", 0) for m in measured.values()),
                                             sum(m.get("overdue", 0) for m in measured.values()))
    batch.save(update_fields=["conclusion"])
    return {"evaluations": len(evaluations), **{f"grade_{g}": n for g, n in sorted(grades.items())}}


# -- the build -------------------------------------------------------------------------------------

def _units(feedbacks: list[Feedback], people: dict[int, list[tuple[str, str]]]) -> dict[int, text.Unit]:
    units = {}
    for fb in feedbacks:
        o = fb.assignment.organization
        kind = o.kind.code if o.kind.code in ("township", "school", "hospital", "soe") else "department"
        if o.kind.code == "village":
            kind = "community" if o.name.endswith("社区") else "village"
        units[o.pk] = text.Unit(o.name, kind, o.parent.name if o.parent else "", tuple(people.get(o.pk, ())))
    return units


def build(*, seed: int, county: Committee, users: dict[str, User], data_dir: Path,
          progress: Callable[[str], None]) -> dict[str, int]:
    """Plans, tasks, progress and evidence, progress reports, transfers and the evaluation of the
    county's present term, on top of its feedback."""
    started, today = clock.monotonic(), timezone.localdate()
    accounts = {u.pk: u for u in users.values()}
    liaisons = {org: accounts[user] for org, user in RoleAssignment.objects.filter(
        role=Role.UNIT_LIAISON, user__in=list(accounts), organization__isnull=False).values_list("organization_id", "user")}
    builder = _Builder(seed, users, liaisons, today)
    rng = builder.rng
    policies = list(DeadlinePolicy.objects.filter(committee=county).order_by("effective_from"))
    feedbacks = list(Feedback.objects.filter(state=Feedback.State.ISSUED, assignment__round__committee=county,
                                             assignment__round__term__number=TERM)
                     .select_related("assignment__organization__kind", "assignment__organization__parent",
                                     "assignment__round__term").order_by("fed_back_on", "pk"))
    rows = (Problem.objects.filter(round__committee=county, round__term__number=TERM, fed_back=True)
            .order_by("seq").values_list("pk", "title", "amount", "classification__title",
                                         "classification__parent__title", "classification__parent__parent__title"))
    problems = {pk: _Problem(pk, title, amount, family_of(item, point, focus))
                for pk, title, amount, item, point, focus in rows}
    linked = defaultdict(list)
    for f, p in (Feedback.problems.through.objects.filter(feedback__in=[f.pk for f in feedbacks])
                 .order_by("problem__seq", "problem_id").values_list("feedback_id", "problem_id")):
        linked[f].append(problems[p])
    people = defaultdict(list)
    for org, name, post in Person.objects.filter(committee=county).order_by("organization_id", "pk").values_list(
            "organization_id", "name", "post"):
        people[org].append((name, post))
    units = _units(feedbacks, people)

    # Qualities: fixed shares over the organizations evaluated, drawn for the other completed ones.
    # (A feedback without any problem, as the demo has for units without a checklist, needs no plan.)
    planned = [f for f in feedbacks if linked[f.pk]]
    done = [f for f in planned if f.assignment.round.state == Round.State.COMPLETED]
    rectifying = [f for f in planned if f.assignment.round.state != Round.State.COMPLETED]
    evaluated = [f for f in done if EVALUATED[0] <= f.rectification_due <= EVALUATED[1]]
    n = len(evaluated)
    shares = ["fail"] * 2 + ["basic"] * max(3, n // 7) + ["excellent"] * (n // 3)
    shares += ["pass"] * max(0, n - len(shares))
    rng.shuffle(shares)
    tiers = dict(zip((f.pk for f in evaluated), shares, strict=False))
    for f in done:
        tiers.setdefault(f.pk, rng.choices(list(TIERS), weights=(30, 45, 18, 7))[0])
    late = next((f.pk for f in evaluated if tiers[f.pk] == "basic"), None)
    missing = next((f.pk for f in evaluated if tiers[f.pk] == "fail"), None)

    # The liaison accounts' organizations: their latest feedback shows the plan's states.
    showcase = {}
    for username in ("liaison_village", "liaison_township"):
        org = next((o for o, u in liaisons.items() if u.username == username), None)
        mine = [f for f in planned if f.assignment.organization_id == org]
        if mine:
            showcase[mine[-1].pk] = username
    plan_states = list(PLAN_STATES[: max(0, len(rectifying) - 1)])
    plan_states += ["approved"] * (len(rectifying) - len(plan_states))
    rng.shuffle(plan_states)
    states = {f.pk: s for f, s in zip(rectifying, plan_states, strict=True)}
    for pk, username in showcase.items():
        want = "approved" if username == "liaison_village" else "returned"
        other = next((o for o, s in states.items() if s == want and o not in showcase), None)
        if pk in states and states[pk] != want and other is not None:
            states[pk], states[other] = want, states[pk]
    report_states = list(REPORT_STATES[: max(0, len(rectifying) - 2)])
    report_states += ["reviewed"] * (len(rectifying) - len(report_states))
    rng.shuffle(report_states)
    approved = [pk for pk, s in states.items() if s == "approved" and pk not in showcase]
    relative = dict(zip(rng.sample(approved, min(3, len(approved))), RELATIVE, strict=False))
    copies = {next((f.pk for f in evaluated if tiers[f.pk] == "fail"), None),
              next((pk for pk, s in states.items() if s == "returned" and pk not in showcase), None),
              *approved[-1:]}
    others = [f.pk for f in done if f.pk not in showcase]
    reopened = set(rng.sample(others, min(2, len(others))))

    unpublished = iter(("no", "recent"))
    for fb in planned:
        unit, mine = units[fb.assignment.organization_id], linked[fb.pk]
        username = showcase.get(fb.pk)
        if fb.pk in tiers:
            item = builder.plan(fb, unit, TIERS[tiers[fb.pk]], mine)
            builder.write_tasks(item)
            if username:
                builder.relative(item, SHOWCASE if username == "liaison_village" else ((8, "open"), (30, "requested")))
        else:
            item = builder.plan(fb, unit, RECTIFYING, mine)
            builder.write_tasks(item, share=rng.uniform(0.4, 0.8) if states[fb.pk] == "draft" else 1.0)
        concrete = [t for t in item.tasks if t.row.type == S.CONCENTRATED and t.row.measures not in text.SLOGANS]
        if fb.pk in copies and len({t.row.problem_id for t in concrete}) > 1:
            # Copied from the measure written for another problem, word for word.
            target = next(t for t in concrete if t.row.problem_id != concrete[0].row.problem_id)
            target.row.measures = concrete[0].row.measures
        if fb.pk in tiers:
            builder.approve(item, username == "liaison_township" or rng.random() < item.tier.plan_returned)
            builder.work_tasks(item, completed=True, reopen=fb.pk in reopened)
            disclose = "late" if fb.pk == late else "no" if fb.pk == missing else "yes"
            builder.report(item, policies, "reviewed", disclose)
            continue
        state, P = states[fb.pk], PlanStep.Action
        fed = fb.fed_back_on
        submitted = builder.days(fed + timedelta(days=10), fed + timedelta(days=25))
        if state == "draft":
            stamp(item.row, updated_at=at(builder.days(today - timedelta(days=20), today), 17))
        elif state == "submitted" and rng.random() < 0.5:  # returned once, resubmitted the other day
            back = submitted + timedelta(days=rng.randint(2, 5))
            builder.review(item, [(P.SUBMIT, submitted), (P.RETURN, back),
                                  (P.SUBMIT, builder.days(today - timedelta(days=8), today))])
        elif state == "submitted":
            builder.review(item, [(P.SUBMIT, builder.days(today - timedelta(days=12), today))])
        elif state == "returned":
            if not any(t.row.measures in text.SLOGANS for t in item.tasks):
                item.tasks[0].row.measures = text.SLOGANS[rng.randrange(len(text.SLOGANS))]
            builder.review(item, [(P.SUBMIT, submitted), (P.RETURN, submitted + timedelta(days=rng.randint(2, 5)))])
        else:
            builder.relative(item, SHOWCASE if username == "liaison_village"
                             else (relative[fb.pk],) if fb.pk in relative else ())
            builder.approve(item, rng.random() < item.tier.plan_returned)
            builder.work_tasks(item, completed=False)
        report_state = report_states.pop()
        builder.report(item, policies, report_state, next(unpublished, "yes") if report_state == "reviewed" else "")
    builder.assess()
    counts = builder.save(data_dir)
    fed_on = {f.assignment_id: f.fed_back_on for f in feedbacks}
    counts |= transfers(builder, county, policies, fed_on, people, {pk: p.family for pk, p in problems.items()})
    counts |= evaluate(builder, county, tiers)
    plan_counts = Counter(p.row.state for p in builder.plans)
    progress(f"  rectification: {counts['rectification_plans']} plans ("
             + ", ".join(f"{n} {s}" for s, n in sorted(plan_counts.items()))
             + f"), {counts['rectification_tasks']} tasks ({counts['vague_measures']} vague), "
             f"{counts['task_progress']} progress updates with {counts['evidence_files']} evidence files, "
             f"{counts['progress_reports']} progress reports, {counts['disclosures']} disclosures")
    progress(f"  transfers: {counts['transfers']} ({counts['transfer_actions']} handling steps, "
             f"{counts['transfers_overdue']} overdue); evaluation: {counts['evaluations']} organizations ("
             + ", ".join(f"{k.removeprefix('grade_')} {v}" for k, v in counts.items() if k.startswith("grade_"))
             + f"); built in {clock.monotonic() - started:.1f} s")
    return counts
