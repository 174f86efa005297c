"""What runs by itself while luoshi serves (``luoshi-web serve`` starts ``luoshi-web schedule``
beside gunicorn): the lights each night, because time turns them — a period falls due, a task's
time runs on — and, when the office sets a time, each unit's digest of unread reminders.

==========================  ==============  ====================================================
setting (environment)       default         what
==========================  ==============  ====================================================
``LUOSHI_LIGHTS_AT``        ``00:30``       ``luoshi-web lights`` daily at this local time, and
                                            once when the schedule starts; empty: never
``LUOSHI_DIGEST_AT``        empty (never)   ``luoshi-web digest --send`` on working days
                                            (Monday–Friday) at this local time
==========================  ==============  ====================================================

Times are ``TIME_ZONE``'s (Asia/Shanghai). A job that fails is logged and tried again at its
next time; the schedule ends when the server that started it has gone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

log = logging.getLogger("luoshi.schedule")


@dataclass(frozen=True)
class Job:
    name: str
    command: tuple[str, ...]  # a luoshi-web command and its arguments
    at: time
    weekdays_only: bool = False

    def next_after(self, moment: datetime) -> datetime:
        """The first time this job is due strictly after ``moment`` (an aware datetime)."""
        day = moment.date()
        while True:
            candidate = datetime.combine(day, self.at, tzinfo=moment.tzinfo)
            if candidate > moment and (not self.weekdays_only or candidate.weekday() < 5):
                return candidate
            day += timedelta(days=1)


def parse_at(value: str, setting: str) -> time | None:
    """``"00:30"`` → 00:30; empty → None (the job is off). Anything else is refused by name."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(
            f"{setting}={value!r}: 应为 HH:MM 形式的时间（如 00:30），或留空以关闭"
        ) from exc


def jobs(lights_at: str, digest_at: str) -> list[Job]:
    out = []
    at = parse_at(lights_at, "LUOSHI_LIGHTS_AT")
    if at is not None:
        out.append(Job("lights", ("lights",), at))
    at = parse_at(digest_at, "LUOSHI_DIGEST_AT")
    if at is not None:
        out.append(Job("digest", ("digest", "--send"), at, weekdays_only=True))
    return out


def due(plan: list[Job], last: datetime, now: datetime) -> list[Job]:
    """The jobs due in (``last``, ``now``]: each once, however long the pause was (a machine
    that slept through two nights refreshes the lights once, not twice)."""
    return [job for job in plan if job.next_after(last) <= now]
