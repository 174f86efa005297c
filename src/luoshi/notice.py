"""Reading a breakdown notice: the public entry points.

``parse_notice(path)`` reads any supported file, checks that it is a notice and returns the
:class:`~luoshi.model.Notice`; a government work report raises
:class:`~luoshi.errors.WorkReportError`, anything else that is not a notice
:class:`~luoshi.errors.NotANoticeError`, and unreadable input :class:`~luoshi.errors.ReadError`.
"""

from __future__ import annotations

import os
import re

from luoshi.errors import LuoshiError, NotANoticeError, ParseError, WorkReportError
from luoshi.grammar.notice import parse_lines
from luoshi.model import Notice, Source
from luoshi.readers import read_bytes, read_source
from luoshi.registry import Registry

# What a 政府工作报告 says that a notice never does.
REPORT_SIGNS = (
    re.compile(r"政府工作报告(摘要|全文)?\s*$", re.M),
    re.compile(r"各位代表"),
    re.compile(r"工作回顾"),
    re.compile(r"(主要预期目标|目标任务和重点工作)"),
    re.compile(r"[（(]紧接第[一二三四五六七八九十\d]+版[)）]"),
    re.compile(r"^#+\s*政府工作报告", re.M),
)
CLAUSE_SIGN = re.compile(r"(责任单位|牵头单位|配合单位|牵头领导|协同责任单位)\s*[:：]")


def is_work_report(text: str) -> bool:
    """True for a work report (whole, summary or newspaper excerpt) — a text with at least two
    report signs and no responsibility clauses."""
    signs = sum(1 for rx in REPORT_SIGNS if rx.search(text))
    clauses = len(CLAUSE_SIGN.findall(text))
    return signs >= 2 and clauses == 0


def parse_source(source: Source, registry: Registry | None = None) -> Notice:
    """The notice in an already-read source. Raises ParseError subclasses as parse_notice."""
    text = source.text
    if is_work_report(text):
        raise WorkReportError(
            "this is a government work report (政府工作报告), not a breakdown notice", source.path
        )
    try:
        notice = parse_lines(source, registry)
    except LuoshiError:
        raise
    except (ValueError, IndexError, KeyError, AttributeError, TypeError) as exc:  # pragma: no cover
        # A bug in a rule must not look like a crash of the user's file; say where it was.
        raise ParseError(
            f"internal error while parsing ({type(exc).__name__}: {exc})", source.path
        ) from exc
    if not any(task.units for _, _, task in notice.tasks()):
        raise NotANoticeError(
            "not a responsibility breakdown notice: no task with responsible units found",
            source.path,
        )
    return notice


def parse_notice(path: str | os.PathLike, registry: Registry | None = None) -> Notice:
    """Read and parse the notice at ``path`` (text, Markdown, HTML, PDF or DOCX)."""
    return parse_source(read_source(path), registry)


def parse_notice_text(text: str, path: str = "<text>", registry: Registry | None = None) -> Notice:
    """Parse notice text given as a string (UTF-8)."""
    return parse_source(read_bytes(text.encode("utf-8"), path), registry)
