"""The comparison as files: Word (《…》新旧对照表, three columns 原条文 / 修订后条文 / 变化, A4
landscape, 仿宋_GB2312, deletions struck through, insertions bold and underlined) and Excel (one row
per pair: 序号, 原条文号, 原条文, 修订后条文号, 修订后条文, 变化类型, 说明).

`export_comparison` is the one entry point: it checks that the user may export both versions
and records the download in the audit log."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from xuncha.access import audit
from xuncha.access.policy import EXPORT, require
from xuncha.regulations import compare
from xuncha.regulations.selectors.compare import VersionPair, comparison
from xuncha.reports.documents.gbt9704 import FANGSONG, HEITI, KAITI, XIAOBIAOSONG, set_fonts

FORMATS = ("docx", "xlsx")
HEADERS = ("原条文", "修订后条文", "变化")
EXCEL_HEADERS = ("序号", "原条文号", "原条文", "修订后条文号", "修订后条文", "变化类型", "说明")
EXCEL_WIDTHS = (6, 12, 60, 12, 60, 10, 28)
BODY = Pt(12)  # 小四: three columns on a landscape page
DELETED_RED = RGBColor(0xC0, 0x00, 0x00)
INSERTED_GREEN = RGBColor(0x00, 0x70, 0x30)


def title_of(pair: VersionPair) -> str:
    return f"《{pair.new.regulation.title}》新旧对照表"


def subtitle_of(pair: VersionPair) -> str:
    return f"（{pair.old.label}年版与{pair.new.label}年版对照）" if pair.old.label.isdigit() and pair.new.label.isdigit() \
        else f"（{pair.old.label}与{pair.new.label}对照）"


def export_comparison(*, actor, old, new, fmt: str) -> tuple[bytes, str]:
    """The file (bytes, filename) of the comparison of two versions of one regulation the actor
    may export; the export is audited."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt}")
    require(actor, EXPORT, old)
    require(actor, EXPORT, new)
    pair = comparison(old, new)
    data = word(pair) if fmt == "docx" else excel(pair)
    filename = f"{pair.new.regulation.short_title or pair.new.regulation.title}新旧对照表" \
               f"（{pair.old.label}-{pair.new.label}）.{fmt}"
    audit.record(actor=actor, action="regulation.compare_export", obj=new,
                 summary=f"{title_of(pair)} {pair.old.label}→{pair.new.label} ({fmt})",
                 detail={"old_version": old.pk, "new_version": new.pk, "format": fmt,
                         "counts": pair.result.counts()})
    return data, filename


# --- Word ---------------------------------------------------------------------------------

def word(pair: VersionPair) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = BODY
    set_fonts(normal.element, FANGSONG)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)

    _line(doc, title_of(pair), font=XIAOBIAOSONG, size=Pt(22))
    _line(doc, subtitle_of(pair), font=KAITI, size=Pt(14))
    counts = pair.result.counts()
    summary = "，".join(f"{compare.KIND_LABELS[k]}{n}条" for k, n in counts.items() if n and k != compare.UNCHANGED)
    _line(doc, f"共{len(pair.result.rows)}处对照：{summary or '无变化'}。", font=FANGSONG, size=BODY)

    table = doc.add_table(rows=1, cols=3)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(112), Mm(112), Mm(33))
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, text, width in zip(header.cells, HEADERS, widths, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, font=HEITI, bold=True)
    for row in pair.result.rows:
        cells = table.add_row().cells
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
        _article_cell(cells[0], row.old_labels, row.old_segments, "delete")
        _article_cell(cells[1], row.new_labels, row.new_segments, "insert")
        change = cells[2].paragraphs[0]
        change.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(change, row.kind_label, bold=row.kind != compare.UNCHANGED)
        if row.note:
            _run(cells[2].add_paragraph(), row.note, size=Pt(10.5))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _line(doc, text: str, *, font: str, size) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, font=font, size=size)


def _run(paragraph, text: str, *, font: str = FANGSONG, size=None, bold=False, strike=False,
         underline=False, color=None):
    run = paragraph.add_run(text)
    set_fonts(run._element, font)
    run.font.size = size or BODY
    run.font.bold = bold or None
    if strike:
        run.font.strike = True
    if underline:
        run.font.underline = True
    if color is not None:
        run.font.color.rgb = color
    return run


def _article_cell(cell, labels: str, segments: list[compare.Segment], marked: str) -> None:
    """The label in bold, then the text; a newline in the text starts a new paragraph."""
    paragraph = cell.paragraphs[0]
    if not labels:
        return
    _run(paragraph, labels + "　", font=HEITI)
    for segment in segments:
        for k, piece in enumerate(segment.text.split("\n")):
            if k:
                paragraph = cell.add_paragraph()
            if not piece:
                continue
            if segment.op == "equal":
                _run(paragraph, piece)
            elif marked == "delete":
                _run(paragraph, piece, strike=True, color=DELETED_RED)
            else:
                _run(paragraph, piece, bold=True, underline=True, color=INSERTED_GREEN)


def _repeat_as_header(row) -> None:
    """The header row repeats on every page."""
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


# --- Excel --------------------------------------------------------------------------------

def excel(pair: VersionPair) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "新旧对照表"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append(EXCEL_HEADERS)
    for cell in ws[1]:
        cell.font = Font(name=HEITI, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for number, row in enumerate(pair.result.rows, start=1):
        ws.append([number, row.old_labels, _rich(row.old_segments, "delete"), row.new_labels,
                   _rich(row.new_segments, "insert"), row.kind_label, row.note])
        for cell in ws[ws.max_row]:
            cell.alignment = wrap
            cell.border = border
            if not isinstance(cell.value, CellRichText):
                cell.font = Font(name=FANGSONG)
    for index, width in enumerate(EXCEL_WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:G{ws.max_row}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rich(segments: list[compare.Segment], marked: str) -> CellRichText | str:
    if all(s.op == "equal" for s in segments):
        return "".join(s.text for s in segments)
    plain = InlineFont(rFont=FANGSONG)
    if marked == "delete":
        changed = InlineFont(rFont=FANGSONG, strike=True, color="C00000")
    else:
        changed = InlineFont(rFont=FANGSONG, b=True, u="single", color="007030")
    return CellRichText(*[TextBlock(plain if s.op == "equal" else changed, s.text) for s in segments])
