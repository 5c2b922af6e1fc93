"""`xuncha normalize`: the text normalizer as a filter, stdin to stdout, line by line."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from xuncha.text import match_key, normalize


class Command(BaseCommand):
    help = ("Read text from standard input and write it normalized to standard output, line by "
            "line: full-width forms folded, pinyin annotations removed, traditional characters "
            "simplified, spaces collapsed.")

    # A text filter: no database, no URL configuration to check.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--key", action="store_true",
                            help="write the matching key instead (no spaces, case-folded)")

    def handle(self, *args, **opts):
        convert = match_key if opts["key"] else normalize
        stdin = getattr(self, "stdin", None) or sys.stdin
        for line in stdin:
            ending = "\n" if line.endswith("\n") else ""
            self.stdout.write(convert(line.rstrip("\r\n")), ending=ending)
        self.stdout.flush()
