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

This module decides who gets which quality and which states, and puts the build together; the
rows are drawn in rectification_plans (plans, tasks, progress, evidence, progress reports and
disclosures), rectification_transfers and rectification_evaluation, and written through
rectification_rows.
"""

from __future__ import annotations

import time as clock
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from xuncha.access.models import RoleAssignment, User
from xuncha.access.roles import Role
from xuncha.demo import rectification_text as text
from xuncha.demo.findings_build import TERM
from xuncha.demo.findings_text import family_of
from xuncha.demo.rectification_evaluation import EVALUATED, evaluate
from xuncha.demo.rectification_plans import Builder, FedProblem, Tier
from xuncha.demo.rectification_rows import at, stamp
from xuncha.demo.rectification_transfers import DEPARTMENTS, transfers
from xuncha.findings.models import Problem
from xuncha.rectification.models import DeadlinePolicy, PlanStep, Task
from xuncha.registry.models import Committee, Person
from xuncha.reports.models import Feedback
from xuncha.rounds.models import Round

__all__ = ["DEPARTMENTS", "EVALUATED", "SHOWCASE", "build"]

S = Task.Type
# Long-term tasks due relative to the build day: (days from it, the state they are in).
SHOWCASE = ((-12, "open"), (5, "returned"), (15, "reopened"), (40, "open"), (60, "requested"))
RELATIVE = ((5, "open"), (15, "open"), (40, "open"))
# The rectifying round: how many plans and progress reports are in each state besides the rest.
PLAN_STATES = ("draft", "draft", "submitted", "submitted", "submitted", "returned", "returned", "returned")
REPORT_STATES = ("missing", "draft", "submitted", "returned")
# The qualities of rectification, named after the grade each should earn, and the rectifying round's.
TIERS = {"excellent": Tier(0.0, 0.0, 0.0, 0.03), "pass": Tier(0.06, 0.07, 0.05, 0.1),
         "basic": Tier(0.2, 0.3, 0.5, 0.35), "fail": Tier(0.35, 0.55, 1.0, 0.6)}
RECTIFYING = Tier(0.12, 0.15, 0.2, 0.2)


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
    builder = Builder(seed, users, liaisons, today)
    rng = builder.rng
    policies = list(DeadlinePolicy.objects.filter(committee=county).order_by("effective_from"))
    feedbacks = list(Feedback.objects.filter(state=Feedback.State.ISSUED, assignment__round__committee=county,
                                             assignment__round__term__number=TERM)
                     .select_related("assignment__organization__kind", "assignment__organization__parent",
                                     "assignment__round__term").order_by("fed_back_on", "pk"))
    rows = (Problem.objects.filter(round__committee=county, round__term__number=TERM, fed_back=True)
            .order_by("seq").values_list("pk", "title", "amount", "classification__title",
                                         "classification__parent__title", "classification__parent__parent__title"))
    problems = {pk: FedProblem(pk, title, amount, family_of(item, point, focus))
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
