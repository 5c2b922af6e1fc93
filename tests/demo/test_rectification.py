"""The demo county's rectification: plans and tasks in every state with valid histories, measures
mostly concrete and some vague or copied, deadlines from the policy in force, evidence files on
disk, progress reports and disclosures, transfers to the expected receivers, the evaluation
batch, and what the demo's liaison and receiver accounts see; checked on the shared build."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Count, Exists, F, Min, OuterRef
from django.urls import reverse
from django.utils import timezone

from xuncha.access.models import RoleAssignment, User
from xuncha.access.policy import scope
from xuncha.demo.rectification_build import DEPARTMENTS, EVALUATED, SHOWCASE
from xuncha.demo.reports_build import POLICY_CHANGED
from xuncha.findings.models import Problem
from xuncha.findings.uploads import check_evidence
from xuncha.rectification import deadlines, warnings
from xuncha.rectification.models import (
    Criterion,
    Disclosure,
    Evaluation,
    EvaluationBatch,
    EvaluationScore,
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
from xuncha.rectification.selectors import tasks as task_selectors
from xuncha.rectification.services_evaluation import grade_for, selection
from xuncha.rectification.services_tasks import TRANSITIONS as TASK_MOVES
from xuncha.registry.models import Committee
from xuncha.reports.models import Feedback
from xuncha.text import vagueness

COMPLETED, RECTIFYING = "completed", "rectifying"


@pytest.fixture
def county(built, db):
    return Committee.objects.get(name="青崖县委")


def _today() -> date:
    return timezone.localdate()


def test_every_feedback_with_problems_has_a_plan_with_a_task_for_each_problem(county):
    feedback = Feedback.objects.filter(state="issued").annotate(n=Count("problems"))
    assert feedback.filter(n__gt=0).count() > 100
    assert not feedback.filter(n__gt=0, plan__isnull=True).exists()
    assert not feedback.filter(n=0, plan__isnull=False).exists()
    for plan in Plan.objects.select_related("feedback__assignment").prefetch_related("feedback__problems", "tasks"):
        assert (plan.organization_id, plan.round_id) == (plan.feedback.assignment.organization_id,
                                                        plan.feedback.assignment.round_id)
        fed_back = {p.pk for p in plan.feedback.problems.all()}
        planned = {t.problem_id for t in plan.tasks.all()}
        assert planned <= fed_back
        assert planned == fed_back or plan.state == "draft"
        assert sorted(t.seq for t in plan.tasks.all()) == list(range(1, len(plan.tasks.all()) + 1))


def test_plans_in_every_state_with_their_histories(county):
    by_round = defaultdict(Counter)
    for state, round_state in Plan.objects.values_list("state", "round__state"):
        by_round[round_state][state] += 1
    assert set(by_round[COMPLETED]) == {"approved"}
    assert set(by_round[RECTIFYING]) == {"draft", "submitted", "returned", "approved"}
    steps = defaultdict(list)
    for step in PlanStep.objects.order_by("plan_id", "at", "id"):
        steps[step.plan_id].append(step)
    for plan in Plan.objects.all():
        chain = steps[plan.pk]
        assert (chain[-1].to_state if chain else "draft") == plan.state
        assert all(a.to_state == b.from_state and a.at <= b.at for a, b in zip(chain, chain[1:], strict=False))
        if chain:
            assert chain[0].from_state == "draft" and plan.submitted_at == max(
                s.at for s in chain if s.action == "submit")
        assert plan.created_at <= (chain[0].at if chain else plan.updated_at)
        if plan.state in ("approved", "returned"):
            assert plan.decided_at == chain[-1].at and plan.decided_by_id == chain[-1].actor_id
    assert PlanStep.objects.filter(action="return", plan__state="approved").exists()  # approved after a return


def test_a_returned_plan_has_comments_on_its_vague_tasks(county):
    for plan in Plan.objects.filter(state="returned"):
        commented = plan.tasks.exclude(review_comment="")
        assert plan.comment and commented.exists()
        assert not commented.filter(vague=False).exists()
    assert not Task.objects.filter(plan__state="approved").exclude(review_comment="").exists()


def _task_steps() -> dict[int, list[TaskStep]]:
    steps = defaultdict(list)
    for step in TaskStep.objects.order_by("task_id", "at", "id"):
        steps[step.task_id].append(step)
    return steps


def test_task_histories_follow_the_closure_table(county):
    steps = _task_steps()
    for task in Task.objects.all():
        chain = steps[task.pk]
        state = "open"
        for step in chain:
            move = TASK_MOVES[(state, step.action)]
            assert (step.from_state, step.to_state) == (state, move.to)
            assert step.comment or not move.comment_required
            state = move.to
        assert state == task.state
        if task.state == "closed":
            assert task.closed_at == chain[-1].at and task.closed_by_id == chain[-1].actor_id
        else:
            assert task.closed_at is None
    # A closure is requested only once progress carries evidence, as the services require.
    first_request = {t: min(s.at for s in chain if s.action == "request") for t, chain in steps.items()
                     if any(s.action == "request" for s in chain)}
    first_files = dict(Progress.objects.filter(evidence__isnull=False).values("task_id")
                       .annotate(first=Min("reported_on")).values_list("task_id", "first"))
    assert first_request and all(first_files[t] <= timezone.localdate(at) for t, at in first_request.items())
    assert not Progress.objects.filter(reported_on__gt=_today()).exists()
    assert not Progress.objects.filter(reported_on__lt=F("task__plan__feedback__fed_back_on")).exists()
    assert not Progress.objects.filter(task__plan__state__in=("draft", "submitted", "returned")).exists()


def test_tasks_in_every_state(county):
    steps = _task_steps()
    rectifying = Task.objects.filter(plan__round__state=RECTIFYING, plan__state="approved")
    assert {"open", "requested", "closed"} <= set(rectifying.values_list("state", flat=True))
    open_ones = [steps[pk] for pk in rectifying.filter(state="open").values_list("pk", flat=True)]
    assert any(chain and chain[-1].action == "return" for chain in open_ones)  # closure returned
    assert any(chain and chain[-1].action == "reopen" for chain in open_ones)  # reopened
    assert any(not chain for chain in open_ones)
    done = Task.objects.filter(plan__round__state=COMPLETED)
    closed = done.filter(state="closed")
    late = [t for t in closed if timezone.localdate(t.closed_at) > t.due]
    assert 0 < len(late) < closed.count() * 0.2
    reopened = [pk for pk in closed.values_list("pk", flat=True) if any(s.action == "reopen" for s in steps[pk])]
    assert 1 <= len(reopened) <= 3
    # Completed rounds are closed but for long-term tasks the liaison accounts still work on.
    still = done.exclude(state="closed")
    liaisons = RoleAssignment.objects.filter(role="unit_liaison").values_list("organization_id", flat=True)
    assert still.exists() and not still.exclude(type="long_term").exists()
    assert set(still.values_list("plan__organization_id", flat=True)) <= set(liaisons)


def test_types_and_deadlines_of_tasks(county):
    types = Counter(Task.objects.values_list("type", flat=True))
    assert types["concentrated"] > types["immediate"] > types["long_term"] / 2 > 0
    for task in Task.objects.select_related("plan__feedback"):
        feedback = task.plan.feedback
        assert task.due >= feedback.fed_back_on
        if task.type != "long_term":
            assert task.due <= feedback.rectification_due
        if task.type == "immediate":
            assert task.due <= feedback.fed_back_on + timedelta(days=35)


def test_measures_are_mostly_concrete_some_vague_and_a_few_copied(county):
    tasks = list(Task.objects.values("pk", "plan_id", "problem_id", "measures", "vagueness", "vague"))
    share = sum(t["vague"] for t in tasks) / len(tasks)
    assert 0.05 <= share <= 0.2
    by_plan = defaultdict(list)
    for t in tasks:
        by_plan[t["plan_id"]].append(t)
    copied_plans = set()
    for plan, own in by_plan.items():
        for t in own:
            others = [o["measures"] for o in own if o["problem_id"] != t["problem_id"]]
            found = vagueness.assess(t["measures"], others=others)
            assert (found.score, found.vague) == (t["vagueness"], t["vague"])  # as the services compute it
            if t["measures"] in others:
                assert found.vague and "copy" in found.reasons
                copied_plans.add(plan)
    assert len(copied_plans) >= 2
    concrete = Task.objects.filter(vague=False)
    assert concrete.filter(measures__contains="前").count() > concrete.count() * 0.6  # dated
    assert concrete.filter(measures__regex=r"[0-9]").count() > concrete.count() * 0.9


def test_every_deadline_comes_from_the_policy_in_force(county):
    assert POLICY_CHANGED == date(2024, 2, 8)
    used = Counter()
    for f in Feedback.objects.filter(state="issued").select_related("policy"):
        assert f.policy == deadlines.in_force(county, f.fed_back_on)
        assert (f.fed_back_on >= POLICY_CHANGED) == (f.policy.effective_from == POLICY_CHANGED)
        used["feedback", f.policy.effective_from] += 1
    for r in ProgressReport.objects.select_related("feedback", "policy"):
        assert r.due == r.feedback.progress_report_due
        if r.state == "reviewed":
            assert r.policy == deadlines.in_force(county, r.reviewed_on)
            assert r.disclosure_due == deadlines.add_months(r.reviewed_on, r.policy.disclosure_months)
            used["report", r.policy.effective_from] += 1
        else:
            assert r.policy is None and r.disclosure_due is None
    for t in Transfer.objects.select_related("policy"):
        assert t.policy == deadlines.in_force(county, t.transferred_on)
        assert t.feedback_due == deadlines.add_months(t.transferred_on, t.policy.transfer_feedback_months)
        used["transfer", t.policy.effective_from] += 1
    assert {kind for kind, day in used if day == POLICY_CHANGED} == {"feedback", "report", "transfer"}
    assert {kind for kind, day in used if day < POLICY_CHANGED} == {"feedback", "report", "transfer"}


def test_long_term_tasks_show_every_warning_colour_from_the_build_day(county):
    today = _today()
    open_tasks = Task.objects.filter(state="open", plan__state="approved").select_related("plan__feedback__policy")
    levels = {warnings.level_for(t.due, today, t.plan.feedback.policy) for t in open_tasks}
    assert {"red", "yellow", "green", ""} <= levels
    rectifying = open_tasks.filter(plan__round__state=RECTIFYING, type="long_term")
    assert {today + timedelta(days=d) for d in (5, 15, 40)} <= set(rectifying.values_list("due", flat=True))


def test_every_evidence_file_exists_with_its_size_and_sha256(county, data_dir):
    evidence = list(ProgressEvidence.objects.all())
    assert len(evidence) > 1000
    assert {e.content_type for e in evidence} == {"application/pdf", "image/png"}
    for e in evidence:
        content = (data_dir / "uploads" / e.file.name).read_bytes()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (e.size, e.sha256)
    for e in evidence[:: len(evidence) // 20]:
        with (data_dir / "uploads" / e.file.name).open("rb") as handle:
            checked = check_evidence(handle, e.original_name)
        assert (checked.content_type, checked.sha256) == (e.content_type, e.sha256)
    assert len({e.sha256 for e in evidence}) == len(evidence)


def test_the_liaison_downloads_evidence_of_its_own_tasks(county, data_dir, client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": data_dir / "uploads"}}}
    liaison = User.objects.get(username="liaison_village")
    client.force_login(liaison)
    own = scope(liaison, ProgressEvidence).first()
    response = client.get(reverse("rectification:task_evidence_download", args=[own.pk]))
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == own.sha256
    other = ProgressEvidence.objects.exclude(progress__task__plan__organization=own.progress.task.plan.organization_id)
    assert client.get(reverse("rectification:task_evidence_download", args=[other.first().pk])).status_code == 404


def test_progress_reports_and_disclosures(county):
    today = _today()
    done = ProgressReport.objects.filter(round__state=COMPLETED)
    assert set(done.values_list("state", flat=True)) == {"reviewed"}
    assert not done.filter(opinion="").exists()
    assert done.count() == Plan.objects.filter(round__state=COMPLETED).count()
    first = Disclosure.objects.filter(report=OuterRef("pk")).order_by("published_on").values("published_on")[:1]
    shown = Exists(Disclosure.objects.filter(report=OuterRef("pk")))
    missing = done.annotate(shown=shown).filter(shown=False)
    assert missing.count() == 1 and missing.get().disclosure_due < today
    on_time = [r.first <= r.disclosure_due for r in done.annotate(first=first) if r.first]
    assert on_time.count(False) == 1 and on_time.count(True) == done.count() - 2
    for d in Disclosure.objects.select_related("report"):
        assert d.report.reviewed_on <= d.published_on <= today
    rectifying = ProgressReport.objects.filter(round__state=RECTIFYING)
    assert {"submitted", "reviewed"} <= set(rectifying.values_list("state", flat=True))
    owed = Feedback.objects.filter(assignment__round__state=RECTIFYING, plan__isnull=False,
                                   progress_report__isnull=True)
    assert owed.count() == 1 and owed.get().progress_report_due < today  # missing, overdue
    assert not ProgressReport.objects.filter(submitted_on__gt=today).exists()


def test_transfers_go_to_the_expected_receivers_and_are_handled(county):
    transfers = Transfer.objects.select_related("problem", "receiver")
    assert transfers.count() > 300
    expected = {"lead": {"县纪委监委"}, "cadre": {"县委组织部"}, "general": set(DEPARTMENTS.values())}
    found = defaultdict(set)
    for t in transfers:
        found[t.problem.kind].add(t.receiver.name)
        assert t.round_id == t.problem.round_id and t.receiver.committee_id == county.pk
        assert t.receiver_id != t.problem.organization_id
    assert all(found[kind] and found[kind] <= names for kind, names in expected.items())
    leads = Transfer.objects.filter(problem=OuterRef("pk"))
    untransferred = (Problem.objects.filter(kind="lead", round__state__in=(COMPLETED, RECTIFYING))
                     .annotate(sent=Exists(leads)).filter(sent=False))
    assert not untransferred.exclude(organization__name="县纪委监委").exists()
    answered = transfers.filter(state="answered")
    assert answered.count() > transfers.count() * 0.9
    with_results = [t for t in answered if t.people_disciplined or t.people_handled or t.money_recovered
                    or t.systems_established]
    assert len(with_results) > answered.count() / 2 and not answered.filter(result="").exists()
    overdue = transfers.filter(answered_on__isnull=True, feedback_due__lt=_today())
    assert 1 <= overdue.count() <= 2
    assert any(t.answered_on > t.feedback_due for t in answered)  # a few reported back late
    methods = set(TransferAction.objects.values_list("method", flat=True))
    assert {"talk_inquiry", "preliminary", "case", "organizational", "concluded"} <= methods
    for action in TransferAction.objects.select_related("transfer"):
        assert action.transfer.received_on <= action.on <= _today()
    numbers = list(transfers.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)


@pytest.mark.parametrize("username, receiver", [("receiver_discipline", "县纪委监委"),
                                                 ("receiver_organization", "县委组织部")])
def test_receiver_accounts_see_their_transfers_and_nothing_else(county, username, receiver):
    user = User.objects.get(username=username)
    mine = Transfer.objects.filter(receiver__name=receiver)
    assert mine.exists()
    assert set(scope(user, Transfer)) == set(mine)
    assert set(scope(user, TransferAction)) == set(TransferAction.objects.filter(transfer__in=mine))
    for model in (Plan, Task, Progress, ProgressEvidence, ProgressReport, Disclosure, Evaluation, EvaluationBatch):
        assert not scope(user, model).exists(), model.__name__


def test_liaison_accounts_see_their_plans_and_work_in_several_states(county):
    today = _today()
    for username in ("liaison_village", "liaison_township"):
        user = User.objects.get(username=username)
        organization = RoleAssignment.objects.get(user=user, role="unit_liaison").organization
        plans = Plan.objects.filter(organization=organization)
        assert plans.exists() and set(scope(user, Plan)) == set(plans)
        assert set(scope(user, Task)) == set(Task.objects.filter(plan__in=plans))
        assert not scope(user, Transfer).exists() and not scope(user, Evaluation).exists()
        assert not Task.objects.filter(plan__in=plans).exclude(owner=user).exists()
    village = User.objects.get(username="liaison_village")
    counts = task_selectors.workspace(village, today).counts
    assert counts["overdue"] >= 1 and counts["due_soon"] >= 2 and counts["requested"] >= 1 and counts["closed"] >= 1
    dues = set(task_selectors.tasks_for(village).filter(state="open").values_list("due", flat=True))
    assert {today + timedelta(days=d) for d, state in SHOWCASE if state != "requested"} <= dues
    township = User.objects.get(username="liaison_township")
    latest = scope(township, Plan).order_by("-feedback__fed_back_on").first()
    if latest.round.state == RECTIFYING:
        assert latest.state == "returned" and latest.tasks.filter(vague=True).exclude(review_comment="").exists()
    else:
        assert latest.steps.filter(action="return", comment__contains="空泛").exists()
        assert task_selectors.workspace(township, today).counts["open"] >= 1


def test_the_evaluation_batch_is_concluded_with_every_grade(county):
    batch = EvaluationBatch.objects.get()
    start, end, title = EVALUATED
    assert (batch.title, batch.period_start, batch.period_end, batch.state) == (title, start, end, "closed")
    assert batch.conclusion and batch.closed_at
    evaluations = Evaluation.objects.filter(batch=batch)
    assert set(evaluations.values_list("feedback_id", flat=True)) == set(
        selection(county, start, end).values_list("pk", flat=True))
    assert set(evaluations.values_list("grade", flat=True)) == {"excellent", "pass", "basic", "fail"}
    criteria = {c.pk: c for c in Criterion.objects.filter(template=batch.template).prefetch_related("deductions")}
    assert sum(c.points for c in criteria.values()) == 100
    scores = defaultdict(list)
    for s in EvaluationScore.objects.filter(evaluation__batch=batch):
        scores[s.evaluation_id].append(s)
    for e in evaluations:
        own = scores[e.pk]
        assert {s.criterion_id for s in own} == set(criteria)
        assert e.total == sum((s.score for s in own), Decimal(0)) and e.grade == grade_for(e.total)
        for s in own:
            points = {d.pk: d.points for d in criteria[s.criterion_id].deductions.all()}
            taken = sum((points[int(d)] * n for d, n in s.deductions.items()), Decimal(0))
            assert s.score == max(Decimal(0), criteria[s.criterion_id].points - taken)
        assert e.indicators["as_of"] == "2024-01-15"
        assert e.indicators["tasks"] > 0 or not e.feedback.problems.exists()
        assert bool(e.follow_up) == (e.grade in ("basic", "fail")) and bool(e.follow_up_note) == bool(e.follow_up)
        assert e.evaluated_by_id and batch.created_at < e.evaluated_at < batch.closed_at
    worst = evaluations.order_by("total").first()
    best = evaluations.order_by("-total").first()
    assert worst.indicators["overdue"] + worst.indicators["vague"] > best.indicators["overdue"] + best.indicators["vague"]


def test_it_prints_the_rectification_figures(built):
    assert "rectification:" in built and "transfers:" in built and "evaluation: " in built
