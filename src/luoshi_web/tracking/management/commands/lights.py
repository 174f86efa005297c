"""``luoshi-web lights``: recompute the status and light of the tasks whose lights time can
still change (run daily, as ``luoshi-web serve`` does by itself); ``--all`` for every document."""

from django.core.management.base import BaseCommand

from luoshi_web.documents.models import Document
from luoshi_web.tracking.lights import moving_documents, refresh_document


class Command(BaseCommand):
    help = (
        "Recompute status and light (the rules in tracking/lights.py) of the documents whose "
        "periods fell due in the last 40 days or whose time still runs; --all for every one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every document, however old")

    def handle(self, *args, all=False, **options):
        documents = Document.objects.order_by("year", "id") if all else moving_documents()
        count = changed = 0
        for document in documents.iterator():
            changed += refresh_document(document)
            count += 1
        self.stdout.write(f"lights: {changed} task(s) changed in {count} document(s)")
