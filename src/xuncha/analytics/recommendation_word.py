"""The documents of recommendations: the 巡察建议书 in Word, laid out after GB/T 9704-2012 with
the default templates' page, styles and page numbers (reports.documents.gbt9704), and the
ledger (巡察建议书台账) in Excel.

The letter: 发文字号 (县巡察办〔2024〕3号, from the committee's short name), the title, 主送 the
addressees, the body in three sections 一、问题症状 二、病情病理 三、意见建议 (the recommendations
numbered （一）（二）…), the sentence asking for the response by the deadline in Chinese date
format, the signature and the date. Documents are Chinese whatever the user's language, like
every official document the system writes. Both exports check EXPORT and are audited.
"""

from __future__ import annotations

import io
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from xuncha.access import audit
from xuncha.access.policy import EXPORT, PermissionDenied, can_any, require
from xuncha.analytics.models import Recommendation
from xuncha.analytics.selectors import recommendations as selectors
from xuncha.rectification import deadlines
from xuncha.reports.documents import gbt9704
from xuncha.text.numerals import to_chinese

STATE_NAMES = {"draft": "草稿", "submitted": "待审批", "returned": "已退回", "approved": "已审批", "issued": "已印发",
               "closed": "已办结"}


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def issuer_prefix(committee) -> str:
    """示例县委 → 示例县; 中共青崖县委 (short name 青崖县) → 青崖县."""
    name = (committee.short_name or committee.name).removeprefix("中共")
    return name.removesuffix("委") or name


def doc_number(rec: Recommendation) -> str:
    """县巡察办〔2024〕3号"""
    return f"{issuer_prefix(rec.committee)}巡察办〔{rec.year}〕{rec.seq}号"


def office_name(committee) -> str:
    return f"{committee.name}巡察工作领导小组办公室"


def response_sentence(rec: Recommendation, on: date) -> str:
    """The request for the written response: by the deadline once issued; before that, within
    the months of the policy in force today."""
    to = office_name(rec.committee)
    if rec.response_due is not None:
        return f"请于{chinese_date(rec.response_due)}前将落实情况书面报送{to}。"
    months = deadlines.in_force(rec.committee, on).recommendation_response_months
    return f"请于收到本建议书之日起{to_chinese(months)}个月内将落实情况书面报送{to}。"


def paragraphs(rec: Recommendation, addressees: list[str], items: list[str], on: date) -> list[tuple[str, str]]:
    """The letter as (style, text) pairs, from the number to the date."""
    body = [
        ("GW Flush", ""), ("GW Number", doc_number(rec)), ("GW Flush", ""), ("Title", rec.title), ("GW Flush", ""),
        ("GW Flush", "、".join(addressees) + "："),
        ("Normal", f"{rec.committee.name}巡察工作领导小组在巡察中发现，有关问题在多个党组织反复出现、具有共性，"
                   "反映出相关领域在制度机制和监督管理方面存在薄弱环节。经巡察工作领导小组同意，现将有关情况和建议函告如下。"),
        ("Heading 1", "一、问题症状"),
    ]
    body += [("Normal", line.strip()) for line in rec.symptoms.splitlines() if line.strip()]
    body.append(("Heading 1", "二、病情病理"))
    body += [("Normal", line.strip()) for line in rec.causes.splitlines() if line.strip()]
    body.append(("Heading 1", "三、意见建议"))
    body += [("Normal", f"（{to_chinese(n)}）{text}") for n, text in enumerate(items, start=1)]
    body.append(("Normal", response_sentence(rec, on)))
    return body


def word(rec: Recommendation, *, on: date | None = None) -> bytes:
    on = on or selectors.today()
    addressees = [a.organization.name for a in rec.addressees.all()]
    items = [i.text for i in rec.items.all()]
    doc = Document()
    gbt9704._page_setup(doc)
    gbt9704._defaults(doc)
    gbt9704._styles(doc)
    gbt9704._style(doc, "GW Number", font=gbt9704.FANGSONG, size=gbt9704.SIZE_3, indent_chars=0,
                   align=WD_ALIGN_PARAGRAPH.CENTER)
    for style, text in paragraphs(rec, addressees, items, on):
        gbt9704._para(doc, text, style)
    gbt9704._para(doc, "", "Normal")
    for text in (f"{rec.committee.name}巡察工作领导小组", chinese_date(rec.issued_on or on)):
        line = gbt9704._para(doc, text, "GW Flush", align=WD_ALIGN_PARAGRAPH.RIGHT)
        line.paragraph_format.right_indent = Pt(64)
    gbt9704._footers(doc)
    doc.core_properties.title = rec.title
    doc.core_properties.author = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def export_letter(*, actor, rec: Recommendation) -> tuple[bytes, str]:
    """The letter as .docx (bytes, file name) for one the actor may export; audited."""
    require(actor, EXPORT, rec)
    content = word(rec)
    with transaction.atomic():
        audit.record(actor=actor, action="recommendation.export", obj=rec, summary=f"{rec.number} {rec.title}",
                     detail={"number": doc_number(rec), "state": rec.state})
    return content, f"{doc_number(rec)}{rec.title}.docx"


def export_received_letter(*, actor, addressee) -> tuple[bytes, str]:
    """The letter as the addressed department receives it (its own addressee row, once issued);
    audited like the office's export."""
    require(actor, EXPORT, addressee)
    rec = addressee.recommendation
    content = word(rec)
    with transaction.atomic():
        audit.record(actor=actor, action="recommendation.export", obj=rec, summary=f"{rec.number} {rec.title}",
                     detail={"number": doc_number(rec), "addressee": addressee.organization_id})
    return content, f"{doc_number(rec)}{rec.title}.docx"


# -- the ledger ------------------------------------------------------------------------------

COLUMNS = (("序号", 6), ("文号", 22), ("标题", 40), ("主送单位", 28), ("状态", 10), ("印发日期", 12),
           ("反馈期限", 12), ("已反馈", 10), ("逾期", 8), ("建立完善制度（项）", 12))


def _rows(recs, on: date) -> list[list]:
    rows = []
    for n, rec in enumerate(recs, start=1):
        shown = selectors.status(rec, on)
        rows.append([n, doc_number(rec), rec.title, "、".join(a.organization.name for a in rec.addressees.all()),
                     STATE_NAMES[rec.state], rec.issued_on, rec.response_due,
                     f"{shown['responded']}/{shown['addressees']}", "逾期" if shown["overdue"] else "",
                     rec.outcome_count])
    return rows


def workbook(recs, on: date) -> bytes:
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    ws.title = "巡察建议书台账"
    ws.append([f"巡察建议书台账（截至{chinese_date(on)}）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws["A1"].font = Font(name="方正小标宋简体", size=18)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([c[0] for c in COLUMNS])
    for col, (_header, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=2, column=col)
        cell.font, cell.border = Font(name="黑体", size=11, bold=True), box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for values in _rows(recs, on):
        ws.append(values)
        for cell in ws[ws.max_row]:
            cell.font, cell.border = Font(name="仿宋_GB2312", size=11), box
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(cell.value, str):
                cell.data_type = "s"  # typed text never becomes a formula
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "landscape"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_ledger(*, actor, filters: selectors.LedgerFilters, on: date | None = None) -> tuple[bytes, int]:
    """The filtered ledger as .xlsx, of the letters the actor may export; audited."""
    if not can_any(actor, EXPORT, Recommendation):
        raise PermissionDenied("export Recommendation")
    on = on or selectors.today()
    recs = list(selectors.ledger(actor, filters, action=EXPORT, on=on))
    data = workbook(recs, on)
    with transaction.atomic():
        audit.record(actor=actor, action="recommendation.ledger_export", object_type=Recommendation._meta.label,
                     summary=_("%(count)d recommendations exported") % {"count": len(recs)},
                     detail={"filters": filters.as_detail(), "count": len(recs), "on": on.isoformat()})
    return data, len(recs)
