"""Reading uploaded workbooks: refuse what is not a plain .xlsx by its content, then read the
sheets as rows of {header: value} and parse cells into dates, numbers and yes/no."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _

from xuncha.registry.io.columns import FALSE_WORDS, TRUE_WORDS, Column, header_key

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# A workbook this small can still unpack to gigabytes; refuse archives that claim to.
MAX_UNPACKED_RATIO = 100
MAX_CONTENT_TYPES_BYTES = 1024 * 1024


class UploadRefused(Exception):
    """The file is not one we read; the message says why, for the person who uploaded it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_upload(path: Path, *, max_bytes: int | None = None) -> None:
    """Refuse anything but an .xlsx workbook without macros or encryption, judged by its
    content (not by its name), and anything larger than settings.UPLOAD_MAX_BYTES."""
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    size = path.stat().st_size
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    if size > limit:
        raise UploadRefused(_("The file is too large: at most %(max)s MB may be uploaded.")
                            % {"max": _megabytes(limit)})
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in path.read_bytes():
            raise UploadRefused(_("The workbook is protected by a password. Remove the password "
                                  "in Excel, save it again and upload it."))
        raise UploadRefused(_("This is an old Excel 97-2003 file (.xls). Open it in Excel or WPS, "
                              "save it as an Excel workbook (.xlsx) and upload that."))
    if head[:4] != ZIP_MAGIC:
        raise UploadRefused(_("The file is not an Excel workbook (.xlsx). CSV, WPS and other "
                              "formats must first be saved as .xlsx."))
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, limit)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError):
        raise UploadRefused(_("The file is damaged or is not an Excel workbook (.xlsx).")) from None


def _check_archive(archive: zipfile.ZipFile, limit: int) -> None:
    infos = archive.infolist()
    if any(info.flag_bits & 0x1 for info in infos):
        raise UploadRefused(_("The workbook is protected by a password. Remove the password "
                              "in Excel, save it again and upload it."))
    names = {info.filename.lower() for info in infos}
    if any(name.endswith("vbaproject.bin") or "/vba" in name for name in names):
        raise UploadRefused(_("The workbook contains macros. Save it as an Excel workbook "
                              "(.xlsx, without macros) and upload that."))
    if sum(info.file_size for info in infos) > limit * MAX_UNPACKED_RATIO:
        raise UploadRefused(_("The workbook is too large when unpacked."))
    if "[content_types].xml" not in names:
        raise UploadRefused(_("The file is not an Excel workbook (.xlsx)."))
    info = next(i for i in infos if i.filename.lower() == "[content_types].xml")
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise UploadRefused(_("The file is not an Excel workbook (.xlsx)."))
    raw = archive.read(info)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise UploadRefused(_("The file is not an Excel workbook (.xlsx)."))
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        raise UploadRefused(_("The file is damaged or is not an Excel workbook (.xlsx).")) from None
    types = [el.get("ContentType", "") for el in root.iter() if el.get("ContentType")]
    lowered = [t.lower() for t in types]
    if any("macroenabled" in t or "vbaproject" in t for t in lowered):
        raise UploadRefused(_("The workbook contains macros. Save it as an Excel workbook "
                              "(.xlsx, without macros) and upload that."))
    if WORKBOOK_TYPE not in types:
        raise UploadRefused(_("The file is not an Excel workbook (.xlsx): it may be a Word or "
                              "other Office document."))


def open_workbook(path: Path):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on malformed parts
        raise UploadRefused(_("The workbook cannot be read; open it in Excel, save it again "
                              "and retry.")) from None


# -- rows ------------------------------------------------------------------------------------

@dataclass
class RowError:
    sheet: str
    row: int  # as Excel shows it
    column: str
    message: str

    def as_list(self) -> list:
        return [self.sheet, self.row, self.column, self.message]


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    present: bool = True


def find_sheet(workbook, name: str, *, fallback_first: bool = False):
    """The sheet by name (spaces and width folded); else, if asked, the first sheet."""
    wanted = header_key(name)
    for title in workbook.sheetnames:
        if header_key(title) == wanted:
            return workbook[title]
    if fallback_first and workbook.sheetnames:
        return workbook[workbook.sheetnames[0]]
    return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(worksheet, name: str, columns: Sequence[Column], errors: list[RowError]) -> Sheet:
    """Rows of a sheet as (Excel row number, {header: cell value}); blank rows are skipped.
    A missing required column is one error on row 1."""
    sheet = Sheet(name=name)
    rows: Iterator[tuple] = worksheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    position: dict[str, int] = {}
    for index, text in enumerate(header):
        key = header_key(text)
        if key and key not in position:
            position[key] = index
    wanted = {c.header: position.get(c.header) for c in columns}
    for column in columns:
        if column.required and wanted[column.header] is None:
            errors.append(RowError(name, 1, column.header, _("The column is missing.")))
    if any(c.required and wanted[c.header] is None for c in columns):
        return sheet
    for number, values in enumerate(rows, start=2):
        if all(_blank(v) for v in values):
            continue
        record = {header: (values[i] if i is not None and i < len(values) else None)
                  for header, i in wanted.items()}
        sheet.rows.append((number, record))
    return sheet


# -- cells -----------------------------------------------------------------------------------

class CellError(ValueError):
    pass


def text(value: object) -> str:
    """A cell as text: numbers without a spurious ".0", everything stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def integer(value: object) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raw = text(value)
    if raw.isdigit():
        return int(raw)
    raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw})


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def a_date(value: object) -> date | None:
    """Date cells, or text such as 2024-02-28, 2024/2/28, 2024.2.28, 2024年2月28日, 20240228."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    import unicodedata

    raw = unicodedata.normalize("NFKC", text(value))
    match = _DATE_TEXT.match(raw) or _DATE_DIGITS.match(raw)
    if match:
        try:
            found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            found = None
        if found is not None and found.year >= 1900:
            return found
    raise CellError(_("“%(value)s” is not a date; write it as 2024-02-28 or 2024年2月28日.")
                    % {"value": raw})


def yes_no(value: object, *, default: bool) -> bool:
    if _blank(value):
        return default
    word = text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("“%(value)s” is neither 是 nor 否.") % {"value": text(value)})
