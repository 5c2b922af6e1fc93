"""Evaluation pages: the batch list with counts by grade, opening a batch after its preview, one
batch (sortable by score, refresh, close, report) with a pinned query count, one evaluation
(indicators beside the criteria, suggested deductions, vague measures with reasons, scoring),
who reads and who is refused, the menu entry and the office's to-do."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document

from tests.conftest import PASSWORD
from tests.rectification.evaluation_helpers import (
    feedback_for,
    files_in_tmp,  # noqa: F401 - a fixture
    plan_for,
    problems_for,
    task,
)
from xuncha.access.models import AuditEvent
from xuncha.rectification import services_evaluation as services
from xuncha.rectification.models import Evaluation, EvaluationBatch, EvaluationScore, Task
from xuncha.rectification.vague_labels import describe
from xuncha.text import vagueness
from xuncha.workbench.nav import menu_for
from xuncha.workbench.todos import todos_for

pytestmark = pytest.mark.usefixtures("files_in_tmp")
LIST = reverse("rectification:batch_list")
CREATE = reverse("rectification:batch_create")
OPEN = reverse("rectification:batch_open")
VAGUE = "进一步加强管理。"
PERIOD = {"title": "2024年度巡察整改评估", "period_start": "2024-01-01", "period_end": "2024-12-31"}


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _url(name: str, obj) -> str:
    return reverse(f"rectification:{name}", args=[obj.pk])


@pytest.fixture
def batch(world, findings):
    """Three organizations due in 2024; 东岭村 has two tasks, one of them with vague measures."""
    dongling = feedback_for(world, "东岭村", date(2024, 8, 20))
    plan = plan_for(dongling, decided_on=date(2024, 6, 1))
    first, second = problems_for(dongling, findings.items["V2.1.1"], 2)
    task(plan, first, 1, due=date(2099, 1, 1), vague=True, measures=VAGUE)
    task(plan, second, 2, due=date(2024, 7, 1))
    feedback_for(world, "南山村", date(2024, 3, 1))
    feedback_for(world, "北坡村", date(2024, 12, 31))
    return services.batch_open(actor=world.office_admin, committee=world.county, title="2024年度巡察整改评估",
                               period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))


def _evaluation(batch, name: str) -> Evaluation:
    return Evaluation.objects.get(batch=batch, organization__name=name)


def _grade(world, evaluation, total: Decimal, **kwargs) -> None:
    rows, left = [], total
    for criterion in evaluation.batch.template.criteria.order_by("seq"):
        given = min(criterion.points, left)
        rows.append({"criterion": criterion.pk, "score": given})
        left -= given
    services.evaluation_score(actor=world.office_admin, evaluation=evaluation, scores=rows, **kwargs)


# -- the list and opening --------------------------------------------------------------------

@pytest.mark.parametrize("role", ["office_admin", "office_staff", "leader", "supervisor"])
def test_the_list_shows_batches_with_counts_by_grade(world, batch, role):
    _grade(world, _evaluation(batch, "北坡村"), Decimal(95))
    _grade(world, _evaluation(batch, "南山村"), Decimal("59.9"), follow_up="revisit", follow_up_note="年底回头看")
    response = _client(world.users[role]).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2024年度巡察整改评估" in html
    for testid, value in (("n-evaluations", 3), ("n-excellent", 1), ("n-fail", 1), ("n-ungraded", 1)):
        assert f'data-testid="{testid}">{value}<' in html
    assert ('data-testid="open-batch"' in html) == role.startswith("office")


@pytest.mark.parametrize("role", ["unit_liaison", "receiver", "group_leader", "group_member", "outsider", "sysadmin",
                                  "auditor"])
def test_roles_without_evaluation_get_403_everywhere(world, batch, role):
    client = _client(world.users[role])
    evaluation = _evaluation(batch, "东岭村")
    for url in (LIST, CREATE, _url("batch_detail", batch), _url("evaluation_detail", evaluation),
                _url("batch_report", batch), reverse("rectification:template_list"),
                _url("template_detail", batch.template)):
        assert client.get(url).status_code == 403, url
    assert client.post(_url("evaluation_score", evaluation)).status_code == 403
    assert not any(item["url"] == LIST for stage in menu_for(world.users[role]) for item in stage["items"])


def test_the_menu_entry_for_office_leader_and_supervisor(world):
    for role in ("office_admin", "leader", "supervisor"):
        assert any(item["url"] == LIST for stage in menu_for(world.users[role]) for item in stage["items"])


def test_preview_then_open(world, batch):
    client = _client(world.office_admin)
    response = client.get(CREATE)
    assert response.status_code == 200 and 'data-testid="preview"' not in response.content.decode()
    feedback_for(world, "西河村", date(2025, 3, 1))
    response = client.get(CREATE, {**PERIOD, "committee": world.county.pk, "template": batch.template.pk,
                                    "period_start": "2025-01-01", "period_end": "2025年3月1日"})
    html = response.content.decode()
    assert response.status_code == 200 and html.count('data-testid="preview-row"') == 1 and "西河村" in html
    response = client.post(OPEN, {**PERIOD, "committee": world.county.pk, "template": batch.template.pk,
                                  "period_start": "2025-01-01", "period_end": "2025-03-01"})
    made = EvaluationBatch.objects.exclude(pk=batch.pk).get()
    assert response.status_code == 302 and response.url == _url("batch_detail", made)
    assert [e.organization.name for e in made.evaluations.select_related("organization")] == ["西河村"]


def test_an_empty_period_is_shown_and_refused(world, batch):
    client = _client(world.office_admin)
    response = client.get(CREATE, {**PERIOD, "committee": world.county.pk, "template": batch.template.pk,
                                    "period_start": "2030-01-01", "period_end": "2030-12-31"})
    assert 'data-testid="preview-row"' not in response.content.decode()
    response = client.post(OPEN, {**PERIOD, "committee": world.county.pk, "template": batch.template.pk,
                                  "period_start": "2030-01-01", "period_end": "2030-12-31"})
    assert response.status_code == 400 and EvaluationBatch.objects.count() == 1


@pytest.mark.parametrize("role", ["leader", "supervisor"])
def test_readers_may_not_open_a_batch(world, batch, role):
    client = _client(world.users[role])
    assert client.get(CREATE).status_code == 403
    assert client.post(OPEN, {**PERIOD, "committee": world.county.pk, "template": batch.template.pk}).status_code == 403
    assert EvaluationBatch.objects.count() == 1


# -- one batch -------------------------------------------------------------------------------

def test_the_batch_lists_organizations_sortable_by_score(world, batch):
    _grade(world, _evaluation(batch, "北坡村"), Decimal(95))
    _grade(world, _evaluation(batch, "东岭村"), Decimal("82.5"))
    client = _client(world.office_admin)
    html = client.get(_url("batch_detail", batch), {"sort": "score"}).content.decode()
    order = [name for name in ("北坡村", "东岭村", "南山村") if f'data-organization="{name}"' in html]
    assert sorted(order, key=lambda n: html.index(f'data-organization="{n}"')) == ["北坡村", "东岭村", "南山村"]
    assert 'data-testid="total">82.5<' in html and 'data-testid="figure-vague">1<' in html
    graded = client.get(_url("batch_detail", batch), {"grade": "pass"}).content.decode()
    assert graded.count('data-testid="evaluation-row"') == 1 and "东岭村" in graded
    assert 'data-testid="close-form"' in html and 'data-testid="refresh"' in html


def test_the_batch_query_count_does_not_grow_with_organizations(world, batch, django_assert_max_num_queries):
    client = _client(world.office_admin)
    client.get(_url("batch_detail", batch))
    with django_assert_max_num_queries(12) as captured:
        client.get(_url("batch_detail", batch))
    few = len(captured)  # read now: the next request empties the connection's query log
    for n in range(12):
        feedback_for(world, f"新增村{n:02d}", date(2024, 10, 1))
    services.batch_refresh(actor=world.office_admin, batch=batch)
    with django_assert_max_num_queries(few):
        response = client.get(_url("batch_detail", batch), {"sort": "score"})
    assert response.content.decode().count('data-testid="evaluation-row"') == 15


def test_refresh_and_close_through_the_page(world, batch):
    client = _client(world.office_staff)
    feedback_for(world, "后来村", date(2024, 11, 1))
    assert client.post(_url("batch_refresh", batch)).status_code == 302
    assert batch.evaluations.count() == 4
    response = client.post(_url("batch_close", batch), {"conclusion": "总体较好。"})
    assert response.status_code == 400 and "东岭村" in response.content.decode()
    for evaluation in Evaluation.objects.filter(batch=batch):
        _grade(world, evaluation, Decimal(92))
    assert client.post(_url("batch_close", batch), {"conclusion": "总体较好。"}).status_code == 302
    html = client.get(_url("batch_detail", batch)).content.decode()
    assert 'data-testid="close-form"' not in html and 'data-testid="refresh"' not in html
    assert 'data-testid="conclusion"' in html and "总体较好。" in html
    # A closed batch refuses a refresh; the message says why.
    response = client.post(_url("batch_refresh", batch), follow=True)
    assert batch.evaluations.count() == 4 and response.status_code == 200


@pytest.mark.parametrize("role", ["leader", "supervisor"])
def test_readers_may_not_change_a_batch(world, batch, role):
    client = _client(world.users[role])
    html = client.get(_url("batch_detail", batch)).content.decode()
    assert 'data-testid="close-form"' not in html and 'data-testid="refresh"' not in html
    assert ('data-testid="report"' in html) == (role == "leader")
    assert client.post(_url("batch_refresh", batch)).status_code == 403
    assert client.post(_url("batch_close", batch), {"conclusion": "x"}).status_code == 403


def test_the_report_downloads_for_the_office_and_is_audited(world, batch):
    response = _client(world.office_admin).get(_url("batch_report", batch))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    assert doc.paragraphs[1].text == "关于2024年度巡察整改评估情况的报告"
    assert AuditEvent.objects.filter(action="evaluation.report_export").count() == 1
    assert _client(world.supervisor).get(_url("batch_report", batch)).status_code == 403


def test_another_committees_batch_is_a_404(world, batch, make_user):
    from xuncha.access.roles import Role

    neighbour = make_user("neighbour_office", role=Role.OFFICE_ADMIN, committee=world.other)
    client = _client(neighbour)
    assert client.get(LIST).status_code == 200
    assert client.get(_url("batch_detail", batch)).status_code == 404
    assert client.get(_url("evaluation_detail", _evaluation(batch, "东岭村"))).status_code == 404
    assert client.post(_url("batch_close", batch), {"conclusion": "x"}).status_code == 404


# -- one evaluation --------------------------------------------------------------------------

def test_the_evaluation_shows_indicators_suggestions_and_vague_measures(world, batch):
    evaluation = _evaluation(batch, "东岭村")
    vague = next(d for c in batch.template.criteria.all() for d in c.deductions.all() if "空泛" in d.description)
    response = _client(world.office_admin).get(_url("evaluation_detail", evaluation))
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="score-form"' in html
    assert 'data-testid="indicator-vague">1<' in html and 'data-testid="indicator-overdue">1<' in html
    assert f'data-testid="suggested-{vague.pk}"><span class="badge text-bg-warning">1<' in html
    assert f'name="c{vague.criterion_id}_d{vague.pk}" value="1"' in html
    assert html.count('data-testid="vague-measure"') == 1 and VAGUE in html
    other = Task.objects.get(plan__feedback=evaluation.feedback, seq=2).measures
    with translation.override("zh-hans"):
        reasons = describe(vagueness.assess(VAGUE, [other]).reasons)
    assert reasons and "；".join(reasons) in html


def test_scoring_through_the_page(world, batch):
    evaluation = _evaluation(batch, "东岭村")
    criteria = list(batch.template.criteria.order_by("seq"))
    vague = next(d for d in criteria[1].deductions.all() if "空泛" in d.description)
    data = {"comment": "整改较好", "follow_up": "", "follow_up_note": ""}
    for c in criteria:
        data[f"c{c.pk}_confirm"] = "on"
        for d in c.deductions.all():
            data[f"c{c.pk}_d{d.pk}"] = "1" if d == vague else "0"
    client = _client(world.office_admin)
    response = client.post(_url("evaluation_score", evaluation), data)
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.total == 99 and evaluation.grade == "excellent" and evaluation.comment == "整改较好"
    assert EvaluationScore.objects.get(evaluation=evaluation, criterion=criteria[1]).deductions == {str(vague.pk): 1}
    # An explicit score out of bounds names the criterion's field; nothing changes.
    data[f"c{criteria[0].pk}_score"] = "16"
    response = client.post(_url("evaluation_score", evaluation), data)
    assert response.status_code == 400 and "组织领导" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.total == 99


def test_a_low_grade_without_follow_up_is_shown_on_the_follow_up_field(world, batch):
    evaluation = _evaluation(batch, "南山村")
    criteria = list(batch.template.criteria.order_by("seq"))
    data = {"comment": "", "follow_up": "", "follow_up_note": ""}
    for c in criteria:
        data[f"c{c.pk}_confirm"] = "on"
        data[f"c{c.pk}_score"] = "5"
    response = _client(world.office_admin).post(_url("evaluation_score", evaluation), data)
    assert response.status_code == 400
    assert 'id="id_follow_up"' in response.content.decode() and "is-invalid" in response.content.decode()
    assert not EvaluationScore.objects.filter(evaluation=evaluation).exists()


@pytest.mark.parametrize("role", ["leader", "supervisor"])
def test_readers_see_scores_without_the_form_and_may_not_score(world, batch, role):
    evaluation = _evaluation(batch, "北坡村")
    _grade(world, evaluation, Decimal(88), comment="整改有力")
    client = _client(world.users[role])
    html = client.get(_url("evaluation_detail", evaluation)).content.decode()
    assert 'data-testid="score-form"' not in html and 'data-testid="score-table"' in html
    assert 'data-testid="evaluation-total">88 / 100<' in html and "整改有力" in html
    assert html.count('data-testid="criterion-score"') == 4
    assert client.post(_url("evaluation_score", evaluation), {}).status_code == 403


def test_the_office_to_do_counts_ungraded_evaluations_of_open_batches(world, batch):
    todo = next(t for t in todos_for(world.office_admin) if t.url == LIST)
    assert todo.count == 3
    _grade(world, _evaluation(batch, "北坡村"), Decimal(95))
    assert next(t for t in todos_for(world.office_staff) if t.url == LIST).count == 2
    assert not any(t.url == LIST for t in todos_for(world.leader))
    assert not any(t.url == LIST for t in todos_for(world.supervisor))
