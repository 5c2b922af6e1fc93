"""`xuncha export orgs|people FILE [--committee NAME]`"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xuncha.access.policy import CONSOLE
from xuncha.registry.io import EXPORTERS
from xuncha.registry.management.commands._io_common import (
    committee_named,
    speak_the_installation_language,
)


class Command(BaseCommand):
    help = "Export a committee's organizations or people to an Excel workbook in the import format."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(EXPORTERS))
        parser.add_argument("file")
        parser.add_argument("--committee", help="the committee to export (name or id)")

    def handle(self, *args, **opts):
        speak_the_installation_language()
        committee = committee_named(opts["committee"])
        path = Path(opts["file"])
        count = EXPORTERS[opts["kind"]](actor=CONSOLE, committee=committee, target=str(path))
        self.stdout.write(_("Exported %(count)d rows to %(path)s.") % {"count": count, "path": path})
