"""The ``luoshi-web`` command: through ``call_command`` and as a real process (``luoshi-web`` of
the virtualenv, its own SQLite database in a temporary data directory)."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from luoshi_web.documents.models import Document, Leader, Unit

from conftest import NOTICE_2020, NOTICE_2024, NOTICE_2026

LUOSHI_WEB = Path(sys.executable).with_name("luoshi-web")


def run(*args, data_dir: Path, timeout=300, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(LUOSHI_DATA_DIR=str(data_dir), **env)
    return subprocess.run(
        [str(LUOSHI_WEB), *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        check=False,
    )


@pytest.mark.django_db
def test_adduser_creates_each_role(capsys):
    call_command("adduser", "ban", "--password", "Wq7-jiang-2024", "--role", "office")
    call_command(
        "adduser", "fin", "--password", "Wq7-jiang-2024", "--role", "unit", "--unit", "省财政厅"
    )
    call_command(
        "adduser", "wh", "--password", "Wq7-jiang-2024", "--role", "leader", "--leader", "王浩"
    )
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["ban", "fin", "wh"])
    }
    assert users["ban"].profile.role == "office"
    assert users["fin"].profile.unit.registry_id == "zj-finance"
    assert users["wh"].profile.leader.name == "王浩"
    assert users["fin"].check_password("Wq7-jiang-2024")
    assert not users["fin"].password.startswith("Wq7")


@pytest.mark.django_db
def test_adduser_refuses_an_unknown_unit_a_weak_password_and_a_duplicate():
    with pytest.raises(CommandError, match="没有单位"):
        call_command(
            "adduser", "x", "--password", "Wq7-jiang-2024", "--role", "unit", "--unit", "省不存在局"
        )
    with pytest.raises(CommandError):
        call_command("adduser", "x", "--password", "123", "--role", "office")
    with pytest.raises(CommandError, match="已存在"):
        call_command("adduser", "office", "--password", "Wq7-jiang-2024", "--role", "office")


@pytest.mark.django_db
def test_import_command_imports_and_refuses_a_second_time(capsys):
    call_command("import", str(NOTICE_2026))
    assert "imported 浙政办发〔2026〕4号" in capsys.readouterr().out
    with pytest.raises(CommandError, match="1 of 1"):
        call_command("import", str(NOTICE_2024))
    assert "该文件已导入" in capsys.readouterr().err


@pytest.mark.django_db
def test_demo_loads_everything_once_and_keeps_the_passwords(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo")
    assert Unit.objects.count() == 223
    assert Document.objects.count() == 3
    rows = list(csv.DictReader((tmp_path / "demo-accounts.csv").open(encoding="utf-8")))
    assert list(rows[0])[:4] == ["username", "password", "role", "unit"]
    by_name = {r["username"]: r for r in rows}
    assert by_name["office"]["role"] == "office"
    leaders = [r for r in rows if r["role"] == "leader"]
    assert len(leaders) == Leader.objects.count()  # one per leader
    assert by_name["unit-zj-finance"]["unit"] == "省财政厅"
    User = get_user_model()
    assert User.objects.get(username="unit-zj-finance").check_password(
        by_name["unit-zj-finance"]["password"]
    )
    users = User.objects.count()

    call_command("demo")
    again = list(csv.DictReader((tmp_path / "demo-accounts.csv").open(encoding="utf-8")))
    assert again == rows
    assert User.objects.count() == users
    assert Document.objects.count() == 3


def test_migrate_adduser_and_import_as_real_processes(tmp_path):
    result = run("migrate", "--noinput", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "luoshi.sqlite3").exists()
    result = run("import", NOTICE_2020, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "imported" in result.stdout
    result = run("import", NOTICE_2020, data_dir=tmp_path)
    assert result.returncode == 1
    assert "该文件已导入" in result.stderr
    result = run(
        "adduser",
        "fin",
        "--role",
        "unit",
        "--unit",
        "zj-finance",
        data_dir=tmp_path,
        LUOSHI_PASSWORD="Wq7-jiang-2024",
    )
    assert result.returncode == 0, result.stderr
    assert "Wq7-jiang-2024" not in result.stdout
    result = run("adduser", "nobody", "--role", "office", data_dir=tmp_path)
    assert result.returncode != 0
    assert "password" in result.stderr


def test_the_sqlite_database_runs_in_wal_mode(tmp_path):
    assert run("migrate", "--noinput", data_dir=tmp_path).returncode == 0
    import sqlite3

    mode = sqlite3.connect(tmp_path / "luoshi.sqlite3").execute("PRAGMA journal_mode").fetchone()
    assert mode[0] == "wal"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_prints_the_url_and_serves_the_login_page(tmp_path):
    assert run("migrate", "--noinput", data_dir=tmp_path).returncode == 0
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(LUOSHI_DATA_DIR=str(tmp_path), PORT=str(port))
    server = subprocess.Popen(
        [str(LUOSHI_WEB), "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    try:
        first = server.stdout.readline()
        assert f"luoshi is serving on http://127.0.0.1:{port}" in first
        assert 'log in as "office"' in first
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                    body = r.read().decode()
                    headers = r.headers
                break
            except OSError:
                time.sleep(0.1)
        assert body is not None and "登录" in body
        assert headers["X-Frame-Options"] == "DENY"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/luoshi_web/site.css") as r:
            assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.django_db
def test_lights_and_reparse_commands_run_over_every_document(capsys):
    call_command("lights", "--all")
    assert "document(s)" in capsys.readouterr().out
    call_command("reparse", "--all")
    assert "匹配" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--all"):
        call_command("reparse")


@pytest.mark.django_db
def test_the_daily_lights_take_the_documents_time_can_still_change(document, capsys):
    """The 2024 notice (periods due up to 2025-01-05, its parts 2024 only) moves with time in
    2024 and for 40 days after its last deadline, not in 2026: the daily run leaves it alone."""
    from datetime import date

    from luoshi_web.documents.models import Task
    from luoshi_web.tracking.lights import moving_documents

    assert document.parts.filter(period_end__gte=2025).count() == 0  # the premise
    assert document in moving_documents(date(2024, 6, 1))
    assert document in moving_documents(date(2025, 2, 10))  # 36 days after 2025-01-05
    assert document not in moving_documents(date(2025, 3, 1))
    Task.objects.filter(section__part__document=document).update(light="", light_reason="")
    call_command("lights")  # today (2026 or later): the 2024 notice is not taken
    assert "in 0 document(s)" in capsys.readouterr().out
    assert not Task.objects.filter(section__part__document=document).exclude(light="").exists()
    call_command("lights", "--all")
    assert not Task.objects.filter(section__part__document=document, light="").exists()
