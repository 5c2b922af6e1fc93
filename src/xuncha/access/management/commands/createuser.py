from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from xuncha.access import policy, services
from xuncha.access.roles import SystemRole
from xuncha.registry.models import Committee, Organization


class Command(BaseCommand):
    help = "Create an account, optionally with a system role (三员) or a business role in a scope."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--password", help="initial password (generated when omitted)")
        parser.add_argument("--system-role", choices=[r for r in SystemRole.values if r], default="")
        parser.add_argument("--role", help="business role, e.g. office_admin")
        parser.add_argument("--committee", help="committee name for --role")
        parser.add_argument("--organization", help="organization name for unit roles")

    def handle(self, *args, **opts):
        try:
            user, password = services.user_create(
                actor=policy.CONSOLE, username=opts["username"], full_name=opts["name"],
                password=opts["password"], system_role=opts["system_role"],
            )
            if opts["role"]:
                committee = organization = None
                if opts["organization"]:
                    organization = Organization.objects.filter(name=opts["organization"]).first()
                    if organization is None:
                        raise CommandError(f"no organization named {opts['organization']}")
                    committee = organization.committee
                elif opts["committee"]:
                    committee = Committee.objects.filter(name=opts["committee"]).first()
                if committee is None:
                    raise CommandError("--role needs --committee or --organization")
                services.role_grant(actor=policy.CONSOLE, user=user, role=opts["role"],
                                    committee=committee, organization=organization)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"created {user.username}; initial password: {password} (must be changed at first login)")
