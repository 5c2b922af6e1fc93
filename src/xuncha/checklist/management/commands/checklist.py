"""`xuncha checklist install-defaults | export | import`: the guidance checklist at the console.

    xuncha checklist install-defaults --committee <id|name> [--kind village]
    xuncha checklist export --version <id> --format yaml|xlsx -o FILE
    xuncha checklist import --library <id> FILE      (into the library's draft; one is started if none)
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from xuncha.access.policy import CONSOLE
from xuncha.checklist import io, services
from xuncha.checklist.models import Library, Version
from xuncha.registry.models import Committee, OrganizationKind


def _committee(value: str) -> Committee:
    committee = None
    if value.isdigit():
        committee = Committee.objects.filter(pk=int(value)).first()
    if committee is None:
        matches = list(Committee.objects.filter(name=value)[:2])
        if len(matches) > 1:
            raise CommandError(f"more than one committee is named {value!r}; give its id")
        committee = matches[0] if matches else None
    if committee is None:
        raise CommandError(f"no committee {value!r}")
    return committee


def _messages(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


class Command(BaseCommand):
    help = "Guidance checklist: install the shipped defaults, export a version, import into a draft."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        install = sub.add_parser("install-defaults", help="Install the shipped checklists as version 1.")
        install.add_argument("--committee", required=True, help="Committee id or exact name.")
        install.add_argument("--kind", help="Kind code (village, township, department); all shipped when left out.")
        export = sub.add_parser("export", help="Write a version as YAML or Excel.")
        export.add_argument("--version", dest="version_id", type=int, required=True)
        export.add_argument("--format", choices=["yaml", "xlsx"], default="yaml")
        export.add_argument("-o", "--output", required=True)
        imp = sub.add_parser("import", help="Replace the items of a library's draft by those of a file.")
        imp.add_argument("--library", dest="library_id", type=int, required=True)
        imp.add_argument("file")

    def handle(self, *args, **opts):
        getattr(self, "_" + opts["verb"].replace("-", "_"))(opts)

    def _install_defaults(self, opts):
        committee = _committee(opts["committee"])
        if opts["kind"]:
            codes = [opts["kind"]]
        else:
            codes = [k.code for k in OrganizationKind.objects.order_by("sort_order", "id")
                     if services.shipped_file(k.code)]
            if not codes:
                raise CommandError("no default checklist is shipped")
        failures = 0
        for code in codes:
            if opts["kind"] is None and Library.objects.filter(committee=committee, kind__code=code).exists():
                self.stdout.write(f"{code}: {committee.name} already has a checklist, skipped")
                continue
            try:
                library = services.install_default(actor=CONSOLE, committee=committee, kind_code=code)
            except ValidationError as exc:
                failures += 1
                self.stderr.write(f"{code}: {_messages(exc)}")
                continue
            n = library.versions.get().items.count()
            self.stdout.write(f"{code}: installed {library.name} (library {library.pk}, version 1, {n} items)")
        if failures:
            raise CommandError(f"{failures} of {len(codes)} checklists were not installed")

    def _export(self, opts):
        version = Version.objects.select_related("library__kind").filter(pk=opts["version_id"]).first()
        if version is None:
            raise CommandError(f"no checklist version {opts['version_id']}")
        out = Path(opts["output"])
        if opts["format"] == "xlsx":
            out.write_bytes(io.dump_xlsx(version))
        else:
            out.write_text(io.dump_yaml(version), encoding="utf-8")
        self.stdout.write(f"wrote {version} ({version.items.count()} items) to {out}")

    def _import(self, opts):
        library = Library.objects.select_related("kind").filter(pk=opts["library_id"]).first()
        if library is None:
            raise CommandError(f"no checklist library {opts['library_id']}")
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no file {path}")
        self.stdout.write(f"reading {path} …")
        try:
            parsed = self._parse(path)
        except io.ImportRefused as exc:
            raise CommandError("nothing imported:\n  " + "\n  ".join(exc.messages)) from None
        draft = library.versions.filter(state=Version.State.DRAFT).first()
        try:
            if draft is None:
                draft = services.draft_create(actor=CONSOLE, library=library, note="")
                self.stdout.write(f"started draft version {draft.number}")
            result = services.draft_import(actor=CONSOLE, version=draft, parsed=parsed)
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        levels = ", ".join(f"{io.level_name(level)} {n}" for level, n in sorted(result.by_level.items()))
        self.stdout.write(f"imported {result.items} items into draft version {draft.number} ({levels}); "
                          "publish it on the checklist page")

    def _parse(self, path: Path) -> io.Parsed:
        from xuncha.registry.io.xlsx import ZIP_MAGIC, UploadRefused, check_upload

        with path.open("rb") as handle:
            head = handle.read(4)
        if head == ZIP_MAGIC or path.suffix.lower() in (".xlsx", ".xls"):
            try:
                check_upload(path)
            except UploadRefused as exc:
                raise io.ImportRefused(exc.message) from None
            return io.parse_xlsx(path)
        return io.load_yaml_file(path)
