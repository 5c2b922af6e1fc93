"""What the import and export commands share: choosing the committee, a progress line."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from xuncha.registry.models import Committee
from xuncha.text import match_key


def speak_the_installation_language() -> None:
    # Commands otherwise run untranslated; the office reads the same messages as on the page.
    translation.activate(settings.LANGUAGE_CODE)


def committee_named(name: str | None) -> Committee:
    """The committee given by --committee (name, short name or id); may be left out when the
    installation has only one."""
    committees = list(Committee.objects.all())
    if not committees:
        raise CommandError(_("There is no committee yet; create one first."))
    if not name:
        if len(committees) == 1:
            return committees[0]
        raise CommandError(_("Several committees exist; choose one with --committee: %(names)s")
                           % {"names": "、".join(c.name for c in committees)})
    key = match_key(name)
    found = [c for c in committees
             if str(c.pk) == name.strip() or match_key(c.name) == key
             or (c.short_name and match_key(c.short_name) == key)]
    if len(found) != 1:
        raise CommandError(_("No single committee is named “%(name)s”; the committees are: %(names)s")
                           % {"name": name, "names": "、".join(c.name for c in committees)})
    return found[0]


class ProgressLine:
    """"rows checked: 12000/20000" on stderr, rewritten in place on a terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        line = _("rows checked: %(done)d/%(total)d") % {"done": done, "total": total}
        if getattr(self.stream, "isatty", lambda: False)():
            self.stream.write(f"\r{line}")
        else:
            self.stream.write(f"{line}\n")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown and getattr(self.stream, "isatty", lambda: False)():
            self.stream.write("\n")
