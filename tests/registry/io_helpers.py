"""Workbooks for the import tests, written with openpyxl as a user's Excel would."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

ORG_HEADER = ["系统编号", "名称", "简称", "类型", "上级组织", "统一社会信用代码", "是否在册", "主要负责人"]
PEOPLE_HEADER = ["系统编号", "序号", "姓名", "性别", "出生日期", "所在组织", "职务", "联系电话"]
WORK_HEADER = ["人员序号", "工作单位", "职务", "起始日期", "截止日期"]
RELATIVE_HEADER = ["人员序号", "关系", "姓名", "工作单位", "职务"]


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def orgs_file(path: Path, *rows: list) -> Path:
    return workbook(path, {"组织机构": [ORG_HEADER, *rows]})


def people_file(path: Path, people: list[list], work: list[list] | None = None,
                relatives: list[list] | None = None) -> Path:
    sheets = {"人员": [PEOPLE_HEADER, *people]}
    if work is not None:
        sheets["工作经历"] = [WORK_HEADER, *work]
    if relatives is not None:
        sheets["亲属关系"] = [RELATIVE_HEADER, *relatives]
    return workbook(path, sheets)


def read_back(source) -> dict[str, list[tuple]]:
    book = load_workbook(source, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()


def with_macros(source: Path, target: Path) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item))
        new.writestr("xl/vbaProject.bin", b"\x00" * 64)
    return target


def errors_of(result) -> set[tuple]:
    return {(e.sheet, e.row, e.column) for e in result.errors}
