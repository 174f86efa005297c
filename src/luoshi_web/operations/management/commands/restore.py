"""``luoshi-web restore FILE [--force]``: restore a backup into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from luoshi_web.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup zip (into an empty database unless --force, which replaces it)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="replace the current data")

    def handle(self, *args, file, force, **options):
        try:
            manifest = restore(Path(file), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"restored {file}: {rows} rows, {len(manifest['members']) - 1} files")
