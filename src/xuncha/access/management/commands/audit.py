from django.core.management.base import BaseCommand, CommandError

from xuncha.access import audit


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` recomputes the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["verify"])

    def handle(self, *args, **opts):
        result = audit.verify()
        if not result.ok:
            raise CommandError(
                f"audit chain broken at event {result.broken_seq}: {result.reason} "
                f"({result.checked} events before it are intact)"
            )
        self.stdout.write(f"audit chain intact: {result.checked} events")
