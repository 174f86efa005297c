"""Reading a government work report (政府工作报告): the public entry points and the model.

::

    from luoshi.report import parse_report, report_to_dict

    report = parse_report("zhejiang-2025-work-report-excerpt.txt")
    report.document.year            # 2025 — the report's year; its review speaks of 2024
    report.results[0]               # Result(text="货物贸易出口达3.9万亿元、增长9.5%", indicator="货物贸易出口",
                                    #        value=Decimal("3.9"), unit="万亿元", measure="level", year=2024, …)
    report_to_dict(report)          # the luoshi.report.v1 object (spec/report-json.md)

``parse_report(path)`` reads any supported file (text, Markdown, HTML, PDF, DOCX) and returns a
:class:`Report`; a text that is not a work report raises :class:`~luoshi.errors.NotAReportError`
(a breakdown notice among them), unreadable input :class:`~luoshi.errors.ReadError`. The grammar
lives in :mod:`luoshi.grammar.report`; its module docstring lists how each ambiguous form is read.

The model is plain frozen dataclasses; fields may be added, never renamed or dropped. Measures of
a result are those of :class:`~luoshi.model.Target`, read with the same words as the targets:
``level`` (达/为/提高到: a total), ``growth`` (增长/上涨, + x), ``decline`` (下降, x), ``share`` (a
rate or a part of a whole in %: 覆盖率, 占全国份额, 失业率), ``rank`` (居全国第N位), ``increment``
(新增/新建/建设/完成: what was done within the year — never to be compared with a total),
``amount`` (money arranged or invested) and ``count``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from luoshi.errors import LuoshiError, NotAReportError, ParseError
from luoshi.model import Source, Target, Warning, json_number, target_to_dict, warning_to_dict

FORMAT = "luoshi.report.v1"


@dataclass(frozen=True)
class ReportHead:
    """What the report is: ``region`` 浙江省, ``year`` 2025 (the year it plans for; it reviews
    2024), ``title`` as written (政府工作报告摘要). ``excerpt``: the file holds only part of the
    report (a newspaper page starting ``(紧接第一版)`` or ending ``(下转第四版)``, or a text that
    starts in mid-document). ``summary``: a summary (摘要) — the whole report abridged, which is no
    excerpt."""

    kind: str = "work_report"
    region: str | None = None
    year: int | None = None
    title: str | None = None
    excerpt: bool = False
    summary: bool = False


@dataclass(frozen=True)
class ReportSection:
    """A section: ``kind`` review, targets, work, livelihood or other. ``level`` 1 is a part of
    the report (``一、2023年工作回顾``, the run-in 主要预期目标); 2 an area within it (``（一）…``,
    ``一是…``). ``title`` is the heading as written, or None where the text has none."""

    title: str | None
    kind: str
    line: int
    level: int = 1


@dataclass(frozen=True)
class Result:
    """A reported result: ``实际使用外资152.7亿美元`` → indicator 实际使用外资, value 152.7, unit
    亿美元, measure level, year 2024.

    ``value`` is a Decimal as written (the scale word stays in ``unit``). ``op`` is ``eq`` unless
    the text bounds it (3300亿元以上 → ge, 突破1.2万件 → gt, 6.5%左右 → approx). ``base`` is X of
    ``从X提高到Y`` (value Y). ``period``: ``month`` (人均月标准), ``cumulative`` (累计), ``average``
    (年均), ``year`` (全年) when the text says so, else None. ``canonical`` is the indicator's name
    in ``data/indicators.yaml`` when listed there."""

    text: str
    indicator: str | None
    value: Any
    unit: str | None
    measure: str
    year: int | None
    line: int
    estimate: bool = False
    op: str = "eq"
    base: Any = None
    period: str | None = None
    canonical: str | None = None


@dataclass(frozen=True)
class ReportTarget:
    """A target of the coming year: a :class:`~luoshi.model.Target` with the year it is for and
    where it stands. ``main``: one of the 主要预期目标 (what the next report reviews first);
    ``section``: targets, work or livelihood."""

    target: Target
    year: int | None
    line: int
    main: bool = False
    section: str = "work"
    canonical: str | None = None


@dataclass(frozen=True)
class LivelihoodItem:
    """One project of the 民生实事 list: ``category`` 医疗卫生方面 (None when the list has no
    categories), ``text`` the project's sentence, ``number`` the category's number (1.)."""

    category: str | None
    text: str
    line: int
    number: int | None = None


@dataclass(frozen=True)
class Report:
    source: Source
    document: ReportHead
    sections: tuple[ReportSection, ...] = ()
    results: tuple[Result, ...] = ()
    targets: tuple[ReportTarget, ...] = ()
    livelihood: tuple[LivelihoodItem, ...] = ()
    warnings: tuple[Warning, ...] = field(default_factory=tuple)


def parse_report_source(source: Source) -> Report:
    """The work report in an already-read source. Raises NotAReportError (with a one-line reason)
    when the text is not a work report."""
    from luoshi.grammar.report import parse_report_lines
    from luoshi.notice import CLAUSE_SIGN, is_work_report

    text = source.text
    if not is_work_report(text):
        if CLAUSE_SIGN.search(text):
            reason = (
                "not a government work report: it assigns tasks to responsible units "
                "(责任单位：…), as a breakdown notice does"
            )
        else:
            reason = (
                "not a government work report: no review of the past year, no 主要预期目标 "
                "and no 政府工作报告 heading found"
            )
        raise NotAReportError(reason, source.path)
    try:
        return parse_report_lines(source)
    except LuoshiError:
        raise
    except (ValueError, IndexError, KeyError, AttributeError, TypeError) as exc:  # pragma: no cover
        # A bug in a rule must not look like a crash of the user's file; say where it was.
        raise ParseError(
            f"internal error while parsing the report ({type(exc).__name__}: {exc})", source.path
        ) from exc


def parse_report(path: str | os.PathLike) -> Report:
    """Read and parse the work report at ``path`` (text, Markdown, HTML, PDF or DOCX)."""
    from luoshi.readers import read_source

    return parse_report_source(read_source(path))


def _result_dict(r: Result) -> dict:
    return {
        "text": r.text,
        "indicator": r.indicator,
        "value": json_number(r.value),
        "unit": r.unit,
        "measure": r.measure,
        "year": r.year,
        "line": r.line,
        "estimate": r.estimate,
        "op": r.op,
        "base": json_number(r.base),
        "period": r.period,
        "canonical": r.canonical,
    }


def _target_dict(t: ReportTarget) -> dict:
    # the spec's key order: text, indicator, measure, op, value, unit, year, line — then ours
    base = target_to_dict(t.target)
    head = {k: base[k] for k in ("text", "indicator", "measure", "op", "value", "unit")}
    return {
        **head,
        "year": t.year,
        "line": t.line,
        "main": t.main,
        "section": t.section,
        "hedge": base["hedge"],
        "by": base["by"],
        "canonical": t.canonical,
    }


def report_to_dict(report: Report) -> dict:
    """The ``luoshi.report.v1`` object for a report (JSON-ready, key order as in the spec, every
    key present: ``null`` or ``[]`` where it does not apply)."""
    doc = report.document
    return {
        "format": FORMAT,
        "source": {
            "path": report.source.path,
            "sha256": report.source.sha256,
            "media_type": report.source.media_type,
            "encoding": report.source.encoding,
            "notes": list(report.source.notes),
        },
        "document": {
            "kind": doc.kind,
            "region": doc.region,
            "year": doc.year,
            "title": doc.title,
            "excerpt": doc.excerpt,
            "summary": doc.summary,
        },
        "sections": [
            {"title": s.title, "kind": s.kind, "line": s.line, "level": s.level}
            for s in report.sections
        ],
        "results": [_result_dict(r) for r in report.results],
        "targets": [_target_dict(t) for t in report.targets],
        "livelihood": [
            {"category": i.category, "text": i.text, "line": i.line, "number": i.number}
            for i in report.livelihood
        ],
        "warnings": [warning_to_dict(w) for w in report.warnings],
    }
