"""Every warning the library can make has a Chinese message (``message_zh``) and a kind in
``WARNING_KINDS``: the pages show the Chinese, the code stays for grep and for the title."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import luoshi
from luoshi import notice_to_dict, parse_notice, parse_notice_text
from luoshi.model import WARNING_KINDS
from luoshi.readers import read_bytes
from luoshi.report import parse_report, parse_report_source, report_to_dict

SRC = Path(luoshi.__file__).parent
TESTS = Path(__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")
MAKERS = {"warn", "Warning", "ReportWarning"}


def made_in_source() -> dict[str, list[tuple[str, int, ast.Call]]]:
    """Each code written as a literal in a call that makes a warning: code → [(file, line, call)].

    ``Warning(code, line, message, message_zh)`` and ``Assembler.warn`` take four arguments, the
    clause parser's ``warn(code, message, message_zh)`` three; calls that pass a code along in a
    variable (the clause parser's memo, the notice's lambda) are not where a code is made.
    """
    out: dict[str, list[tuple[str, int, ast.Call]]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
            if name not in MAKERS or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                where = str(path.relative_to(SRC))
                out.setdefault(first.value, []).append((where, node.lineno, node))
    return out


def literal_text(node: ast.expr) -> str:
    """The literal characters of a string expression (f-strings and ``+`` included)."""
    return "".join(
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )


def test_every_code_the_parser_makes_has_a_chinese_kind_and_every_kind_is_made():
    made = made_in_source()
    assert set(made) - set(WARNING_KINDS) == set(), "codes made but missing from WARNING_KINDS"
    assert set(WARNING_KINDS) - set(made) == set(), "kinds no code of the parser makes"
    for code, kind in WARNING_KINDS.items():
        assert CJK.search(kind), code


def test_every_place_that_makes_a_warning_passes_a_chinese_message():
    for code, calls in made_in_source().items():
        for where, line, call in calls:
            assert len(call.args) in (3, 4), f"{where}:{line}: {code} without message_zh"
            zh = call.args[-1]
            if isinstance(zh, ast.Name):
                continue  # made from facts above (values_unmatched's why_zh): checked below
            assert CJK.search(literal_text(zh)), f"{where}:{line}: {code}'s last argument"


HEAD = "2024年政府工作报告重点工作责任分解\n\n"

# Small texts that make the warnings the seed notices and reports never make.
NOTICES = {
    "orphan_line, unknown_unit": HEAD
    + "一、王浩省长牵头重点工作\n以下任务请认真落实。\n1. 一般公共预算收入与经济增长同步。\n"
    + "责任单位：省火星开发局\n",
    "missing_units": HEAD
    + "一、王浩省长牵头重点工作\n1. 一般公共预算收入与经济增长同步。\n"
    + "2. 坚持政府过紧日子。\n责任单位：省财政厅\n",
    "an attribution after no text": "十方面民生实事责任分解\n一、除险保安方面\n"
    "（牵头领导：李岩益，责任单位：省水利厅）完成病险山塘整治450座。"
    "(牵头领导:徐文光,责任单位:省应急管理厅)\n",
}
REPORTS = {
    "no_year, no_region, city_report": "政府工作报告\n\n各位代表：\n\n"
    "现在，我代表市人民政府，向大会报告工作。\n\n一、过去一年工作回顾\n\n"
    "全市地区生产总值增长6%。我市坚持稳中求进。全市上下，我市人民。\n\n"
    "二、今年工作安排\n\n全市经济增长5%左右。\n",
    "year_conflict": "2025年政府工作报告\n\n各位代表：\n\n"
    "现在，我代表省人民政府，向大会报告工作，请予审议。\n\n一、2023年工作回顾\n\n"
    "浙江全省地区生产总值增长6%。\n\n二、2025年工作安排\n\n全省经济增长5%左右。\n",
}


def every_warning_dict() -> list[dict]:
    """The warnings, as the contracts write them, of the seeds, the styles and the texts above."""
    out: list[dict] = []
    for folder in ("golden", "golden_reports", "styles"):
        for path in sorted((TESTS / folder).iterdir()):
            if path.suffix == ".json" or path.name == "README.md":
                continue
            try:
                out += notice_to_dict(parse_notice(path))["warnings"]
            except luoshi.WorkReportError:
                out += report_to_dict(parse_report(path))["warnings"]
            except luoshi.ParseError:
                continue
    for text in NOTICES.values():
        out += notice_to_dict(parse_notice_text(text))["warnings"]
    for text in REPORTS.values():
        out += report_to_dict(parse_report_source(read_bytes(text.encode(), "r.txt")))["warnings"]
    return out


@pytest.fixture(scope="module")
def warnings() -> list[dict]:
    return every_warning_dict()


def test_the_seeds_styles_and_small_texts_make_every_kind_of_warning(warnings):
    assert {w["code"] for w in warnings} == set(WARNING_KINDS)


def test_every_warning_made_has_a_chinese_message_beside_the_english(warnings):
    for w in warnings:
        assert set(w) == {"code", "line", "message", "message_zh"}
        assert CJK.search(w["message_zh"]) and w["message_zh"] != w["message"], w
        # the facts named in English are named in Chinese too: quoted names, numbers
        for name in re.findall(r"“([^”]+)”", w["message"]):
            if CJK.search(name):
                assert name in w["message_zh"], (name, w)
