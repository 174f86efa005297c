"""The ledger and the bulletin open in LibreOffice without repair: headless soffice converts the
xlsx to CSV, the docx to text and both to PDF, and the Chinese survives each conversion.

LibreOffice in headless mode has no one to answer a repair prompt: a file it cannot read gives
no output file, so a converted file holding our headers proves it opened. soffice and pdftotext
come from ``scripts/system-deps`` (``make test`` runs it first). Where they are missing the
tests are skipped with the reason — except in CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from luoshi_web.exports import rows as rows_module
from luoshi_web.exports.bulletin import build_bulletin
from luoshi_web.exports.ledger import build_ledger
from luoshi_web.exports.rows import LIGHT_WORDS, ledger_rows
from luoshi_web.tracking import actions
from luoshi_web.tracking.lights import refresh_document
from luoshi_web.tracking.models import Review

pytestmark = pytest.mark.django_db
TIMEOUT = 240  # seconds for one conversion; the first one also creates the profile


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed: run scripts/system-deps (as root) to install it"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} — CI runs make test, which should have")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def soffice(tmp_path_factory):
    """``convert(file, target)`` → the converted file, with soffice's own throwaway profile."""
    binary = _tool("soffice")
    profile = tmp_path_factory.mktemp("lo-profile")
    timings = []

    def convert(source: Path, target: str, outdir: Path) -> Path:
        started = time.monotonic()
        result = subprocess.run(
            [
                binary,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env={**os.environ, "HOME": str(profile)},
            check=False,
        )
        timings.append((source.name, target, round(time.monotonic() - started, 2)))
        assert result.returncode == 0, result.stderr
        extension = target.split(":", 1)[0]
        converted = outdir / f"{source.stem}.{extension}"
        assert converted.exists() and converted.stat().st_size > 0, (
            f"LibreOffice could not open {source.name}: {result.stdout} {result.stderr}"
        )
        return converted

    yield convert
    print("\nLibreOffice conversions (s):", timings)


@pytest.fixture
def files(people, document, task, period, tmp_path, monkeypatch):
    """The office's March ledger and bulletin, on 2024-04-10, with a green task (1-1-3, 30%
    accepted) and red ones."""
    monkeypatch.setattr(rows_module, "verdicts_of", lambda d: None)
    actions.file_report(
        people.participant,
        task,
        period,
        actions.ReportData("发改委：项目储备完成", 30),
        submit=True,
    )
    consolidation = actions.consolidate(
        people.lead_unit,
        task,
        period,
        actions.ReportData("已申报专项债券项目，额度下达", 30, problems="储备不足"),
        submit=True,
    )
    actions.review(people.office, consolidation, Review.ACCEPT)
    refresh_document(document, today=date(2024, 4, 6))
    ledger = tmp_path / "台账.xlsx"
    ledger.write_bytes(build_ledger(people.office, document, period="2024-03"))
    bulletin = tmp_path / "通报.docx"
    bulletin.write_bytes(
        build_bulletin(people.office, document, "2024-03", today=date(2024, 4, 10))
    )
    rows = ledger_rows(people.office, document, period="2024-03")
    return ledger, bulletin, rows


def test_libreoffice_reads_the_ledger_with_its_chinese(soffice, files, tmp_path):
    ledger, _, rows = files
    # 44 comma, 34 double quote, 76 UTF-8: the first sheet, 重点工作
    converted = soffice(ledger, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path / "out")
    table = list(csv.reader(io.StringIO(converted.read_text("utf-8"))))
    assert table[0] == [
        "序号",
        "重点工作",
        "牵头领导",
        "牵头单位",
        "责任单位",
        "量化指标",
        "完成时限",
        "本期进展",
        "完成率",
        "亮灯",
        "存在问题",
        "下步打算",
    ]
    key_tasks = [r for r in rows if r["part"] == 1]
    assert [r[0] for r in table[1:]] == [r["number"] for r in key_tasks]
    assert [r[1] for r in table[1:]] == [r["task"] for r in key_tasks]
    row = next(r for r in table if r[0] == "1-1-3")
    assert row[7] == "已申报专项债券项目，额度下达"
    assert (row[8], row[10]) == ("30%", "储备不足")
    assert [r[9] for r in table[1:]] == [LIGHT_WORDS[r["light"]] for r in key_tasks]
    assert next(r for r in table if r[0] == "1-1-1")[9] == "红"


def test_libreoffice_reads_the_bulletin_with_its_chinese(soffice, files, tmp_path):
    _, bulletin, _ = files
    converted = soffice(bulletin, "txt:Text (encoded):UTF8", tmp_path / "out")
    text = converted.read_text("utf-8-sig")
    assert text.splitlines()[0] == "2024年3月政府工作报告重点工作推进情况通报"
    for expected in (
        "浙政办发〔2024〕3号",
        "一、总体情况",
        "二、各牵头领导亮灯情况",
        "王浩（省长）",
        "三、逾期未报送单位",
        "省财政厅",
        "四、红灯任务",
        "（一）1-1-1 一般公共预算收入与经济增长同步。",
    ):
        assert expected in text


def test_both_files_print_to_pdf_with_their_chinese(soffice, files, tmp_path):
    ledger, bulletin, _ = files
    out = tmp_path / "out"
    pdfs = [soffice(ledger, "pdf", out), soffice(bulletin, "pdf", out)]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    pdftotext = _tool("pdftotext")
    texts = []
    for pdf in pdfs:
        result = subprocess.run(
            [pdftotext, "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            timeout=60,
            check=True,
        )
        texts.append(result.stdout.decode("utf-8"))
    ledger_text, bulletin_text = ("".join(t.split()) for t in texts)
    for expected in (
        "重点工作台账",
        "序号",
        "牵头单位",
        "积极争取并高效用好地方政府专项债券",
        "民生实事",
    ):
        assert expected in ledger_text
    for expected in ("推进情况通报", "各牵头领导亮灯情况", "红灯任务", "逾期未报送"):
        assert expected in bulletin_text
