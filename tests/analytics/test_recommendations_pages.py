"""Recommendation pages: the ledger (rows, filters, overdue badge, query count, Excel), drafting
from a cluster or problems, the editor without JavaScript, the actions of each role, the Word
letter, the department's pages and who may open what."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from tests.analytics.recommendations_helpers import (  # noqa: F401
    SYMPTOMS,
    letter,
    letters_data_fixture,
    login,
    other_receiver_fixture,
)
from xuncha.access.models import AuditEvent
from xuncha.analytics.models import Recommendation, SystemOutcome
from xuncha.analytics.selectors import recommendations as selectors
from xuncha.workbench.todos import todos_for

LIST = "/analytics/recommendations/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _overdue(rec):
    Recommendation.objects.filter(pk=rec.pk).update(response_due=timezone.localdate() - timedelta(days=2))


def test_the_ledger_lists_letters_with_their_standing(world, letters_data, django_assert_max_num_queries):
    letter(world, letters_data)
    letter(world, letters_data, "submitted", title="第二份")
    issued = letter(world, letters_data, "issued", title="第三份")
    _overdue(issued)
    client = login("office_admin")
    with django_assert_max_num_queries(30):
        response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="recommendation-row"') == 3
    assert html.count('data-testid="overdue-badge"') == 1
    assert 'data-letters="3" data-issued="1" data-overdue="1"' in html
    many = [letter(world, letters_data, title=f"另{n}") for n in range(4)]
    assert many
    with django_assert_max_num_queries(30):
        assert client.get(LIST).content.decode().count('data-testid="recommendation-row"') == 7


def test_the_ledger_filters_by_state_and_overdue(world, letters_data):
    letter(world, letters_data)
    issued = letter(world, letters_data, "issued", title="已印发")
    _overdue(issued)
    client = login("office_staff")
    html = client.get(LIST, {"state": "draft"}).content.decode()
    assert html.count('data-testid="recommendation-row"') == 1
    html = client.get(LIST, {"overdue": "on"}).content.decode()
    assert f'data-recommendation="{issued.pk}"' in html and html.count('data-testid="recommendation-row"') == 1
    html = client.get(LIST, {"term": world.term.pk}).content.decode()
    assert html.count('data-testid="recommendation-row"') == 2


def test_the_ledger_exports_to_excel_and_is_audited(world, letters_data):
    rec = letter(world, letters_data, "issued")
    SystemOutcome.objects.create(addressee=rec.addressees.get(), title="制度", adopted_on=timezone.localdate())
    response = login("leader").get(f"{LIST}export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B3"].value == f"示例县巡察办〔{rec.year}〕1号"
    assert sheet["D3"].value == "县财政局" and sheet["J3"].value == 1
    assert AuditEvent.objects.filter(action="recommendation.ledger_export").exists()


@pytest.mark.parametrize(("user", "status"), [("unit_liaison", 403), ("group_leader", 403), ("sysadmin", 403)])
def test_others_do_not_open_the_ledger(world, user, status):
    assert login(user).get(LIST).status_code == status


def test_a_receiver_is_sent_to_its_own_letters(world, letters_data):
    letter(world, letters_data, "issued")
    response = login("receiver").get(LIST)
    assert response.status_code == 302 and response["Location"].endswith("/received/")


def test_drafting_from_problems_prefills_and_creates(world, letters_data):
    client = login("office_admin")
    ids = ",".join(str(p.pk) for p in letters_data.problems)
    response = client.get(f"{LIST}new/", {"problems": ids})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('name="problems"') >= len(letters_data.problems)
    assert "南街村白条入账" in html  # the symptoms preview
    response = client.post(f"{LIST}new/", {"problems": [p.pk for p in letters_data.problems], "title": "建议书",
                                           "term": world.term.pk, "addressees": [world.department.pk]})
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    assert rec.symptoms == SYMPTOMS and response["Location"].endswith(f"/{rec.pk}/")


def test_drafting_from_a_cluster_leaves_the_lead_out(world, letters_data):
    client = login("office_staff")
    html = client.get(f"{LIST}new/", {"cluster": letters_data.cluster.pk}).content.decode()
    assert letters_data.lead.title not in html and 'data-testid="source-cluster"' in html
    response = client.post(f"{LIST}new/", {"cluster": letters_data.cluster.pk, "title": "建议书", "term": world.term.pk,
                                           "problems": [p.pk for p in letters_data.problems[:3]]})
    assert response.status_code == 302
    assert Recommendation.objects.get().problems.count() == 3


def test_drafting_without_a_title_shows_the_error(world, letters_data):
    response = login("office_admin").post(f"{LIST}new/", {"problems": [letters_data.problems[0].pk], "title": "",
                                                          "term": world.term.pk})
    assert response.status_code == 400 and not Recommendation.objects.exists()


def test_the_editor_saves_fields_and_items_without_javascript(world, letters_data):
    rec = letter(world, letters_data)
    client = login("office_admin")
    html = client.get(f"{LIST}{rec.pk}/").content.decode()
    assert 'name="item_1"' in html and 'name="item_2"' in html  # blank rows to write in
    response = client.post(f"{LIST}{rec.pk}/edit/", {
        "title": "新标题", "symptoms": rec.symptoms, "causes": "监管缺位", "addressees": [world.department.pk],
        "problems": [p.pk for p in letters_data.problems]})
    assert response.status_code == 302
    response = client.post(f"{LIST}{rec.pk}/items/", {"item_1": "建立台账", "item_2": "", "item_3": "规范发包"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.title, rec.causes) == ("新标题", "监管缺位")
    assert list(rec.items.values_list("seq", "text")) == [(1, "建立台账"), (2, "规范发包")]
    html = client.get(f"{LIST}{rec.pk}/").content.decode()
    assert 'name="item_4"' in html  # two items and two blank rows
    assert client.post(f"{LIST}{rec.pk}/submit/").status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).state == "submitted"


def test_submitting_an_incomplete_letter_says_why(world, letters_data, english):
    rec = letter(world, letters_data)
    response = login("office_admin").post(f"{LIST}{rec.pk}/submit/")
    assert response.status_code == 400
    assert "Write at least one recommendation before submitting." in response.content.decode()


def test_the_leading_group_approves_and_returns(world, letters_data):
    first = letter(world, letters_data, "submitted")
    second = letter(world, letters_data, "submitted", title="第二份")
    client = login("leader")
    html = client.get(f"{LIST}{first.pk}/").content.decode()
    assert 'data-testid="action-approve"' in html and 'data-testid="edit-form"' not in html
    assert client.post(f"{LIST}{first.pk}/approve/").status_code == 302
    assert client.post(f"{LIST}{second.pk}/return/", {"comment": ""}).status_code == 400
    assert client.post(f"{LIST}{second.pk}/return/", {"comment": "再斟酌"}).status_code == 302
    assert [Recommendation.objects.get(pk=r.pk).state for r in (first, second)] == ["approved", "returned"]
    # The office may not approve; the leading group may not issue.
    third = letter(world, letters_data, "submitted", title="第三份")
    assert login("office_admin").post(f"{LIST}{third.pk}/approve/").status_code == 403
    assert client.post(f"{LIST}{first.pk}/issue/", {"issued_on": "2024-01-01"}).status_code == 403


def test_the_office_issues_and_closes(world, letters_data):
    rec = letter(world, letters_data, "approved")
    client = login("office_staff")
    today = timezone.localdate()
    assert client.post(f"{LIST}{rec.pk}/issue/", {"issued_on": today.isoformat()}).status_code == 302
    rec.refresh_from_db()
    assert rec.state == "issued" and rec.response_due is not None
    html = client.get(f"{LIST}{rec.pk}/").content.decode()
    assert 'data-testid="response-form"' in html  # the office records for the department
    addressee = rec.addressees.get()
    assert client.post(f"/analytics/recommendations/addressees/{addressee.pk}/response/",
                       {"responded_on": today.isoformat(), "response": "书面报告"}).status_code == 302
    assert client.post(f"{LIST}{rec.pk}/close/").status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).state == "closed"


def test_the_word_letter(world, letters_data, other_receiver):
    rec = letter(world, letters_data, "issued", addressees=[world.department, other_receiver.organization])
    response = login("office_admin").get(f"{LIST}{rec.pk}/word/")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert f"示例县巡察办〔{rec.year}〕1号" in texts
    assert "县财政局、县农业农村局：" in texts
    assert "（一）建立村集体资产台账" in texts and "（二）规范资源发包程序" in texts
    assert {"一、问题症状", "二、病情病理", "三、意见建议"} <= set(texts)
    due = rec.response_due
    assert f"请于{due.year}年{due.month}月{due.day}日前将落实情况书面报送示例县委巡察工作领导小组办公室。" in texts
    assert SYMPTOMS.splitlines()[0] in texts
    assert AuditEvent.objects.filter(action="recommendation.export", object_id=str(rec.pk)).exists()


@pytest.mark.parametrize(("user", "status"), [("supervisor", 403), ("receiver", 404), ("unit_liaison", 404)])
def test_the_word_letter_is_for_the_office_and_the_leading_group(world, letters_data, user, status):
    rec = letter(world, letters_data, "issued")
    assert login(user).get(f"{LIST}{rec.pk}/word/").status_code == status


def test_the_supervisor_reads_but_does_not_act(world, letters_data):
    rec = letter(world, letters_data, "submitted")
    client = login("supervisor")
    assert client.get(LIST).status_code == 200
    html = client.get(f"{LIST}{rec.pk}/").content.decode()
    assert 'data-testid="action-approve"' not in html and 'data-testid="edit-form"' not in html
    assert client.post(f"{LIST}{rec.pk}/approve/").status_code == 403


# -- the addressed department ----------------------------------------------------------------

def test_a_receiver_sees_only_issued_letters_to_its_organization(world, letters_data, other_receiver):
    draft = letter(world, letters_data)
    issued = letter(world, letters_data, "issued", title="已印发")
    elsewhere = letter(world, letters_data, "issued", title="给农业农村局", addressees=[other_receiver.organization])
    client = login("receiver")
    html = client.get(f"{LIST}received/").content.decode()
    assert f'data-recommendation="{issued.pk}"' in html
    assert f'data-recommendation="{draft.pk}"' not in html and f'data-recommendation="{elsewhere.pk}"' not in html
    assert client.get(f"{LIST}{issued.pk}/").status_code == 404
    other_row = elsewhere.addressees.get()
    assert client.get(f"{LIST}received/{other_row.pk}/").status_code == 404
    assert client.get(f"{LIST}received/{draft.addressees.get().pk}/").status_code == 404
    mine = issued.addressees.get()
    html = client.get(f"{LIST}received/{mine.pk}/").content.decode()
    assert 'data-testid="letter-item"' in html and 'data-testid="response-form"' in html
    assert letters_data.problems[0].number not in html  # never the problems behind a letter


def test_the_receiver_downloads_its_letter_in_word(world, letters_data, other_receiver):
    draft = letter(world, letters_data)
    issued = letter(world, letters_data, "issued", title="已印发")
    mine = issued.addressees.get()
    client = login("receiver")
    assert 'data-testid="received-word"' in client.get(f"{LIST}received/{mine.pk}/").content.decode()
    response = client.get(f"{LIST}received/{mine.pk}/word/")
    assert response.status_code == 200
    assert "（一）建立村集体资产台账" in [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert AuditEvent.objects.filter(action="recommendation.export", object_id=str(issued.pk)).exists()
    # Not a draft, not another department's letter, not the office's way in.
    assert client.get(f"{LIST}received/{draft.addressees.get().pk}/word/").status_code == 404
    other = login(other_receiver.user.username)
    assert other.get(f"{LIST}received/{mine.pk}/word/").status_code == 404
    assert login("office_admin").get(f"{LIST}received/{mine.pk}/word/").status_code == 404


def test_the_receiver_answers_on_its_page(world, letters_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rec = letter(world, letters_data, "issued")
    mine = rec.addressees.get()
    client = login("receiver")
    today = timezone.localdate().isoformat()
    base = f"/analytics/recommendations/addressees/{mine.pk}"
    assert client.post(f"{base}/receipt/", {"received_on": today}).status_code == 302
    response = client.post(f"{base}/response/", {"responded_on": today, "response": "",
                                                 "response_file": SimpleUploadedFile("落实情况.pdf", PDF)})
    assert response.status_code == 302 and response["Location"].endswith(f"/received/{mine.pk}/")
    assert client.post(f"{base}/outcomes/", {"title": "资产管理办法", "adopted_on": today, "kind": "new"}).status_code == 302
    mine.refresh_from_db()
    assert mine.responded_on is not None and mine.outcomes.count() == 1
    download = client.get(f"{base}/response/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    bad = client.post(f"{base}/response/", {"responded_on": today,
                                            "response_file": SimpleUploadedFile("假.pdf", b"plain text")})
    assert bad.status_code == 400


@pytest.mark.parametrize("who", ["other_receiver", "unit_liaison"])
def test_others_cannot_answer_a_letter(world, letters_data, other_receiver, who):
    mine = letter(world, letters_data, "issued").addressees.get()
    client = login("agri_receiver" if who == "other_receiver" else who)
    response = client.post(f"/analytics/recommendations/addressees/{mine.pk}/response/",
                           {"responded_on": timezone.localdate().isoformat(), "response": "x"})
    assert response.status_code == 404


def test_a_liaison_has_no_letters(world, letters_data):
    letter(world, letters_data, "issued")
    assert login("unit_liaison").get(f"{LIST}received/").status_code == 403


# -- to-dos ----------------------------------------------------------------------------------

def test_todos_for_each_role(world, letters_data):
    letter(world, letters_data, "submitted")
    issued = letter(world, letters_data, "issued", title="已印发")
    _overdue(issued)
    titles = lambda user: {str(t.title): t.count for t in todos_for(user)}  # noqa: E731
    from django.utils import translation

    with translation.override("en"):
        assert titles(world.leader)["Recommendations awaiting approval"] == 1
        assert titles(world.receiver)["Recommendations to answer"] == 1
        assert titles(world.office_admin)["Recommendation responses overdue"] == 1
        assert "Recommendations awaiting approval" not in titles(world.office_admin)
    assert selectors.to_answer(world.receiver, timezone.localdate()) == (1, True)
