"""``luoshi-web serve``: gunicorn (2 workers) on 127.0.0.1:$PORT, default 8000; Django's
runserver when gunicorn is not installed. Beside it ``luoshi-web schedule`` turns the lights
each night (``--no-schedule``: not), and ends with the server."""

import contextlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve luoshi on http://127.0.0.1:$PORT (default 8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--no-schedule", action="store_true", help="no nightly lights (cron runs them)"
        )

    def handle(self, *args, host, port, workers, no_schedule=False, **options):
        accounts = Path(settings.DATA_DIR) / "demo-accounts.csv"
        with contextlib.suppress(ValueError):  # shown relative to where the user is
            accounts = accounts.relative_to(Path.cwd())
        self.stdout.write(
            f'luoshi is serving on http://{host}:{port} — log in as "office" with the password '
            f"in {accounts}"
        )
        self.stdout.flush()
        if not no_schedule:
            # our pid stays the server's (exec below): the schedule ends when it ends
            command = [sys.executable, "-m", "luoshi_web.manage", "schedule"]
            subprocess.Popen([*command, "--parent", str(os.getpid())])
        if importlib.util.find_spec("gunicorn") is not None:
            argv = [
                sys.executable,
                "-m",
                "gunicorn",
                "luoshi_web.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ]
            os.execv(sys.executable, argv)
        call_command("runserver", f"{host}:{port}", "--noreload")
