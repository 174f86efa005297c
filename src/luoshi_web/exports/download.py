"""Exports sent as downloads: the response every export view (and the REST API) returns."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse


def content_disposition(filename: str, fallback: str) -> str:
    """``attachment; filename="ledger-1-2024-03.xlsx"; filename*=UTF-8''%E6%B5%99…`` — the
    Chinese name for browsers (RFC 6266 / 5987), an ASCII one for the rest."""
    ascii_name = fallback.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(content: bytes, filename: str, fallback: str, content_type: str):
    """``content`` as an attachment: never rendered, never sniffed, never cached."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Length"] = str(len(content))
    return response
