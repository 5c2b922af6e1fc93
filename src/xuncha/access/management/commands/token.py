from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from xuncha.access import policy, services
from xuncha.access.models import User


class Command(BaseCommand):
    help = "API tokens. `token create USERNAME [--name NAME]` prints a new bearer token once."

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, **opts):
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"no account named {opts['username']}")
        try:
            _, key = services.token_create(actor=policy.CONSOLE, user=user, name=opts["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(key)
