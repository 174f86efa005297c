"""Fixtures of the browser tests: Debian's chromium driven by Playwright against pytest-django's
live server (the real WSGI application in a thread on 127.0.0.1), with the three sample notices
imported and demo-like accounts (``office``, ``unit-<registry id>``) in the test database.

The task the story is about: 2026 notice, 徐文光's section, task 2 (全员劳动生产率达到 30 万元/人
左右。), lead unit 省发展改革委 (``unit-zj-drc``), participant 省经信厅 (``unit-zj-econ-it``), one
target (全员劳动生产率, 30 万元/人). The task 省经信厅 is not on: task 3 of the same section
(居民人均可支配收入达到 9 万元左右…, 省发展改革委 with 省农业农村厅).

The period is the one the ledger shows by default (``exports.rows.default_period``: the latest
that has ended, the one units are filing for), so that the office's 台账 link shows the story's
progress whatever today's date is.

The live server needs ``transactional_db``, which empties the database after each test. The
import (seconds) is done once per module; each test starts from a snapshot of it (SQLite's
backup API: milliseconds). On another database each test imports again.

Screenshots and the downloaded ledger go to ``tests/artifacts/e2e/`` (ignored by git, emptied at
the start of a run); a failing test leaves a ``FAILED-…`` screenshot of every page it had open.
chromium missing: the tests are skipped with the reason — except in CI (``CI`` set), where it is a
failure (``scripts/system-deps`` installs it; ``make test`` runs that first). Never
``playwright install``: the browser is Debian's.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings

# Django is configured here, as in tests/web/conftest.py, with a fresh data directory (secret key,
# stored files) — unless tests/web's conftest configured it first in the same run.
OWN_DATA_DIR = None
if not django_settings.configured:
    OWN_DATA_DIR = tempfile.mkdtemp(prefix="luoshi-e2e-")
    os.environ["LUOSHI_DATA_DIR"] = OWN_DATA_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi_web.settings")

import django  # noqa: E402

django.setup()

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # without these chromium calls Google (updates, sync, field trials) on start
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "e2e"
PASSWORD = "e2e-correct-horse-battery-staple"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# username: (role, unit registry id, name) — the names `luoshi-web demo` gives
ACCOUNTS = {
    "office": ("office", None, "督查室"),
    "unit-zj-drc": ("unit", "zj-drc", "省发展改革委"),
    "unit-zj-econ-it": ("unit", "zj-econ-it", "省经信厅"),
}


def pytest_sessionfinish(session, exitstatus):
    if OWN_DATA_DIR:
        shutil.rmtree(OWN_DATA_DIR, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)  # for the FAILED-… screenshots
    return report


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, one for the session."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed: run scripts/system-deps (as root) to install it"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} — CI runs make test, which should have")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # this run's screenshots only (a hook would miss a run not started from tests/e2e)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    # Playwright's sync API keeps an asyncio loop in the main thread while it runs, so Django
    # takes every ORM call made there (the fixtures, the flush after each test) for one made from
    # async code and refuses it. Nothing here is async: allowed while the browser is up.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def populate() -> SimpleNamespace:
    """Import the sample notices and create the accounts; returns what the tests refer to."""
    from django.test import override_settings
    from django.utils import timezone

    from luoshi_web.accounts import permissions
    from luoshi_web.accounts.actions import create_user, find_unit
    from luoshi_web.documents.importing import import_notice
    from luoshi_web.documents.models import Document, Task
    from luoshi_web.exports.rows import default_period
    from luoshi_web.operations.demo import sample_notices

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        for notice in sample_notices():
            import_notice(notice, None)
        users = {
            username: create_user(
                username,
                PASSWORD,
                role,
                unit=find_unit(unit) if unit else None,
                first_name=name,
            )
            for username, (role, unit, name) in ACCOUNTS.items()
        }
    document = Document.objects.get(year=2026)
    in_section = Task.objects.filter(
        section__part__document=document, section__part__index=0, section__index=1
    )
    task = in_section.get(number=2)
    other = in_section.get(number=3)
    participant = users["unit-zj-econ-it"]
    assert permissions.role_on_task(users["unit-zj-drc"], task) == "lead"
    assert permissions.role_on_task(participant, task) == "participant"
    assert not permissions.can_view_task(participant, other)
    target = task.targets.get(retired=False)
    period = default_period(document)
    return SimpleNamespace(
        document=document.pk,
        document_label=str(document),
        task=task.pk,
        task_text=task.text,
        other=other.pk,
        other_text=other.text,
        target=target.indicator,
        target_unit=target.unit,
        period=period.label,
        period_pk=period.pk,
        period_display=period.display,
        period_due=period.deadline < timezone.localdate(),
        participant_task_count=permissions.visible_tasks(participant).count(),
        total_task_count=Task.objects.count(),
    )


class Snapshot:
    """The database as ``populate`` left it, put back before each test."""

    def __init__(self):
        from django.db import connection

        self.copy = None
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.copy)

    def restore(self, data: SimpleNamespace) -> None:
        """Put the data back (the first test of the module finds it there already)."""
        from django.db import connection

        if self.copy is not None:
            connection.ensure_connection()
            self.copy.backup(connection.connection)
        elif data.restored:
            vars(data).update(vars(populate()))  # new rows, new ids
        data.restored += 1

    def close(self) -> None:
        if self.copy is not None:
            self.copy.close()


@pytest.fixture(scope="module")
def sample_data(django_db_setup, django_db_blocker):
    """Imported once per module into an empty database (in a run with tests/web, pytest-django
    runs these transactional tests last, after tests/web's session data has served); emptied
    again after the module."""
    from django.core.management import call_command

    started = time.monotonic()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        data = populate()
        snapshot = Snapshot()
    data.import_seconds = round(time.monotonic() - started, 1)
    data.snapshot = snapshot
    data.restored = 0
    yield data
    snapshot.close()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def site(sample_data, live_server, settings):
    """The live server with the module's data (restored for this test) and its base URL."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    sample_data.snapshot.restore(sample_data)
    sample_data.url = live_server.url
    return sample_data


class Browsing:
    """The people at their browsers: ``login(username)`` opens a browser context of its own
    (its own cookies), logs in through the login form and returns the page; ``shot(page,
    name)`` saves a full-page screenshot as ``tests/artifacts/e2e/<name>.png``."""

    artifacts = ARTIFACTS
    password = PASSWORD

    def __init__(self, browser, site, request):
        self.browser = browser
        self.site = site
        self.request = request
        self.contexts = []
        self.errors = []  # JavaScript errors and server errors seen by any page
        self.shots = []

    def open(self, *, phone=False):
        context = self.browser.new_context(
            base_url=self.site.url,
            viewport=PHONE if phone else DESKTOP,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.on(
            "response",
            lambda r: r.status >= 500 and self.errors.append(f"{r.url}: HTTP {r.status}"),
        )
        return page

    def login(self, username, *, phone=False, password=PASSWORD):
        from playwright.sync_api import expect

        page = self.open(phone=phone)
        page.goto("/")
        expect(page).to_have_url(f"{self.site.url}/login/?next=/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码", exact=True).fill(password)
        page.get_by_role("button", name="登录").click()
        if password == PASSWORD:
            expect(page.get_by_role("heading", name="我的任务")).to_be_visible()
        return page

    def shot(self, page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        self.shots.append(path)
        return path

    def close(self):
        report = getattr(self.request.node, "report_call", None)
        if report is not None and report.failed:
            for n, context in enumerate(self.contexts):
                for m, page in enumerate(context.pages):
                    try:
                        page.screenshot(
                            path=ARTIFACTS / f"FAILED-{self.request.node.name}-{n}{m}.png",
                            full_page=True,
                        )
                    except Exception as exc:  # a crashed page must not hide the failure
                        print(f"no screenshot of {page.url}: {exc}")
        for context in self.contexts:
            context.close()


@pytest.fixture
def people(browser, site, request):
    browsing = Browsing(browser, site, request)
    yield browsing
    browsing.close()
    assert not browsing.errors, browsing.errors
