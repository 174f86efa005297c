"""``luoshi-web demo``: units, the bundled sample notices and demo accounts (idempotent)."""

from django.core.management.base import BaseCommand

from luoshi_web.documents.units import load_units
from luoshi_web.operations.demo import accounts_csv, ensure_accounts, import_samples


class Command(BaseCommand):
    help = "Load the unit registry, import the sample notices and create demo accounts."

    def handle(self, *args, **options):
        created, updated = load_units()
        self.stdout.write(f"units: {created} created, {updated} updated")
        imported = import_samples(self.stdout.write)
        self.stdout.write(f"sample notices: {imported} imported")
        accounts, changed = ensure_accounts()
        self.stdout.write(
            f"demo accounts: {len(accounts)} ({changed} new or reset), "
            f"passwords in {accounts_csv()}"
        )
