"""``luoshi-web import FILE...``: import notices (each one atomic; a refused file does not stop
the others; exit status 1 when any was refused)."""

from django.core.management.base import BaseCommand, CommandError

from luoshi_web.documents.importing import ImportRefused, import_notice
from luoshi_web.documents.models import Document


class Command(BaseCommand):
    help = "Import breakdown notices (text, Markdown, HTML, PDF, DOCX)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument(
            "--period",
            choices=[Document.MONTHLY, Document.QUARTERLY],
            default=Document.MONTHLY,
            help="reporting periods of the document (default: monthly)",
        )

    def handle(self, *args, files, period, **options):
        refused = 0
        for name in files:
            try:
                document = import_notice(name, None, period_kind=period)
            except ImportRefused as exc:
                refused += 1
                self.stderr.write(f"{name}: {exc.reason}")
                continue
            tasks = sum(s.tasks.count() for p in document.parts.all() for s in p.sections.all())
            self.stdout.write(
                f"{name}: imported {document} ({document.year}, {tasks} tasks, "
                f"{document.warnings.count()} warnings, sha256 {document.sha256[:12]})"
            )
        if refused:
            raise CommandError(f"{refused} of {len(files)} file(s) not imported", returncode=1)
