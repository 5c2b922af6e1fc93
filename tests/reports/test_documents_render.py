"""Generated Word and Excel read back: GB/T 9704 page, fonts per level, headings in order, 版头/版记."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from tests.reports.documents_helpers import make_feedback, make_report
from xuncha.reports.documents import gbt9704, render

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path / "uploads"}}}


def _east_asia(style_or_run) -> str:
    element = getattr(style_or_run, "element", None)
    element = element if element is not None else style_or_run._r
    return element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def _doc(rendered) -> Document:
    return Document(io.BytesIO(rendered.data))


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text]


def test_it_lays_out_the_page_as_gbt9704(problems):
    report, version = make_report(problems)
    doc = _doc(render.render_report(report, version))
    section = doc.sections[0]
    mm = [round(section.page_width.mm), round(section.page_height.mm), round(section.top_margin.mm),
          round(section.bottom_margin.mm), round(section.left_margin.mm), round(section.right_margin.mm)]
    assert mm == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 22 lines of 28.95 pt


def test_it_gives_each_level_its_font_and_size(problems):
    report, version = make_report(problems)
    doc = _doc(render.render_report(report, version))
    expected = {"Normal": ("仿宋_GB2312", False), "Heading 1": ("黑体", False), "Heading 2": ("楷体_GB2312", False),
                "Heading 3": ("仿宋_GB2312", True), "Heading 4": ("仿宋_GB2312", False)}
    for name, (font, bold) in expected.items():
        style = doc.styles[name]
        assert _east_asia(style) == font, name
        assert style.font.size == Pt(16), name
        assert bool(style.font.bold) is bold, name
        assert style.paragraph_format.line_spacing == Pt(28.95)
    title = doc.styles["Title"]
    assert _east_asia(title) == "方正小标宋简体" and title.font.size == Pt(22)
    assert doc.styles["Normal"].element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    title_paragraph = next(p for p in doc.paragraphs if p.style.name == "Title")
    assert title_paragraph.text == report.title


def test_it_keeps_heading_order_and_numbering(problems):
    report, version = make_report(problems)
    doc = _doc(render.render_report(report, version))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert [t for s, t in headings if s == "Heading 1"] == ["一、基本情况和总体评价", "二、主要问题", "三、意见建议"]
    focus = [t for s, t in headings if s == "Heading 2"]
    assert focus[0].startswith("（一）") and focus[1].startswith("（二）")
    assert any(s == "Heading 3" and t.startswith("1.") for s, t in headings)
    assert any(s == "Heading 4" and t == "（1）惠农补贴发放不及时。" for s, t in headings)
    order = [t for _, t in headings]
    assert order.index("二、主要问题") < order.index(focus[0]) < order.index("三、意见建议")
    body = [p.text for p in doc.paragraphs if p.style.name == "Normal" and p.text]
    assert "2023年租金3万元未入账，直接用于开支。" in body


def test_it_writes_the_masthead_and_the_imprint(problems):
    report, version = make_report(problems)
    texts = _texts(_doc(render.render_report(report, version)))
    assert texts[0] == "000001" and texts[1] == "秘密★1年"
    assert "示例县委第一巡察组" in texts
    number = next(t for t in texts if "签发人：" in t)
    assert "〔" in number and "号" in number
    assert any(t.endswith("印发") and "巡察工作领导小组办公室" in t for t in texts)
    doc = _doc(render.render_report(report, version))
    red = next(p for p in doc.paragraphs if p.style.name == "GW Issuer")
    assert str(red.style.font.color.rgb) == "FF0000"


def test_the_leads_report_is_secret_at_a_higher_level(problems):
    report, version = make_report(problems, kind="leads", title="关于东门村问题线索的专题报告")
    texts = _texts(_doc(render.render_report(report, version)))
    assert texts[1].startswith("机密")
    assert any("村主任涉嫌侵占征地补偿款" in t for t in texts)


def test_it_numbers_pages_in_the_footer(problems):
    report, version = make_report(problems)
    doc = _doc(render.render_report(report, version))
    section = doc.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer.paragraphs[0]._p.xml
        assert "PAGE" in xml and "fldChar" in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
        assert footer.paragraphs[0].alignment is not None and align in str(footer.paragraphs[0].alignment).lower()
        run = footer.paragraphs[0].runs[0]
        assert run.font.size == Pt(14) and _east_asia(run) == "宋体"


def test_the_feedback_has_problems_requirements_and_copies_but_no_lead(problems):
    feedback = make_feedback(problems)
    feedback.problems.add(problems.lead)  # even if a lead slipped in, it is dropped
    texts = _texts(_doc(render.render_feedback(feedback)))
    joined = "\n".join(texts)
    assert "一、巡察发现的主要问题" in texts and "二、整改要求" in texts
    assert "公款私存" in joined and "请认真抓好整改落实。" in joined
    assert problems.lead.title not in joined and "侵占" not in joined


def test_the_problem_list_in_word_and_excel(problems):
    feedback = make_feedback(problems)
    doc = _doc(render.render_problem_list(feedback))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "问题类别", "问题描述", "涉及金额（元）", "严重程度"]
    assert len(table.rows) == 1 + 4
    assert "30,000.00" in [c.text for row in table.rows for c in row.cells]
    workbook = load_workbook(io.BytesIO(render.render_problem_list_xlsx(feedback).data))
    sheet = workbook.active
    headers = [c.value for c in sheet[3]]
    assert headers[:3] == ["序号", "问题类别", "监督要点"] and "涉及金额（元）" in headers
    assert sheet["A3"].font.b and sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.max_row == 3 + 4
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert problems.lead.title not in values


def test_the_ledger_drops_leads(problems):
    rendered = render.render_ledger(problems.target.round, problems.all)
    sheet = load_workbook(io.BytesIO(rendered.data)).active
    assert [c.value for c in sheet[3]][:4] == ["序号", "巡察组", "巡察对象", "问题编号"]
    assert sheet.max_row == 3 + 4


def test_the_default_templates_are_built_once_into_the_data_directory(settings):
    path = gbt9704.default_template_path("report")
    assert path.is_relative_to(settings.DATA_DIR) and path.exists()
    mtime = path.stat().st_mtime_ns
    assert gbt9704.default_template_path("report").stat().st_mtime_ns == mtime
    with pytest.raises(ValueError):
        gbt9704.default_template_path("ledger")
