"""The ``luoshi`` command, run as a user runs it (a real process, real files)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
N2024 = GOLDEN / "zhejiang-2024-notice.txt"
N2026 = GOLDEN / "zhejiang-2026-notice.txt"
SAMPLES = Path(__file__).parent.parent / "src" / "luoshi" / "samples"


def luoshi(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_parse_prints_exactly_the_contract_for_one_file():
    r = luoshi("parse", N2024)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["format"] == "luoshi.breakdown.v1"
    assert data["document"]["doc_number"] == "浙政办发〔2024〕3号"
    assert "浙政办发" in r.stdout  # UTF-8, not ASCII-escaped
    assert r.stderr == ""


def test_parse_table_format_shows_the_tasks():
    r = luoshi("parse", "--format", "table", N2024)
    assert r.returncode == 0
    assert "一般公共预算收入与经济增长同步" in r.stdout


def test_parse_with_out_writes_one_json_per_input(tmp_path):
    r = luoshi("parse", N2024, N2026, "--out", tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "zhejiang-2024-notice.json",
        "zhejiang-2026-notice.json",
    ]
    assert (
        json.loads((tmp_path / "zhejiang-2026-notice.json").read_text("utf-8"))["document"]["year"]
        == 2026
    )


def bad_files(tmp: Path) -> dict[str, Path]:
    files = {}
    files["empty"] = tmp / "empty.txt"
    files["empty"].write_bytes(b"")
    files["binary"] = tmp / "random.bin"
    files["binary"].write_bytes(bytes(range(256)) * 8)
    files["truncated_pdf"] = tmp / "cut.pdf"
    files["truncated_pdf"].write_bytes(
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<<"
    )
    files["corrupt_docx"] = tmp / "broken.docx"
    with zipfile.ZipFile(files["corrupt_docx"], "w") as z:
        z.writestr("word/document.xml", "<w:document><w:body><w:p>")
    files["not_a_notice"] = tmp / "news.txt"
    files["not_a_notice"].write_text("今天天气很好。\n市民在西湖边散步。\n", encoding="utf-8")
    files["missing"] = tmp / "no-such-file.txt"
    return files


@pytest.mark.parametrize(
    "case", ["empty", "binary", "truncated_pdf", "corrupt_docx", "not_a_notice", "missing"]
)
def test_bad_input_gives_one_line_naming_the_file_and_exit_2(tmp_path, case):
    path = bad_files(tmp_path)[case]
    r = luoshi("parse", path)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert str(path) in lines[0]
    assert "Traceback" not in r.stderr


def test_a_batch_goes_on_past_a_bad_file_and_exits_2_at_the_end(tmp_path):
    bad = bad_files(tmp_path)["binary"]
    out = tmp_path / "out"
    r = luoshi("parse", N2024, bad, N2026, "--out", out)
    assert r.returncode == 2
    assert sorted(p.name for p in out.iterdir()) == [
        "zhejiang-2024-notice.json",
        "zhejiang-2026-notice.json",
    ]
    assert len(r.stderr.strip().splitlines()) == 1 and "random.bin" in r.stderr


def test_a_work_report_is_recognised_and_read_as_a_report():
    for name in ("zhejiang-2024-work-report-summary.md", "zhejiang-2025-work-report-excerpt.txt"):
        r = luoshi("parse", SAMPLES / name)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout)["format"] == "luoshi.report.v1"


def test_check_prints_warnings_and_exits_1_when_there_are_any():
    r = luoshi("check", N2024)
    assert r.returncode == 1
    assert "leader_name_mismatch" in r.stdout
    assert f"{N2024}:483:" in r.stdout
    # the message is in Chinese for the office; the English stays in the JSON
    assert "可能是同一人的两种写法" in r.stdout and "probably" not in r.stdout


def test_check_exits_0_for_a_notice_without_warnings(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text(
        "2024年政府工作报告重点工作责任分解\n\n一、王浩省长牵头重点工作\n\n"
        "1. 一般公共预算收入与经济增长同步。\n\n责任单位：省财政厅\n",
        encoding="utf-8",
    )
    r = luoshi("check", clean)
    assert r.returncode == 0, r.stdout + r.stderr


def test_summary_lists_leaders_parts_and_warnings():
    r = luoshi("summary", N2024)
    assert r.returncode == 0
    assert "徐文光" in r.stdout and "warnings: 3" in r.stdout
