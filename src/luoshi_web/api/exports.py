"""Exports for scripts: ``GET /api/documents/{id}/ledger.xlsx`` (also ``.csv``, ``.json``) with
optional ``leader``, ``unit`` and ``period``, and ``GET /api/documents/{id}/bulletin.docx?period=``.

The same files as the browser downloads (``luoshi_web.exports``), within the caller's
permissions: a unit's ledger holds only its own tasks. A document the caller sees no task of is
404; an unknown leader, unit or period is 400 with the reason.
"""

from __future__ import annotations

from ninja import Router

from luoshi_web.api.errors import invalid
from luoshi_web.api.lookups import document_or_404
from luoshi_web.api.schemas import answers
from luoshi_web.exports import bulletin, ledger, tabular
from luoshi_web.exports.download import file_response
from luoshi_web.exports.rows import FilterError, parse_filters, scope_label

router = Router(tags=["导出 exports"])

BINARY = {"schema": {"type": "string", "format": "binary"}}
LEDGER_JSON = {
    "schema": {
        "type": "object",
        "required": ["document", "period", "columns", "rows"],
        "properties": {
            "document": {"type": "object"},
            "period": {"type": "object"},
            "filters": {"type": "object"},
            "generated_at": {"type": "string"},
            "columns": {"type": "array", "items": {"type": "object"}},
            "rows": {"type": "array", "items": {"type": "object"}},
        },
    }
}
LEDGER_FORMATS = {
    "xlsx": (ledger.build_ledger, ledger.CONTENT_TYPE),
    "csv": (tabular.ledger_csv, tabular.CSV_CONTENT_TYPE),
    "json": (tabular.ledger_json, tabular.JSON_CONTENT_TYPE),
}


def _file_answer(content_type: str, body: dict = BINARY) -> dict:
    """The OpenAPI description of a 200 that is a file (by default a binary one)."""
    return {
        "responses": {200: {"description": "文件", "content": {content_type.split(";")[0]: body}}}
    }


def _filters(document, **given):
    try:
        return parse_filters(document, **given)
    except FilterError as exc:
        raise invalid(exc.message) from exc


def _ledger(request, document_id: int, extension: str, leader, unit, period):
    document = document_or_404(request.auth, document_id)
    filters = _filters(document, leader=leader, unit=unit, period=period)
    build, content_type = LEDGER_FORMATS[extension]
    content = build(request.auth, document, filters=filters)
    name = ledger.ledger_filename(document, filters, scope_label(request.auth, filters), extension)
    fallback = f"ledger-{document.pk}-{filters.period.label}.{extension}"
    return file_response(content, name, fallback, content_type)


@router.get(
    "/documents/{document_id}/ledger.xlsx",
    response=answers({}, 400, 401, 404, 422),
    summary="台账 (Excel)",
    openapi_extra=_file_answer(ledger.CONTENT_TYPE),
)
def ledger_xlsx(
    request,
    document_id: int,
    leader: str | None = None,
    unit: str | None = None,
    period: str | None = None,
):
    """文件的工作台账（调用者可见的任务）：序号、重点工作、牵头领导、牵头单位、责任单位、量化指标、完成时限、
    本期进展、完成率、亮灯、存在问题、下步打算。可按牵头领导、单位、期次（2024-03）筛选。"""
    return _ledger(request, document_id, "xlsx", leader, unit, period)


@router.get(
    "/documents/{document_id}/ledger.csv",
    response=answers({}, 400, 401, 404, 422),
    summary="台账 (CSV, UTF-8 with BOM)",
    openapi_extra=_file_answer(tabular.CSV_CONTENT_TYPE),
)
def ledger_csv(
    request,
    document_id: int,
    leader: str | None = None,
    unit: str | None = None,
    period: str | None = None,
):
    """与 Excel 台账同样的行，CSV（带 BOM 的 UTF-8）。"""
    return _ledger(request, document_id, "csv", leader, unit, period)


@router.get(
    "/documents/{document_id}/ledger.json",
    response=answers({}, 400, 401, 404, 422),
    summary="台账 (JSON)",
    openapi_extra=_file_answer(tabular.JSON_CONTENT_TYPE, LEDGER_JSON),
)
def ledger_json(
    request,
    document_id: int,
    leader: str | None = None,
    unit: str | None = None,
    period: str | None = None,
):
    """与 Excel 台账同样的行，JSON。"""
    return _ledger(request, document_id, "json", leader, unit, period)


@router.get(
    "/documents/{document_id}/bulletin.docx",
    response=answers({}, 400, 401, 404, 422),
    summary="督查通报 (Word)",
    openapi_extra=_file_answer(bulletin.CONTENT_TYPE),
)
def bulletin_docx(request, document_id: int, period: str | None = None):
    """一期的督查通报：总体情况、分领导亮灯、逾期未报单位、红灯任务。"""
    document = document_or_404(request.auth, document_id)
    filters = _filters(document, period=period)
    content = bulletin.build_bulletin(request.auth, document, filters.period)
    name = bulletin.bulletin_filename(document, filters.period, scope_label(request.auth, filters))
    return file_response(
        content, name, f"bulletin-{document.pk}-{filters.period.label}.docx", bulletin.CONTENT_TYPE
    )
