"""Scoring an evaluation: bounds, deductions (floored at 0), partial saves, totals, the grade at
its boundaries (59.9 / 60 / 80 / 90), the follow-up required for low grades, and who may score."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.rectification.evaluation_helpers import feedback_for
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.rectification import services_evaluation as services
from xuncha.rectification.models import (
    Criterion,
    Deduction,
    Evaluation,
    EvaluationScore,
    EvaluationTemplate,
)


@pytest.fixture
def evaluation(world):
    feedback_for(world, "东风村", date(2024, 8, 20))
    batch = services.batch_open(actor=world.office_admin, committee=world.county, title="2024年评估",
                                period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))
    return Evaluation.objects.get(batch=batch)


def _criteria(evaluation) -> dict[str, Criterion]:
    return {c.title: c for c in evaluation.batch.template.criteria.all()}


def _item(criterion: Criterion, words: str) -> Deduction:
    return next(d for d in criterion.deductions.all() if words in d.description)


def _score(world, evaluation, rows, actor=None, **kwargs) -> Evaluation:
    return services.evaluation_score(actor=actor or world.office_admin, evaluation=evaluation, scores=rows, **kwargs)


def _full(evaluation, **overrides) -> list[dict]:
    """Every criterion at full points, or the score given by title."""
    return [{"criterion": c.pk, "score": overrides.get(title, c.points)} for title, c in _criteria(evaluation).items()]


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.mark.parametrize(("total", "grade"), [
    ("100", "excellent"), ("90", "excellent"), ("89.9", "pass"), ("80", "pass"), ("79.9", "basic"),
    ("60", "basic"), ("59.9", "fail"), ("0", "fail"),
])
def test_grade_boundaries(total, grade):
    assert services.grade_for(Decimal(total)) == grade


@pytest.mark.parametrize(("completion", "total", "grade", "follow_up"), [
    ("50", "90", "excellent", ""), ("49.9", "89.9", "pass", ""), ("40", "80", "pass", ""),
    ("39.9", "79.9", "basic", "revisit"), ("20", "60", "basic", "interview"), ("19.9", "59.9", "fail", "both"),
])
def test_the_total_gives_the_grade_at_its_boundaries(world, evaluation, completion, total, grade, follow_up):
    # The other three criteria at full points give 40.
    note = "约谈党支部书记。" if follow_up else ""
    scored = _score(world, evaluation, _full(evaluation, 整改任务完成=Decimal(completion)),
                    follow_up=follow_up, follow_up_note=note)
    assert scored.total == Decimal(total)
    assert scored.grade == grade and scored.follow_up == follow_up
    assert scored.evaluated_by == world.office_admin and scored.evaluated_at is not None


def test_low_grades_need_a_follow_up_with_its_arrangements(world, evaluation):
    low = _full(evaluation, 整改任务完成=Decimal("39.9"))  # 79.9 → 基本合格
    assert set(_errors(lambda: _score(world, evaluation, low))) == {"follow_up"}
    assert set(_errors(lambda: _score(world, evaluation, low, follow_up="interview"))) == {"follow_up_note"}
    assert set(_errors(lambda: _score(world, evaluation, low, follow_up="later", follow_up_note="x"))) == {"follow_up"}
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()
    scored = _score(world, evaluation, low, follow_up="interview", follow_up_note="由巡察办约谈村党支部书记。")
    assert (scored.grade, scored.follow_up) == ("basic", "interview")


def test_partial_saves_keep_the_total_empty_until_every_criterion_is_scored(world, evaluation):
    criteria = _criteria(evaluation)
    scored = _score(world, evaluation, [{"criterion": criteria["组织领导"].pk, "score": 12, "comment": "部署及时"}],
                    comment="初评")
    assert scored.total is None and scored.grade == "" and scored.comment == "初评"
    rest = [{"criterion": c.pk, "score": c.points} for title, c in criteria.items() if title != "组织领导"]
    scored = _score(world, evaluation, rest)
    assert scored.total == Decimal(97) and scored.grade == "excellent" and scored.comment == "初评"
    kept = EvaluationScore.objects.get(evaluation=evaluation, criterion=criteria["组织领导"])
    assert kept.score == 12 and kept.comment == "部署及时"
    # A second save of one criterion replaces its score; the total follows.
    scored = _score(world, evaluation, [{"criterion": criteria["组织领导"].pk, "score": "15"}])
    assert scored.total == 100
    assert AuditEvent.objects.filter(action="evaluation.score", object_id=str(evaluation.pk)).count() == 3


def test_deductions_give_the_score_floored_at_zero(world, evaluation):
    criteria = _criteria(evaluation)
    responsibility, completion = criteria["责任落实"], criteria["整改任务完成"]
    vague, unnamed = _item(responsibility, "空泛"), _item(responsibility, "未明确责任")
    overdue = _item(completion, "未按期销号")
    _score(world, evaluation, [
        {"criterion": responsibility.pk, "deductions": {vague.pk: 3, str(unnamed.pk): "2"}},
        {"criterion": completion.pk, "deductions": {overdue.pk: 40}},
    ])
    scores = {s.criterion_id: s for s in EvaluationScore.objects.filter(evaluation=evaluation)}
    assert scores[responsibility.pk].score == Decimal(10)
    assert scores[responsibility.pk].deductions == {str(vague.pk): 3, str(unnamed.pk): 2}
    assert scores[completion.pk].score == 0  # 80 points of deductions on 60
    # Zero times is no deduction; an explicit score equal to the deductions' result is accepted.
    _score(world, evaluation, [{"criterion": responsibility.pk, "deductions": {vague.pk: 0, unnamed.pk: 1},
                                "score": "14"}])
    score = EvaluationScore.objects.get(evaluation=evaluation, criterion=responsibility)
    assert score.score == 14 and score.deductions == {str(unnamed.pk): 1}


@pytest.mark.parametrize(("row", "field"), [
    ({"score": "15.1"}, "score"),
    ({"score": -1}, "score"),
    ({"score": "12.25"}, "score"),
    ({"score": "十二"}, "score"),
    ({"score": "10", "deductions": "vague:1"}, "score"),
    ({"deductions": "other:1"}, "deductions"),
    ({"deductions": "missing:1"}, "deductions"),
    ({"deductions": "vague:-1"}, "deductions"),
    ({"deductions": "vague:1.5"}, "deductions"),
])
def test_bad_scores_are_refused_naming_the_row_with_nothing_written(world, evaluation, row, field):
    criteria = _criteria(evaluation)
    leadership = criteria["组织领导"]
    items = {"vague": _item(criteria["责任落实"], "空泛").pk, "other": _item(criteria["责任落实"], "空泛").pk,
             "missing": 999999}
    # The second row is the bad one; the deduction items belong to 责任落实 unless "other".
    target = criteria["责任落实"] if "vague" in str(row.get("deductions", "")) else leadership
    bad = {"criterion": target.pk}
    if "score" in row:
        bad["score"] = row["score"]
    if "deductions" in row:
        key, times = row["deductions"].split(":")
        bad["deductions"] = {items[key]: times}
    rows = [{"criterion": criteria["群众满意度"].pk, "score": 8}, bad]
    errors = _errors(lambda: _score(world, evaluation, rows))
    assert list(errors) == [f"scores.1.{field}"]
    assert target.title in errors[f"scores.1.{field}"][0]
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()


def test_unknown_or_repeated_criteria_are_refused(world, evaluation):
    other = EvaluationTemplate.objects.create(committee=world.county, name="另一模板")
    foreign = Criterion.objects.create(template=other, seq=1, title="其他", points=100)
    leadership = _criteria(evaluation)["组织领导"]
    errors = _errors(lambda: _score(world, evaluation, [{"criterion": foreign.pk, "score": 1},
                                                        {"criterion": leadership.pk, "score": 1},
                                                        {"criterion": leadership.pk, "score": 2}]))
    assert set(errors) == {"scores.0.criterion", "scores.2.criterion"}


@pytest.mark.parametrize("role", ["leader", "supervisor", "unit_liaison", "receiver", "group_leader", "outsider"])
def test_only_the_office_scores(world, evaluation, role):
    with pytest.raises(PermissionDenied):
        _score(world, evaluation, _full(evaluation), actor=world.users[role])
    assert not EvaluationScore.objects.exists()


def test_office_staff_scores_too(world, evaluation):
    assert _score(world, evaluation, _full(evaluation), actor=world.office_staff).grade == "excellent"
