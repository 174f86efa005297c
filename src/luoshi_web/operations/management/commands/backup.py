"""``luoshi-web backup [FILE]``: the database and the stored files in one zip."""

from pathlib import Path

from django.core.management.base import BaseCommand

from luoshi_web.operations.backup import backup, default_name


class Command(BaseCommand):
    help = "Back up the database and the stored files into one zip (default under var/backups/)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")

    def handle(self, *args, file, **options):
        target = Path(file) if file else default_name()
        manifest = backup(target)
        rows = sum(manifest["counts"].values())
        files = len(manifest["members"]) - 1
        self.stdout.write(f"backup written to {target}: {rows} rows, {files} files")
