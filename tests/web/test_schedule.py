"""The schedule ``luoshi-web serve`` starts beside the server: the lights each night (and once at
start-up), the reminder digest on working days when the office sets a time; each job once per
pause however long it was; times refused by name when they are not times."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from luoshi_web.operations.schedule import due, jobs

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def test_the_lights_run_each_night_and_the_digest_on_working_days_when_set():
    plan = jobs("00:30", "08:30")
    lights, digest = plan
    assert lights.next_after(at("2026-11-23 00:29")) == at("2026-11-23 00:30")
    assert lights.next_after(at("2026-11-23 00:30")) == at("2026-11-24 00:30")
    # Friday 2026-11-27 09:00: the next digest is Monday, not Saturday
    assert digest.next_after(at("2026-11-27 09:00")) == at("2026-11-30 08:30")
    assert [j.name for j in due(plan, at("2026-11-27 09:00"), at("2026-11-28 09:00"))] == ["lights"]
    assert [j.name for j in due(plan, at("2026-11-30 08:00"), at("2026-11-30 08:31"))] == ["digest"]


def test_a_long_pause_runs_each_job_once():
    plan = jobs("00:30", "08:30")
    assert [j.name for j in due(plan, at("2026-11-20 12:00"), at("2026-11-25 12:00"))] == [
        "lights",
        "digest",
    ]
    assert due(plan, at("2026-11-25 12:00"), at("2026-11-25 12:00")) == []


def test_no_digest_unless_a_time_is_set_and_a_bad_time_is_named():
    assert [j.name for j in jobs("00:30", "")] == ["lights"]
    assert jobs("", "") == []
    with pytest.raises(ValueError, match="LUOSHI_DIGEST_AT='8点半'"):
        jobs("00:30", "8点半")


@pytest.mark.django_db
def test_the_schedule_turns_the_lights_at_start_up(settings, capsys):
    settings.LUOSHI_LIGHTS_AT = "00:30"
    call_command("schedule", "--once")
    assert "lights:" in capsys.readouterr().out
    settings.LUOSHI_LIGHTS_AT = "25:00"
    with pytest.raises(CommandError, match="LUOSHI_LIGHTS_AT"):
        call_command("schedule", "--once")


def test_the_schedule_ends_when_the_server_that_started_it_ends(tmp_path):
    """A parent that starts ``schedule --parent <its pid>`` and goes: the schedule follows."""
    env = {
        **os.environ,
        "LUOSHI_DATA_DIR": str(tmp_path),
        "LUOSHI_LIGHTS_AT": "",  # nothing to run: only the watching is tested
        "SECRET_KEY": "schedule-test-" + "x" * 40,
    }
    env.pop("DATABASE_URL", None)
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, subprocess, sys, time\n"
            "child = subprocess.Popen([sys.executable, '-m', 'luoshi_web.manage', 'schedule',"
            " '--parent', str(os.getpid())])\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(2)\n",
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(parent.stdout.readline())
    assert _running(child)
    parent.wait(timeout=30)
    for _ in range(100):
        if not _running(child):
            break
        time.sleep(0.1)
    assert not _running(child)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a child that ended but was not reaped yet is a zombie: it no longer runs
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
