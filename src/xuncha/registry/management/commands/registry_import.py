"""`xuncha import orgs|people FILE [--dry-run] [--committee NAME]`"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xuncha.access.policy import CONSOLE
from xuncha.registry.io import IMPORTERS, UploadRefused
from xuncha.registry.management.commands._io_common import (
    ProgressLine,
    committee_named,
    speak_the_installation_language,
)

SHOWN_IN_ERROR = 50


def describe(error) -> str:
    where = _("row %(row)d") % {"row": error.row} if error.row else ""
    return " ".join(part for part in (error.sheet, where, error.column) if part) + f": {error.message}"


class Command(BaseCommand):
    help = ("Import organizations or people from an Excel workbook (see docs/import-format.md). "
            "Nothing is written when any row has an error; the exit status is then non-zero.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true",
                            help="check the file and report what would happen; write nothing")
        parser.add_argument("--committee", help="the committee to import into (name or id)")

    def handle(self, *args, **opts):
        speak_the_installation_language()
        committee = committee_named(opts["committee"])
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        progress = ProgressLine(self.stderr._out)
        importer = IMPORTERS[opts["kind"]](actor=CONSOLE, committee=committee,
                                           dry_run=opts["dry_run"], progress=progress,
                                           file_name=path.name)
        try:
            result = importer.run(path)
        except UploadRefused as exc:
            raise CommandError(exc.message) from None
        finally:
            progress.close()
        for notice in result.notices:
            self.stdout.write(describe(notice))
        if result.errors:
            lines = [describe(error) for error in result.errors]
            for line in lines:
                self.stdout.write(line)
            summary = _("%(count)d errors; nothing was imported.") % {"count": len(lines)}
            shown = "\n".join(lines[:SHOWN_IN_ERROR])
            more = "\n…" if len(lines) > SHOWN_IN_ERROR else ""
            raise CommandError(f"{summary}\n{shown}{more}")
        counts = result.counts()
        label = _("Checked, nothing written") if result.dry_run else _("Imported")
        details = "".join(f", {name} {counts[name]}" for name in ("work_history", "relatives")
                          if name in counts)
        self.stdout.write(
            _("%(label)s: %(rows)d rows, %(created)d created, %(updated)d updated, "
              "%(unchanged)d unchanged") % {"label": label, **counts} + details)
