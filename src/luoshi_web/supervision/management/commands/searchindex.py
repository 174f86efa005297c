"""``luoshi-web searchindex [--rebuild]``: repair the search index. Rows are written when tasks
are (``supervision.signals``), so this is for what bypassed the ORM: index the tasks that have no
row yet (or a row without its year), or with ``--rebuild`` every task again (after a parser
change to how tasks read, or a damaged index). Both read every task; a search never does."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from luoshi_web.supervision.search import index_missing, rebuild_index


class Command(BaseCommand):
    help = "Index tasks for full-text search"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="index every task again")

    def handle(self, *args, **options):
        count = rebuild_index() if options["rebuild"] else index_missing()
        self.stdout.write(f"indexed {count} task(s)")
