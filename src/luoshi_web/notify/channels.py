"""The channels: e-mail through Django's mail settings, and SMS and DingTalk as HTTP webhooks.

E-mail goes to the unit users' ``User.email`` (every unit user that has one). The webhook
channels post JSON to a configured URL with a shared secret:

=========  =====================================================================================
channel    request
=========  =====================================================================================
sms        ``POST url`` ``{"to": "1380000…", "subject": …, "text": …}``, headers
           ``X-Luoshi-Timestamp`` (ms) and ``X-Luoshi-Signature`` = hex HMAC-SHA256 of
           ``timestamp + "." + body`` with the secret — the gateway checks both
dingtalk   a DingTalk custom robot: ``POST url&timestamp=…&sign=…`` (sign = base64 HMAC-SHA256 of
           ``timestamp + "\\n" + secret``, as DingTalk specifies), body ``{"msgtype": "text",
           "text": {"content": …}, "at": {"atMobiles": [...]}}``; DingTalk answers
           ``{"errcode": 0}`` when it took the message
=========  =====================================================================================

Addresses of the webhook channels come from ``LUOSHI_NOTIFY[name]["recipients"]``, keyed by a
unit's registry id or a user name (there is no phone number on a user yet).
"""

from __future__ import annotations

import abc
import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage

from luoshi_web.notify.base import DeliveryResult


class EmailChannel:
    name = "email"
    label = "电子邮件"

    def address_for(self, unit, users) -> str | None:
        emails = sorted({u.email.strip() for u in users if (u.email or "").strip()})
        return ", ".join(emails) or None

    def send(self, recipient: str, subject: str, body: str) -> DeliveryResult:
        to = [a.strip() for a in recipient.split(",") if a.strip()]
        if not to:
            return DeliveryResult(False, self.name, recipient, "没有收件地址")
        try:
            sent = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to).send()
        except Exception as exc:  # SMTP errors of every kind: the digest goes on
            return DeliveryResult(False, self.name, recipient, f"发送失败：{exc}")
        if not sent:
            return DeliveryResult(False, self.name, recipient, "邮件服务器未接收")
        return DeliveryResult(True, self.name, recipient, "已发送")


class WebhookChannel(abc.ABC):
    """A channel that posts JSON to ``LUOSHI_NOTIFY[name]["url"]``; a subclass says how the
    service wants the request (:meth:`request`)."""

    name = "webhook"
    label = "接口"

    def __init__(self, url: str | None = None, secret: str | None = None, timeout=None):
        notify = getattr(settings, "LUOSHI_NOTIFY", {})
        conf = notify.get(self.name, {})
        self.url = url if url is not None else conf.get("url", "")
        self.secret = secret if secret is not None else conf.get("secret", "")
        self.recipients = dict(conf.get("recipients") or {})
        self.timeout = timeout or notify.get("timeout", 10)

    def address_for(self, unit, users) -> str | None:
        for key in [getattr(unit, "registry_id", None), *(u.get_username() for u in users)]:
            if key and self.recipients.get(key):
                return str(self.recipients[key])
        return None

    # -- to override ---------------------------------------------------------------------------
    @abc.abstractmethod
    def request(self, recipient: str, subject: str, body: str) -> tuple[str, bytes, dict]:
        """The URL, body and headers of the service's request for one message."""

    def accepted(self, status: int, payload: bytes) -> str | None:
        """None when the service took the message, else why not."""
        return None if 200 <= status < 300 else f"HTTP {status}"

    # -- sending -------------------------------------------------------------------------------
    def send(self, recipient: str, subject: str, body: str) -> DeliveryResult:
        if not self.url:
            return DeliveryResult(False, self.name, recipient, f"未配置{self.label}接口地址")
        if not recipient:
            return DeliveryResult(False, self.name, recipient, "没有收件地址")
        url, data, headers = self.request(recipient, subject, body)
        req = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, exc.read()
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            return DeliveryResult(False, self.name, recipient, f"无法连接：{reason}")
        refused = self.accepted(status, payload)
        if refused:
            return DeliveryResult(False, self.name, recipient, f"发送失败：{refused}")
        return DeliveryResult(True, self.name, recipient, "已发送")


class SmsChannel(WebhookChannel):
    name = "sms"
    label = "短信网关"

    def request(self, recipient, subject, body):
        data = json.dumps(
            {"to": recipient, "subject": subject, "text": body}, ensure_ascii=False
        ).encode("utf-8")
        timestamp = str(int(time.time() * 1000))
        signature = hmac.new(
            self.secret.encode("utf-8"), timestamp.encode("ascii") + b"." + data, hashlib.sha256
        ).hexdigest()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Luoshi-Timestamp": timestamp,
            "X-Luoshi-Signature": signature,
        }
        return self.url, data, headers


class DingTalkChannel(WebhookChannel):
    name = "dingtalk"
    label = "钉钉机器人"

    @staticmethod
    def sign(secret: str, timestamp: str) -> str:
        string = f"{timestamp}\n{secret}".encode()
        digest = hmac.new(secret.encode("utf-8"), string, hashlib.sha256).digest()
        return base64.b64encode(digest).decode("ascii")

    def address_for(self, unit, users) -> str | None:
        # The robot posts into one group; the unit is named in the text, a mobile (if known) @-ed.
        return super().address_for(unit, users) or getattr(unit, "name", None)

    def request(self, recipient, subject, body):
        mobiles = [m for m in recipient.split(",") if m.strip().isdigit()]
        payload = {
            "msgtype": "text",
            "text": {"content": f"【{subject}】\n{body}"},
            "at": {"atMobiles": mobiles, "isAtAll": False},
        }
        url = self.url
        if self.secret:
            timestamp = str(int(time.time() * 1000))
            query = urllib.parse.urlencode(
                {"timestamp": timestamp, "sign": self.sign(self.secret, timestamp)}
            )
            url = f"{url}{'&' if '?' in url else '?'}{query}"
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return url, data, {"Content-Type": "application/json; charset=utf-8"}

    def accepted(self, status, payload):
        refused = super().accepted(status, payload)
        if refused:
            return refused
        try:
            answer = json.loads(payload or b"{}")
        except ValueError:
            return "钉钉返回的不是 JSON"
        if answer.get("errcode", 0) != 0:
            return f"钉钉错误 {answer.get('errcode')}：{answer.get('errmsg', '')}"
        return None
