"""The audit log as an Excel workbook, for the auditor. The export is itself audited."""

from __future__ import annotations

import tempfile
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xuncha.access import audit
from xuncha.access.models import AuditEvent
from xuncha.access.policy import EXPORT, require
from xuncha.access.system_selectors import AuditFilter, audit_events

# (header msgid, column width)
COLUMNS = [
    (gettext_noop("Sequence"), 10),
    (gettext_noop("Time"), 20),
    (gettext_noop("Account"), 18),
    (gettext_noop("Role"), 14),
    (gettext_noop("IP address"), 16),
    (gettext_noop("Action"), 22),
    (gettext_noop("Object type"), 22),
    (gettext_noop("Object ID"), 12),
    (gettext_noop("Summary"), 50),
    (gettext_noop("Hash"), 68),
]


def headers() -> list[str]:
    return [_(msgid) for msgid, _width in COLUMNS]


def _text(ws, value: str) -> WriteOnlyCell:
    # Text typed in by anyone (a username tried at the login page) must never become a
    # formula in the auditor's spreadsheet.
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _row(ws, event: AuditEvent) -> list:
    at = timezone.localtime(event.at).replace(tzinfo=None)
    return [
        event.seq, at, _text(ws, event.actor_name), _text(ws, event.role), _text(ws, event.ip or ""),
        _text(ws, event.action), _text(ws, event.object_type), _text(ws, event.object_id),
        _text(ws, event.summary), event.hash,
    ]


def audit_events_xlsx(*, actor, filters: AuditFilter) -> tuple[IO[bytes], int]:
    """Write the filtered audit events (newest first) to a temporary .xlsx file and record
    the export; returns the file, rewound, and the number of events written."""
    require(actor, EXPORT, AuditEvent())
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Audit log"))
    for index, (_msgid, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for title in headers():
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    for event in audit_events(actor, filters, action=EXPORT).iterator(chunk_size=2000):
        row = _row(ws, event)
        ws.append(row)
        count += 1
    # The file is spooled to disk, so a long log never sits whole in memory.
    out = tempfile.TemporaryFile()
    wb.save(out)
    with transaction.atomic():
        audit.record(actor=actor, action="audit.export", object_type=AuditEvent._meta.label,
                     summary=_("%(count)d audit events exported") % {"count": count},
                     detail={"filters": filters.as_detail(), "count": count})
    out.seek(0)
    return out, count
