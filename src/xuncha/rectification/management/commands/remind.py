"""`xuncha remind [--today YYYY-MM-DD] [--dry-run]`: e-mail the owners of rectification deadlines
at a warning level today, once per level (see xuncha.rectification.reminders). Run it daily
(cron or a systemd timer)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from xuncha.rectification import reminders


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today {value!r} is not a date such as 2024-08-20") from None


class Command(BaseCommand):
    help = "E-mail reminders of rectification deadlines (tasks, progress reports, disclosures, transfers)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, default=None, help="Remind as on this day (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send and record nothing.")

    def handle(self, *args, **opts):
        today = _day(opts["today"]) if opts["today"] else None
        dry_run = opts["dry_run"]
        if not reminders.enabled():
            self.stdout.write("e-mail is off (XUNCHA_SMTP_HOST is not set): deadlines are shown as to-dos in the "
                              "app only; no e-mail is sent")
            if not dry_run:
                return
        tallies = reminders.run(today=today, dry_run=dry_run, progress=self.stdout.write)
        if dry_run:
            for tally in tallies.values():
                for address, subject in tally.messages:
                    self.stdout.write(f"  would send to {address}: {subject}")
        total = sum(t.sent for t in tallies.values())
        self.stdout.write(f"{total} e-mail{'s' if total != 1 else ''} {'to send (dry run)' if dry_run else 'sent'}")
