"""Excel importers: one class per record type, each returning an ImportResult.

Every row is checked first; when any row has an error nothing is written. Otherwise the
whole import is written in one transaction with bulk inserts and updates, and one audit
event "registry.import" records the counts. `dry_run` checks and counts without writing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import IMPORT, require
from xuncha.registry.io import columns as c
from xuncha.registry.io.resolve import Entry, OrgIndex, Unresolved, split_path
from xuncha.registry.io.xlsx import (
    CellError,
    RowError,
    Sheet,
    check_upload,
    find_sheet,
    integer,
    open_workbook,
    read_sheet,
    text,
    yes_no,
)
from xuncha.registry.models import Committee, Organization, OrganizationKind, Person
from xuncha.registry.validation import clean_name, clean_unified_code
from xuncha.text import match_key, pinyin_initials

Progress = Callable[[int, int], None]
BATCH = 1000
MAX_STORED_ERRORS = 1000


@dataclass
class ImportResult:
    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    notices: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, **self.details}


def _first_message(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else str(exc)


class Importer:
    """Shared steps: permission, file checks, reading, then validate() and write()."""

    kind = ""
    model: type[models.Model] = Organization
    sheets: tuple[tuple[str, tuple[c.Column, ...], bool], ...] = ()  # name, columns, required

    def __init__(self, *, actor, committee: Committee, dry_run: bool = False,
                 progress: Progress | None = None, file_name: str = ""):
        self.actor = actor
        self.committee = committee
        self.dry_run = dry_run
        self.file_name = file_name
        self._progress = progress
        self.result = ImportResult(kind=self.kind, dry_run=dry_run)
        self.data: dict[str, Sheet] = {}

    # -- steps -------------------------------------------------------------------------------

    def run(self, path: Path) -> ImportResult:
        """Check and import the workbook at `path`. Raises UploadRefused for a file that is
        not a plain .xlsx and access.policy.PermissionDenied for a user who may not import."""
        require(self.actor, IMPORT, self.model(committee=self.committee))
        check_upload(Path(path))
        self.read(Path(path))
        if self.result.errors:
            return self._finish()
        state = self.fingerprint()
        self.validate()
        if self.result.errors or self.dry_run:
            return self._finish()
        try:
            with transaction.atomic():
                # One import at a time per committee; what was checked must still hold.
                Committee.objects.select_for_update().get(pk=self.committee.pk)
                if self.fingerprint() != state:
                    self.result = ImportResult(kind=self.kind, dry_run=self.dry_run,
                                               rows=self.result.rows)
                    self.validate()
                    if self.result.errors:
                        return self._finish()
                self.write()
                audit.record(
                    actor=self.actor, action="registry.import", obj=self.committee,
                    summary=f"{self.kind} {self.file_name}".strip(),
                    detail={"kind": self.kind, "file": self.file_name, **self.result.counts()},
                )
        except IntegrityError as exc:
            self.result = ImportResult(kind=self.kind, dry_run=self.dry_run, rows=self.result.rows)
            self.error(self.sheets[0][0], 0, "", _("The database refused the changes (%(reason)s); "
                                                   "nothing was imported.") % {"reason": exc})
        return self._finish()

    def read(self, path: Path) -> None:
        workbook = open_workbook(path)
        try:
            for index, (name, cols, required) in enumerate(self.sheets):
                worksheet = find_sheet(workbook, name, fallback_first=(index == 0))
                if worksheet is None:
                    self.data[name] = Sheet(name=name, present=False)
                    if required:
                        self.error(name, 0, "", _("The workbook has no sheet named “%(name)s”.")
                                   % {"name": name})
                    continue
                self.data[name] = read_sheet(worksheet, worksheet.title, cols, self.result.errors)
        finally:
            workbook.close()
        self.result.rows = len(self.data.get(self.sheets[0][0], Sheet("")).rows)

    def fingerprint(self) -> tuple:
        """Changes any other write would make to the committee's registry."""
        marks = []
        for model in (Organization, Person):
            marks.append(tuple(model.objects.filter(committee=self.committee).aggregate(
                n=Count("id"), last=Max("updated_at"), top=Max("id")).values()))
        return tuple(marks)

    def validate(self) -> None:
        raise NotImplementedError

    def write(self) -> None:
        raise NotImplementedError

    # -- helpers -----------------------------------------------------------------------------

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.result.errors.append(RowError(sheet, row, column, message))

    def notice(self, sheet: str, row: int, column: str, message: str) -> None:
        self.result.notices.append(RowError(sheet, row, column, message))

    def tick(self, done: int, total: int) -> None:
        if self._progress is not None and (done % BATCH == 0 or done == total):
            self._progress(done, total)

    def _finish(self) -> ImportResult:
        order = {sheet.name: i for i, sheet in enumerate(self.data.values())}
        self.result.errors.sort(key=lambda e: (order.get(e.sheet, -1), e.row))
        if self.result.errors:
            self.result.created = self.result.updated = self.result.unchanged = 0
        return self.result

    def cell(self, sheet: str, number: int, column: str, parse, value, *args, **kwargs):
        """Parse one cell; a bad value becomes an error on that cell and None."""
        try:
            return parse(value, *args, **kwargs)
        except (CellError, ValidationError) as exc:
            message = _first_message(exc) if isinstance(exc, ValidationError) else str(exc)
            self.error(sheet, number, column, message)
            return None


# -- organizations ---------------------------------------------------------------------------

@dataclass
class OrgRow:
    number: int
    key: Hashable = None
    pk: int | None = None
    name: str = ""
    short_name: str = ""
    kind_id: int | None = None
    parent_text: str = ""
    parent: Hashable = None
    unified_code: str = ""
    active: bool = True
    principal_text: str = ""
    principal_id: int | None = None
    keep_principal: bool = False


def _short_text(value: object, limit: int) -> str:
    typed = text(value)
    if len(typed) > limit:
        raise CellError(_("Longer than %(max)d characters.") % {"max": limit})
    return typed


class OrganizationImporter(Importer):
    """Sheet 组织机构; see docs/import-format.md."""

    kind = "orgs"
    model = Organization
    sheets = ((c.ORG_SHEET, c.ORG_COLUMNS, True),)
    FIELDS = ("name", "short_name", "kind_id", "parent_id", "unified_code", "active",
              "principal_id")

    def validate(self) -> None:
        sheet = self.data[c.ORG_SHEET].name
        rows = self.data[c.ORG_SHEET].rows
        kinds: dict[str, int] = {}
        for kind in OrganizationKind.objects.all():
            kinds[match_key(kind.name)] = kinds[kind.code.lower()] = kind.pk
        kind_names = "、".join(OrganizationKind.objects.values_list("name", flat=True))
        existing = {o["id"]: o for o in Organization.objects.filter(committee=self.committee).values(
            "id", "name", "name_key", "short_name", "kind_id", "parent_id", "unified_code",
            "active", "principal_id")}
        people: dict[tuple[int, str], list[int]] = {}
        for pk, org_id, key in Person.objects.filter(
                committee=self.committee, organization__isnull=False).values_list(
                "id", "organization_id", "name_key"):
            people.setdefault((org_id, key), []).append(pk)

        parsed: list[OrgRow] = []
        first_row_of_id: dict[int, int] = {}
        for done, (number, cells) in enumerate(rows, start=1):
            self.tick(done, len(rows))
            row = OrgRow(number)
            row.pk = self.cell(sheet, number, c.ID, integer, cells[c.ID])
            name = self.cell(sheet, number, c.ORG_NAME, clean_name, text(cells[c.ORG_NAME]),
                             max_length=100)
            row.name = name or ""
            row.short_name = self.cell(sheet, number, c.ORG_SHORT, _short_text,
                                       cells[c.ORG_SHORT], 40) or ""
            kind_text = text(cells[c.ORG_KIND])
            if not kind_text:
                self.error(sheet, number, c.ORG_KIND, _("The kind is missing."))
            else:
                row.kind_id = kinds.get(match_key(kind_text)) or kinds.get(kind_text.lower())
                if row.kind_id is None:
                    self.error(sheet, number, c.ORG_KIND,
                               _("Unknown kind “%(value)s”; use one of: %(kinds)s.")
                               % {"value": kind_text, "kinds": kind_names})
            row.parent_text = text(cells[c.ORG_PARENT])
            row.unified_code = self.cell(sheet, number, c.ORG_CODE, clean_unified_code,
                                         text(cells[c.ORG_CODE])) or ""
            active = self.cell(sheet, number, c.ORG_ACTIVE, yes_no, cells[c.ORG_ACTIVE],
                               default=True)
            row.active = True if active is None else active
            row.principal_text = text(cells[c.ORG_PRINCIPAL])
            if row.pk is not None:
                if row.pk not in existing:
                    self.error(sheet, number, c.ID,
                               _("No organization with 系统编号 %(id)s in this committee.")
                               % {"id": row.pk})
                    row.pk = None
                elif row.pk in first_row_of_id:
                    self.error(sheet, number, c.ID, _("系统编号 %(id)s is also in row %(row)d.")
                               % {"id": row.pk, "row": first_row_of_id[row.pk]})
                    row.pk = None
                else:
                    first_row_of_id[row.pk] = number
            row.key = row.pk if row.pk is not None else ("row", number)
            if name:
                parsed.append(row)

        index = OrgIndex.from_rows([(o["id"], o["name"], o["name_key"], o["parent_id"])
                                    for o in existing.values()])
        for row in parsed:
            index.remove(row.key)
            parents = tuple(reversed(split_path(row.parent_text)))
            index.add(Entry(row.key, row.name, match_key(row.name), parents))
        self._resolve_parents(sheet, parsed, index)
        parent_of: dict[Hashable, Hashable] = {pk: o["parent_id"] for pk, o in existing.items()}
        parent_of.update({row.key: row.parent for row in parsed})
        self._check_cycles(sheet, parsed, parent_of)
        self._check_duplicates(sheet, parsed, existing, parent_of)
        self._resolve_principals(sheet, parsed, people)
        self.rows = parsed
        self.existing = existing
        for row in parsed:
            if row.pk is None:
                self.result.created += 1
            elif self._changes(row):
                self.result.updated += 1
            else:
                self.result.unchanged += 1

    def _resolve_parents(self, sheet: str, parsed: list[OrgRow], index: OrgIndex) -> None:
        for row in parsed:
            if not row.parent_text:
                continue
            try:
                row.parent = index.resolve(row.parent_text)
            except Unresolved as exc:
                self.error(sheet, row.number, c.ORG_PARENT, str(exc))
                continue
            if row.parent == row.key:
                self.error(sheet, row.number, c.ORG_PARENT,
                           _("An organization cannot be placed under itself."))
                row.parent = None

    def _check_cycles(self, sheet: str, parsed: list[OrgRow], parent_of: dict) -> None:
        for row in parsed:
            seen, current = {row.key}, parent_of.get(row.key)
            while current is not None:
                if current == row.key:
                    self.error(sheet, row.number, c.ORG_PARENT,
                               _("The parents form a circle: this organization ends up under itself."))
                    break
                if current in seen:
                    break
                seen.add(current)
                current = parent_of.get(current)

    def _check_duplicates(self, sheet: str, parsed: list[OrgRow], existing: dict,
                          parent_of: dict) -> None:
        in_file = {row.pk for row in parsed if row.pk is not None}
        taken: dict[tuple, int] = {}
        for pk, org in existing.items():
            if pk not in in_file:
                taken[(org["parent_id"], org["name_key"])] = pk
        seen_rows: dict[tuple, int] = {}
        for row in parsed:
            slot = (row.parent, match_key(row.name))
            if slot in seen_rows:
                self.error(sheet, row.number, c.ORG_NAME,
                           _("Duplicate: row %(row)d has the same name under the same parent.")
                           % {"row": seen_rows[slot]})
            elif slot in taken:
                self.error(sheet, row.number, c.ORG_NAME, self._duplicate_message(taken[slot]))
            else:
                seen_rows[slot] = row.number

    @staticmethod
    def _duplicate_message(pk: int) -> str:
        return (_("Duplicate of an existing record (系统编号 %(id)s); to change it, fill in its "
                  "系统编号.") % {"id": pk})

    def _resolve_principals(self, sheet: str, parsed: list[OrgRow], people: dict) -> None:
        for row in parsed:
            if not row.principal_text:
                continue
            found = people.get((row.pk, match_key(row.principal_text)), []) if row.pk else []
            if len(found) == 1:
                row.principal_id = found[0]
            elif len(found) > 1:
                self.error(sheet, row.number, c.ORG_PRINCIPAL,
                           _("%(count)d people named “%(name)s” work in this organization.")
                           % {"count": len(found), "name": row.principal_text})
            else:
                row.keep_principal = True
                self.notice(sheet, row.number, c.ORG_PRINCIPAL,
                            _("“%(name)s” is not registered in this organization yet; import the "
                              "people, then import this sheet again to set the principal.")
                            % {"name": row.principal_text})

    def _values(self, row: OrgRow, ids: dict[Hashable, int] | None = None) -> dict[str, Any]:
        parent = row.parent
        if isinstance(parent, tuple):
            parent = ids[parent] if ids is not None else parent
        principal = row.principal_id
        if row.keep_principal and row.pk is not None:
            principal = self.existing[row.pk]["principal_id"]
        return {"name": row.name, "short_name": row.short_name, "kind_id": row.kind_id,
                "parent_id": parent, "unified_code": row.unified_code, "active": row.active,
                "principal_id": principal}

    def _changes(self, row: OrgRow) -> bool:
        old = self.existing[row.pk]
        return any(old[f] != v for f, v in self._values(row).items())

    def write(self) -> None:
        ids: dict[Hashable, int] = {}
        new_rows = [row for row in self.rows if row.pk is None]
        by_key = {row.key: row for row in self.rows}
        depth: dict[Hashable, int] = {}
        for row in new_rows:
            # New rows under new rows are inserted after their parents, level by level.
            level, current = 0, row.parent
            while isinstance(current, tuple):
                level += 1
                current = by_key[current].parent
            depth[row.key] = level
        for level in sorted(set(depth.values())):
            batch = []
            for row in new_rows:
                if depth[row.key] != level:
                    continue
                values = self._values(row, ids)
                batch.append(Organization(committee=self.committee, name_key=match_key(row.name),
                                          pinyin=pinyin_initials(row.name)[:100], **values))
            created = Organization.objects.bulk_create(batch, batch_size=BATCH)
            level_rows = [row for row in new_rows if depth[row.key] == level]
            for row, org in zip(level_rows, created, strict=True):
                ids[row.key] = org.pk
        now = timezone.now()
        changed = []
        for row in self.rows:
            if row.pk is None or not self._changes(row):
                continue
            org = Organization(pk=row.pk, committee=self.committee, updated_at=now,
                               name_key=match_key(row.name), pinyin=pinyin_initials(row.name)[:100],
                               **self._values(row, ids))
            changed.append(org)
        Organization.objects.bulk_update(
            changed, [f.removesuffix("_id") for f in self.FIELDS] + ["name_key", "pinyin",
                                                                      "updated_at"],
            batch_size=BATCH)
