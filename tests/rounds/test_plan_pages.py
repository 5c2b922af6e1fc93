"""The plan pages: round list and detail, term and round forms; who sees what; query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from xuncha.access.models import AuditEvent
from xuncha.rounds import services
from xuncha.rounds.models import Round, Term
from xuncha.workbench.nav import menu_for
from xuncha.workbench.todos import todos_for

from .plan_helpers import CONSOLE, planned_round, staff

LIST = reverse("rounds:round_list")


def _detail(rnd) -> str:
    return reverse("rounds:round_detail", args=[rnd.pk])


def _labels(response) -> list[str]:
    return [r.label for r in response.context["page"].object_list]


@pytest.fixture
def staffed(world):
    rnd = planned_round(world, number=8)
    staff(world, rnd)
    staff(world, rnd, inspectors={"leader": ["赵六"], "member": ["孙七"]})
    return rnd


# -- who sees what ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["office_admin", "office_staff", "leader", "group_leader", "group_member",
                                  "supervisor"])
def test_it_opens_the_list_and_detail_for_those_who_plan_or_serve(client, world, staffed, name):
    client.force_login(world.users[name])
    response = client.get(LIST)
    assert response.status_code == 200
    assert set(_labels(response)) == {world.round.label, staffed.label}
    response = client.get(_detail(staffed))
    assert response.status_code == 200
    assert b'class="breadcrumb"' in response.content
    assert staffed.label in response.content.decode()


@pytest.mark.parametrize("name", ["unit_liaison", "receiver", "outsider", "sysadmin", "secadmin", "auditor"])
def test_it_refuses_the_list_and_hides_the_round_from_others(client, world, staffed, name):
    client.force_login(world.users[name])
    assert client.get(LIST).status_code == 403
    for url in (_detail(staffed), reverse("rounds:round_edit", args=[staffed.pk]),
                reverse("rounds:round_export_word", args=[staffed.pk]),
                reverse("rounds:round_export_excel", args=[staffed.pk])):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("rounds:round_create")).status_code == 403
    assert client.get(reverse("rounds:term_create")).status_code == 403


def test_it_gives_404_for_a_missing_round_and_another_committees_round(client, world, make_user):
    from xuncha.access.roles import Role

    other_admin = make_user("other_admin", role=Role.OFFICE_ADMIN, committee=world.other)
    client.force_login(other_admin)
    assert client.get(_detail(world.round)).status_code == 404
    assert client.get(reverse("rounds:round_detail", args=[99999])).status_code == 404
    assert _labels(client.get(LIST)) == []


def test_it_shows_a_group_member_only_their_own_group(client, world, staffed):
    client.force_login(world.group_member)  # serves in group 2 of world.round
    groups = client.get(_detail(world.round)).context["groups"]
    assert [g.pk for g in groups] == [world.group2.pk]
    assert client.get(_detail(world.round)).context["only_own_groups"]
    assert client.get(_detail(staffed)).context["groups"] == []


def test_it_shows_the_office_every_group_with_leaders_members_and_targets(client, world, staffed):
    client.force_login(world.office_admin)
    response = client.get(_detail(staffed))
    first, second = response.context["groups"]
    assert [m.person.name for m in first.leaders] == ["张三"]
    assert [m.person.name for m in first.deputies] == ["李四"]
    assert [m.person.name for m in first.others] == ["丁一", "王五"]  # surname stroke order
    assert first.n_members == 4 and second.n_members == 2
    assert [t.organization.name for t in first.targets] == ["南山村81"]
    assert (response.context["round"].n_groups, response.context["round"].n_targets) == (2, 2)
    assert not response.context["only_own_groups"]
    page = response.content.decode()
    if first.url:
        assert f'href="{reverse("rounds:group_detail", args=[first.pk])}"' in page
    assert response.context["can_edit"] and response.context["can_export"]
    assert 'data-testid="export-word"' in page


def test_the_progress_bar_marks_the_current_state(client, world, staffed):
    client.force_login(world.leader)
    steps = client.get(_detail(world.round)).context["steps"]  # stationed
    assert [s["status"] for s in steps] == ["done", "done", "current", "todo", "todo", "todo", "todo"]
    assert [str(s["label"]) for s in steps] == [str(s.label) for s in Round.State]


def test_the_leader_and_groups_may_not_edit_or_export_as_the_office_does(client, world, staffed):
    client.force_login(world.leader)
    response = client.get(_detail(staffed))
    assert not response.context["can_edit"] and response.context["can_export"]
    assert client.get(reverse("rounds:round_edit", args=[staffed.pk])).status_code == 403
    client.force_login(world.group_leader)
    response = client.get(_detail(staffed))
    assert not response.context["can_edit"] and not response.context["can_export"]
    assert client.get(reverse("rounds:round_export_word", args=[staffed.pk])).status_code == 403
    assert not client.get(LIST).context["can_create_round"]


# -- list: filters, grouping, pagination, query counts -------------------------------------

def _many_rounds(world, n: int = 12) -> list[Round]:
    rounds = []
    for number in range(2, 2 + n):
        kind = Round.Kind.SPECIAL if number % 3 == 0 else Round.Kind.ROUTINE
        rnd = planned_round(world, number=number, kind=kind, theme="村级集体三资" if kind == "special" else "")
        staff(world, rnd, inspectors={"leader": [f"甲{number}"], "member": [f"乙{number}"]})
        rounds.append(rnd)
    return rounds


def test_it_counts_groups_and_targets_without_n_plus_1(client, world, django_assert_max_num_queries):
    _many_rounds(world)
    client.force_login(world.office_admin)
    # session, user, assignments, terms (filter and card), count, page, menu checks: not per round
    with django_assert_max_num_queries(11):
        response = client.get(LIST)
    rows = response.context["page"].object_list
    assert len(rows) == 13
    assert [(r.n_groups, r.n_targets) for r in rows if r.number == 5] == [(1, 1)]
    assert [(r.n_groups, r.n_targets) for r in rows if r.pk == world.round.pk] == [(2, 0)]


def test_it_filters_by_term_state_and_kind(client, world):
    _many_rounds(world, 4)
    older = Term.objects.create(committee=world.county, number=0, name="第零届", start_date=date(2019, 1, 1))
    services.round_create(actor=CONSOLE, term=older, kind="routine", planned_entry=date(2020, 3, 1),
                          planned_exit=date(2020, 4, 1))
    client.force_login(world.office_admin)
    assert len(_labels(client.get(LIST))) == 6
    assert _labels(client.get(LIST, {"term": older.pk})) == ["第零届第一轮"]
    assert _labels(client.get(LIST, {"state": "stationed"})) == [world.round.label]
    assert sorted(_labels(client.get(LIST, {"kind": "special"}))) == ["第一届第三轮"]
    # newest term first, then by round number descending
    assert _labels(client.get(LIST))[-1] == "第零届第一轮"
    response = client.get(LIST, {"state": "completed"})
    assert _labels(response) == [] and "xc-empty" in response.content.decode()


def test_it_paginates_and_answers_htmx_with_the_table(client, world):
    _many_rounds(world, 26)
    client.force_login(world.office_admin)
    first = client.get(LIST)
    assert len(_labels(first)) == 25 and first.context["page"].paginator.num_pages == 2
    second = client.get(LIST, {"page": 2}, HTTP_HX_REQUEST="true")
    assert len(_labels(second)) == 2
    assert "<html" not in second.content.decode()


def test_the_detail_page_has_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    rnd = planned_round(world)
    for i in range(6):
        staff(world, rnd, inspectors={"leader": [f"组长{i}"], "deputy": [f"副{i}"], "member": [f"员{i}", f"甲{i}"]})
    for action, name in (("approve", "leader"), ("return", "leader"), ("approve", "leader")):
        services.round_transition(actor=world.users[name], round=rnd, action=action, comment="意见")
    client.force_login(world.office_admin)
    # session, user, assignments, round, groups, members, targets, history: not per group
    with django_assert_max_num_queries(12):
        response = client.get(_detail(rnd))
    assert len(response.context["groups"]) == 6
    assert len(response.context["timeline"]) == 3


# -- forms -------------------------------------------------------------------------------------

def test_the_office_opens_a_term_and_edits_it(client, world):
    client.force_login(world.office_admin)
    assert client.get(reverse("rounds:term_create")).status_code == 200
    response = client.post(reverse("rounds:term_create"),
                           {"number": 14, "name": "十四届", "start_date": "2021年10月1日", "planned_rounds": 9})
    term = Term.objects.get(committee=world.county, number=14)
    assert response.status_code == 302 and term.start_date == date(2021, 10, 1)
    response = client.post(reverse("rounds:term_create"),
                           {"number": 14, "start_date": "2021-10-01", "planned_rounds": 9})
    assert "number" in response.context["form"].errors
    url = reverse("rounds:term_edit", args=[term.pk])
    response = client.post(url, {"name": "十四届", "start_date": "2021-10-01", "end_date": "2020-01-01",
                                 "planned_rounds": 9})
    assert "end_date" in response.context["form"].errors
    client.post(url, {"name": "十四届县委", "start_date": "2021-10-01", "planned_rounds": 10})
    term.refresh_from_db()
    assert (term.name, term.planned_rounds) == ("十四届县委", 10)
    assert AuditEvent.objects.filter(action="term.update", object_id=str(term.pk)).exists()
    client.force_login(world.leader)
    assert client.get(url).status_code == 403
    assert client.get(reverse("rounds:term_create")).status_code == 403


def test_the_office_plans_a_round_and_edits_it_while_the_plan_is_open(client, world):
    client.force_login(world.office_admin)
    url = reverse("rounds:round_create")
    assert client.get(url).status_code == 200
    data = {"term": world.term.pk, "kind": "special", "title": "", "theme": "",
            "planned_entry": "2024-09-02", "planned_exit": "2024-08-01"}
    response = client.post(url, data)
    assert {"theme", "planned_exit"} <= set(response.context["form"].errors)
    response = client.post(url, {**data, "theme": "农村集体三资", "planned_exit": "2024-10-31"})
    rnd = Round.objects.get(term=world.term, number=2)
    assert response.url == _detail(rnd)
    assert (rnd.kind, rnd.theme, rnd.state) == ("special", "农村集体三资", Round.State.PLANNED)
    response = client.post(url, {**data, "number": 2, "theme": "x", "planned_exit": "2024-10-31"})
    assert "number" in response.context["form"].errors
    edit = reverse("rounds:round_edit", args=[rnd.pk])
    client.post(edit, {"kind": "routine", "title": "第二轮常规巡察", "planned_entry": "2024-09-09",
                       "planned_exit": "2024-11-08"})
    rnd.refresh_from_db()
    assert (rnd.kind, rnd.title, rnd.planned_entry) == ("routine", "第二轮常规巡察", date(2024, 9, 9))
    Round.objects.filter(pk=rnd.pk).update(state=Round.State.REPORTING)
    response = client.get(edit, follow=True)
    assert response.redirect_chain[-1][0] == _detail(rnd)
    assert not response.context["can_edit"]


def test_a_new_round_needs_a_term_first(client, world, make_user):
    from xuncha.access.roles import Role

    client.force_login(make_user("other_admin", role=Role.OFFICE_ADMIN, committee=world.other))
    response = client.get(reverse("rounds:round_create"))
    assert response.status_code == 302 and response.url == reverse("rounds:term_create")


# -- navigation and workbench ----------------------------------------------------------------

@pytest.mark.parametrize(("name", "shown"), [("office_admin", True), ("leader", True), ("group_member", True),
                                             ("unit_liaison", False), ("sysadmin", False)])
def test_the_menu_shows_the_rounds_to_those_who_may_see_them(world, name, shown):
    urls = [item["url"] for stage in menu_for(world.users[name]) for item in stage["items"]]
    assert (LIST in urls) is shown


def test_the_leading_group_sees_plans_waiting_for_approval(world, staffed):
    [todo] = [t for t in todos_for(world.leader) if "state=planned" in t.url]
    assert todo.count == 1
    assert not [t for t in todos_for(world.office_admin) if "state=planned" in t.url]


def test_the_office_adds_a_group_from_the_round_page(client, world):
    from django.urls import reverse

    from tests.conftest import PASSWORD

    client.login(username="office_admin", password=PASSWORD)
    page = client.get(reverse("rounds:round_detail", args=[world.round.pk])).content.decode()
    assert 'data-testid="add-group"' in page
    response = client.post(reverse("rounds:group_create", args=[world.round.pk]))
    assert response.status_code == 302
    assert world.round.groups.count() == 3


def test_readers_get_no_add_group_button(client, world):
    from django.urls import reverse

    from tests.conftest import PASSWORD

    client.login(username="leader", password=PASSWORD)
    page = client.get(reverse("rounds:round_detail", args=[world.round.pk])).content.decode()
    assert 'data-testid="add-group"' not in page
