"""``luoshi-web digest [--send] [--unit REGISTRY_ID] [--channel NAME] [--resend]``: each unit's
unread reminders (催办) as one message; printed, or with ``--send`` delivered through the
notification channels (``LUOSHI_NOTIFY``) and logged. Run it daily."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from luoshi_web.documents.models import Unit
from luoshi_web.notify import channel, configured_channels
from luoshi_web.notify.registry import UnknownChannel
from luoshi_web.supervision.actions import digests, send_digests


class Command(BaseCommand):
    help = "Send (or show) each unit's digest of unread reminders"

    def add_arguments(self, parser):
        parser.add_argument("--send", action="store_true", help="deliver, not only print")
        parser.add_argument("--unit", action="append", help="a unit's registry id (repeatable)")
        parser.add_argument("--channel", action="append", help="email, sms or dingtalk")
        parser.add_argument("--resend", action="store_true", help="also reminders delivered before")

    def handle(self, *args, **options):
        units = None
        if options["unit"]:
            units = list(Unit.objects.filter(registry_id__in=options["unit"]))
            missing = set(options["unit"]) - {u.registry_id for u in units}
            if missing:
                raise CommandError(f"unknown unit: {', '.join(sorted(missing))}")
        try:
            channels = (
                [channel(name) for name in options["channel"]]
                if options["channel"]
                else configured_channels()
            )
        except UnknownChannel as exc:
            raise CommandError(str(exc)) from exc
        if not options["send"]:
            found = digests(units)
            for digest in found:
                self.stdout.write(f"== {digest.unit.name} ({digest.unit.registry_id})")
                for c in channels:
                    address = c.address_for(digest.unit, digest.users)
                    self.stdout.write(f"   {c.name}: {address or '没有地址（账户未设置）'}")
                self.stdout.write(digest.body)
                self.stdout.write("")
            self.stdout.write(f"{len(found)} digest(s); add --send to deliver them")
            return
        logs = send_digests(None, units, channels, resend=options["resend"])
        for log in logs:
            state = "sent" if log.ok else f"NOT sent: {log.detail}"
            unit = log.unit.name if log.unit else ""
            self.stdout.write(f"{unit} · {log.channel} → {log.recipient or '—'} · {state}")
        ok = sum(1 for log in logs if log.ok)
        self.stdout.write(f"{ok} of {len(logs)} delivered")
