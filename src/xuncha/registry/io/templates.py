"""Workbooks in the registry's Excel format: the empty templates people download, and the
sheet layout the exporters fill (same sheets, same headers, plus the 说明 sheet)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xuncha.registry.io import columns as c
from xuncha.registry.models import OrganizationKind

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
DATE_FORMAT = "yyyy-mm-dd"

SHEETS = {
    "orgs": ((c.ORG_SHEET, c.ORG_COLUMNS),),
    "people": ((c.PEOPLE_SHEET, c.PEOPLE_COLUMNS), (c.WORK_SHEET, c.WORK_COLUMNS),
               (c.RELATIVES_SHEET, c.RELATIVE_COLUMNS)),
}
# Lists offered in the cells of a column (Excel's data validation).
CHOICES = {
    c.ORG_ACTIVE: '"是,否"',
    c.GENDER: '"男,女"',
    c.RELATION: '"配偶,父母,子女,兄弟姐妹,姻亲,其他"',
}
ROWS_WITH_CHOICES = 20000


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def add_sheet(workbook: Workbook, title: str, columns: Sequence[c.Column], *,
              kinds_range: str = ""):
    """A data sheet with its header row: required headers red, each with its note."""
    sheet = workbook.create_sheet(title)
    header = []
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        if column.note:
            note = ("必填。" if column.required and not column.note.startswith("必填") else "") + column.note
            cell.comment = Comment(note, "xuncha", width=260, height=90)
        header.append(cell)
        letter = get_column_letter(number)
        choices = CHOICES.get(column.header)
        if column.header == c.ORG_KIND and kinds_range:
            choices = kinds_range
        if choices:
            rule = DataValidation(type="list", formula1=choices, allow_blank=True)
            rule.add(f"{letter}2:{letter}{ROWS_WITH_CHOICES}")
            sheet.data_validations.append(rule)
    sheet.freeze_panes = "A2"
    sheet.append(header)
    return sheet


def date_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if value is not None:
        cell.number_format = DATE_FORMAT
    return cell


def add_help_sheet(workbook: Workbook, kind: str) -> None:
    """The 说明 sheet: the allowed 类型 values first (A2 down, the 类型 column's list), then
    every column explained."""
    sheet = workbook.create_sheet(c.HELP_SHEET)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 80
    wrap = Alignment(wrap_text=True, vertical="top")
    rows: list[list] = []

    def bold(value: str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = HEADER_FONT
        return cell

    kinds = list(OrganizationKind.objects.order_by("sort_order", "id").values_list("name", "code"))
    if kind == "orgs":
        rows.append([bold("类型可选值"), bold("代码"), bold("（“类型”列填写名称或代码）")])
        for name, code in kinds:
            rows.append([name, code, ""])
        rows.append([])
    rows.append([bold("填写说明"), "", "第1行为列名，请勿修改；红色列名为必填项。每行一条记录，空行忽略。"])
    rows.append(["", "", "填写了“系统编号”的行修改已登记的记录，该行各列即为修改后的内容；"
                         "未填写的行新建记录。全部行检查无误后才会导入，任何一行有错误则不导入。"])
    rows.append(["", "", "名称比对时不区分全角半角、繁体简体和多余空格，显示仍保留所填文字。"])
    for title, columns in SHEETS[kind]:
        rows.append([])
        rows.append([bold(f"“{title}”表"), bold("必填"), bold("说明")])
        for column in columns:
            note = WriteOnlyCell(sheet, value=column.note)
            note.alignment = wrap
            rows.append([column.header, "是" if column.required else "", note])
    for row in rows:
        sheet.append(row)


def build(kind: str, fill: Iterable | None = None) -> Workbook:
    """The workbook of `kind` ("orgs" or "people"): data sheets, then 说明."""
    workbook = new_workbook()
    kinds_range = f"'{c.HELP_SHEET}'!$A$2:$A${1 + OrganizationKind.objects.count()}"
    sheets = [add_sheet(workbook, title, columns, kinds_range=kinds_range if kind == "orgs" else "")
              for title, columns in SHEETS[kind]]
    if fill is not None:
        fill(sheets)
    add_help_sheet(workbook, kind)
    return workbook


def template_bytes(kind: str) -> bytes:
    if kind not in SHEETS:
        raise ValueError(kind)
    buffer = io.BytesIO()
    build(kind).save(buffer)
    return buffer.getvalue()
