"""The workflow in a real browser: a unit files, the lead consolidates, the office returns it,
the lead files again, the office accepts, the light turns green, the office downloads the ledger
and it opens. Each step leaves a screenshot in ``tests/artifacts/e2e/``; conftest.py says which
task, which people and which period.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import time
import warnings
from contextlib import contextmanager

import openpyxl
import pytest
from playwright.sync_api import expect

LEDGER_HEADER = [
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
UNIT_NARRATIVE = "省经信厅：完成规上工业企业劳动生产率监测，推动 120 家企业开展数字化改造。"
LEAD_NARRATIVE = "省发展改革委：全员劳动生产率预计达到 28.6 万元/人，制定提升方案。"
RETURN_REASON = "请补充各地市分解情况和下一步工作安排。"
FINAL_NARRATIVE = (
    "省发展改革委：全员劳动生产率达到 30.2 万元/人，已完成年度目标。各地市分解情况见附表。"
)
PROBLEMS = "部分地市数据口径不一。"

TIMINGS: list[tuple[str, float]] = []


@contextmanager
def step(name: str):
    """A named step of the story: its time is printed at the end; a failure names it."""
    started = time.monotonic()
    try:
        yield
    except Exception as exc:
        exc.add_note(f"in step: {name}")
        raise
    finally:
        TIMINGS.append((name, round(time.monotonic() - started, 2)))


def light(page):
    return page.locator('[data-test="task-light"] .light')


def period_row(page, site):
    return page.locator(f'[data-test="period-{site.period}"]')


def test_a_report_goes_from_unit_to_lead_to_office_and_back_until_the_light_is_green(
    people, site, tmp_path
):
    task_url = f"/tasks/{site.task}/"
    TIMINGS.clear()

    with step("the participant unit logs in and sees only its tasks"):
        unit = people.login("unit-zj-econ-it")
        expect(unit.locator("p.count")).to_have_text(f"共 {site.participant_task_count} 项任务")
        assert site.participant_task_count < site.total_task_count
        expect(unit.locator(".who")).to_contain_text("省经信厅")
        people.shot(unit, "01-unit-task-list")
        # a task it is not on: not listed when searched for, and not there at its address
        unit.get_by_placeholder("搜索任务、单位、领导").fill("居民人均可支配收入")
        unit.get_by_role("button", name="筛选").click()
        expect(unit.locator(f'a[href="/tasks/{site.other}/"]')).to_have_count(0)
        response = unit.goto(f"/tasks/{site.other}/")
        assert response.status == 404
        unit.goto("/?q=全员劳动生产率")
        unit.locator(f'a[href="{task_url}"]').click()
        expect(unit).to_have_url(site.url + task_url)
        expect(unit.locator(".task-text")).to_have_text(site.task_text)
        expect(unit.locator("dl.facts")).to_contain_text("配合单位")
        if site.period_due:  # nothing filed for a period past its deadline
            expect(light(unit)).to_have_class(re.compile(r"\blight-red\b"))
        people.shot(unit, "02-unit-task-page")

    with step("the participant files its report for the period"):
        period_row(unit, site).get_by_role("link", name="填报本单位进展").click()
        expect(unit.get_by_role("heading", level=1)).to_have_text(
            f"省经信厅 · {site.period_display}进展"
        )
        unit.get_by_label("工作进展").fill(UNIT_NARRATIVE)
        unit.get_by_label("完成百分比（%）").fill("60")
        unit.get_by_label(f"{site.target}（{site.target_unit}）").fill("28.1")
        people.shot(unit, "03-unit-report-form")
        unit.get_by_role("button", name="报送", exact=True).click()
        expect(unit).to_have_url(site.url + task_url)
        expect(unit.locator("ul.messages")).to_have_text("进展已报送")
        filed = period_row(unit, site).locator("td").nth(2).locator(".report")
        expect(filed).to_have_class(re.compile(r"\bstate-submitted\b"))
        expect(filed).to_contain_text("省经信厅 · 已报送 · 60%")
        expect(filed).to_contain_text(UNIT_NARRATIVE)
        expect(filed).to_contain_text(f"{site.target}：28.1{site.target_unit}")
        people.shot(unit, "04-unit-report-filed")

    with step("the lead unit consolidates, the partner's report included, and submits"):
        lead = people.login("unit-zj-drc")
        lead.goto(task_url)
        expect(lead.locator("dl.facts")).to_contain_text("牵头单位")
        period_row(lead, site).get_by_role("link", name="汇总并报送").click()
        expect(lead.locator("section.card").first).to_contain_text("省经信厅 · 已报送 · 60%")
        narrative = lead.get_by_label("工作进展")
        # the form starts from the units' filed reports
        expect(narrative).to_have_value(f"【省经信厅】{UNIT_NARRATIVE}")
        narrative.fill(f"{narrative.input_value()}\n\n【省发展改革委】{LEAD_NARRATIVE}")
        lead.get_by_label("完成百分比（%）").fill("80")
        lead.get_by_label(f"{site.target}（{site.target_unit}）").fill("28.6")
        lead.get_by_label("存在问题").fill(PROBLEMS)
        people.shot(lead, "05-lead-consolidation-form")
        lead.get_by_role("button", name="提交督查室").click()
        expect(lead.locator("ul.messages")).to_have_text("汇总已提交督查室")
        consolidated = period_row(lead, site).locator("td").nth(3).locator(".report")
        expect(consolidated).to_contain_text("已报送 · 80%")
        expect(consolidated).to_contain_text(UNIT_NARRATIVE)
        expect(consolidated).to_contain_text(LEAD_NARRATIVE)
        people.shot(lead, "06-lead-consolidation-submitted")

    with step("the office returns the consolidation with a reason"):
        office = people.login("office")
        # the search that did not show 省经信厅 the task it is not on shows it to the office
        office.goto("/?q=居民人均可支配收入")
        expect(office.locator(f'a[href="/tasks/{site.other}/"]')).to_have_count(1)
        office.goto(task_url)
        period_row(office, site).get_by_role("link", name="审核").click()
        expect(office.get_by_role("heading", level=1)).to_have_text(
            f"审核汇总 · {site.period_display}"
        )
        expect(office.locator("section.card")).to_contain_text("省经信厅 · 60%")
        office.get_by_role("radio", name="退回").check()
        office.get_by_label("理由（退回时必填）").fill(RETURN_REASON)
        people.shot(office, "07-office-review-return")
        office.get_by_role("button", name="确定").click()
        expect(office.locator("ul.messages")).to_have_text("审核意见已记录")
        expect(period_row(office, site).locator(".returned")).to_have_text(
            f"退回理由：{RETURN_REASON}"
        )
        expect(light(office)).not_to_have_class(re.compile(r"\blight-green\b"))
        people.shot(office, "08-office-returned")

    with step("the lead sees the reason and files again"):
        lead.reload()
        expect(period_row(lead, site).locator(".returned")).to_have_text(
            f"退回理由：{RETURN_REASON}"
        )
        period_row(lead, site).get_by_role("link", name="修改汇总").click()
        expect(lead.locator("div.returned")).to_have_text(f"督查室退回理由：{RETURN_REASON}")
        people.shot(lead, "09-lead-sees-the-reason")
        lead.get_by_label("工作进展").fill(
            f"【省经信厅】{UNIT_NARRATIVE}\n\n【省发展改革委】{FINAL_NARRATIVE}"
        )
        lead.get_by_label("完成百分比（%）").fill("100")
        lead.get_by_label(f"{site.target}（{site.target_unit}）").fill("30.2")
        lead.get_by_role("button", name="提交督查室").click()
        expect(lead.locator("ul.messages")).to_have_text("汇总已提交督查室")
        expect(
            period_row(lead, site).locator("td").nth(3).locator(".report").first
        ).to_contain_text("已报送 · 100%")

    with step("the participant opens its report to change it, meanwhile"):
        unit.goto(task_url)
        period_row(unit, site).get_by_role("link", name="修改本单位报告").click()
        expect(unit.get_by_label("工作进展")).to_have_value(UNIT_NARRATIVE)
        unit.get_by_label("工作进展").fill(UNIT_NARRATIVE + "（补充）")

    with step("the office accepts and the light turns green"):
        office.reload()
        period_row(office, site).get_by_role("link", name="审核").click()
        office.get_by_role("radio", name="审核通过").check()
        office.get_by_role("button", name="确定").click()
        expect(office.locator("ul.messages")).to_have_text("审核意见已记录")
        expect(light(office)).to_have_class(re.compile(r"\blight-green\b"))
        expect(light(office)).to_have_text("绿灯")
        expect(office.locator('[data-test="light-reason"]')).to_have_text("已完成")
        expect(period_row(office, site).get_by_role("link", name="审核")).to_have_count(0)
        people.shot(office, "10-office-accepted-green")
        office.goto("/?light=green&q=全员劳动生产率")
        listed = office.locator("table.tasks tr", has=office.locator(f'a[href="{task_url}"]'))
        expect(listed.locator(".light")).to_have_text("绿灯")
        people.shot(office, "11-office-task-list-green")

    with step("the accepted report and consolidation are locked"):
        # the form the participant opened before the acceptance is refused
        with unit.expect_response(lambda r: r.request.method == "POST") as answer:
            unit.get_by_role("button", name="报送", exact=True).click()
        assert answer.value.status == 400
        expect(unit.locator("ul.errors")).to_have_text("该报告已审核通过，不能再修改")
        people.shot(unit, "12-unit-locked-form-refused")
        unit.goto(task_url)
        own = period_row(unit, site).locator("td").nth(2)
        expect(own.locator(".report")).to_contain_text("省经信厅 · 已审核通过 · 60%")
        expect(own).to_contain_text("本单位报告已审核通过（已锁定）")
        expect(own.get_by_role("link", name="修改本单位报告")).to_have_count(0)
        people.shot(unit, "13-unit-report-locked")
        lead.reload()
        expect(period_row(lead, site).get_by_role("link", name="修改汇总")).to_have_count(0)
        lead.goto(f"/tasks/{site.task}/consolidate/{site.period_pk}/")
        expect(lead.get_by_text("该汇总已审核通过，已锁定。")).to_be_visible()
        expect(lead.get_by_role("button", name="提交督查室")).to_have_count(0)

    with step("the office downloads the ledger and it opens"):
        office.get_by_role("link", name="文件").click()
        row = office.locator("tbody tr").filter(
            has=office.get_by_role("cell", name="2026", exact=True)
        )
        people.shot(office, "14-office-documents")
        with office.expect_download() as download_info:
            row.get_by_role("link", name="台账", exact=True).click()
        download = download_info.value
        assert download.suggested_filename.endswith(
            f"重点工作台账（{site.period_display}）.xlsx"
        ), download.suggested_filename
        ledger = people.artifacts / "ledger.xlsx"
        download.save_as(ledger)
        check_ledger(ledger, site)

    with step("LibreOffice opens the ledger and the Chinese survives"):
        check_ledger_in_libreoffice(ledger, site, tmp_path)

    print("\nsteps (s):", TIMINGS, "\nimport (s):", site.import_seconds)


def check_ledger(path, site) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    cells = list(sheet.iter_rows())
    rows = [[c.value for c in r] for r in cells]
    assert rows[0][: len(LEDGER_HEADER)] == LEDGER_HEADER
    column = {name: i for i, name in enumerate(rows[0])}
    ours = [i for i, r in enumerate(rows) if r[column["重点工作"]] == site.task_text]
    assert len(ours) == 1, [r[column["重点工作"]] for r in rows[1:6]]
    row = rows[ours[0]]
    assert (
        row[column["本期进展"]]
        == f"【省经信厅】{UNIT_NARRATIVE}\n\n【省发展改革委】{FINAL_NARRATIVE}"
    )
    done = cells[ours[0]][column["完成率"]]
    assert (done.value, done.number_format) == (1, "0%")  # a number, shown as 100%
    assert row[column["亮灯"]] == "绿"
    assert row[column["牵头单位"]] == "省发展改革委"
    assert "省经信厅" in row[column["责任单位"]]
    other = [r for r in rows[1:] if r[column["重点工作"]] == site.other_text]
    assert other and other[0][column["本期进展"]] in (None, "")


def check_ledger_in_libreoffice(path, site, tmp_path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed — CI runs make test, which should have")
        warnings.warn(
            "soffice is not installed (scripts/system-deps): the ledger was not opened in "
            "LibreOffice",
            stacklevel=2,
        )
        return
    out = tmp_path / "libreoffice"
    profile = tmp_path / "libreoffice-profile"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",  # comma, double quote, UTF-8, 1st sheet
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "HOME": str(profile)},
        check=False,
    )
    converted = out / f"{path.stem}.csv"
    assert result.returncode == 0 and converted.exists(), (result.stdout, result.stderr)
    table = list(csv.reader(io.StringIO(converted.read_text("utf-8"))))
    assert table[0][: len(LEDGER_HEADER)] == LEDGER_HEADER
    row = next(r for r in table if r[1] == site.task_text)
    assert FINAL_NARRATIVE in row[7]
    assert (row[8], row[9]) == ("100%", "绿")


def test_a_wrong_password_is_refused_in_chinese(people, site):
    page = people.login("unit-zj-econ-it", password=people.password + "-wrong")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("ul.errors")).to_have_text("用户名或密码不正确。")
    people.shot(page, "login-refused")


@pytest.mark.parametrize(
    "username, where, name",
    [
        ("unit-zj-econ-it", "/", "phone-unit-task-list"),
        ("office", "/supervision/", "phone-office-overview"),
    ],
)
def test_the_task_list_and_the_overview_fit_a_phone(people, site, username, where, name):
    page = people.login(username, phone=True)
    if where != "/":
        page.goto(where)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    people.shot(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{where} is {width}px wide on a 390px phone"
