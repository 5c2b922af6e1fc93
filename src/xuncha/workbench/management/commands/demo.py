from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from xuncha.demo import DEFAULT_SEED, accounts, county, make_plan
from xuncha.registry.models import Committee


class Command(BaseCommand):
    help = ("Build an invented demo county (committees, organizations, people, two terms of "
            "inspection rounds with their groups, pool and fieldwork, and one account per role) "
            "into an empty database, and print the accounts.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"random seed; the same seed builds the same county (default {DEFAULT_SEED})")
        parser.add_argument("--if-empty", action="store_true",
                            help="build only when the database has no committee; otherwise show "
                                 "the accounts of an earlier demo and stop")
        parser.add_argument("--quiet", action="store_true", help="no progress lines")

    def handle(self, *args, **opts):
        data_dir = Path(settings.DATA_DIR)
        if Committee.objects.exists():
            if not opts["if_empty"]:
                raise CommandError(
                    "The database already holds committees: the demo builds only into an empty "
                    "database. Use a fresh XUNCHA_DATA_DIR (or --if-empty to just show the demo "
                    "accounts)."
                )
            rows = accounts.read(data_dir)
            if rows is None:
                self.stdout.write("The database already holds data; no demo was built.")
            else:
                self._show(rows, heading="The database already holds the demo county. Its accounts:")
            return

        progress = (lambda message: None) if opts["quiet"] else self.stdout.write
        progress(f"Building the demo county (seed {opts['seed']}) …")
        try:
            result = county.build(make_plan(opts["seed"]), data_dir=data_dir, progress=progress)
        except county.DemoRefused as exc:
            raise CommandError(f"The demo was not built: {exc}.") from None
        except ValidationError as exc:
            raise CommandError("The demo was not built: " + "; ".join(exc.messages)) from None
        except OSError as exc:
            raise CommandError(f"The demo was not built: cannot write the accounts file: {exc}") from None
        progress(f"Done in {result.seconds:.1f} s: {result.organizations} organizations, "
                 f"{result.people} people, {result.terms} terms with {result.rounds} rounds and "
                 f"{result.groups} groups, {result.inspectors} inspectors in the pool.")
        progress(f"Accounts saved in {accounts.path(data_dir)}")
        self._show(result.accounts, heading="Demo accounts:")

    def _show(self, rows, *, heading: str) -> None:
        self.stdout.write(heading)
        self.stdout.write(accounts.table(rows))
        self.stdout.write(f"Open {accounts.URL} and sign in with one of these accounts.")
