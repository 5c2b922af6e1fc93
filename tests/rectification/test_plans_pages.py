"""Plan pages: the liaison writes a plan in the browser-less client, the office returns a vague
task with a comment, the liaison sees it, fixes and resubmits, the office approves; the
refusals (404 for another organization, 403 for roles that may not) and query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from tests.rectification.plans_helpers import (  # noqa: F401 - autouse fixture
    VAGUE,
    _documents_in_tmp,
    login,
    submitted_plan,
    task_fields,
    written_plan,
)
from tests.reports.feedback_helpers import issued_feedback, report
from xuncha.access.roles import Role
from xuncha.findings.models import Problem
from xuncha.rectification import services_plans as services
from xuncha.rectification.models import Plan, PlanStep, Task
from xuncha.registry.models import Organization
from xuncha.rounds.models import Assignment
from xuncha.workbench.nav import menu_for
from xuncha.workbench.todos import todos_for

LIST = reverse("rectification:plan_list")
UNIT = reverse("rectification:unit_plans")


def _detail(plan) -> str:
    return reverse("rectification:plan_detail", args=[plan.pk])


def _post_task(client, plan, problem, **fields):
    values = task_fields(**fields)
    data = {f"p{problem.pk}-{k}": (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}
    data.setdefault(f"p{problem.pk}-owner", "")
    return client.post(reverse("rectification:plan_task_add", args=[plan.pk, problem.pk]), data)


def _todo_titles(user) -> set[str]:
    with translation.override("en"):
        return {str(t.title) for t in todos_for(user)}


# -- the whole flow in the browser-less client -----------------------------------------------

def test_write_return_fix_resubmit_approve(world, fed_back):
    liaison = login(world.unit_liaison)
    assert "Feedback without a rectification plan" in _todo_titles(world.unit_liaison)

    page = liaison.get(UNIT)
    assert page.status_code == 200 and 'data-testid="start-plan"' in page.content.decode()
    response = liaison.post(reverse("rectification:plan_start", args=[fed_back.feedback.pk]))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(plan)
    assert "Feedback without a rectification plan" not in _todo_titles(world.unit_liaison)

    html = liaison.get(_detail(plan)).content.decode()
    for problem in fed_back.problems:
        assert f'data-testid="add-task-{problem.pk}"' in html and problem.title in html
    assert fed_back.lead.title not in html
    assert 'data-testid="concentrated-due"' in html and "2024年8月20日" in html
    assert 'data-testid="missing-problems"' in html

    # A deadline beyond the concentrated period: the form comes back with the error on the field.
    bad = _post_task(liaison, plan, fed_back.problems[0], due=date(2024, 12, 1))
    assert bad.status_code == 400 and "is-invalid" in bad.content.decode() and not Task.objects.exists()

    assert _post_task(liaison, plan, fed_back.problems[0], measures=VAGUE).status_code == 302
    for n, problem in enumerate(fed_back.problems[1:], start=2):
        assert _post_task(liaison, plan, problem, **task_fields(n)).status_code == 302
    vague = Task.objects.get(measures=VAGUE)
    html = liaison.get(_detail(plan)).content.decode()
    assert 'data-testid="vague-hint"' in html and 'data-testid="vague-reasons"' in html
    assert 'data-testid="missing-problems"' not in html
    assert liaison.post(reverse("rectification:plan_submit", args=[plan.pk]), {"comment": ""}).status_code == 302
    assert Plan.objects.get().state == "submitted"
    assert "Plans awaiting review" in _todo_titles(world.office_admin)

    # The office sees the vagueness and returns the vague task with a comment.
    office = login(world.office_admin)
    html = office.get(_detail(plan)).content.decode()
    assert 'data-testid="review-form"' in html and 'data-testid="vague-warning"' in html
    assert html.count('data-testid="vague-badge"') == 1 and f'name="task_{vague.pk}"' in html
    refused = office.post(reverse("rectification:plan_review", args=[plan.pk]), {"decision": "return", "comment": ""})
    assert refused.status_code == 400 and Plan.objects.get().state == "submitted"
    response = office.post(reverse("rectification:plan_review", args=[plan.pk]),
                           {"decision": "return", "comment": "", f"task_{vague.pk}": "措施空泛，请细化"})
    assert response.status_code == 302 and Plan.objects.get().state == "returned"

    # The liaison sees the comment next to the task, fixes it on its page, resubmits.
    assert "Plans returned for revision" in _todo_titles(world.unit_liaison)
    html = liaison.get(_detail(plan)).content.decode()
    assert 'data-testid="return-notice"' in html and "措施空泛，请细化" in html
    edit_url = reverse("rectification:plan_task_edit", args=[plan.pk, vague.pk])
    edit = liaison.get(edit_url)
    assert edit.status_code == 200 and "措施空泛，请细化" in edit.content.decode()
    fixed = "2024年6月30日前由村党支部书记组织核对惠农补贴发放台账，补发2户补贴并公示。"
    response = liaison.post(edit_url, {**task_fields(measures=fixed, due="2024-06-30"),
                                       "problem": fed_back.problems[0].pk, "owner": world.unit_liaison.pk})
    assert response.status_code == 302
    vague.refresh_from_db()
    assert vague.measures == fixed and not vague.vague and vague.owner == world.unit_liaison
    assert liaison.post(reverse("rectification:plan_submit", args=[plan.pk])).status_code == 302

    response = office.post(reverse("rectification:plan_review", args=[plan.pk]), {"decision": "approve"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == "approved" and plan.decided_by == world.office_admin
    assert list(PlanStep.objects.values_list("action", flat=True)) == ["submit", "return", "submit", "approve"]
    html = liaison.get(_detail(plan)).content.decode()
    assert 'data-testid="plan-steps"' in html and 'data-testid="state-refusal"' in html
    assert 'data-testid="task-edit"' not in html and 'data-testid="export-link"' in html
    # Once approved, nothing changes through the pages.
    assert liaison.post(edit_url, {**task_fields(measures=VAGUE), "problem": fed_back.problems[0].pk}).status_code \
        == 302
    vague.refresh_from_db()
    assert vague.measures == fixed


def test_the_task_page_link_appears_once_approved_if_the_tasks_area_has_it(world, approved_plan):
    html = login(world.unit_liaison).get(_detail(approved_plan.plan)).content.decode()
    try:
        url = reverse("rectification:task_detail", args=[approved_plan.tasks[0].pk])
    except NoReverseMatch:  # the tasks area has not mounted its page yet
        assert 'data-testid="task-link"' not in html
    else:
        assert f'href="{url}"' in html


def test_removing_a_task_from_the_page(world, fed_back):
    plan = written_plan(fed_back, world.unit_liaison)
    task = plan.tasks.get(seq=2)
    client = login(world.unit_liaison)
    remove = reverse("rectification:plan_task_remove", args=[plan.pk, task.pk])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert list(plan.tasks.values_list("seq", flat=True)) == [1, 2, 3]


# -- refusals --------------------------------------------------------------------------------

@pytest.fixture
def other_liaison(world, make_user):
    return make_user("other_liaison", role=Role.UNIT_LIAISON, organization=world.township)


def test_another_organizations_liaison_gets_404(world, fed_back, other_liaison):
    plan = written_plan(fed_back, world.unit_liaison)
    task = plan.tasks.first()
    client = login(other_liaison)
    assert client.get(_detail(plan)).status_code == 404
    assert client.get(reverse("rectification:plan_task_edit", args=[plan.pk, task.pk])).status_code == 404
    assert _post_task(client, plan, fed_back.problems[0]).status_code == 404
    assert client.post(reverse("rectification:plan_submit", args=[plan.pk])).status_code == 404
    assert client.get(reverse("rectification:plan_export", args=[plan.pk])).status_code == 404
    assert client.post(reverse("rectification:plan_start", args=[fed_back.feedback.pk])).status_code == 404
    assert plan.tasks.count() == 4 and Plan.objects.get().state == "draft"


@pytest.mark.parametrize("role, status", [("receiver", 403), ("group_leader", 403), ("outsider", 403),
                                          ("auditor", 403), ("sysadmin", 403)])
def test_roles_outside_rectification_get_403(world, fed_back, role, status):
    plan = written_plan(fed_back, world.unit_liaison)
    client = login(world.users[role])
    for url in (_detail(plan), LIST, UNIT):
        assert client.get(url).status_code == status


@pytest.mark.parametrize("role", ["leader", "supervisor"])
def test_readers_read_but_may_not_write_or_review(world, fed_back, role):
    plan = submitted_plan(fed_back, world.unit_liaison)
    client = login(world.users[role])
    html = client.get(_detail(plan)).content.decode()
    assert fed_back.problems[0].title in html and 'data-testid="review-form"' not in html
    assert client.post(reverse("rectification:plan_review", args=[plan.pk]), {"decision": "approve"}).status_code \
        == 403
    assert client.get(LIST).status_code == 200 and client.get(UNIT).status_code == 403
    assert Plan.objects.get().state == "submitted"


def test_the_liaison_may_not_review_and_the_office_list_is_not_for_it(world, fed_back):
    plan = submitted_plan(fed_back, world.unit_liaison)
    client = login(world.unit_liaison)
    assert 'data-testid="review-form"' not in client.get(_detail(plan)).content.decode()
    assert client.post(reverse("rectification:plan_review", args=[plan.pk]), {"decision": "approve"}).status_code \
        == 403
    assert client.get(LIST).status_code == 403
    assert Plan.objects.get().state == "submitted"


def test_a_lead_cannot_get_a_task_through_the_page(world, fed_back):
    plan = services.plan_start(actor=world.office_admin, feedback=fed_back.feedback)
    assert _post_task(login(world.office_admin), plan, fed_back.lead).status_code == 404
    assert not Task.objects.exists()


def test_the_menu_shows_each_role_its_page(world, fed_back):
    def labels(user):
        with translation.override("en"):
            return {str(e["label"]) for s in menu_for(user) for e in s["items"]}

    assert "Rectification plans" in labels(world.office_admin) and "Our rectification plan" not in labels(
        world.office_admin)
    assert "Our rectification plan" in labels(world.unit_liaison) and "Rectification plans" not in labels(
        world.unit_liaison)
    assert "Rectification plans" in labels(world.leader)
    assert not {"Rectification plans", "Our rectification plan"} & labels(world.receiver)


# -- the committee's list --------------------------------------------------------------------

def _more_plans(world, findings, n: int) -> list[Plan]:
    """n more villages with issued feedback and a plan (two tasks each, one vague)."""
    made = []
    for i in range(n):
        org = Organization.objects.create(committee=world.county, name=f"测试{i}村", kind=world.kinds["village"])
        target = Assignment.objects.create(group=world.group1, organization=org)
        problem = Problem.objects.create(assignment=target, seq=100 + i, title=f"问题{i}", description="—",
                                         classification=findings.items["V2.1.1"], kind="general")
        report(target)
        feedback = issued_feedback(target)
        assert list(feedback.problems.all()) == [problem]
        plan = services.plan_start(actor=world.office_admin, feedback=feedback)
        services.task_add(actor=world.office_admin, plan=plan, problem=problem, **task_fields(i % 4 + 1))
        services.task_add(actor=world.office_admin, plan=plan, problem=problem, **task_fields(measures=VAGUE))
        if i % 2:
            services.plan_submit(actor=world.office_admin, plan=plan)
        made.append(plan)
    return made


def test_the_list_counts_tasks_in_the_database_awaiting_review_first(world, findings, fed_back,
                                                                      django_assert_max_num_queries):
    _more_plans(world, findings, 6)
    client = login(world.office_admin)
    client.get(LIST)
    with django_assert_max_num_queries(11):
        response = client.get(LIST)
    html = response.content.decode()
    assert html.count('data-testid="plan-row-') == 6
    rows = [line for line in html.splitlines() if 'data-testid="plan-row-' in line]
    awaiting = set(Plan.objects.filter(state="submitted").values_list("pk", flat=True))
    assert len(awaiting) == 3
    first = [int(r.split('plan-row-')[1].split('"')[0]) for r in rows[:len(awaiting)]]
    assert set(first) == awaiting
    assert html.count('<td class="text-end" data-testid="n-tasks">2</td>') == 6
    assert html.count('<span class="badge text-bg-warning">1</span>') == 6
    # The feedback of 东门村 still has no plan: the office may start one on its behalf.
    assert 'data-testid="without-plan"' in html and fed_back.organization.name in html


def test_the_list_filters_by_round_state_and_organization_name(world, findings, fed_back):
    plans = _more_plans(world, findings, 4)
    client = login(world.office_staff)
    html = client.get(LIST, {"state": "submitted"}).content.decode()
    assert html.count('data-testid="plan-row-') == 2
    html = client.get(LIST, {"organization": "测试3"}).content.decode()
    assert f'data-testid="plan-row-{plans[3].pk}"' in html and html.count('data-testid="plan-row-') == 1
    html = client.get(LIST, {"round": world.round.pk}).content.decode()
    assert html.count('data-testid="plan-row-') == 4
    # A round that is not one of the user's is dropped; the other filters stay (the dashboard links here).
    html = client.get(LIST, {"round": 999999, "state": "submitted", "term": "x"}).content.decode()
    assert html.count('data-testid="plan-row-') == 2


def test_the_office_starts_a_plan_on_the_organizations_behalf_from_the_list(world, fed_back):
    client = login(world.office_admin)
    response = client.post(reverse("rectification:plan_start", args=[fed_back.feedback.pk]))
    plan = Plan.objects.get()
    assert response.status_code == 302 and plan.created_by == world.office_admin
    html = client.get(_detail(plan)).content.decode()
    assert f'data-testid="add-task-{fed_back.problems[0].pk}"' in html
    # Twice: a message, no second plan.
    again = client.post(reverse("rectification:plan_start", args=[fed_back.feedback.pk]), follow=True)
    assert again.status_code == 200 and Plan.objects.count() == 1


def test_the_detail_query_count(world, fed_back, django_assert_max_num_queries):
    plan = written_plan(fed_back, world.unit_liaison)
    for problem in fed_back.problems:
        services.task_add(actor=world.unit_liaison, plan=plan, problem=problem, **task_fields(measures=VAGUE))
    client = login(world.unit_liaison)
    client.get(_detail(plan))
    with django_assert_max_num_queries(11):
        assert client.get(_detail(plan)).status_code == 200
