"""The comparison page, its Word and Excel files read back, access and audit."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from xuncha.access.models import AuditEvent
from xuncha.regulations.models import Provision, Regulation, RegulationVersion
from xuncha.text.numerals import to_chinese

OLD = [
    "为了规范青崖县巡察工作，加强党内监督，制定本规则。",
    "县委巡察工作领导小组在县委领导下开展工作，对县委负责并报告工作。",
    "巡察组进驻后应当召开动员会，向被巡察党组织领导班子通报巡察任务，公布举报电话和邮箱。",
    "巡察组应当在巡察结束后二十个工作日内向领导小组报告巡察情况。",
    "巡察人员不得干预被巡察党组织的正常工作。",
]
NEW = [
    "为了规范青崖县巡察工作，加强党内监督，制定本规则。",
    "县委巡察机构应当加强对村级巡察的指导，推动形成上下联动的监督网络。",
    "县委巡察工作领导小组在县委领导下开展工作，对县委负责并报告工作。",
    "巡察组进驻后应当召开动员会，向被巡察党组织领导班子通报巡察任务，公布举报电话和邮箱。",
    "巡察组应当在巡察结束后十五个工作日内向领导小组报告巡察情况。",
]


def make_version(regulation, label: str, texts: list[str]) -> RegulationVersion:
    version = RegulationVersion.objects.create(regulation=regulation, label=label, text="\n".join(texts))
    Provision.objects.bulk_create(
        Provision(version=version, level=Provision.Level.ARTICLE, number=n, label=f"第{to_chinese(n)}条",
                  text=f"第{to_chinese(n)}条　{t}", position=n, address=f"第{to_chinese(n)}条")
        for n, t in enumerate(texts, start=1))
    return version


@pytest.fixture
def versions(world):
    regulation = Regulation.objects.create(committee=world.county, title="青崖县巡察工作规则", short_title="规则")
    return make_version(regulation, "2019", OLD), make_version(regulation, "2024", NEW)


@pytest.fixture
def foreign(world):
    regulation = Regulation.objects.create(committee=world.other, title="邻县巡察工作规则", short_title="规则")
    return make_version(regulation, "2019", OLD), make_version(regulation, "2024", NEW)


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("regulations:compare"), params)


def test_it_shows_the_table_with_counts_and_marks(client, world, versions, django_assert_max_num_queries):
    old, new = versions
    client.force_login(world.unit_liaison)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("regulations:compare"), {"old": old.pk, "new": new.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-kind="inserted"' in html and 'data-kind="deleted"' in html and 'data-kind="modified"' in html
    assert '<del class="xc-del">二</del>' in html and '<ins class="xc-ins">五</ins>' in html
    assert "条号调整：原第二条，现第三条" in html
    kinds = [row.kind for row, _ in response.context["rows"]]
    assert kinds == ["unchanged", "inserted", "unchanged", "unchanged", "modified", "deleted"]
    assert dict((code, n) for code, _, n in response.context["kinds"])["unchanged"] == 3


def test_it_filters_by_kind(client, world, versions):
    old, new = versions
    response = page(client, world.leader, old=old.pk, new=new.pk, kind="modified")
    assert [row.kind for row, _ in response.context["rows"]] == ["modified"]
    response = page(client, world.leader, old=old.pk, new=new.pk, kind="changed")
    assert [row.kind for row, _ in response.context["rows"]] == ["inserted", "modified", "deleted"]
    response = page(client, world.leader, old=old.pk, new=new.pk, kind="bogus")
    assert len(response.context["rows"]) == 6


def test_it_compares_the_two_latest_versions_of_a_regulation(client, world, versions):
    old, new = versions
    response = page(client, world.office_staff, regulation=old.regulation_id)
    assert response.context["pair"].old == old and response.context["pair"].new == new


def test_it_shows_the_picker_without_versions(client, world, versions, foreign):
    response = page(client, world.office_admin)
    assert response.status_code == 200 and response.context["pair"] is None
    html = response.content.decode()
    assert "青崖县巡察工作规则" in html and "邻县巡察工作规则" not in html


@pytest.mark.parametrize("params", ["foreign_old", "foreign_both", "mixed_regulations", "missing", "junk"])
def test_it_gives_404_for_versions_the_user_may_not_compare(client, world, versions, foreign, params):
    old, new = versions
    other_old, other_new = foreign
    query = {"foreign_old": {"old": other_old.pk, "new": new.pk},
             "foreign_both": {"old": other_old.pk, "new": other_new.pk},
             "mixed_regulations": {"old": old.pk, "new": make_version(
                 Regulation.objects.create(committee=world.county, title="另一规则", short_title="另"), "1", OLD).pk},
             "missing": {"old": old.pk, "new": 999999},
             "junk": {"old": "x", "new": new.pk}}[params]
    assert page(client, world.office_admin, **query).status_code == 404


def test_it_gives_404_for_another_committees_regulation(client, world, foreign):
    assert page(client, world.office_admin, regulation=foreign[0].regulation_id).status_code == 404


@pytest.mark.parametrize("name", ["outsider", "sysadmin"])
def test_it_refuses_those_without_the_library(client, world, versions, name):
    old, new = versions
    assert page(client, world.users[name], old=old.pk, new=new.pk).status_code in (403, 404)


def download(client, user, old, new, fmt):
    client.force_login(user)
    return client.get(reverse("regulations:compare_download", args=[old.pk, new.pk, fmt]))


def test_it_downloads_the_word_table(client, world, versions):
    old, new = versions
    response = download(client, world.receiver, old, new, "docx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data[:2] == b"PK"
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert doc.paragraphs[0].text == "《青崖县巡察工作规则》新旧对照表"
    table = doc.tables[0]
    assert len(table.columns) == 3
    assert [c.text for c in table.rows[0].cells] == ["原条文", "修订后条文", "变化"]
    assert len(table.rows) == 1 + 6
    runs = [run for row in table.rows for cell in row.cells for p in cell.paragraphs for run in p.runs]
    struck = [run.text for run in runs if run.font.strike]
    inserted = [run.text for run in runs if run.font.underline and run.font.bold]
    assert "二" in struck and "五" in inserted
    assert OLD[4] in struck  # the deleted article
    assert all(run._element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") for run in runs)
    kinds = [row.cells[2].paragraphs[0].text for row in table.rows[1:]]
    assert kinds == ["未变", "新增", "未变", "未变", "修改", "删除"]
    event = AuditEvent.objects.filter(action="regulation.compare_export").latest("seq")
    assert event.actor_id == world.receiver.pk and event.detail["format"] == "docx"
    assert event.detail["old_version"] == old.pk


def test_it_downloads_the_excel_table(client, world, versions):
    old, new = versions
    response = download(client, world.office_admin, old, new, "xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)), rich_text=True).active
    assert [c.value for c in ws[1]] == ["序号", "原条文号", "原条文", "修订后条文号", "修订后条文", "变化类型", "说明"]
    assert ws.freeze_panes == "A2"
    rows = [[str(c.value) if c.value is not None else "" for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 6
    assert rows[1][3:6] == ["第二条", NEW[1], "新增"]
    assert rows[4][5] == "修改" and rows[4][2] == OLD[3] and rows[4][4] == NEW[4]
    assert rows[2][6] == "条号调整：原第二条，现第三条"
    assert ws.column_dimensions["C"].width == 60 and ws["C2"].alignment.wrap_text


@pytest.mark.parametrize("case", ["foreign", "bad_format", "outsider"])
def test_it_refuses_downloads(client, world, versions, foreign, case):
    old, new = versions
    if case == "foreign":
        response = download(client, world.office_admin, foreign[0], new, "docx")
    elif case == "bad_format":
        response = download(client, world.office_admin, old, new, "pdf")
    else:
        response = download(client, world.outsider, old, new, "xlsx")
    assert response.status_code in (403, 404) if case == "outsider" else response.status_code == 404
    assert not AuditEvent.objects.filter(action="regulation.compare_export").exists()
