"""Mid-term guidance: visits and prescriptions by the leading group and the office, answers by
the group, the overview of a round."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.rounds.fieldwork_helpers import CONSOLE, close_round
from xuncha.access.models import AuditEvent
from xuncha.rounds import services_fieldwork as services
from xuncha.rounds.models import GuidanceVisit, Prescription
from xuncha.workbench.todos import todos_for


def _visit(world, group=None):
    return services.guidance_visit_create(actor=CONSOLE, group=group or world.group1, visited_on=date(2024, 3, 20),
                                          leaders="县委副书记 张某", diagnoses="谈话覆盖面不够。")


def _prescription(visit, content="扩大个别谈话范围"):
    return services.prescription_create(actor=CONSOLE, visit=visit, content=content, owner="副组长",
                                        due=date(2024, 3, 30))


def _g(name, group, *args):
    return reverse(name, args=[group.pk, *args])


@pytest.mark.parametrize("role", ["leader", "office_admin", "office_staff"])
def test_it_lets_the_leading_group_and_office_record_visits_and_prescriptions(client, world, role):
    client.force_login(world.users[role])
    response = client.post(_g("rounds:guidance_visit_create", world.group1),
                           {"visited_on": "2024-03-20", "leaders": "张某", "diagnoses": "底稿不规范。"})
    assert response.status_code == 302
    visit = GuidanceVisit.objects.get()
    response = client.post(_g("rounds:prescription_create", world.group1, visit.pk),
                           {"content": "规范底稿", "owner": "组长", "due": "2024-04-01"})
    assert response.status_code == 302
    p = Prescription.objects.get()
    assert p.status == Prescription.Status.OPEN
    client.post(_g("rounds:prescription_close", world.group1, p.pk))
    assert Prescription.objects.get().status == Prescription.Status.CLOSED


def test_it_lets_the_group_answer_a_prescription(client, world):
    p = _prescription(_visit(world))
    client.force_login(world.group_deputy)
    page = client.get(_g("rounds:guidance", world.group1)).content.decode()
    assert "扩大个别谈话范围" in page
    response = client.post(_g("rounds:prescription_answer", world.group1, p.pk), {"answer": ""})
    assert response.status_code == 200 and "answer" in response.context["form"].errors
    client.post(_g("rounds:prescription_answer", world.group1, p.pk), {"answer": "已增加谈话12人次。"})
    p.refresh_from_db()
    assert p.status == Prescription.Status.ANSWERED and p.answer == "已增加谈话12人次。" and p.answered_at
    assert AuditEvent.objects.filter(action="prescription.answer").count() == 1


def test_it_refuses_the_group_recording_or_closing(client, world):
    p = _prescription(_visit(world))
    client.force_login(world.group_leader)
    assert client.get(_g("rounds:guidance_visit_create", world.group1)).status_code == 403
    assert client.post(_g("rounds:prescription_close", world.group1, p.pk)).status_code == 403
    assert Prescription.objects.get().status == Prescription.Status.OPEN


@pytest.mark.parametrize("role", ["leader", "office_admin", "supervisor"])
def test_it_refuses_answers_from_outside_the_group(client, world, role):
    p = _prescription(_visit(world))
    client.force_login(world.users[role])
    assert client.post(_g("rounds:prescription_answer", world.group1, p.pk), {"answer": "代答"}).status_code == 403
    assert Prescription.objects.get().status == Prescription.Status.OPEN


@pytest.mark.parametrize("role", ["group_member", "unit_liaison", "receiver", "outsider"])
def test_it_hides_group_1_guidance(client, world, role):
    visit = _visit(world)
    p = _prescription(visit)
    client.force_login(world.users[role])
    for url in (_g("rounds:guidance", world.group1), _g("rounds:prescription_answer", world.group1, p.pk),
                _g("rounds:guidance_visit_edit", world.group1, visit.pk)):
        assert client.get(url).status_code == 404
    assert client.post(_g("rounds:prescription_answer", world.group1, p.pk), {"answer": "x"}).status_code == 404


def test_it_refuses_answers_once_the_round_is_completed(client, world):
    p = _prescription(_visit(world))
    close_round(world)
    client.force_login(world.group_leader)
    assert client.post(_g("rounds:prescription_answer", world.group1, p.pk), {"answer": "迟到"}).status_code == 403
    assert Prescription.objects.get().answer == ""


def test_it_does_not_reopen_a_closed_prescription(client, world):
    p = _prescription(_visit(world))
    services.prescription_close(actor=CONSOLE, prescription=p)
    client.force_login(world.group_leader)
    response = client.post(_g("rounds:prescription_answer", world.group1, p.pk), {"answer": "补答"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Prescription.objects.get().status == Prescription.Status.CLOSED


def test_it_counts_prescriptions_by_status_on_the_overview(client, world, django_assert_max_num_queries):
    v1, v2 = _visit(world), _visit(world, world.group2)
    _prescription(v1, "一")
    answered = _prescription(v1, "二")
    closed = _prescription(v2, "三")
    services.prescription_answer(actor=world.group_leader, prescription=answered, answer="done")
    services.prescription_close(actor=CONSOLE, prescription=closed)
    client.force_login(world.leader)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("rounds:guidance_overview", args=[world.round.pk]))
    rows = {g.pk: (g.n_visits, g.n_open, g.n_answered, g.n_closed) for g in response.context["groups"]}
    assert rows == {world.group1.pk: (1, 1, 1, 0), world.group2.pk: (1, 0, 0, 1)}
    assert response.context["totals"] == {"n_visits": 2, "n_open": 1, "n_answered": 1, "n_closed": 1}
    index = client.get(reverse("rounds:guidance_index"))
    assert [(r.pk, r.n_open, r.n_answered, r.n_closed) for r in index.context["rounds"]] == [
        (world.round.pk, 1, 1, 1)]


@pytest.mark.parametrize("role,status", [("group_leader", 403), ("supervisor", 403), ("unit_liaison", 404),
                                         ("receiver", 404)])
def test_it_keeps_the_overview_for_the_leading_group_and_office(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(reverse("rounds:guidance_overview", args=[world.round.pk])).status_code == status
    assert client.get(reverse("rounds:guidance_index")).status_code == 403


def test_it_reminds_the_group_of_prescriptions_to_answer(world):
    _prescription(_visit(world))
    titles = [(str(t.title), t.count) for t in todos_for(world.group_deputy)]
    assert any(count == 1 and "第一巡察组" in title for title, count in titles)
    assert not [t for t in todos_for(world.group_member) if "prescription" in str(t.title)]
