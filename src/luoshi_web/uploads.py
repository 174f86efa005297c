"""Refusing an upload that is too big before its body is read.

Django has no limit on the size of an uploaded file (DATA_UPLOAD_MAX_MEMORY_SIZE counts only
the other fields), so a view that takes files asks :func:`too_large` first: the request's
declared length against ``UPLOAD_MAX_BYTES`` plus room for the form's other fields.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

FORM_ROOM = 256 * 1024  # the form's text fields and multipart framing


def too_large(request):
    """A 413 page when the request body is longer than an upload may be, else None."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.UPLOAD_MAX_BYTES
    if length <= limit + FORM_ROOM:
        return None
    return render(
        request,
        "luoshi/too_large.html",
        {"limit_mb": limit // 1048576, "size_mb": f"{length / 1048576:.1f}"},
        status=413,
    )
