"""``luoshi-web loadunits``: the unit registry as Unit rows (idempotent)."""

from django.core.management.base import BaseCommand

from luoshi_web.documents.units import load_units


class Command(BaseCommand):
    help = "Load the unit registry into the database (safe to run again)."

    def handle(self, *args, **options):
        created, updated = load_units()
        self.stdout.write(f"units: {created} created, {updated} updated")
