"""Helpers of the API tests (this module has no tests of its own): a caller is a test client
of its own that carries a user's token, as a script would."""

from __future__ import annotations

import json

from django.test import Client

from luoshi_web.api.actions import issue_token


class Caller:
    """Requests to the API as ``user`` (``Authorization: Bearer …``), or anonymously."""

    def __init__(self, user=None, *, client: Client | None = None):
        self.client = client or Client()
        self.user = user
        self.headers = {}
        if user is not None and user.is_authenticated:
            token, _ = issue_token(user)
            self.token = token
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, url: str, params: dict | None = None):
        return self.client.get(url, params or {}, headers=self.headers)

    def post(self, url: str, body=None):
        return self.client.post(
            url, json.dumps(body or {}), content_type="application/json", headers=self.headers
        )

    def upload(self, url: str, fields: dict):
        return self.client.post(url, fields, headers=self.headers)

    def delete(self, url: str):
        return self.client.delete(url, headers=self.headers)


def report_body(**fields) -> dict:
    """A filing as a script sends it: 2024-03, a narrative, 30%."""
    body = {"period": "2024-03", "narrative": "已完成专项债券申报。", "percent": 30}
    body.update(fields)
    return body
