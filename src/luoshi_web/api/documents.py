"""Documents: ``GET /api/documents`` and ``/api/documents/{id}`` (those with a task the caller
sees), and ``POST /api/documents``, where the office uploads a notice: ``?confirm=false``
previews it (structure and warnings, nothing stored), ``?confirm=true`` imports it
(``documents.importing``, all or nothing)."""

from __future__ import annotations

from functools import wraps
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.db.models import Count
from django.http import JsonResponse
from ninja import File, Form, Router, Status, UploadedFile
from ninja.decorators import decorate_view

from luoshi_web.accounts import permissions
from luoshi_web.api import present
from luoshi_web.api.errors import ApiError, forbidden
from luoshi_web.api.lookups import document_or_404
from luoshi_web.api.schemas import DocumentDetail, DocumentOut, ImportPreview, answers
from luoshi_web.documents import importing
from luoshi_web.uploads import FORM_ROOM

router = Router(tags=["文件 documents"])


def _with_task_counts(documents):
    return documents.annotate(n=Count("parts__sections__tasks", distinct=True)).order_by(
        "-year", "pk"
    )


@router.get(
    "/documents", response=answers({200: list[DocumentOut]}, 401), summary="文件 (documents)"
)
def list_documents(request):
    """已导入的责任分解通知（督查室：全部；其他人：有其可见任务的）。"""
    documents = _with_task_counts(permissions.visible_documents(request.auth))
    return [present.document(d, d.n) for d in documents]


@router.get(
    "/documents/{document_id}",
    response=answers({200: DocumentDetail}, 401, 404, 422),
    summary="一份文件：结构与解析警告",
)
def get_document(request, document_id: int):
    """文件的各部分、各部分的领导与任务数，以及解析时的警告。"""
    return present.document_detail(document_or_404(request.auth, document_id))


def _too_large_message(size: int) -> str:
    limit = settings.UPLOAD_MAX_BYTES // 1048576
    return f"文件过大（{size / 1048576:.1f} MB）：上限 {limit} MB"


def refuse_large_bodies(run):
    """413 before the body is read when the request declares more than an upload may be
    (``luoshi_web.uploads``: Django sets no limit on files)."""

    @wraps(run)
    def guarded(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES + FORM_ROOM:
            return JsonResponse(
                {"detail": _too_large_message(length), "code": "too_large"},
                status=413,
                json_dumps_params={"ensure_ascii": False},
            )
        return run(request, *args, **kwargs)

    return guarded


def _checked(file) -> importing.Upload:
    """The upload read into memory, or the refusal: 415 type, 413 size, 400 empty."""
    name = Path(file.name or "upload").name
    try:
        importing.check_upload(name, file.size or 0)
    except importing.ImportRefused as exc:
        if Path(name).suffix.lower() not in settings.UPLOAD_ALLOWED_EXTENSIONS:
            raise ApiError(415, "unsupported_type", exc.reason) from exc
        if (file.size or 0) > settings.UPLOAD_MAX_BYTES:
            raise ApiError(413, "too_large", exc.reason) from exc
        raise ApiError(400, "unreadable", exc.reason) from exc
    try:
        return importing.read_upload(file)
    except importing.ImportRefused as exc:
        raise ApiError(400, "unreadable", exc.reason) from exc


@router.post(
    "/documents",
    response=answers({200: ImportPreview, 201: DocumentDetail}, 400, 401, 403, 409, 413, 415, 422),
    summary="导入通知 (preview or import a notice)",
)
@decorate_view(refuse_large_bodies)
def import_document(
    request,
    file: File[UploadedFile],
    confirm: bool = False,
    period_kind: Form[Literal["monthly", "quarterly"]] = "monthly",
):
    """督查室上传责任分解通知（PDF、DOCX、HTML、TXT、MD，不超过 20 MB）。
    `confirm=false`：只解析，返回结构（各部分、任务数）和解析警告，不保存任何内容；
    `confirm=true`：导入（201），整体成功或整体不变。同一文件再次导入 409；
    不是通知或无法读取 400（一句话说明原因）；过大 413；类型不支持 415。"""
    if not permissions.can_import(request.auth):
        raise forbidden("只有督查室可以导入文件")
    upload = _checked(file)
    existing = importing.already_imported(upload.sha256)
    if existing is not None:
        raise ApiError(409, "already_imported", f"该文件已导入：{existing}（id {existing.pk}）")
    if not confirm:
        try:
            notice = importing.parse_upload(upload)
        except importing.ImportRefused as exc:
            raise ApiError(400, "unreadable", exc.reason) from exc
        return Status(200, present.preview(upload, notice))
    try:
        document = importing.import_notice(upload, request.auth, period_kind=period_kind)
    except importing.ImportRefused as exc:
        raise ApiError(400, "unreadable", exc.reason) from exc
    return Status(201, present.document_detail(document))
