"""The dashboard as an Excel workbook: one sheet per chart holding its table view (the same
numbers the page shows under the same filters). Exporting is audited ("analytics.export")."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from xuncha.access import audit
from xuncha.analytics.charts import Chart
from xuncha.analytics.filters import Filters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters Excel refuses in a sheet title, and its length limit.
_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})
TITLE_LIMIT = 31


def sheet_title(chart: Chart) -> str:
    return chart.title.translate(_BAD_TITLE)[:TITLE_LIMIT]


def _sheet(wb: Workbook, chart: Chart, caption: str) -> None:
    ws = wb.create_sheet(sheet_title(chart))
    ws.append([chart.title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([caption])
    ws.append([])
    funnel = chart.type == "funnel"
    ws.append([chart.label_heading, *chart.series, *([_("Share of problems found (%)")] if funnel else [])])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in chart.rows():
        ws.append([row["label"], *(value for value, _link in row["cells"]), *([row["share"]] if funnel else [])])
        # Names typed in by users (checklist items, organizations) must never become formulas.
        ws.cell(row=ws.max_row, column=1).data_type = "s"
    if chart.has_total:
        ws.append([_("Total"), *chart.totals()])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    if chart.note:
        ws.append([])
        ws.append([chart.note])
    ws.column_dimensions["A"].width = 48
    for index in range(len(chart.series) + funnel):
        ws.column_dimensions[get_column_letter(index + 2)].width = 14
    for row in ws.iter_rows(min_row=5, max_col=1):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def caption(filters: Filters) -> str:
    parts = [filters.committee.name]
    if filters.term is not None:
        parts.append(filters.term.name)
    if filters.round is not None:
        parts.append(str(filters.round))
    if filters.kind is not None:
        parts.append(filters.kind.name)
    if filters.township is not None:
        parts.append(filters.township.name)
    return " · ".join(parts)


def filename(filters: Filters, chart: Chart | None = None) -> str:
    name = chart.title if chart is not None else _("Inspection dashboard")
    return f"{filters.committee.name}{name}.xlsx"


def dashboard_xlsx(*, actor, filters: Filters, charts: list[Chart], only: str | None = None) -> bytes:
    """The workbook of `charts` (each one sheet), and the audit event of its export. Whoever may
    read the dashboard may export it: it holds the same aggregates, never a row behind them."""
    wb = Workbook()
    wb.remove(wb.active)
    text = caption(filters)
    for chart in charts:
        _sheet(wb, chart, text)
    out = io.BytesIO()
    wb.save(out)
    with transaction.atomic():
        audit.record(actor=actor, action="analytics.export", obj=filters.committee,
                     summary=_("Exported the dashboard: %(what)s") % {
                         "what": "、".join(chart.title for chart in charts)},
                     detail={"filters": filters.as_dict(), "charts": [chart.key for chart in charts],
                             "only": only or ""})
    return out.getvalue()
