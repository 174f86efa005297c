"""Verdicts and coverage: the 2024 targets judged against the 2025 report, and the 2024 report's
targets found in the 2024 notice."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from luoshi import parse_notice
from luoshi.coverage import coverage, coverage_to_dict
from luoshi.evaluate import PlanTarget, evaluate, evaluation_to_dict, judge_target, split_unit
from luoshi.model import Target
from luoshi.report import Result, parse_report

TESTS = Path(__file__).parent
NOTICE_2024 = TESTS / "golden" / "zhejiang-2024-notice.txt"
REPORT_2024 = TESTS / "golden_reports" / "zhejiang-2024-work-report-summary.md"
REPORT_2025 = TESTS / "golden_reports" / "zhejiang-2025-work-report-excerpt.txt"


@pytest.fixture(scope="module")
def verdicts_2024():
    return evaluate(parse_notice(NOTICE_2024), parse_report(REPORT_2025))


def find(evaluation, text):
    hits = [v for v in evaluation.verdicts if text in v.plan.target.text]
    assert len(hits) == 1, [v.plan.target.text for v in hits]
    return hits[0]


@pytest.mark.parametrize(
    ("target", "verdict", "why", "quote"),
    [
        (
            "实际使用外资200亿美元以上",
            "not_met",
            "152.7亿美元 < 200亿美元",
            "实际使用外资152.7亿美元",
        ),
        ("和美乡村覆盖率达 40% 以上", "met", "51.7% ≥ 40%", "和美乡村覆盖率达51.7%"),
        ("上市公司 50 家", "not_met", "23家 < 50家", "上市公司23家"),
        ("制造业外资占比超过29%", "met", "51% > 29%", "制造业外资占比51%"),
        ("新增“雄鹰”企业 30 家", "met", "50家 ≥ 30家", "新增“雄鹰”企业50家"),
    ],
)
def test_the_2024_targets_the_2025_report_decides(verdicts_2024, target, verdict, why, quote):
    v = find(verdicts_2024, target)
    assert (v.verdict, v.why) == (verdict, why)
    assert quote in v.result.text
    # the quote is the report's own words, on the line given
    line = REPORT_2025.read_text("utf-8").splitlines()[v.result.line - 1]
    assert v.result.text.replace("**", "") in line.replace("**", "")


def test_every_decided_verdict_quotes_the_report(verdicts_2024):
    decided = [v for v in verdicts_2024.verdicts if v.verdict != "unknown"]
    assert len(decided) == 6
    for v in decided:
        assert v.result is not None and v.result.year == 2024 and v.why


def test_a_total_never_decides_an_increment(verdicts_2024):
    # 长期护理保险参保人数达4526万人 is a total; the target is 2000万 newly insured
    v = find(verdicts_2024, "新增参保人数 2000 万人以上")
    assert v.verdict == "unknown"


def test_a_similar_name_decides_nothing(verdicts_2024):
    # 国家单项冠军企业(产品) 20家 vs the report's 国家制造业单项冠军44家; 新投产电源项目装机 vs 新增电力装机
    assert find(verdicts_2024, "国家单项冠军企业(产品)20 家").verdict == "unknown"
    assert find(verdicts_2024, "新投产电源项目装机 1200 万千瓦").verdict == "unknown"


def target(indicator, op, value, unit, measure, by=None):
    return PlanTarget(
        Target(f"{indicator}{value}{unit}", indicator, op, value, unit, by=by, measure=measure),
        2024,
    )


def result(indicator, value, unit, measure, year=2024, period=None, estimate=False):
    return Result(
        f"{indicator}{value}{unit}",
        indicator,
        Decimal(value),
        unit,
        measure,
        year,
        1,
        estimate=estimate,
        period=period,
    )


def test_a_monthly_figure_decides_no_annual_target():
    v = judge_target(
        target("低保标准", "ge", Decimal(13200), "元", "level"),
        [result("低保标准", "1167", "元", "level", period="month")],
    )
    assert v.verdict == "unknown" and "月度数" in v.why


def test_scale_words_convert():
    assert split_unit("万亿元") == (Decimal(10) ** 12, "元")
    assert split_unit("万千瓦") == (Decimal(10000), "千瓦")
    assert split_unit("千瓦") == (Decimal(1), "千瓦")
    v = judge_target(
        target("完成年度投资", "ge", Decimal(1), "万亿元", "amount"),
        [result("完成年度投资", "9800", "亿元", "amount")],
    )
    assert (v.verdict, v.why) == ("not_met", "0.98万亿元 (9800亿元) < 1万亿元")


def test_approx_is_a_floor_within_five_percent():
    gdp = target("生产总值", "approx", Decimal("5.5"), "%", "growth")
    assert judge_target(gdp, [result("生产总值", "5.4", "%", "growth")]).verdict == "met"
    assert judge_target(gdp, [result("生产总值", "5.0", "%", "growth")]).verdict == "not_met"


def test_approx_is_a_ceiling_where_lower_is_better():
    cpi = target("居民消费价格", "approx", Decimal(3), "%", "growth")
    v = judge_target(cpi, [result("居民消费价格", "0.2", "%", "growth")])
    assert v.verdict == "met" and v.why.startswith("0.2% ≤ 3.15%")
    assert judge_target(cpi, [result("居民消费价格", "3.5", "%", "growth")]).verdict == "not_met"


def test_a_range_is_met_from_its_low_end():
    gdp = target("生产总值", "between", (Decimal(5), Decimal("5.5")), "%", "growth")
    assert judge_target(gdp, [result("生产总值", "5.2", "%", "growth")]).verdict == "met"
    assert judge_target(gdp, [result("生产总值", "4.9", "%", "growth")]).verdict == "not_met"


def test_another_year_or_a_later_horizon_decides_nothing():
    t = target("研发投入强度", "ge", Decimal("3.2"), "%", "share")
    assert (
        judge_target(t, [result("研发投入强度", "3.3", "%", "share", year=2023)]).verdict
        == "unknown"
    )
    later = target("集群营收", "gt", Decimal(13), "万亿元", "level", by="2030")
    assert judge_target(later, [result("集群营收", "14", "万亿元", "level")]).verdict == "unknown"


def test_a_growth_rate_does_not_decide_a_level():
    t = target("实际使用外资", "ge", Decimal(200), "亿美元", "level")
    v = judge_target(t, [result("实际使用外资", "4.8", "%", "growth")])
    assert v.verdict == "unknown" and v.result is not None


def test_an_estimate_decides_and_says_so():
    t = target("研发投入强度", "ge", Decimal("3.1"), "%", "share")
    v = judge_target(t, [result("研发投入强度", "3.15", "%", "share", estimate=True)])
    assert v.verdict == "met" and "预计" in v.why


def test_the_evaluation_contract(verdicts_2024):
    d = evaluation_to_dict(verdicts_2024)
    assert d["format"] == "luoshi.evaluation.v1"
    assert d["plan"]["year"] == 2024 and d["report"]["year"] == 2025
    first = next(r for r in d["results"] if r["verdict"] == "not_met")
    assert set(first) >= {"task", "target", "result", "verdict", "why"}
    assert set(first["task"]) == {"part", "section", "number", "text"}
    assert first["result"]["value"] == 152.7 and first["result"]["unit"] == "亿美元"
    assert len(d["results"]) == sum(len(t.targets) for _, _, t in parse_notice(NOTICE_2024).tasks())


def test_a_work_report_can_be_the_plan():
    e = evaluate(parse_report(REPORT_2024), parse_report(REPORT_2025))
    assert e.plan_year == 2024
    assert find(e, "实际使用外资200亿美元以上").verdict == "not_met"
    assert find(e, "和美乡村覆盖率达40%以上").verdict == "met"


def test_coverage_of_the_2024_report_by_the_2024_notice():
    c = coverage(parse_report(REPORT_2024), parse_notice(NOTICE_2024))
    assert len(c.assignments) == 48
    assert [a.target.target.text for a in c.unassigned] == ["上市企业50家"]
    gdp = next(a for a in c.assignments if a.target.target.text == "生产总值增长5.5%左右")
    ((ref, _t, leads, how),) = gdp.tasks
    assert (ref.part, ref.section, ref.number, leads, how) == (1, 2, 1, ("省发展改革委",), "same")
    county = next(a for a in c.assignments if "县城承载力" in a.target.target.text)
    assert county.tasks[0][3] == "similar"  # 承载力 / 承载能力
    d = coverage_to_dict(c)
    assert d["unassigned"][0]["text"] == "上市企业50家"


def luoshi(*args):
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *map(str, args)], capture_output=True, check=False
    )


def test_evaluate_cli_json_and_table():
    r = luoshi("evaluate", NOTICE_2024, REPORT_2025, "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["format"] == "luoshi.evaluation.v1"
    r = luoshi("evaluate", NOTICE_2024, REPORT_2025)
    text = r.stdout.decode("utf-8")
    assert "未完成" in text and "152.7亿美元 < 200亿美元" in text


def test_evaluate_cli_writes_a_workbook(tmp_path):
    out = tmp_path / "verdicts.xlsx"
    r = luoshi("evaluate", NOTICE_2024, REPORT_2025, "--format", "xlsx", "--out", out)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == ["序号", "任务", "量化指标", "报告结果", "判定", "依据"]
    verdicts = [row[4].value for row in ws.iter_rows(min_row=2)]
    assert verdicts.count("未完成") == 2 and verdicts.count("完成") == 4
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_evaluate_refuses_a_notice_as_the_report():
    r = luoshi("evaluate", NOTICE_2024, NOTICE_2024)
    assert r.returncode == 2 and r.stdout == b""
    assert len(r.stderr.decode().strip().splitlines()) == 1


def test_parse_prints_a_work_report_as_the_report_contract():
    r = luoshi("parse", REPORT_2025)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["format"] == "luoshi.report.v1" and data["document"]["year"] == 2025


def test_coverage_cli():
    r = luoshi("coverage", REPORT_2024, NOTICE_2024, "--format", "json")
    assert r.returncode == 0, r.stderr
    unassigned = json.loads(r.stdout)["unassigned"]
    assert [(t["text"], t["indicator"], t["op"], t["value"], t["unit"]) for t in unassigned] == [
        ("上市企业50家", "上市企业", "eq", 50, "家")
    ]
