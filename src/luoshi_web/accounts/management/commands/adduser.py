"""``luoshi-web adduser USERNAME --password P --role office|leader|unit [--unit U] [--leader L]``"""

import os

from django.core.management.base import BaseCommand, CommandError

from luoshi_web.accounts.actions import AccountError, create_user, find_leader, find_unit


class Command(BaseCommand):
    help = "Create a user with a role: office, leader (--leader NAME) or unit (--unit NAME|ID)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--password", help="the password (default: $LUOSHI_PASSWORD; never echoed)"
        )
        parser.add_argument("--role", required=True, choices=["office", "leader", "unit"])
        parser.add_argument("--unit", help="unit name or registry id (role unit)")
        parser.add_argument("--leader", help="leader name (role leader)")
        parser.add_argument("--name", default="", help="the person's name, shown on the pages")

    def handle(self, *args, username, password, role, unit, leader, name, **options):
        password = password or os.environ.get("LUOSHI_PASSWORD")
        if not password:
            raise CommandError("give --password (or set LUOSHI_PASSWORD)")
        try:
            user = create_user(
                username,
                password,
                role,
                unit=find_unit(unit) if unit else None,
                leader=find_leader(leader) if leader else None,
                first_name=name,
            )
        except AccountError as exc:
            raise CommandError(exc.message) from exc
        profile = user.profile
        what = profile.unit or profile.leader or ""
        self.stdout.write(f"created {username} ({role}{' · ' + str(what) if what else ''})")
