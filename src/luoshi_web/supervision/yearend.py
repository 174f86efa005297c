"""Year-end verdicts (点 5 of issue 6): a document's targets judged against the next year's work
report, which reviews the year the document planned.

The plan is the document's stored notice read again (``luoshi.parse_source``), so that each
verdict of ``luoshi.evaluate.evaluate(plan, report)`` can be set on its ``Target`` row: tasks are
matched by their position (part, section, index in the section) and text, targets by their text
within the task. A verdict that finds no row (the notice was re-read by a newer parser since the
import, and the rows were not reparsed) is counted in ``YearEndReport.unmatched``.

For the ledger: :func:`verdicts_for` (``{target id: TargetVerdict}`` of the latest report).
"""

from __future__ import annotations

from dataclasses import dataclass

import luoshi
from luoshi.errors import LuoshiError, NotAReportError, ReadError
from luoshi.evaluate import Evaluation, Verdict, evaluate
from luoshi.model import Notice
from luoshi.readers import read_bytes
from luoshi.report import Report, parse_report_source
from luoshi_web.documents.models import Document, Target, Task
from luoshi_web.supervision.models import TargetVerdict, YearEndReport


class YearEndRefused(Exception):
    """The upload cannot be judged; ``reason`` says why, in words for the user."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def parse_work_report(name: str, data: bytes) -> Report:
    """The work report in the uploaded bytes; :class:`YearEndRefused` when it is none."""
    try:
        return parse_report_source(read_bytes(data, name))
    except NotAReportError as exc:
        if "breakdown notice" in exc.reason:
            raise YearEndRefused(
                "这是责任分解通知，不是政府工作报告：请上传下一年度的政府工作报告"
            ) from exc
        raise YearEndRefused(
            "这不是政府工作报告：没有找到上一年工作回顾、主要预期目标或“政府工作报告”标题"
        ) from exc
    except ReadError as exc:
        raise YearEndRefused(f"无法读取文件：{exc.reason}") from exc
    except LuoshiError as exc:
        raise YearEndRefused(f"无法解析报告：{exc.reason}") from exc


def check_year(document: Document, report: Report) -> None:
    year, planned = report.document.year, document.year
    if year is not None and year != planned + 1:
        raise YearEndRefused(
            f"这是{year}年的政府工作报告：{planned}年通知的目标须用回顾{planned}年的"
            f"{planned + 1}年政府工作报告来判定"
        )


def plan_for(document: Document) -> Notice:
    """The document's stored notice, read again."""
    try:
        with document.source_file.open("rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise YearEndRefused(f"找不到通知原文件（{document.original_name}），无法判定") from exc
    try:
        return luoshi.parse_source(read_bytes(data, document.original_name))
    except LuoshiError as exc:
        raise YearEndRefused(f"无法重新读取通知原文件：{exc.reason}") from exc


@dataclass
class Judged:
    evaluation: Evaluation
    verdicts: list[tuple[Target, Verdict]]
    unmatched: int


def judge(document: Document, plan: Notice, report: Report) -> Judged:
    """Each verdict of the plan against the report, set on its Target row where one matches."""
    evaluation = evaluate(plan, report)
    positions = []  # the plan's targets in evaluate's order, with where they stand
    for pi, part in enumerate(plan.parts):
        for si, section in enumerate(part.sections):
            for ti, task in enumerate(section.tasks):
                positions.extend((pi, si, ti, task, target) for target in task.targets)
    tasks = Task.objects.filter(section__part__document=document, retired=False).select_related(
        "section__part"
    )
    by_position = {(t.section.part.index, t.section.index, t.index): t for t in tasks}
    by_text = {(t.section.part.index, t.section.index, t.text): t for t in tasks}
    targets: dict[int, dict[str, Target]] = {}
    for target in Target.objects.filter(task__in=[t.pk for t in tasks], retired=False):
        targets.setdefault(target.task_id, {}).setdefault(target.text, target)
    out, unmatched = [], 0
    for (pi, si, ti, task, target), verdict in zip(positions, evaluation.verdicts, strict=True):
        row = by_position.get((pi, si, ti))
        if row is None or row.text != task.text:
            row = by_text.get((pi, si, task.text))
        found = targets.get(row.pk, {}).get(target.text) if row is not None else None
        if found is None:
            unmatched += 1
            continue
        out.append((found, verdict))
    return Judged(evaluation, out, unmatched)


def latest_report(document: Document) -> YearEndReport | None:
    return (
        YearEndReport.objects.filter(document=document, evaluated_at__isnull=False)
        .order_by("-evaluated_at", "-id")
        .first()
    )


def verdicts_for(document: Document) -> dict[int, TargetVerdict]:
    """``{Target id: TargetVerdict}`` from the latest year-end report of ``document`` (empty
    when none was uploaded). Each verdict has ``verdict`` (met · not_met · unknown, shown by
    ``get_verdict_display()`` as 完成 · 未完成 · 无法判定), ``why`` (``152.7亿美元 < 200亿美元``),
    ``result_text`` and ``result_line`` (where the report says it) and ``report``."""
    report = latest_report(document)
    if report is None:
        return {}
    return {v.target_id: v for v in report.verdicts.select_related("report")}


def summary(document: Document, target_ids=None) -> dict:
    """Counts of the latest report's verdicts (``met``, ``not_met``, ``unknown``, ``total``),
    over ``target_ids`` when given (a user's visible targets)."""
    report = latest_report(document)
    counts = {"met": 0, "not_met": 0, "unknown": 0}
    if report is not None:
        verdicts = report.verdicts.all()
        if target_ids is not None:
            verdicts = verdicts.filter(target__in=target_ids)
        for verdict in verdicts.values_list("verdict", flat=True):
            counts[verdict] = counts.get(verdict, 0) + 1
    counts["total"] = sum(counts.values())
    counts["report"] = report
    return counts
