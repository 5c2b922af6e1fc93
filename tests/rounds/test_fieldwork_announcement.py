"""The group's announcement: who writes it, and a printable page with nothing confidential."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.rounds.fieldwork_helpers import CONSOLE, close_round, document_request, interview, target
from xuncha.registry.models import Person
from xuncha.rounds import services, services_fieldwork
from xuncha.rounds.models import Announcement, GroupMember

DATA = {"scope": "重点受理反映村党组织领导班子及其成员问题的来信来电来访。", "phone": "0871-1234567",
        "mailbox": "县邮政局0001号信箱", "email": "xuncha1@example.cn", "period_start": "2024-03-01",
        "period_end": "2024-04-30", "published": "on"}


def _announcement(world):
    values = {k: v for k, v in DATA.items() if k not in ("period_start", "period_end", "published")}
    return services_fieldwork.announcement_save(actor=CONSOLE, group=world.group1, period_start=date(2024, 3, 1),
                                                period_end=date(2024, 4, 30), **values)


def _url(name, group):
    return reverse(name, args=[group.pk])


@pytest.mark.parametrize("role", ["office_admin", "office_staff", "group_leader"])
def test_it_lets_the_office_and_the_group_leader_write_the_announcement(client, world, role):
    client.force_login(world.users[role])
    assert client.post(_url("rounds:announcement_edit", world.group1), DATA).status_code == 302
    ann = Announcement.objects.get()
    assert ann.group == world.group1 and ann.published
    response = client.post(_url("rounds:announcement_edit", world.group1), {**DATA, "phone": "0871-7654321"})
    assert response.status_code == 302
    assert Announcement.objects.get().phone == "0871-7654321"


@pytest.mark.parametrize("role", ["group_deputy", "leader", "supervisor"])
def test_it_refuses_others_who_see_the_group(client, world, role):
    client.force_login(world.users[role])
    assert client.get(_url("rounds:announcement", world.group1)).status_code == 200
    assert client.post(_url("rounds:announcement_edit", world.group1), DATA).status_code == 403
    assert not Announcement.objects.exists()


@pytest.mark.parametrize("role", ["group_member", "unit_liaison", "receiver", "outsider"])
def test_it_hides_another_groups_announcement_pages(client, world, role):
    _announcement(world)
    client.force_login(world.users[role])
    for name in ("rounds:announcement", "rounds:announcement_edit", "rounds:announcement_print"):
        assert client.get(_url(name, world.group1)).status_code == 404


def test_it_refuses_the_group_leader_once_the_round_is_completed(client, world):
    _announcement(world)
    close_round(world)
    client.force_login(world.group_leader)
    assert client.post(_url("rounds:announcement_edit", world.group1),
                       {**DATA, "phone": "110"}).status_code == 403
    assert Announcement.objects.get().phone == DATA["phone"]


def test_it_names_the_period_that_ends_before_it_starts(client, world):
    client.force_login(world.office_admin)
    response = client.post(_url("rounds:announcement_edit", world.group1), {**DATA, "period_end": "2024-02-01"})
    assert response.status_code == 200 and "period_end" in response.context["form"].errors
    assert not Announcement.objects.exists()


def test_it_prints_the_announcement_with_the_targets_and_nothing_confidential(client, world):
    target(world)
    _announcement(world)
    interview(world, summary="机密谈话内容")
    document_request(world, item="机密账册")
    member = Person.objects.create(committee=world.county, name="赵秘密", organization=world.department,
                                   phone="13900000000")
    services.member_add(actor=CONSOLE, group=world.group1, person=member, role=GroupMember.Role.MEMBER)
    client.force_login(world.group_leader)
    page = client.get(_url("rounds:announcement_print", world.group1)).content.decode()
    assert "示例县委" in page and "第一巡察组" in page
    assert "东门村" in page and DATA["phone"] in page and DATA["email"] in page
    for secret in ("机密谈话内容", "机密账册", "赵秘密", "13900000000", "xc-sidebar", "group_leader"):
        assert secret not in page
    assert "@page" not in page  # the print CSS is a static file
    assert "announcement.css" in page


def test_it_has_no_printable_page_before_the_announcement_exists(client, world):
    client.force_login(world.office_admin)
    assert client.get(_url("rounds:announcement_print", world.group1)).status_code == 404
    response = client.get(_url("rounds:announcement", world.group1))
    assert response.context["announcement"] is None and response.context["can_edit"]
    assert _url("rounds:announcement_edit", world.group1) in response.content.decode()
