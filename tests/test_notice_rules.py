"""Narrow rules of the notice grammar, on small texts (the seeds and tests/styles cover the rest)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from luoshi import parse_notice_text
from luoshi.grammar.lines import classify, five_year_period, parse_leader_heading

HEAD = "2024年政府工作报告重点工作责任分解\n\n"


def codes(notice):
    return [(w.code, w.line) for w in notice.warnings]


def test_a_line_that_belongs_to_no_task_is_a_warning_not_lost():
    text = (
        HEAD
        + "一、王浩省长牵头重点工作\n以下任务请认真落实。\n1. 一般公共预算收入与经济增长同步。\n责任单位：省财政厅\n"
    )
    notice = parse_notice_text(text)
    assert codes(notice) == [("orphan_line", 4)]
    assert "以下任务请认真落实" in notice.warnings[0].message


def test_a_clause_line_with_no_task_before_it_is_a_warning():
    text = (
        HEAD
        + "一、王浩省长牵头重点工作\n责任单位：省财政厅\n1. 一般公共预算收入与经济增长同步。\n责任单位：省财政厅\n"
    )
    assert ("orphan_line", 4) in codes(parse_notice_text(text))


def test_a_task_without_units_in_the_middle_is_missing_units():
    text = (
        HEAD
        + "一、王浩省长牵头重点工作\n1. 一般公共预算收入与经济增长同步。\n"
        + "2. 坚持政府过紧日子。\n责任单位：省财政厅\n"
    )
    assert codes(parse_notice_text(text)) == [("missing_units", 4)]


def test_the_label_inside_brackets_does_not_start_a_clause():
    # a PDF line may begin with the second half of an attribution: 责任单位:省水利厅)…
    text = (
        "十方面民生实事责任分解\n一、除险保安方面\n完成病险山塘整治450座。(牵头领导:李岩益,\n"
        "责任单位:省水利厅)实现全省乡镇(街道)应急管理站全覆盖。(牵头领导:徐文光,责任单位:省应急管理厅)\n"
    )
    notice = parse_notice_text(text)
    tasks = [t for _, _, t in notice.tasks()]
    assert [(t.text, t.leaders, [u.name for u in t.units]) for t in tasks] == [
        ("完成病险山塘整治450座。", ("李岩益",), ["省水利厅"]),
        ("实现全省乡镇(街道)应急管理站全覆盖。", ("徐文光",), ["省应急管理厅"]),
    ]


def test_leader_headings():
    assert parse_leader_heading("徐文光常务副省长牵头重点工作") == ("徐文光", "常务副省长", "牵头")
    assert parse_leader_heading("袁家军省长主抓重点工作") == ("袁家军", "省长", "主抓")
    assert parse_leader_heading("李明华市长牵头重点工作") == ("李明华", "市长", "牵头")
    assert parse_leader_heading("着力扩大有效需求") is None
    assert parse_leader_heading("医疗卫生方面") is None


def test_five_year_periods():
    assert five_year_period("五") == (2026, 2030)
    assert five_year_period("四") == (2021, 2025)
    assert five_year_period("三") == (2016, 2020)


def test_line_rules_by_name():
    assert classify("— 3 —").kind == "furniture"
    assert classify("2024年2月2日印发").kind == "printed"
    assert classify("2024年2月2日").kind == "date"
    assert classify("政府工作报告“十五五”时期 重点工作责任分解").data["period"] == (2026, 2030)
    assert classify("十方面民生实事责任分解").data["kind"] == "livelihood"
    assert classify("一、医疗卫生方面").kind == "section"
    assert classify("13—14 岁女生接种。").kind == "text"
    assert classify("100%。").kind == "text"
    assert classify("2. 研发投入强度达到 3.2%。").data["number"] == 2
    assert (
        classify(
            "《2024年政府工作报告重点工作责任分解》和《十方面民生实事责任分解》已经省政府同意"
        ).kind
        == "text"
    )


def test_a_batch_shows_a_progress_bar_on_a_terminal(tmp_path):
    files = []
    for i in range(3):
        f = tmp_path / f"n{i}.txt"
        f.write_text(
            HEAD
            + "一、王浩省长牵头重点工作\n1. 一般公共预算收入与经济增长同步。\n责任单位：省财政厅\n",
            "utf-8",
        )
        files.append(str(f))
    master, slave = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "luoshi", "parse", *files, "--out", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, "COLUMNS": "100"},
        check=False,
    )
    os.close(slave)
    seen = b""
    try:
        while chunk := os.read(master, 65536):
            seen += chunk
    except OSError:
        pass
    os.close(master)
    assert proc.returncode == 0
    assert b"parsing" in seen  # the bar's label, drawn on the terminal only
    assert sorted(p.name for p in Path(tmp_path / "out").iterdir()) == [
        "n0.json",
        "n1.json",
        "n2.json",
    ]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    f = tmp_path / "n.txt"
    f.write_text(
        HEAD
        + "一、王浩省长牵头重点工作\n1. 一般公共预算收入与经济增长同步。\n责任单位：省财政厅\n",
        "utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "luoshi", "parse", str(f), str(f), "--out", str(tmp_path / "o")],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stderr == b""
