"""``luoshi-web lights``: recompute every task's status and light (run daily: time passes)."""

from django.core.management.base import BaseCommand

from luoshi_web.documents.models import Document
from luoshi_web.tracking.lights import refresh_document


class Command(BaseCommand):
    help = "Recompute status and light of every task (the rules in tracking/lights.py)."

    def handle(self, *args, **options):
        changed = sum(refresh_document(d) for d in Document.objects.all())
        self.stdout.write(f"lights: {changed} task(s) changed")
