"""Verdicts: the targets of year N judged against the results the year N+1 work report gives.

:func:`evaluate` takes a plan — a breakdown notice (every task's targets) or a work report (its
coming-year targets) — and the next year's :class:`~luoshi.report.Report`, and gives one
:class:`Verdict` per target of the plan (``luoshi.evaluation.v1``).

A target is decided (``met`` / ``not_met``) only by a result that measures the same thing:

1. the same indicator — the names agree after scope words (全省, 全社会 …) and quotes are set
   aside, or ``data/indicators.yaml`` lists both names under one statistic. Names that merely look
   alike (国家单项冠军企业 / 国家制造业单项冠军, 新投产电源项目装机 / 新增电力装机) decide nothing;
2. the same measure — a growth rate against a growth rate, a share against a share. A total never
   decides an increment (参保人数达4526万人 does not decide 新增参保人数2000万人);
3. a comparable unit — the same unit word; scale words convert (1.2万亿元 against 8000亿元);
4. the same year, and a year-long figure: a monthly standard (人均月标准) or a cumulative count
   decides no annual target, and a target for 2030 is not decided by 2024's result.

Otherwise the verdict is ``unknown``, with the nearest candidate and the reason. How a decided
target compares (the arithmetic is quoted in ``why``):

====================  =========================================================================
op                    met when (``r`` the result, ``v`` the target)
====================  =========================================================================
ge / gt               r ≥ v / r > v
le / lt               r ≤ v / r < v
between (lo, hi)      r ≥ lo, or r ≤ hi for an indicator where lower is better
approx (左右)          r ≥ v × (1 − 5%), or r ≤ v × (1 + 5%) where lower is better
eq (a plain amount)   r ≥ v, or r ≤ v where lower is better (doing more than promised is met)
====================  =========================================================================

Which indicators are better lower (居民消费价格, 城镇调查失业率 …) is data: the ``lower_is_better``
list of ``data/indicators.yaml``. A 预计 (estimate) result decides, and ``why`` says it is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from luoshi.grammar.report import resolve_indicator
from luoshi.model import Notice, Target, json_number, target_to_dict
from luoshi.report import Report, Result

FORMAT = "luoshi.evaluation.v1"
APPROX_TOLERANCE = Decimal("0.05")  # 左右: within 5% of the target value

# totals of a year are comparable whatever word the grammar used for them
MEASURE_CLASS = {"level": "total", "count": "total"}
# how a measure is named in a reason (why) shown to users
MEASURE_ZH = {
    "level": "总量",
    "count": "总量",
    "increment": "新增量",
    "growth": "增速",
    "decline": "降幅",
    "share": "比率",
    "amount": "金额",
    "rank": "位次",
    "margin": "差距",
}
SCOPE_RE = re.compile(r"^(?:全省|我省|全市|我市|全年|今年|全社会|力争|确保)+")
QUOTES_RE = re.compile(r"[“”\"‘’「」《》\s]")


@dataclass(frozen=True)
class TaskRef:
    """Where a target stands in a notice: ``part`` and ``section`` are 1-based positions."""

    part: int
    section: int
    number: int | None
    text: str


@dataclass(frozen=True)
class PlanTarget:
    target: Target
    year: int | None
    task: TaskRef | None = None
    line: int | None = None


@dataclass(frozen=True)
class Verdict:
    plan: PlanTarget
    verdict: str  # met | not_met | unknown
    why: str
    result: Result | None = None


@dataclass(frozen=True)
class Evaluation:
    plan_path: str
    plan_year: int | None
    report_path: str
    report_year: int | None
    verdicts: tuple[Verdict, ...]


# -- data ------------------------------------------------------------------------------------
@cache
def _scales() -> tuple[tuple[str, Decimal], ...]:
    raw = yaml.safe_load(
        resources.files("luoshi.data").joinpath("measures.yaml").read_text("utf-8")
    )
    pairs = [(r["word"], Decimal(str(r["factor"]))) for r in raw["scales"]]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@cache
def _unit_words() -> frozenset[str]:
    raw = yaml.safe_load(
        resources.files("luoshi.data").joinpath("measures.yaml").read_text("utf-8")
    )
    words = set()
    for rec in raw["units"]:
        words.add(rec["word"])
        words.update(rec.get("also", []))
    return frozenset(words)


@cache
def lower_is_better() -> frozenset[str]:
    raw = yaml.safe_load(
        resources.files("luoshi.data").joinpath("indicators.yaml").read_text("utf-8")
    )
    return frozenset(r["canonical"] for r in raw.get("lower_is_better", []))


def split_unit(unit: str | None) -> tuple[Decimal, str | None]:
    """``亿美元`` → (10⁸, 美元); ``万千瓦`` → (10⁴, 千瓦); ``千瓦`` → (1, 千瓦); ``%`` → (1, %)."""
    if not unit:
        return Decimal(1), None
    if unit in _unit_words():
        return Decimal(1), unit
    for word, factor in _scales():
        if unit.startswith(word) and (unit[len(word) :] in _unit_words() or not unit[len(word) :]):
            return factor, unit[len(word) :] or None
    return Decimal(1), unit


@cache
def indicator_key(name: str | None) -> str | None:
    """The name two figures must share to measure the same thing: the data's canonical name, or
    the name with scope words, hedges and quotes set aside (``力争实际使用外资`` → 实际使用外资)."""
    if not name:
        return None
    plain = QUOTES_RE.sub("", name).replace("(", "（").replace(")", "）")
    for candidate in (name, plain, SCOPE_RE.sub("", plain)):
        canonical = resolve_indicator(candidate)
        if canonical:
            return canonical
    return SCOPE_RE.sub("", plain) or None


# -- the plan's targets -----------------------------------------------------------------------
def plan_targets(plan: Notice | Report) -> list[PlanTarget]:
    """Every target of a notice (with its task) or the coming-year targets of a work report."""
    if isinstance(plan, Report):
        return [PlanTarget(t.target, t.year, None, t.line) for t in plan.targets]
    year = plan.document.year
    out = []
    for pi, part in enumerate(plan.parts, 1):
        for si, section in enumerate(part.sections, 1):
            for task in section.tasks:
                ref = TaskRef(pi, si, task.number, task.text)
                out.extend(PlanTarget(t, year, ref, task.line) for t in task.targets)
    return out


def _plan_year(plan: Notice | Report) -> int | None:
    return plan.document.year


# -- judging one target -----------------------------------------------------------------------
def _fmt(value: Any, unit: str | None) -> str:
    v = json_number(value)
    if isinstance(v, list):
        return f"{v[0]}—{v[1]}{unit or ''}"
    return f"{v}{unit or ''}"


def _comparable(pt: PlanTarget, r: Result) -> str | None:
    """None when ``r`` measures what ``pt`` promises; otherwise why it does not."""
    t = pt.target
    if MEASURE_CLASS.get(t.measure, t.measure) != MEASURE_CLASS.get(r.measure, r.measure):
        return f"结果是{MEASURE_ZH.get(r.measure, r.measure)}，目标是{MEASURE_ZH.get(t.measure, t.measure)}"
    _, tu = split_unit(t.unit)
    _, ru = split_unit(r.unit)
    if tu != ru:
        return f"单位不同（结果为{r.unit or '无单位'}，目标为{t.unit or '无单位'}）"
    if pt.year is not None and r.year is not None and r.year != pt.year:
        return f"结果是{r.year}年的，目标是{pt.year}年的"
    if r.period in ("month", "cumulative", "average") and not re.search(
        "月|累计|年均", t.indicator or ""
    ):
        words = {"month": "月度数", "cumulative": "累计数", "average": "平均数"}
        return f"结果是{words[r.period]}，目标是全年数"
    if t.by and pt.year is not None and int(t.by[:4]) > pt.year:
        return f"目标的期限是{t.by[:4]}年"
    return None


def _scaled(value: Decimal, unit: str | None, to_unit: str | None) -> Decimal:
    factor, _ = split_unit(unit)
    to_factor, _ = split_unit(to_unit)
    return value * factor / to_factor


def judge(pt: PlanTarget, r: Result) -> Verdict:
    """The verdict of a comparable result (see the module table)."""
    t = pt.target
    rv = _scaled(Decimal(r.value), r.unit, t.unit)
    shown = f"{json_number(rv)}{t.unit or ''}"
    if rv != Decimal(r.value):
        shown += f" ({_fmt(r.value, r.unit)})"
    lower = indicator_key(t.indicator) in lower_is_better()
    op, note = t.op, ""
    if op == "between":
        lo, hi = (Decimal(x) for x in t.value)
        sym, bound = ("≤", hi) if lower else ("≥", lo)
        note = f"（{_fmt(t.value, t.unit)}）"
    elif op in ("ge", "gt", "le", "lt"):
        sym, bound = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}[op], Decimal(t.value)
    elif op == "approx":
        v = Decimal(t.value)
        sym, bound = (
            ("≤", v * (1 + APPROX_TOLERANCE)) if lower else ("≥", v * (1 - APPROX_TOLERANCE))
        )
        bound = bound.normalize()
        note = f"（{_fmt(t.value, t.unit)}左右，容差{json_number(APPROX_TOLERANCE * 100)}%）"
    else:  # eq: a plain amount or level; doing more (or, for a ceiling, less) is met
        sym, bound = ("≤", Decimal(t.value)) if lower else ("≥", Decimal(t.value))
    met = {"≥": rv >= bound, ">": rv > bound, "≤": rv <= bound, "<": rv < bound}[sym]
    if not met:
        sym = {"≥": "<", ">": "≤", "≤": ">", "<": "≥"}[sym]
    verdict = "met" if met else "not_met"
    why = f"{shown} {sym} {_fmt(bound, t.unit)}{note}"
    if r.estimate:
        why += "（报告数据为预计数）"
    return Verdict(pt, verdict, why, r)


def judge_target(pt: PlanTarget, results: list[Result]) -> Verdict:
    key = indicator_key(pt.target.indicator)
    same = [r for r in results if key and indicator_key(r.indicator) == key]
    if not same:
        return Verdict(pt, "unknown", f"报告未给出“{pt.target.indicator}”的结果")
    fitting = [r for r in same if _comparable(pt, r) is None]
    if not fitting:
        nearest = same[0]
        return Verdict(
            pt, "unknown", f"“{nearest.text}”不能判定：{_comparable(pt, nearest)}", nearest
        )
    values = {_scaled(Decimal(r.value), r.unit, pt.target.unit) for r in fitting}
    if len(values) > 1:
        shown = "、".join(r.text for r in fitting)
        return Verdict(pt, "unknown", f"报告给出的数据不一：{shown}", fitting[0])
    return judge(pt, fitting[0])


def evaluate(plan: Notice | Report, report: Report) -> Evaluation:
    """One verdict per target of ``plan``, judged against ``report`` (the next year's)."""
    results = list(report.results)
    verdicts = tuple(judge_target(pt, results) for pt in plan_targets(plan))
    return Evaluation(
        plan.source.path, _plan_year(plan), report.source.path, report.document.year, verdicts
    )


# -- the contract -----------------------------------------------------------------------------
def evaluation_to_dict(e: Evaluation) -> dict:
    """The ``luoshi.evaluation.v1`` object."""
    out = []
    for v in e.verdicts:
        task = v.plan.task
        out.append(
            {
                "task": (
                    {
                        "part": task.part,
                        "section": task.section,
                        "number": task.number,
                        "text": task.text,
                    }
                    if task
                    else None
                ),
                "target": target_to_dict(v.plan.target),
                "result": (
                    {
                        "text": v.result.text,
                        "value": json_number(v.result.value),
                        "unit": v.result.unit,
                        "line": v.result.line,
                        "indicator": v.result.indicator,
                        "measure": v.result.measure,
                        "year": v.result.year,
                        "estimate": v.result.estimate,
                    }
                    if v.result
                    else None
                ),
                "verdict": v.verdict,
                "why": v.why,
            }
        )
    return {
        "format": FORMAT,
        "plan": {"path": e.plan_path, "year": e.plan_year},
        "report": {"path": e.report_path, "year": e.report_year},
        "results": out,
    }
