"""Downloads of the exports in the browser.

==========================================  ==================================================
URL                                         answer
==========================================  ==================================================
``/exports/documents/<id>/ledger/``         the ledger; ``?format=xlsx`` (default), ``csv`` or
                                            ``json``; ``?period=2024-03``, ``?leader=王浩``
                                            (name or id), ``?unit=zj-finance`` (registry id,
                                            name or id)
``/exports/documents/<id>/bulletin/``       the bulletin (.docx); ``?period=2024-03``
==========================================  ==================================================

Anonymous: to the login page. A document the user sees no task of: 404, as for a task one may
not read (``rows.can_export``). An unknown format, period, leader or unit: 400 with the reason.
What the file holds is the user's share of the document (``accounts.permissions``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from luoshi_web.documents.models import Document
from luoshi_web.exports import bulletin, ledger, tabular
from luoshi_web.exports.download import file_response
from luoshi_web.exports.rows import FilterError, can_export, parse_filters, scope_label

LEDGER_FORMATS = {
    "xlsx": (ledger.build_ledger, ledger.CONTENT_TYPE),
    "csv": (tabular.ledger_csv, tabular.CSV_CONTENT_TYPE),
    "json": (tabular.ledger_json, tabular.JSON_CONTENT_TYPE),
}


def _document_or_404(user, pk: int) -> Document:
    document = get_object_or_404(Document, pk=pk)
    if not can_export(user, document):
        raise Http404("没有这个文件")
    return document


def _bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@require_GET
@login_required
def ledger_download(request, pk: int):
    document = _document_or_404(request.user, pk)
    extension = request.GET.get("format", "xlsx") or "xlsx"
    if extension not in LEDGER_FORMATS:
        return _bad_request(f"不支持的格式“{extension}”：应为 xlsx、csv 或 json")
    try:
        filters = parse_filters(
            document,
            leader=request.GET.get("leader"),
            unit=request.GET.get("unit"),
            period=request.GET.get("period"),
        )
    except FilterError as exc:
        return _bad_request(exc.message)
    build, content_type = LEDGER_FORMATS[extension]
    content = build(request.user, document, filters=filters)
    name = ledger.ledger_filename(document, filters, scope_label(request.user, filters), extension)
    fallback = f"ledger-{document.pk}-{filters.period.label}.{extension}"
    return file_response(content, name, fallback, content_type)


@require_GET
@login_required
def bulletin_download(request, pk: int):
    document = _document_or_404(request.user, pk)
    try:
        filters = parse_filters(document, period=request.GET.get("period"))
    except FilterError as exc:
        return _bad_request(exc.message)
    content = bulletin.build_bulletin(request.user, document, filters.period)
    name = bulletin.bulletin_filename(document, filters.period, scope_label(request.user, filters))
    fallback = f"bulletin-{document.pk}-{filters.period.label}.docx"
    return file_response(content, name, fallback, bulletin.CONTENT_TYPE)
