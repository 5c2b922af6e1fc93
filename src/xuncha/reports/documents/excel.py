"""Excel workbooks (openpyxl): the problem list (问题清单) of a target and the round's ledger.
Headers bold and frozen, column widths set, header rows repeated on every printed page."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

FONT = "仿宋_GB2312"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

PROBLEM_COLUMNS = [
    ("序号", "no", 6), ("问题类别", "focus", 24), ("监督要点", "point", 22), ("问题表现", "manifestation", 22),
    ("问题概述", "title", 24), ("问题描述", "description", 48), ("涉及金额（元）", "amount_value", 14),
    ("问题性质", "kind", 12), ("严重程度", "severity", 10),
]
LEDGER_COLUMNS = [
    ("序号", "no", 6), ("巡察组", "group", 12), ("巡察对象", "organization", 18), ("问题编号", "number", 10),
    *PROBLEM_COLUMNS[1:], ("是否已反馈", "fed_back", 10),
]


def _sheet(ws, title: str, columns, rows: list[dict], subtitle: str = "") -> None:
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws["A1"].font = Font(name="方正小标宋简体", size=18)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    ws.append([subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    ws["A2"].font = Font(name=FONT, size=11)
    ws.append([c[0] for c in columns])
    for col, (_, _, width) in enumerate(columns, start=1):
        cell = ws.cell(row=3, column=col)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        ws.column_dimensions[get_column_letter(col)].width = width
    body_font = Font(name=FONT, size=11)
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        ws.append([row.get(key) for _, key, _ in columns])
        for cell in ws[ws.max_row]:
            cell.font, cell.alignment, cell.border = body_font, wrap, BOX
            if columns[cell.column - 1][1] == "amount_value":
                cell.number_format = "#,##0.00"
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if rows:
        ws.auto_filter.ref = f"A3:{get_column_letter(len(columns))}{ws.max_row}"


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def problem_list(data: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    subtitle = f"{data.get('committee', '')}{data.get('group', '')}　{data.get('round', '')}　{data.get('date', '')}"
    _sheet(ws, data["title"], PROBLEM_COLUMNS, data["problems"], subtitle)
    return _save(wb)


def ledger(title: str, rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "问题台账"
    _sheet(ws, title, LEDGER_COLUMNS, rows, f"共{len(rows)}个问题")
    return _save(wb)
