"""The default Word templates, built in code with python-docx after GB/T 9704-2012
(党政机关公文格式): A4, margins 37/35/28/26 mm, 22 lines of 28 characters, body in 仿宋_GB2312
三号 at a fixed 28.95 pt, title in 方正小标宋简体 二号, headings 黑体 / 楷体_GB2312 / 仿宋 bold /
仿宋, page numbers "— 1 —" in 4号 宋体 at the outer bottom, the 版头 (份号, 密级和保密期限,
紧急程度, the red 发文机关标志, 发文字号, 签发人, the red separator) and the 版记 (抄送, 印发).

The templates hold docxtpl placeholders ({{ title }}, {%p for b in blocks %} …). Fonts are named,
never embedded; every run names its East Asian font (w:eastAsia) so Word, WPS and LibreOffice
pick the same face. The files are built at first use into the data directory, never committed.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"

SIZE_2 = Pt(22)   # 二号
SIZE_3 = Pt(16)   # 三号
SIZE_4 = Pt(14)   # 四号
LINE = Pt(28.95)  # 225 mm of text area / 22 lines
RED = RGBColor(0xFF, 0x00, 0x00)
VERSION = 2  # bump when the builder changes: cached files are rebuilt

# style name per outline level (0 = body text); Heading n keep Word's navigation pane working
LEVEL_STYLES = {0: "Normal", 1: "Heading 1", 2: "Heading 2", 3: "Heading 3", 4: "Heading 4"}
LEVEL_FONTS = {0: (FANGSONG, False), 1: (HEITI, False), 2: (KAITI, False), 3: (FANGSONG, True), 4: (FANGSONG, False)}


def set_fonts(rpr_owner, east_asia: str, *, latin: str = LATIN) -> None:
    """Name the fonts explicitly on a run or style (w:rFonts with w:eastAsia), dropping theme fonts
    that would otherwise win over the names."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _first_line_indent(paragraph_format_owner, chars: int) -> None:
    ind = paragraph_format_owner.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(chars * 320))


def _style(doc, name: str, *, font: str, size, bold=False, align=None, indent_chars=2,
           line=LINE, color=None, outline: int | None = None):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = color or RGBColor(0, 0, 0)
    set_fonts(style.element, font)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = line
    pf.keep_with_next = outline is not None
    if align is not None:
        pf.alignment = align
    if indent_chars:
        _first_line_indent(style.element, indent_chars)
    else:
        pf.first_line_indent = Pt(0)
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        lvl = ppr.find(qn("w:outlineLvl"))
        if lvl is None:
            lvl = OxmlElement("w:outlineLvl")
            ppr.append(lvl)
        lvl.set(qn("w:val"), str(outline))
    return style


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # the page number sits 7 mm under the text area
    section.header_distance = Mm(15)
    # 22 lines of 28.95 pt. A character grid of 28 per line (pitch 16 pt − 849/4096) is what Word
    # does with "linesAndChars", but LibreOffice then gives each 16 pt character two cells: the line
    # grid alone keeps both right (27–28 characters a line, as the font's width allows).
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")
    grid.attrib.pop(qn("w:charSpace"), None)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _style(doc, "Normal", font=FANGSONG, size=SIZE_3, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    normal.font.name = LATIN
    set_fonts(normal.element, FANGSONG)
    for level in (1, 2, 3, 4):
        font, bold = LEVEL_FONTS[level]
        _style(doc, LEVEL_STYLES[level], font=font, size=SIZE_3, bold=bold,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, outline=level - 1)
    _style(doc, "Title", font=XIAOBIAOSONG, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0,
           line=Pt(35))
    _style(doc, "GW Flush", font=FANGSONG, size=SIZE_3, indent_chars=0)
    _style(doc, "GW Mark", font=HEITI, size=SIZE_3, indent_chars=0, align=WD_ALIGN_PARAGRAPH.LEFT)
    _style(doc, "GW Issuer", font=XIAOBIAOSONG, size=Pt(24), color=RED, indent_chars=0,
           align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    _style(doc, "GW Imprint", font=FANGSONG, size=SIZE_4, indent_chars=0, line=Pt(26))
    _style(doc, "GW Table", font=FANGSONG, size=Pt(12), indent_chars=0, line=Pt(18),
           align=WD_ALIGN_PARAGRAPH.LEFT)
    # the title style of python-docx's default template draws a line under it
    title_ppr = doc.styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)


_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _defaults(doc) -> None:
    """Document defaults: 仿宋_GB2312 三号, no spacing after (LibreOffice sizes the grid from them)."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr, value in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:cs", LATIN), ("w:eastAsia", FANGSONG)):
        fonts.set(qn(attr), value)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), "32")
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "579")
    spacing.set(qn("w:lineRule"), "exact")


def _border(paragraph, side: str, *, size: int, color: str = "000000") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        ppr.insert_element_before(bdr, *_AFTER_PBDR)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))  # eighths of a point
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    bdr.append(edge)


def _para(doc, text: str = "", style: str = "Normal", *, align=None, right_tab=False, bold=None, font=None):
    paragraph = doc.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        if font:
            set_fonts(run._r, font)
        if bold is not None:
            run.bold = bold
    if align is not None:
        paragraph.alignment = align
    if right_tab:
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(16), WD_TAB_ALIGNMENT.RIGHT)
    return paragraph


def _page_number_footer(footer, align) -> None:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = Pt(14)  # one character in from the edge
    else:
        pf.left_indent = Pt(14)

    def run(text: str = ""):
        r = paragraph.add_run(text)
        r.font.size = SIZE_4
        set_fonts(r._r, SONGTI, latin=SONGTI)
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text
    run(" —")


def _footers(doc) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)        # odd pages: right
    _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)  # even pages: left


def _masthead(doc, *, upward: bool) -> None:
    """份号, 密级和保密期限, 紧急程度 at the top left in 黑体; the red 发文机关标志; 发文字号 (and
    签发人 for a document to a superior); the red separator line."""
    _para(doc, "{{ copy_no }}", "GW Mark", font=HEITI)
    _para(doc, "{{ classification }}", "GW Mark")
    _para(doc, "{%p if urgency %}", "GW Mark")
    _para(doc, "{{ urgency }}", "GW Mark")
    _para(doc, "{%p endif %}", "GW Mark")
    _para(doc, "", "GW Flush")
    _para(doc, "{{ issuer_mark }}", "GW Issuer")
    _para(doc, "", "GW Flush")
    if upward:
        number = _para(doc, "", "GW Flush", right_tab=True)
        number.paragraph_format.left_indent = Pt(16)
        number.add_run("{{ doc_number }}\t签发人：")
        signer = number.add_run("{{ signer }}")
        set_fonts(signer._r, KAITI)
        line = number
    else:
        line = _para(doc, "{{ doc_number }}", "GW Flush", align=WD_ALIGN_PARAGRAPH.CENTER)
    line.paragraph_format.space_after = Pt(4)
    _border(line, "bottom", size=12, color="FF0000")
    _para(doc, "", "GW Flush")
    _para(doc, "{{ title }}", "Title")
    _para(doc, "", "GW Flush")
    _para(doc, "{%p if addressee %}", "GW Flush")
    _para(doc, "{{ addressee }}：", "GW Flush")
    _para(doc, "{%p endif %}", "GW Flush")


def _blocks(doc) -> None:
    _para(doc, "{%p for b in blocks %}")
    branches = [(1, "if"), (2, "elif"), (3, "elif"), (4, "elif")]
    for level, word in branches:
        _para(doc, f"{{%p {word} b.level == {level} %}}", LEVEL_STYLES[level])
        _para(doc, "{{ b.text }}", LEVEL_STYLES[level])
    _para(doc, "{%p else %}")
    _para(doc, "{{ b.text }}")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p endfor %}")


def _problem_table(doc) -> None:
    headers = ["序号", "问题类别", "问题描述", "涉及金额（元）", "严重程度"]
    cells = ["{{ p.no }}", "{{ p.focus }}", "{{ p.title }}：{{ p.description }}", "{{ p.amount }}", "{{ p.severity }}"]
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(12), Mm(32), Mm(70), Mm(24), Mm(18)]
    rows = [headers, ["{%tr for p in problems %}", "", "", "", ""], cells, ["{%tr endfor %}", "", "", "", ""]]
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            cell = table.cell(r, c)
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles["GW Table"]
            if text:
                run = paragraph.add_run(text)
                if r == 0:
                    run.bold = True
                    set_fonts(run._r, HEITI)
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _repeat_header(table.rows[0])


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _closing(doc) -> None:
    _para(doc, "", "Normal")
    _para(doc, "{%p if signature %}", "GW Flush")
    sign = _para(doc, "{{ signature }}", "GW Flush", align=WD_ALIGN_PARAGRAPH.RIGHT)
    sign.paragraph_format.right_indent = Pt(64)
    _para(doc, "{%p endif %}", "GW Flush")
    date = _para(doc, "{{ date }}", "GW Flush", align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Pt(64)
    _para(doc, "", "GW Flush")
    _para(doc, "", "GW Flush")
    # 版记: 抄送 and 印发 between a thick first and last line, a thin line between
    _para(doc, "{%p if cc %}", "GW Imprint")
    cc = _para(doc, "抄送：{{ cc }}。", "GW Imprint")
    cc.paragraph_format.left_indent = cc.paragraph_format.right_indent = Pt(14)
    _border(cc, "top", size=8)
    _para(doc, "{%p endif %}", "GW Imprint")
    imprint = _para(doc, "{{ printer }}\t{{ printed_on }}印发", "GW Imprint", right_tab=False)
    imprint.paragraph_format.left_indent = imprint.paragraph_format.right_indent = Pt(14)
    imprint.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(28), WD_TAB_ALIGNMENT.RIGHT)
    _border(imprint, "top", size=4)
    _border(imprint, "bottom", size=8)


# doc type → (to a superior: 签发人 in the 版头, a table of problems)
LAYOUTS = {
    "report": (True, False),
    "leads": (True, False),
    "feedback": (False, False),
    "problem_list": (False, True),
}


def build(doc_type: str) -> bytes:
    """The default template of a document type, as .docx bytes."""
    upward, table = LAYOUTS[doc_type]
    doc = Document()
    _page_setup(doc)
    _defaults(doc)
    _styles(doc)
    _masthead(doc, upward=upward)
    _blocks(doc)
    if table:
        _problem_table(doc)
    _closing(doc)
    _footers(doc)
    doc.core_properties.title = "{{ title }}"
    doc.core_properties.author = ""
    doc.core_properties.comments = f"xuncha GB/T 9704-2012 template v{VERSION}"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def default_template_path(doc_type: str) -> Path:
    """The cached default template in the data directory, built at first use."""
    if doc_type not in LAYOUTS:
        raise ValueError(f"no Word template for {doc_type!r}")
    folder = Path(settings.DATA_DIR) / "cache" / "templates"
    path = folder / f"{doc_type}-v{VERSION}.docx"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(build(doc_type))
        tmp.replace(path)
    return path


