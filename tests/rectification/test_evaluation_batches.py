"""Evaluation batches: which feedbacks a period selects (both boundaries inside; drafts and other
committees' feedback outside), opening with the default template, refreshing, closing, and the
refusals of roles that may not open or change a batch."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.rectification.evaluation_helpers import feedback_for
from xuncha.access import policy
from xuncha.access.models import AuditEvent
from xuncha.access.policy import PermissionDenied
from xuncha.rectification import services_evaluation as services
from xuncha.rectification.evaluation_defaults import DEFAULT_NAME
from xuncha.rectification.models import (
    Criterion,
    Deduction,
    Evaluation,
    EvaluationBatch,
    EvaluationTemplate,
)
from xuncha.rectification.selectors import evaluation as selectors

START, END = date(2024, 1, 1), date(2024, 12, 31)


@pytest.fixture
def spread(world):
    """Feedbacks of the county due before, on, within, on and after the period of 2024, a draft
    and one of the neighbouring county due within it."""
    return {
        "before": feedback_for(world, "前村", date(2023, 12, 31)),
        "first_day": feedback_for(world, "元旦村", date(2024, 1, 1)),
        "inside": feedback_for(world, "中村", date(2024, 6, 30)),
        "last_day": feedback_for(world, "除夕村", date(2024, 12, 31)),
        "after": feedback_for(world, "后村", date(2025, 1, 1)),
        "draft": feedback_for(world, "草稿村", date(2024, 6, 30), state="draft"),
        "other": feedback_for(world, "邻县村", date(2024, 6, 30), committee=world.other),
    }


def _open(world, actor=None, **kwargs) -> EvaluationBatch:
    values = {"title": "2024年度巡察整改评估", "period_start": START, "period_end": END} | kwargs
    return services.batch_open(actor=actor or world.office_admin, committee=world.county, **values)


def _names(batch) -> set[str]:
    return {e.organization.name for e in Evaluation.objects.filter(batch=batch).select_related("organization")}


def test_the_period_selects_issued_feedback_of_the_committee_with_both_boundaries_inside(world, spread):
    selected = services.selection(world.county, START, END)
    assert set(selected) == {spread["first_day"], spread["inside"], spread["last_day"]}
    preview = selectors.preview(world.office_admin, world.county, START, END)
    assert [f.assignment.organization.name for f in preview] == ["元旦村", "中村", "除夕村"]


def test_opening_a_batch_evaluates_every_selected_organization_with_the_default_template(world, spread):
    batch = _open(world)
    assert _names(batch) == {"元旦村", "中村", "除夕村"}
    evaluation = Evaluation.objects.get(batch=batch, feedback=spread["inside"])
    assert evaluation.organization == spread["inside"].assignment.organization
    assert evaluation.measured_at is not None and evaluation.indicators["tasks"] == 0
    assert evaluation.total is None and evaluation.grade == ""
    template = batch.template
    assert template.name == DEFAULT_NAME and template.committee == world.county
    criteria = list(template.criteria.order_by("seq"))
    assert [(c.title, int(c.points)) for c in criteria] == [("组织领导", 15), ("责任落实", 15), ("整改任务完成", 60),
                                                             ("群众满意度", 10)]
    assert sum(c.points for c in criteria) == 100
    items = set(Deduction.objects.filter(criterion__template=template).values_list("description", flat=True))
    assert {"未按期制定整改方案的扣3分", "整改措施空泛、不具体的，每项扣1分", "未按期销号的，每项扣2分",
            "整改情况未按规定公开的扣3分", "佐证材料不全的，每项扣1分"} <= items
    assert AuditEvent.objects.filter(action="evaluation.batch_open", object_id=str(batch.pk)).exists()
    # The default is written down once per committee.
    _open(world, title="复评")
    assert EvaluationTemplate.objects.filter(committee=world.county).count() == 1


def test_an_empty_period_or_a_bad_one_is_refused_with_nothing_written(world, spread):
    with pytest.raises(ValidationError) as caught:
        _open(world, period_start=date(2022, 1, 1), period_end=date(2022, 12, 31))
    assert set(caught.value.message_dict) == {"period_end"}
    with pytest.raises(ValidationError) as caught:
        _open(world, title=" ", period_start=END, period_end=START)
    assert set(caught.value.message_dict) == {"title", "period_end"}
    assert not EvaluationBatch.objects.exists()


def test_a_template_of_another_committee_or_without_criteria_is_refused(world, spread):
    foreign = EvaluationTemplate.objects.create(committee=world.other, name="邻县标准")
    Criterion.objects.create(template=foreign, seq=1, title="整改", points=100)
    empty = EvaluationTemplate.objects.create(committee=world.county, name="空模板")
    for template in (foreign, empty):
        with pytest.raises(ValidationError) as caught:
            _open(world, template=template)
        assert set(caught.value.message_dict) == {"template"}
    assert not EvaluationBatch.objects.exists()


@pytest.mark.parametrize("role", ["leader", "supervisor", "unit_liaison", "receiver", "group_leader", "outsider"])
def test_roles_other_than_the_office_may_not_open_a_batch(world, spread, role):
    with pytest.raises(PermissionDenied):
        _open(world, actor=world.users[role])
    assert not EvaluationBatch.objects.exists()


def test_the_office_of_another_committee_may_not_open_a_batch_here(world, spread, make_user):
    from xuncha.access.roles import Role

    neighbour = make_user("neighbour_office", role=Role.OFFICE_ADMIN, committee=world.other)
    with pytest.raises(PermissionDenied):
        _open(world, actor=neighbour)


def test_refresh_adds_feedback_newly_in_range_and_remeasures(world, spread):
    batch = _open(world, actor=world.office_staff)
    late = feedback_for(world, "新村", date(2024, 9, 1))
    before = Evaluation.objects.get(batch=batch, feedback=spread["inside"]).measured_at
    assert services.batch_refresh(actor=world.office_staff, batch=batch) == 1
    assert _names(batch) == {"元旦村", "中村", "除夕村", "新村"}
    assert Evaluation.objects.get(batch=batch, feedback=spread["inside"]).measured_at > before
    assert Evaluation.objects.get(batch=batch, feedback=late).indicators["rectification_due"] == "2024-09-01"
    assert services.batch_refresh(actor=world.office_staff, batch=batch) == 0
    with pytest.raises(PermissionDenied):
        services.batch_refresh(actor=world.leader, batch=batch)


def _grade_all(world, batch, score: int = 95) -> None:
    for evaluation in Evaluation.objects.filter(batch=batch):
        rows = [{"criterion": c.pk, "score": (c.points * score / 100).quantize(Decimal("0.1"))}
                for c in batch.template.criteria.all()]
        services.evaluation_score(actor=world.office_admin, evaluation=evaluation, scores=rows)


def test_closing_needs_every_organization_graded_and_the_findings(world, spread):
    batch = _open(world)
    with pytest.raises(ValidationError) as caught:
        services.batch_close(actor=world.office_admin, batch=batch, conclusion="")
    errors = caught.value.message_dict
    assert set(errors) == {"conclusion", "evaluations"} and "中村" in errors["evaluations"][0]
    _grade_all(world, batch)
    with pytest.raises(PermissionDenied):
        services.batch_close(actor=world.leader, batch=batch, conclusion="总体较好。")
    closed = services.batch_close(actor=world.office_admin, batch=batch, conclusion="总体较好。")
    assert closed.state == "closed" and closed.closed_at is not None and closed.conclusion == "总体较好。"
    event = AuditEvent.objects.get(action="evaluation.batch_close")
    assert event.detail["grades"]["excellent"] == 3 and event.detail["to"] == "closed"


def test_a_closed_batch_refuses_every_change(world, spread):
    batch = _open(world)
    _grade_all(world, batch)
    services.batch_close(actor=world.office_admin, batch=batch, conclusion="总体较好。")
    evaluation = Evaluation.objects.filter(batch=batch).first()
    criterion = batch.template.criteria.first()
    for call in (
        lambda: services.batch_refresh(actor=world.office_admin, batch=batch),
        lambda: services.batch_close(actor=world.office_admin, batch=batch, conclusion="再次"),
        lambda: services.evaluation_score(actor=world.office_admin, evaluation=evaluation,
                                          scores=[{"criterion": criterion.pk, "score": 1}]),
        lambda: services.criterion_save(actor=world.office_admin, template=batch.template, criterion=criterion,
                                        title="改", points=10),
    ):
        with pytest.raises(ValidationError):
            call()
    evaluation.refresh_from_db()
    assert evaluation.grade == "excellent"


def test_batch_list_counts_organizations_by_grade_in_the_database(world, spread, django_assert_num_queries):
    batch = _open(world)
    first = Evaluation.objects.filter(batch=batch).order_by("pk").first()
    rows = [{"criterion": c.pk, "score": c.points / 2} for c in batch.template.criteria.all()]
    services.evaluation_score(actor=world.office_admin, evaluation=first, scores=rows, follow_up="both",
                              follow_up_note="约谈书记，三个月后回头看。")
    user = world.office_admin
    policy.assignments(user)
    with django_assert_num_queries(1):
        found = list(selectors.batches_for(user))
    assert [(b.n_evaluations, b.n_fail, b.n_ungraded, b.n_excellent) for b in found] == [(3, 1, 2, 0)]
