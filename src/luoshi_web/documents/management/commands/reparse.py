"""``luoshi-web reparse [--all | ID...]``: read stored documents again with the current parser."""

from django.core.management.base import BaseCommand, CommandError

from luoshi_web.documents.importing import ImportRefused, reparse
from luoshi_web.documents.models import Document


class Command(BaseCommand):
    help = "Re-parse stored documents with the current parser, keeping every report."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int)
        parser.add_argument("--all", action="store_true")

    def handle(self, *args, ids, all, **options):
        documents = Document.objects.all() if all else Document.objects.filter(pk__in=ids)
        if not all and not ids:
            raise CommandError("name document ids or --all")
        for document in documents:
            try:
                summary = reparse(document)
            except ImportRefused as exc:
                raise CommandError(f"{document}: {exc.reason}") from exc
            self.stdout.write(f"{document}: {summary}")
