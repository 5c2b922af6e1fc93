"""Writes of the rules library: regulations, and versions imported from text or .docx.

Each function checks the policy (the office of the regulation's committee), runs in one
transaction and leaves an audit event. A version is imported whole: the version and every
provision in one transaction, or nothing. A version that a study campaign or a study record
names cannot be deleted (the record would lose what was studied); a regulation with versions
neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xuncha.access import audit
from xuncha.access.policy import CHANGE, CREATE, DELETE, require
from xuncha.regulations.docx_text import UploadRefused, docx_text
from xuncha.regulations.models import Provision, Regulation, RegulationVersion
from xuncha.regulations.parse import ParseError, ParseResult, parse
from xuncha.text.search import search_key

MAX_TEXT = 2_000_000  # characters: a long code of law fits many times over


@dataclass
class ImportResult:
    version: RegulationVersion
    warnings: list[str]
    articles: int
    provisions: int


def _check_regulation(regulation: Regulation) -> None:
    errors: dict[str, list[str]] = {}
    regulation.title = (regulation.title or "").strip()
    regulation.short_title = (regulation.short_title or "").strip()
    regulation.issuer = (regulation.issuer or "").strip()
    if not regulation.title:
        errors["title"] = [_("This field is required.")]
    if not regulation.short_title:
        errors["short_title"] = [_("This field is required.")]
    elif any(ch in regulation.short_title for ch in "()（）《》 "):
        errors["short_title"] = [_("A short title has no brackets or spaces: it is cited as 条例(2024)第三条.")]
    elif (Regulation.objects.filter(committee=regulation.committee_id, short_title=regulation.short_title)
          .exclude(pk=regulation.pk).exists()):
        errors["short_title"] = [_("Another regulation of the committee already has this short title.")]
    if errors:
        raise ValidationError(errors)


def regulation_create(*, actor, committee, title: str, short_title: str, issuer: str = "") -> Regulation:
    regulation = Regulation(committee=committee, title=title, short_title=short_title, issuer=issuer)
    require(actor, CREATE, regulation)
    with transaction.atomic():
        _check_regulation(regulation)
        regulation.save()
        audit.record(actor=actor, action="regulation.create", obj=regulation, summary=regulation.title)
    return regulation


def regulation_update(*, actor, regulation: Regulation, title: str | None = None, short_title: str | None = None,
                      issuer: str | None = None) -> Regulation:
    require(actor, CHANGE, regulation)
    with transaction.atomic():
        regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
        old = {"title": regulation.title, "short_title": regulation.short_title, "issuer": regulation.issuer}
        for name, value in (("title", title), ("short_title", short_title), ("issuer", issuer)):
            if value is not None:
                setattr(regulation, name, value)
        _check_regulation(regulation)
        changed = sorted(name for name, value in old.items() if getattr(regulation, name) != value)
        if changed:
            regulation.save(update_fields=changed)
            audit.record(actor=actor, action="regulation.update", obj=regulation, summary=regulation.title,
                         detail={"fields": changed})
    return regulation


def regulation_delete(*, actor, regulation: Regulation) -> None:
    """Only a regulation without versions."""
    require(actor, DELETE, regulation)
    with transaction.atomic():
        if regulation.versions.exists():
            raise ValidationError(_("Delete the regulation's versions first."))
        audit.record(actor=actor, action="regulation.delete", obj=regulation, summary=regulation.title)
        regulation.delete()


def read_text(*, text: str = "", docx: bytes | None = None) -> tuple[str, str]:
    """(text, source) from pasted text or an uploaded .docx; a ValidationError names the field."""
    if docx:
        try:
            return docx_text(docx), RegulationVersion.Source.DOCX
        except UploadRefused as exc:
            raise ValidationError({"docx": [exc.message]}) from None
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": [_("Paste the text or upload a Word document (.docx).")]})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": [_("The text is too long.")]})
    return text, RegulationVersion.Source.TEXT


def version_preview(*, text: str = "", docx: bytes | None = None) -> tuple[str, ParseResult]:
    """Parse without saving (the import page's preview): (text, result); ValidationError on a
    text that is not a regulation."""
    text, source = read_text(text=text, docx=docx)
    try:
        return text, parse(text)
    except ParseError as exc:
        raise ValidationError({"docx" if source == RegulationVersion.Source.DOCX else "text": [str(exc)]}) from None


def _provisions(version: RegulationVersion, result: ParseResult) -> list[Provision]:
    rows = [Provision(version=version, level=u.level, number=u.number, label=u.label, heading=u.heading[:200],
                      text=u.text, position=position, address=u.address[:80],
                      search_text=search_key(u.label, u.heading, u.text))
            for position, u in enumerate(result.units, start=1)]
    return rows


def version_import(*, actor, regulation: Regulation, label: str, text: str = "", docx: bytes | None = None,
                   doc_number: str = "", issued_on: date | None = None,
                   effective_on: date | None = None) -> ImportResult:
    """A new version of `regulation` from pasted text or .docx bytes, with all its provisions.
    The label is how the version is cited (2024) and is unique within the regulation."""
    version = RegulationVersion(regulation=regulation, label=(label or "").strip(), doc_number=(doc_number or "").strip(),
                                issued_on=issued_on, effective_on=effective_on)
    require(actor, CREATE, version)
    errors: dict[str, list[str]] = {}
    if not version.label:
        errors["label"] = [_("This field is required.")]
    elif any(ch in version.label for ch in "()（）《》 "):
        errors["label"] = [_("A version label has no brackets or spaces: it is cited as 条例(2024)第三条.")]
    elif RegulationVersion.objects.filter(regulation=regulation, label=version.label).exists():
        errors["label"] = [_("The regulation already has a version with this label.")]
    if issued_on and effective_on and effective_on < issued_on:
        errors["effective_on"] = [_("A version cannot come into force before it is issued.")]
    try:
        raw, result = version_preview(text=text, docx=docx)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        raw, result = "", None
    if errors or result is None:
        raise ValidationError(errors)
    version.text = raw
    version.source = RegulationVersion.Source.DOCX if docx else RegulationVersion.Source.TEXT
    version.created_by = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        version.save()
        rows = _provisions(version, result)
        Provision.objects.bulk_create(rows, batch_size=500)
        # bulk_create gives no ids on every backend: link parents by position afterwards.
        ids = dict(Provision.objects.filter(version=version).values_list("position", "pk"))
        updates = []
        for position, unit in enumerate(result.units, start=1):
            if unit.parent is not None:
                updates.append(Provision(pk=ids[position], parent_id=ids[unit.parent + 1]))
        Provision.objects.bulk_update(updates, ["parent"], batch_size=500)
        audit.record(actor=actor, action="regulationversion.import", obj=version, summary=str(version),
                     detail={"source": version.source, "articles": len(result.articles),
                             "provisions": len(rows), "warnings": len(result.warnings)})
    return ImportResult(version=version, warnings=result.warnings, articles=len(result.articles),
                        provisions=len(rows))


def version_update(*, actor, version: RegulationVersion, doc_number: str | None = None,
                   issued_on: date | None = None, effective_on: date | None = None) -> RegulationVersion:
    """The version's particulars; its text is fixed once imported (import a new version instead)."""
    require(actor, CHANGE, version)
    with transaction.atomic():
        version = RegulationVersion.objects.select_for_update().select_related("regulation").get(pk=version.pk)
        if doc_number is not None:
            version.doc_number = doc_number.strip()
        version.issued_on = issued_on if issued_on is not None else version.issued_on
        version.effective_on = effective_on if effective_on is not None else version.effective_on
        if version.issued_on and version.effective_on and version.effective_on < version.issued_on:
            raise ValidationError({"effective_on": [_("A version cannot come into force before it is issued.")]})
        version.save(update_fields=["doc_number", "issued_on", "effective_on"])
        audit.record(actor=actor, action="regulationversion.update", obj=version, summary=str(version))
    return version


def version_delete(*, actor, version: RegulationVersion) -> None:
    """Refused while a study campaign or a study record names the version or one of its articles."""
    require(actor, DELETE, version)
    with transaction.atomic():
        version = RegulationVersion.objects.select_for_update().select_related("regulation").get(pk=version.pk)
        if (version.campaigns.exists() or version.study_activities.exists()
                or Provision.objects.filter(version=version, study_activities__isnull=False).exists()):
            raise ValidationError(_("Study records name this version: it cannot be deleted."))
        audit.record(actor=actor, action="regulationversion.delete", obj=version, summary=str(version))
        version.delete()
