"""A round's plan as filed with the superior office (报备): Word and Excel.

The documents are Chinese whatever the interface language, so the names of kinds and modes
are spelled here rather than taken from the translation catalogue. Fonts follow GB/T 9704
(方正小标宋简体 title, 仿宋_GB2312 body); they are named, not embedded.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from xuncha.rounds.models import Assignment, Group, Round

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"

KIND_NAMES = {
    Round.Kind.ROUTINE: "常规巡察",
    Round.Kind.SPECIAL: "专项巡察",
    Round.Kind.MOBILE: "机动巡察",
    Round.Kind.CROSS: "交叉巡察",
    Round.Kind.UPGRADED: "提级巡察",
    Round.Kind.LINKED: "联动巡察",
    Round.Kind.FOLLOW_UP: "巡察“回头看”",
}
MODE_NAMES = {
    Assignment.Mode.DIRECT: "直巡",
    Assignment.Mode.EXTENDED: "延伸巡察",
    Assignment.Mode.SINKING: "下沉巡察",
    Assignment.Mode.CROSS: "交叉巡察",
    Assignment.Mode.UPGRADED: "提级巡察",
    Assignment.Mode.OTHER: "其他",
}
GROUP_TABLE_HEADERS = ("组别", "组长", "副组长", "组员", "巡察对象", "方式")
TARGET_SHEET_HEADERS = ("组别", "被巡察党组织", "类型", "巡察方式", "组长", "进驻时间", "撤离时间")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_title(rnd: Round) -> str:
    """示例县委十四届第八轮巡察工作安排"""
    return f"{rnd.committee.name}{rnd.label}巡察工作安排"


def filename(rnd: Round, extension: str) -> str:
    return f"{plan_title(rnd)}.{extension}"


def chinese_date(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _names(members) -> str:
    return "、".join(m.person.name for m in members) or "—"


def _others(group: Group) -> str:
    """Members in stroke order; a liaison officer is marked as such."""
    return "、".join(m.person.name + ("（联络员）" if m.role == "liaison" else "") for m in group.others) or "—"


def _modes(group: Group) -> str:
    modes = dict.fromkeys(MODE_NAMES.get(t.mode, t.mode) for t in group.targets)
    return "、".join(modes) or "—"


# -- Word ------------------------------------------------------------------------------------

def _set_font(run_or_style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Name the font for Latin and East Asian text alike (Word reads w:eastAsia for Chinese)."""
    font = run_or_style.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(paragraph.add_run("— "), BODY_FONT, 14)
    run = paragraph.add_run()
    _set_font(run, BODY_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _set_font(paragraph.add_run(" —"), BODY_FONT, 14)


def _cell(cell, text: str, *, bold: bool = False, size: float = 12) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    _set_font(paragraph.add_run(text), BODY_FONT, size, bold)


def plan_docx(rnd: Round, groups: list[Group]) -> bytes:
    """The plan as a Word document: title, the round's particulars and a table of groups."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.left_margin, section.right_margin = Mm(37), Mm(35)
    _set_font(document.styles["Normal"], BODY_FONT, 16)
    _page_number_footer(section)
    document.core_properties.title = plan_title(rnd)

    title = document.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(document.styles["Title"], TITLE_FONT, 22, False)
    _set_font(title.add_run(plan_title(rnd)), TITLE_FONT, 22, False)

    heading = document.add_heading(level=1)
    _set_font(document.styles["Heading 1"], HEADING_FONT, 16, False)
    _set_font(heading.add_run("一、基本情况"), HEADING_FONT, 16, False)
    particulars = [("巡察类型", KIND_NAMES.get(rnd.kind, rnd.kind))]
    if rnd.title:
        particulars.append(("名称", rnd.title))
    if rnd.theme:
        particulars.append(("巡察主题", rnd.theme))
    particulars += [
        ("进驻时间", chinese_date(rnd.planned_entry)),
        ("撤离时间", chinese_date(rnd.planned_exit)),
        ("巡察组", f"{len(groups)}个"),
        ("巡察对象", f"{sum(len(g.targets) for g in groups)}个"),
    ]
    for label, value in particulars:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _set_font(paragraph.add_run(f"{label}：{value}"), BODY_FONT, 16)

    heading = document.add_heading(level=1)
    _set_font(heading.add_run("二、巡察组组成及巡察对象"), HEADING_FONT, 16, False)
    table = document.add_table(rows=1, cols=len(GROUP_TABLE_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, GROUP_TABLE_HEADERS, strict=True):
        _cell(cell, text, bold=True)
    for group in groups:
        values = (group.name, _names(group.leaders), _names(group.deputies), _others(group),
                  "、".join(t.organization.name for t in group.targets) or "—", _modes(group))
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _cell(cell, text)

    note = document.add_paragraph()
    note.paragraph_format.first_line_indent = Pt(32)
    _set_font(note.add_run("注：组员按姓氏笔画排序。"), BODY_FONT, 14)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- Excel -----------------------------------------------------------------------------------

def plan_xlsx(rnd: Round, groups: list[Group]) -> bytes:
    """One row per target (a group without targets still gets its row)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "巡察对象"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append(TARGET_SHEET_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(name=BODY_FONT, bold=True, size=12)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    for group in groups:
        leader = "、".join(m.person.name for m in group.leaders)
        for target in group.targets or [None]:
            org = target.organization if target else None
            sheet.append([
                group.name,
                org.name if org else "",
                org.kind.name if org else "",
                MODE_NAMES.get(target.mode, target.mode) if target else "",
                leader,
                rnd.planned_entry,
                rnd.planned_exit,
            ])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.font = Font(name=BODY_FONT, size=12)
            cell.border = border
        for cell in row[5:7]:
            cell.number_format = 'yyyy"年"m"月"d"日"'
    for index, width in enumerate((14, 30, 12, 12, 12, 16, 16), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    workbook.properties.title = plan_title(rnd)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
