"""The people importer: sheet 人员, with optional sheets 工作经历 and 亲属关系.

A person's work history (or relatives) in the file replaces what is registered for that
person; people the file does not list there keep theirs.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xuncha.registry.io import columns as c
from xuncha.registry.io.importers import BATCH, Importer, _short_text
from xuncha.registry.io.resolve import OrgIndex, Unresolved
from xuncha.registry.io.xlsx import CellError, a_date, integer, text
from xuncha.registry.models import Organization, Person, Relative, WorkHistory
from xuncha.registry.validation import clean_name, clean_phone
from xuncha.text import match_key, pinyin_initials, stroke_sort_key


@dataclass
class PersonRow:
    number: int
    key: Hashable = None
    pk: int | None = None
    seq: int | None = None
    name: str = ""
    gender: str = ""
    birth_date: date | None = None
    organization_id: int | None = None
    post: str = ""
    phone: str = ""


def _gender(value: object) -> str:
    typed = text(value)
    if not typed:
        return ""
    found = c.GENDER_WORDS.get(typed.lower())
    if found is None:
        raise CellError(_("“%(value)s” is neither 男 nor 女.") % {"value": typed})
    return found


def _birth_date(value: object) -> date | None:
    found = a_date(value)
    if found is not None and found > timezone.localdate():
        raise CellError(_("The birth date is in the future."))
    return found


def _relation(value: object) -> str:
    typed = text(value)
    if not typed:
        raise CellError(_("The relation is missing."))
    found = c.RELATION_WORDS.get(match_key(typed))
    if found is None:
        raise CellError(_("Unknown relation “%(value)s”; use one of: 配偶、父母、子女、兄弟姐妹、姻亲、其他.")
                        % {"value": typed})
    return found


class PersonImporter(Importer):
    """Sheets 人员, 工作经历, 亲属关系; see docs/import-format.md."""

    kind = "people"
    model = Person
    sheets = (
        (c.PEOPLE_SHEET, c.PEOPLE_COLUMNS, True),
        (c.WORK_SHEET, c.WORK_COLUMNS, False),
        (c.RELATIVES_SHEET, c.RELATIVE_COLUMNS, False),
    )
    FIELDS = ("name", "gender", "birth_date", "organization_id", "post", "phone")

    def validate(self) -> None:
        self.index = OrgIndex.from_rows(list(
            Organization.objects.filter(committee=self.committee).values_list(
                "id", "name", "name_key", "parent_id")))
        self._org_cache: dict[str, Any] = {}
        self.existing = {p["id"]: p for p in Person.objects.filter(committee=self.committee).values(
            "id", "name", "name_key", "gender", "birth_date", "organization_id", "post", "phone")}
        self.total = sum(len(sheet.rows) for sheet in self.data.values())
        self.done = 0
        self.rows = self._people()
        self._check_duplicates()
        by_seq = {row.seq: row for row in self.rows if row.seq is not None}
        self.work = self._work_history(by_seq)
        self.relatives = self._relatives(by_seq)
        old_work, old_relatives = self._registered_details()
        self.replace_work = {key for key, entries in self.work.items()
                             if not isinstance(key, int) or old_work.get(key, []) != entries}
        self.replace_relatives = {key for key, entries in self.relatives.items()
                                  if not isinstance(key, int) or old_relatives.get(key, []) != entries}
        for row in self.rows:
            if row.pk is None:
                self.result.created += 1
            elif self._changed(row):
                self.result.updated += 1
            else:
                self.result.unchanged += 1
        self.result.details = {
            "work_history": sum(len(self.work[k]) for k in self.replace_work),
            "relatives": sum(len(self.relatives[k]) for k in self.replace_relatives),
        }

    def _tick(self) -> None:
        self.done += 1
        self.tick(self.done, self.total)

    def _organization(self, typed: str) -> tuple[int | None, str | None]:
        """(organization id, None) or (None, why it was not found)."""
        if typed not in self._org_cache:
            try:
                self._org_cache[typed] = (self.index.resolve(typed), None)
            except Unresolved as exc:
                self._org_cache[typed] = (None, str(exc))
        return self._org_cache[typed]

    def _people(self) -> list[PersonRow]:
        sheet = self.data[c.PEOPLE_SHEET].name
        parsed: list[PersonRow] = []
        first_of_id: dict[int, int] = {}
        first_of_seq: dict[int, int] = {}
        for number, cells in self.data[c.PEOPLE_SHEET].rows:
            self._tick()
            row = PersonRow(number)
            row.pk = self.cell(sheet, number, c.ID, integer, cells[c.ID])
            row.seq = self.cell(sheet, number, c.SEQ, integer, cells[c.SEQ])
            row.name = self.cell(sheet, number, c.PERSON_NAME, clean_name,
                                 text(cells[c.PERSON_NAME]), max_length=50) or ""
            row.gender = self.cell(sheet, number, c.GENDER, _gender, cells[c.GENDER]) or ""
            row.birth_date = self.cell(sheet, number, c.BIRTH_DATE, _birth_date, cells[c.BIRTH_DATE])
            org_text = text(cells[c.PERSON_ORG])
            if org_text:
                row.organization_id, problem = self._organization(org_text)
                if problem:
                    self.error(sheet, number, c.PERSON_ORG, problem)
            row.post = self.cell(sheet, number, c.POST, _short_text, cells[c.POST], 100) or ""
            row.phone = self.cell(sheet, number, c.PHONE, clean_phone, text(cells[c.PHONE])) or ""
            if row.pk is not None:
                if row.pk not in self.existing:
                    self.error(sheet, number, c.ID, _("No person with 系统编号 %(id)s in this "
                                                      "committee.") % {"id": row.pk})
                    row.pk = None
                elif row.pk in first_of_id:
                    self.error(sheet, number, c.ID, _("系统编号 %(id)s is also in row %(row)d.")
                               % {"id": row.pk, "row": first_of_id[row.pk]})
                    row.pk = None
                else:
                    first_of_id[row.pk] = number
            if row.seq is not None:
                if row.seq in first_of_seq:
                    self.error(sheet, number, c.SEQ, _("序号 %(seq)s is also in row %(row)d.")
                               % {"seq": row.seq, "row": first_of_seq[row.seq]})
                else:
                    first_of_seq[row.seq] = number
            row.key = row.pk if row.pk is not None else ("row", number)
            parsed.append(row)
        return parsed

    def _check_duplicates(self) -> None:
        sheet = self.data[c.PEOPLE_SHEET].name
        in_file = {row.pk for row in self.rows if row.pk is not None}
        taken = {(p["name_key"], p["birth_date"], p["organization_id"]): pk
                 for pk, p in self.existing.items() if pk not in in_file}
        seen: dict[tuple, int] = {}
        for row in self.rows:
            if not row.name:
                continue
            slot = (match_key(row.name), row.birth_date, row.organization_id)
            if slot in seen:
                self.error(sheet, row.number, c.PERSON_NAME,
                           _("Duplicate: row %(row)d has the same name, birth date and "
                             "organization.") % {"row": seen[slot]})
            elif slot in taken:
                self.error(sheet, row.number, c.PERSON_NAME,
                           _("Duplicate of an existing record (系统编号 %(id)s); to change it, "
                             "fill in its 系统编号.") % {"id": taken[slot]})
            else:
                seen[slot] = row.number

    def _owner(self, sheet: str, number: int, cells: dict, by_seq: dict) -> PersonRow | None:
        seq = self.cell(sheet, number, c.PERSON_SEQ, integer, cells[c.PERSON_SEQ])
        if seq is None:
            if text(cells[c.PERSON_SEQ]) == "":
                self.error(sheet, number, c.PERSON_SEQ, _("The 人员序号 is missing."))
            return None
        owner = by_seq.get(seq)
        if owner is None:
            self.error(sheet, number, c.PERSON_SEQ,
                       _("No row of sheet 人员 has 序号 %(seq)s.") % {"seq": seq})
        return owner

    def _place(self, sheet: str, number: int, value: object, *, required: bool) -> tuple:
        """(organization id, free-text name) of a 工作单位 cell."""
        typed = text(value)
        if not typed:
            if required:
                self.error(sheet, number, c.WORK_ORG, _("The organization is missing."))
            return None, ""
        org_id, _problem = self._organization(typed)
        if org_id is not None:
            return org_id, ""
        if len(typed) > 100:
            self.error(sheet, number, c.WORK_ORG, _("Longer than %(max)d characters.") % {"max": 100})
        return None, typed[:100]

    def _work_history(self, by_seq: dict) -> dict[Hashable, list[tuple]]:
        entries: dict[Hashable, list[tuple]] = {}
        data = self.data.get(c.WORK_SHEET)
        if data is None or not data.present:
            return entries
        for number, cells in data.rows:
            self._tick()
            owner = self._owner(data.name, number, cells, by_seq)
            org_id, org_name = self._place(data.name, number, cells[c.WORK_ORG], required=True)
            post = self.cell(data.name, number, c.POST, _short_text, cells[c.POST], 100) or ""
            start = self.cell(data.name, number, c.START, a_date, cells[c.START])
            if start is None and text(cells[c.START]) == "":
                self.error(data.name, number, c.START, _("The start date is missing."))
            end = self.cell(data.name, number, c.END, a_date, cells[c.END])
            if start and end and end < start:
                self.error(data.name, number, c.END, _("The end date is before the start date."))
            if owner is not None and start is not None:
                entries.setdefault(owner.key, []).append((org_id, org_name, post, start, end))
        for found in entries.values():
            found.sort(key=lambda e: (e[3], e[4] or date.max, e[0] or 0, e[1], e[2]))
        return entries

    def _relatives(self, by_seq: dict) -> dict[Hashable, list[tuple]]:
        entries: dict[Hashable, list[tuple]] = {}
        data = self.data.get(c.RELATIVES_SHEET)
        if data is None or not data.present:
            return entries
        for number, cells in data.rows:
            self._tick()
            owner = self._owner(data.name, number, cells, by_seq)
            relation = self.cell(data.name, number, c.RELATION, _relation, cells[c.RELATION])
            name = self.cell(data.name, number, c.RELATIVE_NAME, clean_name,
                             text(cells[c.RELATIVE_NAME]), max_length=50)
            org_id, org_name = self._place(data.name, number, cells[c.WORK_ORG], required=False)
            post = self.cell(data.name, number, c.POST, _short_text, cells[c.POST], 100) or ""
            if owner is not None and relation and name:
                entries.setdefault(owner.key, []).append((relation, name, org_id, org_name, post))
        for found in entries.values():
            found.sort(key=lambda e: (e[0], e[1], e[2] or 0, e[3], e[4]))
        return entries

    def _registered_details(self) -> tuple[dict, dict]:
        """What is registered now for the people whose details the file gives."""
        work: dict[int, list[tuple]] = {}
        relatives: dict[int, list[tuple]] = {}
        if any(isinstance(k, int) for k in self.work):
            for entry in WorkHistory.objects.filter(person__committee=self.committee).values_list(
                    "person_id", "organization_id", "organization_name", "post", "start_date",
                    "end_date"):
                work.setdefault(entry[0], []).append(tuple(entry[1:]))
        if any(isinstance(k, int) for k in self.relatives):
            for entry in Relative.objects.filter(person__committee=self.committee).values_list(
                    "person_id", "relation", "name", "organization_id", "organization_name", "post"):
                relatives.setdefault(entry[0], []).append(tuple(entry[1:]))
        for found in work.values():
            found.sort(key=lambda e: (e[3], e[4] or date.max, e[0] or 0, e[1], e[2]))
        for found in relatives.values():
            found.sort(key=lambda e: (e[0], e[1], e[2] or 0, e[3], e[4]))
        return work, relatives

    def _values(self, row: PersonRow) -> dict[str, Any]:
        return {"name": row.name, "gender": row.gender, "birth_date": row.birth_date,
                "organization_id": row.organization_id, "post": row.post, "phone": row.phone}

    def _changed(self, row: PersonRow) -> bool:
        old = self.existing[row.pk]
        return (any(old[f] != v for f, v in self._values(row).items())
                or row.key in self.replace_work or row.key in self.replace_relatives)

    @staticmethod
    def _person(row: PersonRow, **extra: Any) -> Person:
        return Person(name_key=match_key(row.name), pinyin=pinyin_initials(row.name)[:50],
                      stroke_key=stroke_sort_key(row.name), name=row.name, gender=row.gender,
                      birth_date=row.birth_date, organization_id=row.organization_id,
                      post=row.post, phone=row.phone, **extra)

    def write(self) -> None:
        ids: dict[Hashable, int] = {row.key: row.pk for row in self.rows if row.pk is not None}
        new_rows = [row for row in self.rows if row.pk is None]
        created = Person.objects.bulk_create(
            [self._person(row, committee=self.committee) for row in new_rows], batch_size=BATCH)
        for row, person in zip(new_rows, created, strict=True):
            ids[row.key] = person.pk
        now = timezone.now()
        changed = [self._person(row, pk=row.pk, committee_id=self.committee.pk, updated_at=now)
                   for row in self.rows if row.pk is not None and self._changed(row)]
        Person.objects.bulk_update(
            changed, [f.removesuffix("_id") for f in self.FIELDS]
            + ["name_key", "pinyin", "stroke_key", "updated_at"], batch_size=BATCH)

        replaced = [ids[k] for k in self.replace_work if isinstance(k, int)]
        for start in range(0, len(replaced), 500):
            WorkHistory.objects.filter(person_id__in=replaced[start:start + 500]).delete()
        WorkHistory.objects.bulk_create(
            [WorkHistory(person_id=ids[key], organization_id=org_id, organization_name=org_name,
                         post=post, start_date=start, end_date=end)
             for key in self.replace_work for org_id, org_name, post, start, end in self.work[key]],
            batch_size=BATCH)
        replaced = [ids[k] for k in self.replace_relatives if isinstance(k, int)]
        for start in range(0, len(replaced), 500):
            Relative.objects.filter(person_id__in=replaced[start:start + 500]).delete()
        Relative.objects.bulk_create(
            [Relative(person_id=ids[key], relation=relation, name=name, organization_id=org_id,
                      organization_name=org_name, post=post)
             for key in self.replace_relatives
             for relation, name, org_id, org_name, post in self.relatives[key]],
            batch_size=BATCH)
