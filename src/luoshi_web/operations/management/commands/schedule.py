"""``luoshi-web schedule``: run the daily jobs (``operations.schedule``) until stopped, or until
the process ``--parent`` has gone; ``--once`` runs the jobs of start-up and ends."""

from __future__ import annotations

import os
import time as clock

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from luoshi_web.operations.schedule import due, jobs, log

POLL_SECONDS = 1  # how soon a due job starts, and the schedule ends after the server


class Command(BaseCommand):
    help = "Run the lights each night (and the reminder digest, when set) while luoshi serves."

    def add_arguments(self, parser):
        parser.add_argument("--parent", type=int, help="end when this process has gone")
        parser.add_argument("--once", action="store_true", help="the start-up run only")

    def handle(self, *args, parent=None, once=False, **options):
        try:
            plan = jobs(settings.LUOSHI_LIGHTS_AT, settings.LUOSHI_DIGEST_AT)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # lights once at start: the server may have been down when they were due
        self._run([j for j in plan if j.name == "lights"])
        if once:
            return
        last = timezone.localtime()
        while parent is None or _alive(parent):
            clock.sleep(POLL_SECONDS)
            now = timezone.localtime()
            self._run(due(plan, last, now))
            last = now

    def _run(self, todo) -> None:
        for job in todo:
            try:
                call_command(*job.command, stdout=self.stdout)
            except Exception:  # a failed job is tried again at its next time
                log.exception("schedule: %s failed", job.name)


def _alive(pid: int) -> bool:
    """Still the child of ``pid``: when the server that started us ends, we are handed to
    another parent."""
    return os.getppid() == pid
