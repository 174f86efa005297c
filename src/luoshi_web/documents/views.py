"""The office's document pages: upload a notice → preview with warnings → confirm; the list of
documents; download the original file; reparse."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from luoshi_web.accounts import permissions
from luoshi_web.documents import importing
from luoshi_web.documents.models import Document, ParseWarning
from luoshi_web.tracking.periods import filing_period
from luoshi_web.tracking.views import attachment_response
from luoshi_web.uploads import too_large

PENDING_DIR = "pending"
PENDING_MAX_AGE = 24 * 3600


class UploadForm(forms.Form):
    file = forms.FileField(
        label="通知文件",
        help_text="PDF、Word（docx）、网页（html）、文本（txt、md），不超过 20 MB",
    )
    period_kind = forms.ChoiceField(
        label="报送周期", choices=Document.PERIOD_KINDS, initial=Document.MONTHLY
    )


def _office_only(user) -> None:
    if not permissions.can_import(user):
        raise PermissionDenied("只有督查室可以导入文件")


def _pending_dir() -> Path:
    path = Path(settings.DATA_DIR) / PENDING_DIR
    path.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in path.iterdir():  # previews never confirmed
        if now - old.stat().st_mtime > PENDING_MAX_AGE:
            old.unlink(missing_ok=True)
    return path


def _summary(notice) -> list[dict]:
    parts = []
    for part in notice.parts:
        parts.append(
            {
                "title": part.title,
                "kind": part.kind,
                "period": part.period,
                "sections": [
                    {
                        "heading": s.heading or s.category,
                        "leader": s.leader.name if s.leader else "",
                        "tasks": len(s.tasks),
                        "first": s.tasks[0].text if s.tasks else "",
                    }
                    for s in part.sections
                ],
                "tasks": sum(len(s.tasks) for s in part.sections),
            }
        )
    return parts


@login_required
def import_upload(request):
    _office_only(request.user)
    if request.method != "POST":
        return render(request, "luoshi/import_upload.html", {"form": UploadForm()})
    refused = too_large(request)
    if refused is not None:
        return refused
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "luoshi/import_upload.html", {"form": form}, status=400)
    try:
        upload = importing.read_upload(form.cleaned_data["file"])
        existing = importing.already_imported(upload.sha256)
        if existing is not None:
            raise importing.ImportRefused(f"该文件已导入：{existing}")
        notice = importing.parse_upload(upload)
    except importing.ImportRefused as exc:
        form.add_error("file", exc.reason)
        return render(request, "luoshi/import_upload.html", {"form": form}, status=400)
    token = secrets.token_urlsafe(16)
    (_pending_dir() / token).write_bytes(upload.data)
    pending = request.session.get("pending_imports", {})
    pending[token] = {
        "name": upload.name,
        "sha256": upload.sha256,
        "period_kind": form.cleaned_data["period_kind"],
    }
    request.session["pending_imports"] = pending
    context = {
        "token": token,
        "name": upload.name,
        "sha256": upload.sha256,
        "document": notice.document,
        "parts": _summary(notice),
        "warnings": [ParseWarning.of(w) for w in notice.warnings],
        "tasks": sum(1 for _ in notice.tasks()),
        "period_kind": dict(Document.PERIOD_KINDS)[form.cleaned_data["period_kind"]],
    }
    return render(request, "luoshi/import_preview.html", context)


@require_POST
@login_required
def import_confirm(request):
    _office_only(request.user)
    token = request.POST.get("token", "")
    pending = request.session.get("pending_imports", {})
    entry = pending.pop(token, None)
    request.session["pending_imports"] = pending
    path = _pending_dir() / Path(token).name if token else None
    if entry is None or path is None or not path.is_file():
        messages.error(request, "预览已过期，请重新上传")
        return redirect("import")
    try:
        document = importing.import_notice(
            importing.Upload(entry["name"], path.read_bytes()),
            request.user,
            period_kind=entry["period_kind"],
        )
    except importing.ImportRefused as exc:
        messages.error(request, exc.reason)
        return redirect("import")
    finally:
        path.unlink(missing_ok=True)
    tasks = document.parts.aggregate(n=Count("sections__tasks"))["n"]
    messages.success(request, f"已导入：{document}（{tasks} 项任务）")
    return redirect("document-list")


@login_required
def document_list(request):
    _office_only(request.user)
    documents = list(
        Document.objects.annotate(
            task_count=Count("parts__sections__tasks", distinct=True)
        ).prefetch_related("warnings", "periods")
    )
    today = timezone.localdate()
    for d in documents:
        # the period the 台账 and 通报 links download, named beside them and fixed in the link
        d.ledger_period = filing_period(d, today)
    return render(request, "luoshi/document_list.html", {"documents": documents})


@login_required
def download_source(request, pk: int):
    _office_only(request.user)
    document = get_object_or_404(Document, pk=pk)
    return attachment_response(document.source_file, document.original_name)


@require_POST
@login_required
def reparse_view(request, pk: int):
    _office_only(request.user)
    document = get_object_or_404(Document, pk=pk)
    try:
        summary = importing.reparse(document, request.user)
    except importing.ImportRefused as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, f"已重新解析 {document}：{summary}")
    return redirect("document-list")
