"""The notification channels behind one interface: e-mail through Django's mail settings (the
locmem backend), SMS and DingTalk as signed HTTP webhooks — tried against a small HTTP server
started here on 127.0.0.1 — and the log of every attempt."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from luoshi_web.documents.models import Unit
from luoshi_web.notify import Channel, channel, configured_channels
from luoshi_web.notify.actions import deliver
from luoshi_web.notify.channels import DingTalkChannel, EmailChannel, SmsChannel
from luoshi_web.notify.models import DeliveryLog
from luoshi_web.notify.registry import UnknownChannel


class Recorder:
    """A webhook on a free port of 127.0.0.1 that keeps each request and answers ``reply``."""

    def __init__(self, status=200, reply=b'{"errcode": 0, "errmsg": "ok"}'):
        self.requests: list[dict] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                recorder.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                self.send_response(recorder.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(recorder.reply)

            def log_message(self, *args):
                pass

        self.status, self.reply = status, reply
        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_every_channel_has_the_one_interface():
    for name in ("email", "sms", "dingtalk"):
        assert isinstance(channel(name), Channel)
    with pytest.raises(UnknownChannel):
        channel("pigeon")


def test_the_configured_channels_come_from_the_settings(settings):
    settings.LUOSHI_NOTIFY = {"channels": ["email", "dingtalk"]}
    assert [c.name for c in configured_channels()] == ["email", "dingtalk"]


def test_email_goes_through_django_mail_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "duchashi@example.org"
    result = EmailChannel().send("a@example.org, b@example.org", "督查催办", "请报送进展")
    assert result.ok and result.detail == "已发送"
    assert mail.outbox[0].to == ["a@example.org", "b@example.org"]
    assert mail.outbox[0].from_email == "duchashi@example.org"
    assert mail.outbox[0].subject == "督查催办"


def test_email_failure_is_reported_not_raised(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    result = EmailChannel().send("a@example.org", "督查催办", "请报送进展")
    assert not result.ok and result.detail.startswith("发送失败")


@pytest.mark.django_db
def test_the_email_address_of_a_unit_is_its_users_addresses(people):
    people.lead_unit.email = "finance@example.org"
    assert EmailChannel().address_for(None, [people.lead_unit, people.participant]) == (
        "finance@example.org"
    )
    assert EmailChannel().address_for(None, [people.participant]) is None


def test_sms_posts_signed_json_to_the_gateway():
    with Recorder(reply=b"{}") as hook:
        sms = SmsChannel(url=hook.url, secret="s3cret")
        result = sms.send("13800000000", "督查催办", "请于11月5日前报送")
    assert result.ok
    request = hook.requests[0]
    body = request["body"]
    assert json.loads(body) == {
        "to": "13800000000",
        "subject": "督查催办",
        "text": "请于11月5日前报送",
    }
    stamp = request["headers"]["X-Luoshi-Timestamp"]
    expected = hmac.new(b"s3cret", stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert request["headers"]["X-Luoshi-Signature"] == expected


def test_sms_reports_the_gateway_refusing():
    with Recorder(status=500, reply=b"down") as hook:
        result = SmsChannel(url=hook.url, secret="x").send("13800000000", "s", "b")
    assert not result.ok and "HTTP 500" in result.detail


def test_a_webhook_channel_without_a_url_or_a_reachable_server_fails_cleanly():
    assert SmsChannel(url="").send("13800000000", "s", "b").detail == "未配置短信网关接口地址"
    server = HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_port
    server.server_close()  # nothing listens there now
    result = SmsChannel(url=f"http://127.0.0.1:{port}/", timeout=2).send("138", "s", "b")
    assert not result.ok and result.detail.startswith("无法连接")


def test_dingtalk_signs_as_dingtalk_specifies_and_ats_the_mobile():
    with Recorder() as hook:
        result = DingTalkChannel(url=hook.url + "?access_token=abc", secret="SEC").send(
            "13800000000", "督查催办", "请报送"
        )
    assert result.ok
    request = hook.requests[0]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request["path"]).query)
    assert query["access_token"] == ["abc"]
    stamp = query["timestamp"][0]
    digest = hmac.new(b"SEC", f"{stamp}\nSEC".encode(), hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(digest).decode()]
    payload = json.loads(request["body"])
    assert payload["msgtype"] == "text"
    assert payload["text"]["content"] == "【督查催办】\n请报送"
    assert payload["at"]["atMobiles"] == ["13800000000"]


def test_dingtalk_reports_its_error_code():
    reply = json.dumps({"errcode": 310000, "errmsg": "sign not match"}).encode()
    with Recorder(reply=reply) as hook:
        result = DingTalkChannel(url=hook.url, secret="x").send("省财政厅", "s", "b")
    assert not result.ok and "310000" in result.detail and "sign not match" in result.detail


@pytest.mark.django_db
def test_webhook_addresses_come_from_the_settings_by_unit(settings):
    settings.LUOSHI_NOTIFY = {
        "channels": ["sms"],
        "sms": {"url": "http://127.0.0.1:9/", "secret": "", "recipients": {"zj-finance": "139"}},
    }
    finance = Unit.objects.get(registry_id="zj-finance")
    drc = Unit.objects.get(registry_id="zj-drc")
    assert SmsChannel().address_for(finance, []) == "139"
    assert SmsChannel().address_for(drc, []) is None
    assert DingTalkChannel().address_for(drc, []) == "省发展改革委"  # named in the group message


@pytest.mark.django_db
def test_every_attempt_is_logged_sent_or_not(settings, people):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    finance = Unit.objects.get(registry_id="zj-finance")
    sent = deliver(
        EmailChannel(), "f@example.org", "主题", "正文", unit=finance, reminder_ids=[3, 1]
    )
    missing = deliver(EmailChannel(), None, "主题", "正文", unit=finance, sent_by=people.office)
    assert sent.ok and sent.reminder_ids == [1, 3] and sent.recipient == "f@example.org"
    assert not missing.ok and missing.detail == "没有收件地址" and missing.sent_by == people.office
    assert DeliveryLog.objects.count() == 2
