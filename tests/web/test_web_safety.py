"""Safety: CSRF on every form, login throttling, escaping, uploads never served as HTML,
production cookie settings, and the library importable without Django."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from luoshi_web.tracking import actions

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_form_posted_without_the_csrf_token_is_refused(people, task, period):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.lead_unit)
    url = reverse("report-form", args=[task.pk, period.pk])
    response = client.post(url, {"narrative": "x", "percent": 1, "version": 0, "submit": "1"})
    assert response.status_code == 403
    assert "csrfmiddlewaretoken" in client.get(url).content.decode()


def test_the_login_page_logs_in_with_the_right_password(people):
    client = Client()
    response = client.post(reverse("login"), {"username": "office", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("task-list")).status_code == 200


def test_the_pages_speak_chinese_to_a_browser_that_asks_for_english(
    people, client_for, task, period
):
    """Django's own messages too: the users work in Chinese whatever their browser's language."""
    client = client_for(people.participant)
    url = reverse("report-form", args=[task.pk, period.pk])
    fields = {"narrative": "x", "percent": "150", "version": "0", "submit": "1"}
    response = client.post(url, fields, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert response.status_code == 400
    assert "确保该值小于或等于100" in page, page
    assert "Ensure this value" not in page
    assert response.headers.get("Content-Language", "zh-hans") == "zh-hans"


def test_five_wrong_passwords_lock_the_account(people):
    client = Client()
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "office", "password": "wrong"})
    assert response.status_code == 429
    response = client.post(reverse("login"), {"username": "office", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_what_a_unit_writes_is_escaped_on_the_page(people, client_for, task, period, data):
    actions.file_report(
        people.lead_unit, task, period, data(narrative="<script>alert(1)</script>"), 0, submit=True
    )
    page = client_for(people.office).get(reverse("task-detail", args=[task.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_html_attachment_is_sent_as_a_download_never_rendered(
    people, client_for, task, period, data
):
    upload = SimpleUploadedFile("page.html", b"<script>alert(1)</script>", "text/html")
    report = actions.file_report(people.lead_unit, task, period, data(attachments=[upload]), 0)
    attachment = report.attachments.get()
    response = client_for(people.lead_unit).get(reverse("attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_attachment_of_a_type_not_taken_is_refused_and_nothing_is_saved(
    people, task, period, data
):
    upload = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")
    with pytest.raises(actions.Invalid, match="类型不支持"):
        actions.file_report(people.lead_unit, task, period, data(attachments=[upload]), 0)
    assert not task.reports.exists()


def test_https_mode_turns_on_secure_cookies_and_hsts(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    env = dict(os.environ, LUOSHI_HTTPS="1", LUOSHI_DATA_DIR=str(tmp_path))
    env["DJANGO_SETTINGS_MODULE"] = "luoshi_web.settings"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "True", "True", "False"]


def test_the_library_imports_and_parses_without_django(tmp_path):
    code = (
        "import sys; sys.modules['django'] = None; sys.modules['luoshi_web'] = None\n"
        "import luoshi, luoshi.cli, luoshi.registry\n"
        "from luoshi import parse_notice\n"
        f"print(len(list(parse_notice({str(tmp_path / 'n.txt')!r}).tasks())))\n"
    )
    from conftest import NOTICE_2024

    (tmp_path / "n.txt").write_bytes(NOTICE_2024.read_bytes())
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 100


def test_an_upload_far_over_the_limit_is_refused_before_it_is_read(
    people, client_for, task, period, settings
):
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.txt", b"x" * 400_000, "text/plain")
    client = client_for(people.office)
    response = client.post(reverse("import"), {"file": big, "period_kind": "monthly"})
    assert response.status_code == 413
    assert "文件过大" in response.content.decode()
    big.seek(0)
    url = reverse("report-form", args=[task.pk, period.pk])
    form = {"narrative": "x", "percent": 1, "version": 0, "attachments": big}
    assert client_for(people.lead_unit).post(url, form).status_code == 413
    assert not task.reports.exists()
