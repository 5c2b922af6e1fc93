"""Complaint register pages: the register (filters, counts by category, query count, export),
registering with identity and files, one complaint's page and its forms; each group sees its own
complaints only; inspected organizations, receivers and the superior office see none; the
identity appears only in the response to the POST that views it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.intake.complaints_helpers import (  # noqa: F401
    CONTACT,
    EXE_BYTES,
    NAME,
    client_for,
    findings,
    intake_fixture,
    make_paper,
    media_fixture,
    pdf,
    register,
    text_file,
    uploaded_files,
)
from xuncha.access.models import AuditEvent
from xuncha.intake import services_identity
from xuncha.intake.models import Complaint, IdentityAccess

pytestmark = pytest.mark.usefixtures("english")
LIST = "/intake/"


def _detail(c) -> str:
    return f"/intake/{c.pk}/"


def _rows(response) -> list[int]:
    import re

    return [int(pk) for pk in re.findall(r'data-testid="complaint-row" data-complaint="(\d+)"', response.content.decode())]


@pytest.fixture
def three(world, intake):
    """One complaint at the office, one with each group."""
    office = register(world, name=NAME, contact=CONTACT, category=intake.village_focus, subject="办公室收件")
    g1 = register(world, world.group_leader, group=world.group1, category=intake.village_focus, subject="一组收件",
                  content="一组的事")
    g2 = register(world, world.group_member, group=world.group2, subject="二组收件", content="二组的事",
                  contact=CONTACT)
    return office, g1, g2


def test_each_sees_their_own_complaints(world, three):
    office, g1, g2 = three
    assert sorted(_rows(client_for(world.office_staff).get(LIST))) == sorted([office.pk, g1.pk, g2.pk])
    assert sorted(_rows(client_for(world.leader).get(LIST))) == sorted([office.pk, g1.pk, g2.pk])
    assert _rows(client_for(world.group_leader).get(LIST)) == [g1.pk]
    member = client_for(world.group_member)
    assert _rows(member.get(LIST)) == [g2.pk]
    assert member.get(_detail(g1)).status_code == 404 and member.get(_detail(office)).status_code == 404
    assert member.get(_detail(g2)).status_code == 200


@pytest.mark.parametrize("who", ["unit_liaison", "receiver", "supervisor", "sysadmin", "auditor", "outsider"])
def test_those_outside_see_no_complaint(world, three, who):
    client = client_for(world.users[who])
    assert client.get(LIST).status_code == 403
    assert client.get(_detail(three[1])).status_code == 403
    assert client.get("/intake/identity/").status_code == 403


def test_filters_counts_and_query_count(world, intake, three, django_assert_max_num_queries):
    for n in range(6):
        register(world, subject=f"反映{n}", content=f"内容{n}", category=intake.village_focus2 if n % 2 else None)
    client = client_for(world.office_admin)
    with django_assert_max_num_queries(16):
        response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200 and len(_rows(response)) == 9
    assert f'data-category="{intake.village_focus.title}" data-count="2"' in html
    assert f'data-category="{intake.village_focus2.title}" data-count="3"' in html
    assert 'data-category="none" data-count="4"' in html
    assert len(_rows(client.get(LIST, {"category": intake.village_focus.title}))) == 2
    assert _rows(client.get(LIST, {"group": world.group2.pk})) == [three[2].pk]
    assert _rows(client.get(LIST, {"q": "一组"})) == [three[1].pk]
    assert len(_rows(client.get(LIST, {"handling": "pending", "channel": "letter"}))) == 9
    assert _rows(client.get(LIST, {"received_from": "2030-01-01"})) == []
    assert len(_rows(client.get(LIST, {"received_from": "nonsense"}))) == 9
    assert NAME not in html and CONTACT not in html


def test_export_is_the_office_s_and_audited(world, three):
    response = client_for(world.office_admin).get("/intake/export/", {"group": world.group1.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[1].value for row in sheet.iter_rows(min_row=3)] == [three[1].number]
    assert AuditEvent.objects.filter(action="complaint.export").count() == 1
    assert client_for(world.leader).get("/intake/export/").status_code == 403
    assert client_for(world.group_leader).get("/intake/export/").status_code == 403


def test_registering_through_the_form(world, intake, media):
    client = client_for(world.group_deputy)
    page = client.get("/intake/new/")
    assert page.status_code == 200 and 'data-testid="identity-fields"' in page.content.decode()
    response = client.post("/intake/new/", {
        "group": world.group1.pk, "channel": "visit", "received_on": "2024-03-06", "organization": world.village.pk,
        "subject": "来访反映", "content": "来访反映村务不公开", "category": intake.village_focus.pk,
        "name": NAME, "contact": CONTACT, "files": [text_file(), pdf()]})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == _detail(complaint)
    assert complaint.group == world.group1 and complaint.attachments.count() == 2 and not complaint.anonymous
    html = client.get(_detail(complaint)).content.decode()
    assert NAME not in html and CONTACT not in html and 'data-state="on_file"' in html


def test_a_disguised_file_refuses_the_form_and_stores_nothing(world, intake, media):
    response = client_for(world.office_admin).post("/intake/new/", {
        "channel": "letter", "received_on": "2024-03-06", "subject": "来信", "content": "来信内容",
        "files": [pdf("扫描件.pdf", EXE_BYTES)]})
    assert response.status_code == 400 and "扫描件.pdf" in response.content.decode()
    assert not Complaint.objects.exists() and uploaded_files(media) == []


def test_those_who_may_not_register_get_403(world, three):
    for who in ("leader", "receiver"):
        assert client_for(world.users[who]).get("/intake/new/").status_code == 403


def test_handling_through_the_page(world, three):
    office, g1, _g2 = three
    client = client_for(world.office_admin)
    html = client.get(_detail(office)).content.decode()
    assert 'data-action="to_group"' in html and 'data-action="reopen"' not in html
    response = client.post(f"/intake/{office.pk}/handling/", {"action": "to_group", "to_group-group": world.group1.pk,
                                                               "to_group-on": "2024-03-07"})
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.handling == "to_group" and office.group == world.group1
    bad = client.post(f"/intake/{g1.pk}/handling/", {"action": "to_department", "to_department-passed_to": ""})
    assert bad.status_code == 400
    leader = client_for(world.leader)
    assert 'data-testid="handling-action"' not in leader.get(_detail(g1)).content.decode()
    assert leader.post(f"/intake/{g1.pk}/handling/", {"action": "conclude", "conclude-outcome": "x"}).status_code == 403
    member = client_for(world.group_member)
    assert member.post(f"/intake/{g1.pk}/handling/", {"action": "conclude", "conclude-outcome": "x"}).status_code == 404
    done = client_for(world.group_leader).post(f"/intake/{g1.pk}/handling/", {
        "action": "conclude", "conclude-outcome": "经核实已整改"})
    assert done.status_code == 302
    assert 'data-to="concluded"' in client.get(_detail(g1)).content.decode()


def test_papers_duplicates_and_repeats_on_the_page(world, three, make_paper):  # noqa: F811
    office, g1, g2 = three
    paper = make_paper("signed")
    client = client_for(world.group_leader)
    assert client.post(f"/intake/{g1.pk}/papers/", {"paper": paper.pk}).status_code == 302
    assert f'data-paper="{paper.pk}"' in client.get(_detail(g1)).content.decode()
    assert client.post(f"/intake/{g1.pk}/papers/{paper.pk}/unlink/").status_code == 302
    assert not Complaint.objects.get(pk=g1.pk).papers.exists()
    office_client = client_for(world.office_admin)
    assert office_client.post(f"/intake/{g1.pk}/duplicate/", {"duplicate_of": office.number}).status_code == 302
    assert Complaint.objects.get(pk=g1.pk).duplicate_of == office
    # The group does not see the office's complaint: it cannot name it.
    assert client.post(f"/intake/{g1.pk}/duplicate/", {"duplicate_of": g2.number}).status_code == 400
    # office and g2 share the contact: the office sees the repeat, the group of g2 does not see the office's.
    html = office_client.get(_detail(office)).content.decode()
    assert f'data-testid="repeat" data-complaint="{g2.pk}"' in html and 'data-count="1"' in html
    member_html = client_for(world.group_member).get(_detail(g2)).content.decode()
    assert 'data-testid="repeat"' not in member_html and CONTACT not in member_html


def test_reply_and_attachments_on_the_page(world, three, media):
    _office, g1, _g2 = three
    Complaint.objects.filter(pk=g1.pk).update(receipt_prefix="QW12ER34", channel="online")
    client = client_for(world.group_leader)
    assert client.post(f"/intake/{g1.pk}/messages/", {"text": "已收到，正在核实"}).status_code == 302
    assert 'data-from-public="0"' in client.get(_detail(g1)).content.decode()
    assert client_for(world.leader).post(f"/intake/{g1.pk}/messages/", {"text": "x"}).status_code == 403
    assert client.post(f"/intake/{g1.pk}/attachments/", {"files": [text_file()]}).status_code == 302
    attachment = g1.attachments.get()
    response = client_for(world.office_staff).get(f"/intake/{g1.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response.content.decode().startswith("村会计")
    assert AuditEvent.objects.filter(action="complaint.attachment_download").count() == 1
    assert client_for(world.group_member).get(f"/intake/{g1.pk}/attachments/{attachment.pk}/").status_code == 404


def test_identity_request_grant_and_view_through_the_pages(world, three):
    office = three[0]
    staff = client_for(world.office_staff)
    assert staff.post(f"/intake/{office.pk}/identity/request/", {"reason": "需电话回访"}).status_code == 302
    access = IdentityAccess.objects.get()
    assert 'data-state="requested"' in staff.get(_detail(office)).content.decode()
    assert staff.get("/intake/identity/").status_code == 403
    head = client_for(world.office_admin)
    queue = head.get("/intake/identity/").content.decode()
    assert f'data-testid="pending-request" data-access="{access.pk}"' in queue and NAME not in queue
    # A grant lapses: the form proposes two weeks from today.
    assert f'value="{(timezone.localdate() + timedelta(days=14)).isoformat()}"' in queue
    until = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = head.post(f"/intake/identity/{access.pk}/decision/", {f"a{access.pk}-grant": "grant",
                                                                    f"a{access.pk}-expires_on": until})
    assert response.status_code == 302
    assert 'data-state="granted"' in staff.get(_detail(office)).content.decode()
    revealed = staff.post(f"/intake/{office.pk}/identity/")
    html = revealed.content.decode()
    assert revealed.status_code == 200 and NAME in html and CONTACT in html
    assert "no-store" in revealed["Cache-Control"]
    assert NAME not in staff.get(_detail(office)).content.decode()
    history = head.get("/intake/identity/").content.decode()
    assert f'data-access="{access.pk}" data-state="granted" data-views="1"' in history
    assert client_for(world.leader).post(f"/intake/{office.pk}/identity/").status_code == 403
    assert client_for(world.group_member).post(f"/intake/{office.pk}/identity/").status_code == 404
    assert head.post(f"/intake/identity/{access.pk}/revoke/").status_code == 302
    assert staff.post(f"/intake/{office.pk}/identity/").status_code == 403
    assert IdentityAccess.objects.get().state == "revoked"
    assert AuditEvent.objects.filter(action="intake.identity_view").count() == 1


def test_the_requester_cannot_decide_on_the_page(world, three):
    office = three[0]
    access = services_identity.request_access(actor=world.office_admin, complaint=office, reason="核查")
    head = client_for(world.office_admin)
    assert f'data-access="{access.pk}"' not in head.get("/intake/identity/").content.decode()
    response = head.post(f"/intake/identity/{access.pk}/decision/", {f"a{access.pk}-grant": "grant",
                                                                    f"a{access.pk}-expires_on": "2099-01-01"})
    assert response.status_code == 403
    assert IdentityAccess.objects.get().state == "requested"


def test_menu_and_todo(world, three):
    services_identity.request_access(actor=world.office_staff, complaint=three[0], reason="核查")
    html = client_for(world.leader).get("/").content.decode()
    assert 'href="/intake/"' in html and 'href="/intake/identity/"' in html
    from xuncha.intake.navigation_complaints import identity_requests_to_decide

    [todo] = identity_requests_to_decide(world.leader)
    assert todo.count == 1 and todo.url == "/intake/identity/"
    assert identity_requests_to_decide(world.office_staff) == []
    member_html = client_for(world.group_member).get("/").content.decode()
    assert 'href="/intake/"' in member_html and 'href="/intake/identity/"' not in member_html
    assert 'href="/intake/"' not in client_for(world.receiver).get("/").content.decode()


def test_the_pages_render_in_chinese(world, three, settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        client = client_for(world.office_admin)
        for url in (LIST, "/intake/new/", _detail(three[0]), "/intake/identity/"):
            response = client.get(url)
            assert response.status_code == 200, url
        assert "年" in client.get(_detail(three[0])).content.decode()


def test_a_focus_of_several_checklists_is_one_category(world, intake):
    from xuncha.checklist.models import Item

    Item.objects.filter(pk=intake.township_focus.pk).update(title=intake.village_focus.title)
    register(world, subject="镇里的事", content="镇里的事", category=Item.objects.get(pk=intake.township_focus.pk))
    register(world, subject="村里的事", content="村里的事", category=intake.village_focus)
    client = client_for(world.office_admin)
    html = client.get(LIST).content.decode()
    assert html.count(f'data-category="{intake.village_focus.title}"') == 1
    assert f'data-category="{intake.village_focus.title}" data-count="2"' in html
    assert len(_rows(client.get(LIST, {"category": intake.village_focus.title}))) == 2
