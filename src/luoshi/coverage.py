"""Coverage: which notice task assigns each target of a work report.

The work report of year N promises numbers; the breakdown notice of year N gives them to units.
:func:`coverage` pairs every target of the report with the notice tasks that carry the same
commitment — the same indicator (see :func:`luoshi.evaluate.indicator_key`), the same measure and
the same value — and lists the targets no task carries (2024: the report's 新增“雄鹰”企业30家 is in
柯吉欣's task 6; a target found in no task is unassigned).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from luoshi.evaluate import PlanTarget, TaskRef, indicator_key, plan_targets, split_unit
from luoshi.model import Notice, Target, target_to_dict
from luoshi.report import Report

FORMAT = "luoshi.coverage.v1"


@dataclass(frozen=True)
class Assignment:
    target: PlanTarget  # a target of the report
    tasks: tuple[tuple[TaskRef, Target, tuple[str, ...], str], ...]  # (task, target, leads, match)


@dataclass(frozen=True)
class Coverage:
    report_path: str
    notice_path: str
    year: int | None
    assignments: tuple[Assignment, ...]

    @property
    def unassigned(self) -> tuple[Assignment, ...]:
        return tuple(a for a in self.assignments if not a.tasks)


def _value(t: Target):
    factor, _ = split_unit(t.unit)
    if isinstance(t.value, tuple):
        return tuple(Decimal(v) * factor for v in t.value)
    return Decimal(t.value) * factor


# Counts of a year: the notice may write 新增 where the report lists the same figure after it.
COUNT_CLASS = {"increment": "count", "level": "count", "count": "count"}
SIMILAR = 0.8  # how alike two indicator names must be for a "similar" pairing


def _same_number(a: Target, b: Target) -> bool:
    # the op may differ: one 以上 closing a list in the notice, none in the report's sentence
    return (
        (a.op == "between") == (b.op == "between")
        and COUNT_CLASS.get(a.measure, a.measure) == COUNT_CLASS.get(b.measure, b.measure)
        and split_unit(a.unit)[1] == split_unit(b.unit)[1]
        and _value(a) == _value(b)
    )


def match(a: Target, b: Target) -> str | None:
    """``"same"`` when two targets promise the same thing (same indicator, measure, unit and
    value), ``"similar"`` when the number agrees and the indicators differ only a little
    (实施县城承载力提升重大项目 / 实施县城承载能力提升重大项目), else None."""
    if not _same_number(a, b):
        return None
    ka, kb = indicator_key(a.indicator), indicator_key(b.indicator)
    if ka == kb:
        return "same"
    if ka and kb and SequenceMatcher(None, ka, kb).ratio() >= SIMILAR:
        return "similar"
    return None


def coverage(report: Report, notice: Notice) -> Coverage:
    """Every target of ``report`` with the tasks of ``notice`` that assign it."""
    leads: dict[int, tuple[str, ...]] = {}
    for part in notice.parts:
        for section in part.sections:
            for task in section.tasks:
                leads[task.line] = tuple(
                    u.canonical or u.name for u in task.units if u.role == "lead"
                )
    notice_targets = plan_targets(notice)
    out = []
    for rt in plan_targets(report):
        found = [(nt, match(rt.target, nt.target)) for nt in notice_targets if nt.task is not None]
        same = [(nt, m) for nt, m in found if m == "same"]
        chosen = same or [(nt, m) for nt, m in found if m == "similar"]
        tasks = tuple((nt.task, nt.target, leads.get(nt.line or 0, ()), m) for nt, m in chosen)
        out.append(Assignment(rt, tasks))
    return Coverage(report.source.path, notice.source.path, report.document.year, tuple(out))


def coverage_to_dict(c: Coverage) -> dict:
    return {
        "format": FORMAT,
        "report": {"path": c.report_path, "year": c.year},
        "notice": {"path": c.notice_path},
        "targets": [
            {
                "target": target_to_dict(a.target.target),
                "line": a.target.line,
                "tasks": [
                    {
                        "part": ref.part,
                        "section": ref.section,
                        "number": ref.number,
                        "text": ref.text,
                        "target": target_to_dict(t),
                        "leads": list(leads),
                        "match": how,
                    }
                    for ref, t, leads, how in a.tasks
                ],
            }
            for a in c.assignments
        ],
        "unassigned": [target_to_dict(a.target.target) for a in c.unassigned],
    }
