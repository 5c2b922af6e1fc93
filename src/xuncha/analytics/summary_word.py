"""The statistics as the start of a work summary in Word, laid out after GB/T 9704-2012 with the
default templates' page, styles and page numbers (reports.documents.gbt9704): the title, the
summary paragraph, then the figures table (序号, 项目, 数量, 单位) and the problems by focus.

`export(actor=…, stats=…)` is the one entry point: it records the download in the audit log. The
document is Chinese whatever the user's language, like every document the office writes.
"""

from __future__ import annotations

import io
from datetime import date

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from xuncha.access import audit
from xuncha.analytics.statistics import Statistics
from xuncha.analytics.summary import opening, summary, wan_yuan
from xuncha.reports.documents import gbt9704
from xuncha.reports.documents.gbt9704 import HEITI, set_fonts

# The figures' names and units in the document (Chinese whatever the page's language).
NAMES: dict[str, tuple[str, str]] = {
    "rounds": ("开展巡察轮次", "轮"),
    "organizations": ("巡察党组织", "个"),
    "coverage": ("本届巡察覆盖率", "%"),
    "complaints": ("受理信访举报", "件"),
    "problems": ("发现问题", "个"),
    "leads": ("其中问题线索", "条"),
    "fed_back": ("反馈问题", "个"),
    "rectified": ("完成整改问题", "个"),
    "rectification_rate": ("整改完成率", "%"),
    "overdue": ("逾期未完成整改任务", "项"),
    "transfers": ("移交问题和线索", "件"),
    "people_disciplined": ("党纪政务处分", "人"),
    "people_handled": ("组织处理", "人"),
    "money_recovered": ("挽回经济损失", "万元"),
    "recommendations": ("发出巡察建议书", "份"),
    "addressees": ("巡察建议书送达单位", "个"),
    "systems_outcomes": ("落实巡察建议建立完善制度", "项"),
    "systems_transfers": ("移交办理建立完善制度", "项"),
    "campaigns": ("开展专项治理", "项"),
}
WIDTHS = (Mm(14), Mm(84), Mm(30), Mm(28))


def title_of(stats: Statistics) -> str:
    start = opening(stats.filters)
    return start.removesuffix("开展以来") + "统计情况"


def amount(key: str, value) -> str:
    if value is None:
        return "—"
    if key == "money_recovered":
        return wan_yuan(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _table(doc, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = WIDTHS if len(headers) == len(WIDTHS) else (Mm(14), Mm(112), Mm(30))
    for r, texts in enumerate([headers, *rows]):
        cells = table.rows[0].cells if r == 0 else table.add_row().cells
        for c, text in enumerate(texts):
            cells[c].width = widths[c]
            paragraph = cells[c].paragraphs[0]
            paragraph.style = doc.styles["GW Table"]
            run = paragraph.add_run(text)
            if r == 0:
                run.bold = True
                set_fonts(run._r, HEITI)
            if r == 0 or c != 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    gbt9704._repeat_header(table.rows[0])


def word(stats: Statistics, *, on: date | None = None) -> bytes:
    doc = Document()
    gbt9704._page_setup(doc)
    gbt9704._defaults(doc)
    gbt9704._styles(doc)
    gbt9704._para(doc, "", "GW Flush")
    gbt9704._para(doc, title_of(stats), "Title")
    gbt9704._para(doc, "", "GW Flush")
    text = summary(stats)
    gbt9704._para(doc, text or "暂无统计数据。", "Normal")
    gbt9704._para(doc, "一、主要数据", gbt9704.LEVEL_STYLES[1])
    rows = [(str(n), NAMES[key][0], amount(key, figure.value), NAMES[key][1])
            for n, (key, figure) in enumerate(stats.figures.items(), start=1)]
    _table(doc, ("序号", "项目", "数量", "单位"), rows)
    if stats.by_focus:
        gbt9704._para(doc, "二、发现问题按监督重点分类", gbt9704.LEVEL_STYLES[1])
        _table(doc, ("序号", "监督重点", "问题数（个）"),
               [(str(n), row.label, str(row.value)) for n, row in enumerate(stats.by_focus, start=1)])
    gbt9704._para(doc, "", "Normal")
    line = gbt9704._para(doc, chinese_date(on or timezone.localdate()), "GW Flush", align=WD_ALIGN_PARAGRAPH.RIGHT)
    line.paragraph_format.right_indent = Pt(64)
    gbt9704._footers(doc)
    doc.core_properties.title = title_of(stats)
    doc.core_properties.author = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def export(*, actor, stats: Statistics) -> tuple[bytes, str]:
    """The Word document (bytes, filename) of the statistics the actor computed; audited."""
    content = word(stats)
    title = title_of(stats)
    audit.record(actor=actor, action="statistics.export", obj=stats.filters.committee, summary=title,
                 detail={"filters": stats.filters.as_dict(),
                         "figures": {key: amount(key, f.value) for key, f in stats.figures.items()}})
    return content, f"{title}.docx"
