"""`xuncha analyze [--committee ID] [--full]`: find recurring, common and systemic problems —
fingerprint and match the problems added or edited since the last run (every problem with
--full, e.g. after an upgrade of the matching engine), then rebuild the clusters. Every
committee when none is given. Prints progress and what each run did; run it after a round's
problems are confirmed, or nightly (cron or a systemd timer)."""

from django.core.management.base import BaseCommand, CommandError

from xuncha.access.policy import CONSOLE
from xuncha.analytics import services_detection
from xuncha.registry.models import Committee


class Command(BaseCommand):
    help = "Find recurring and common problems (near-duplicates) and rebuild the clusters."

    def add_arguments(self, parser):
        parser.add_argument("--committee", type=int, default=None, help="Only this committee (its id).")
        parser.add_argument("--full", action="store_true", help="Fingerprint and match every problem again.")

    def handle(self, *args, **opts):
        committees = Committee.objects.order_by("path", "id")
        if opts["committee"] is not None:
            committees = committees.filter(pk=opts["committee"])
            if not committees.exists():
                raise CommandError(f"no committee with id {opts['committee']}")
        for committee in committees:
            self.stdout.write(f"{committee.name} (#{committee.pk}): {'full run' if opts['full'] else 'incremental'}")

            def progress(done: int, total: int) -> None:
                if total:
                    self.stdout.write(f"  matched {done}/{total}")

            result = services_detection.run_detection(actor=CONSOLE, committee=committee, full=opts["full"],
                                                      progress=progress)
            self.stdout.write(
                f"  {result.problems} problems, {result.fingerprinted} fingerprinted, {result.matched} matched, "
                f"{result.pairs} pairs stored ({result.removed} replaced, {result.relations} relations updated), "
                f"{result.clusters} clusters ({result.clusters_written} written, {result.clusters_deleted} removed) "
                f"in {result.seconds:.2f} s")
