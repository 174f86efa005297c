"""Shared fixtures of the web tests: the 2024 sample notice imported once per session, and the
people of the permission matrix, named by role (healthchecks' owner / colleague / outsider).

The task every matrix line is about: 2024 notice, 王浩省长牵头重点工作, task 3 (积极争取并高效
用好地方政府专项债券…), lead unit 省财政厅, participant 省发展改革委. 省商务厅 is on other tasks of
the notice but not on this one; 徐文光 leads another section.

Django is configured here, not for the whole test run: the library tests in tests/ never need
it. The data directory (database file, uploaded files, secret key) is a fresh temporary one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

DATA_DIR = tempfile.mkdtemp(prefix="luoshi-web-tests-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi_web.settings")
os.environ["LUOSHI_DATA_DIR"] = DATA_DIR

import django  # noqa: E402

import luoshi  # noqa: E402

# The test modules import models at collection time: the app registry must be ready by then
# (pytest-django sets Django up only later when this conftest is not an initial one).
django.setup()

SAMPLES = Path(luoshi.__file__).parent / "samples"
NOTICE_2020 = SAMPLES / "zhejiang-2020-notice-webpage.txt"
NOTICE_2024 = SAMPLES / "zhejiang-2024-notice.txt"
NOTICE_2026 = SAMPLES / "zhejiang-2026-notice.txt"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PASSWORD = "correct-horse-battery-staple"

PEOPLE = {
    # username: (role, unit registry id, leader name)
    "office": ("office", None, None),
    "leader": ("leader", None, "王浩"),
    "other_leader": ("leader", None, "徐文光"),
    "lead_unit": ("unit", "zj-finance", None),
    "participant": ("unit", "zj-drc", None),
    "outsider": ("unit", "zj-commerce", None),
}


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(DATA_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The 2024 notice and the people, once, in the test database."""
    from django.test import override_settings

    from luoshi_web.accounts.actions import create_user, find_leader, find_unit
    from luoshi_web.documents.importing import import_notice

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        import_notice(NOTICE_2024, None)
        for username, (role, unit, leader) in PEOPLE.items():
            create_user(
                username,
                PASSWORD,
                role,
                unit=find_unit(unit) if unit else None,
                leader=find_leader(leader) if leader else None,
                first_name=username,
            )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def people(db):
    """The users of the matrix by role, and ``anonymous``."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    users = {u.username: u for u in get_user_model().objects.filter(username__in=PEOPLE)}
    return SimpleNamespace(**users, anonymous=AnonymousUser())


@pytest.fixture
def document(db):
    from luoshi_web.documents.models import Document

    return Document.objects.get(year=2024)


@pytest.fixture
def task(document):
    """2024, 王浩's section, task 3: lead 省财政厅, participant 省发展改革委."""
    from luoshi_web.documents.models import Task

    return Task.objects.get(
        section__part__document=document,
        section__part__index=0,
        section__index=0,
        number=3,
    )


@pytest.fixture
def other_task(document):
    """2024, 徐文光's section, task 1 (生产总值增长 5.5% 左右): 省发展改革委 alone."""
    from luoshi_web.documents.models import Task

    return Task.objects.get(
        section__part__document=document, section__part__index=0, section__index=1, number=1
    )


@pytest.fixture
def period(document):
    return document.periods.get(label="2024-03")


@pytest.fixture
def client_for(db):
    """``client_for(user)``: a new test client (a browser of its own) logged in as ``user``;
    anonymous stays logged out."""
    from django.test import Client

    def login(user):
        client = Client()
        if user is not None and user.is_authenticated:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def data():
    """``data(**fields)``: a ReportData with a narrative and 30%, fields overridden."""
    from luoshi_web.tracking.actions import ReportData

    def make(**kwargs):
        values = {"narrative": "已完成专项债券申报。", "percent": 30}
        values.update(kwargs)
        return ReportData(**values)

    return make
