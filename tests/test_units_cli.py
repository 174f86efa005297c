"""Units across notices: ``luoshi units``, ``units show``, ``units diff`` run as a user runs them,
and the library functions behind them (``luoshi.units_view``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from luoshi import parse_notice, parse_notice_text
from luoshi.errors import LuoshiError, UnknownUnitError
from luoshi.registry import default_registry
from luoshi.units_view import diff_notices, find_unit_tasks, unit_diff_to_dict

GOLDEN = Path(__file__).parent / "golden"
STYLES = Path(__file__).parent / "styles"
F2020 = GOLDEN / "zhejiang-2020-notice-webpage.txt"
F2024 = GOLDEN / "zhejiang-2024-notice.txt"
F2026 = GOLDEN / "zhejiang-2026-notice.txt"
SEEDS = (F2020, F2024, F2026)
RENAMES_2020_2024 = {
    ("省大数据局", "省数据局"),
    ("人行杭州中心支行", "人行浙江省分行"),
    ("浙江银保监局", "金融监管总局浙江监管局"),
    ("省文化和旅游厅", "省文化广电和旅游厅"),
    ("省地方金融监管局", "省委金融办（省地方金融局）"),
}
TASK_KEYS = {"document", "year", "part", "section", "number", "text", "role"}


def luoshi(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "luoshi", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def json_of(*args: str | Path):
    r = luoshi(*args)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def notices():
    return {path: parse_notice(path) for path in SEEDS}


def tasks_naming(notice, canonical: str, role: str | None = None) -> list:
    """Tasks of ``notice`` with a unit the parser resolved to ``canonical`` (with that role)."""
    return [
        task
        for _, _, task in notice.tasks()
        if any(u.canonical == canonical and role in (None, u.role) for u in task.units)
    ]


def load(notice, canonical: str) -> tuple[int, int]:
    led = len(tasks_naming(notice, canonical, "lead"))
    return led, len(tasks_naming(notice, canonical)) - led


# -- luoshi units show -------------------------------------------------------------------------
def test_units_show_lists_the_249_tasks_and_items_naming_the_development_and_reform_commission(
    notices,
):
    data = json_of("units", "show", "省发展改革委", *SEEDS, "--format", "json")
    assert len(data) == 249
    assert all(set(entry) >= TASK_KEYS for entry in data)
    per_year = {y: sum(1 for e in data if e["year"] == y) for y in (2020, 2024, 2026)}
    assert per_year == {2020: 84, 2024: 70, 2026: 95}
    for path, notice in notices.items():  # the same count, derived from the parsed notice
        assert per_year[notice.document.year] == len(tasks_naming(notice, "省发展改革委")), path
    assert {e["role"] for e in data} == {"lead", "participant"}
    leads = sum(len(tasks_naming(n, "省发展改革委", "lead")) for n in notices.values())
    assert sum(1 for e in data if e["role"] == "lead") == leads
    titles = {notice.document.title for notice in notices.values()}
    assert {e["document"] for e in data} == titles  # every seed notice has a title


def test_an_entry_says_where_the_task_is():
    data = json_of("units", "show", "省发展改革委", F2024, "--format", "json")
    first = data[0]
    assert first["year"] == 2024 and first["part"] == 1 and first["section"] >= 1
    assert first["path"] == str(F2024) and first["line"] > 0
    assert first["name_as_written"] == "省发展改革委" and first["unit_id"] == "zj-drc"
    livelihood = [e for e in data if e["part_kind"] == "livelihood"]
    assert livelihood and all(e["part"] == 2 for e in livelihood)


def test_every_spelling_of_a_unit_gives_the_same_tasks():
    results = [
        json_of("units", "show", name, *SEEDS, "--format", "json")
        for name in ("省人社保厅", "省人力社保厅", "省人社厅")
    ]
    assert results[0] and results[0] == results[1] == results[2]
    assert {e["name_as_written"] for e in results[0]} == {"省人社厅", "省人力社保厅", "省人社保厅"}


def test_a_former_name_finds_the_renamed_unit_in_a_later_notice(notices):
    data = json_of("units", "show", "省大数据局", F2020, F2024, "--format", "json")
    later = [(e["line"], e["name_as_written"]) for e in data if e["year"] == 2024]
    assert later == [(t.line, "省数据局") for t in tasks_naming(notices[F2024], "省数据局")]
    assert len([e for e in data if e["year"] == 2020]) == len(
        tasks_naming(notices[F2020], "省大数据局")
    )


def test_units_show_prints_a_table_by_default():
    r = luoshi("units", "show", "省数据局", F2024)
    assert r.returncode == 0, r.stderr
    assert "省数据局" in r.stdout and "participant" in r.stdout


def test_an_unknown_unit_gives_one_line_naming_it_and_exit_2():
    r = luoshi("units", "show", "省不存在局", F2024, "--format", "json")
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "省不存在局" in lines[0]
    assert "Traceback" not in r.stderr


def test_a_bad_file_is_reported_and_the_others_are_still_shown(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    r = luoshi("units", "show", "省发展改革委", F2024, bad, "--format", "json")
    assert r.returncode == 2
    assert len(json.loads(r.stdout)) == 70
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "empty.txt" in lines[0]


# -- luoshi units diff -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def diff_2020_2024():
    return json_of("units", "diff", F2020, F2024, "--format", "json")


def test_units_diff_shows_the_five_renames_as_renames(diff_2020_2024):
    units = diff_2020_2024["units"]
    renamed = {(r["old"]["written"], r["new"]["written"]) for r in units["renamed"]}
    assert renamed >= RENAMES_2020_2024
    names = {n for pair in RENAMES_2020_2024 for n in pair} | {"金融监管总局浙江监管局"}
    for side in ("appeared", "disappeared"):
        listed = {u["written"] for u in units[side]} | {u["name"] for u in units[side]}
        assert not listed & names, side
    for r in units["renamed"]:
        assert r["year"] in (2023, 2024) and isinstance(r["assumed"], bool)


def test_a_merger_is_a_rename_of_each_merged_unit(diff_2020_2024):
    rows = {
        r["old"]["written"]: r
        for r in diff_2020_2024["units"]["renamed"]
        if r["new"]["written"] == "省文化广电和旅游厅"
    }
    assert set(rows) == {"省文化和旅游厅", "省广电局"}
    assert rows["省文化和旅游厅"]["merged_with"] == ["省广电局"]


def test_units_diff_gives_each_units_load_in_both_notices(diff_2020_2024, notices):
    (drc,) = [
        c
        for c in diff_2020_2024["units"]["load"]
        if [u["name"] for u in c["new"]] == ["省发展改革委"]
    ]
    assert (drc["old_led"], drc["old_joined"]) == load(notices[F2020], "省发展改革委")
    assert (drc["new_led"], drc["new_joined"]) == load(notices[F2024], "省发展改革委")
    (data,) = [c for c in diff_2020_2024["units"]["load"] if c["name"] == "省数据局"]
    assert [u["name"] for u in data["old"]] == ["省大数据局"]
    assert (data["old_led"], data["old_joined"]) == load(notices[F2020], "省大数据局")
    assert (data["new_led"], data["new_joined"]) == load(notices[F2024], "省数据局")


def test_units_diff_prints_a_table_by_default():
    r = luoshi("units", "diff", F2020, F2024)
    assert r.returncode == 0, r.stderr
    assert "省大数据局" in r.stdout and "省数据局" in r.stdout and "renamed" in r.stdout


def test_units_diff_of_a_bad_file_prints_nothing_and_exits_2(tmp_path):
    bad = tmp_path / "news.txt"
    bad.write_text("今天天气很好。\n", encoding="utf-8")
    r = luoshi("units", "diff", F2020, bad)
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "news.txt" in r.stderr


# -- luoshi units ------------------------------------------------------------------------------
def test_units_for_a_year_lists_the_records_valid_that_year():
    data = json_of("units", "--year", "2020", "--format", "json")
    names = {r["name"] for r in data}
    assert "省大数据局" in names and "省数据局" not in names
    assert all(
        (r["valid_from"] is None or r["valid_from"] <= 2020)
        and (r["valid_to"] is None or r["valid_to"] >= 2020)
        for r in data
    )
    (big_data,) = [r for r in data if r["name"] == "省大数据局"]
    assert big_data["successors"][0]["name"] == "省数据局"
    assert {"id", "kind", "spellings", "also", "predecessors"} <= set(big_data)


def test_units_lists_the_whole_registry_as_a_table():
    r = luoshi("units", "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "省发展改革委" in r.stdout and "zj-data-bureau" in r.stdout
    assert f"{len(default_registry())} records" in r.stdout


def test_units_refuses_an_unknown_format():
    r = luoshi("units", "--format", "xml")
    assert r.returncode == 2 and "--format" in r.stderr


# -- luoshi.units_view -------------------------------------------------------------------------
def test_find_unit_tasks_raises_unknown_unit_error_a_lookup_error(notices):
    with pytest.raises(UnknownUnitError) as info:
        find_unit_tasks(notices.values(), "省不存在局")
    assert isinstance(info.value, LookupError) and isinstance(info.value, LuoshiError)
    assert "省不存在局" in str(info.value)
    assert find_unit_tasks([], "省发展改革委") == []


def test_find_unit_tasks_does_not_depend_on_the_order_of_the_notices(notices):
    ordered = find_unit_tasks(notices.values(), "省经信厅")
    assert ordered == find_unit_tasks(reversed(list(notices.values())), "省经信厅")
    assert [t.year for t in ordered] == sorted(t.year for t in ordered)


def test_group_entries_count_only_for_the_group_itself(notices):
    group = find_unit_tasks(notices.values(), "省山海协作领导小组")
    assert group and all(t.name_as_written.endswith("其他成员单位") for t in group)
    drc = find_unit_tasks(notices.values(), "省发展改革委")
    assert not any(t.name_as_written.endswith("成员单位") for t in drc)


def test_a_merged_units_sibling_is_not_the_unit(notices):
    """省广电局 became part of 省文化广电和旅游厅; the 2020 省文化和旅游厅 is not 省广电局."""
    found = find_unit_tasks([notices[F2020], notices[F2024]], "省广电局")
    assert {(t.year, t.name_as_written) for t in found} == {
        (2020, "省广电局"),
        (2024, "省文化广电和旅游厅"),
    }


def test_a_unit_in_parentheses_that_is_a_record_of_its_own_is_named_too(notices):
    found = find_unit_tasks([notices[F2024]], "省司法厅")
    paired = [t for t in found if t.name_as_written == "省委依法治省办"]
    assert paired and all(t.also == ("省司法厅",) for t in paired)


def test_a_name_the_registry_does_not_know_is_matched_as_written():
    yichang = parse_notice(STYLES / "municipal-livelihood.txt")
    found = find_unit_tasks([yichang], "市财政局")
    assert found and all(t.name_as_written == "市财政局" and t.unit_id is None for t in found)
    with pytest.raises(UnknownUnitError):
        find_unit_tasks([yichang], "市不存在局")


def test_a_renamed_group_is_a_rename_in_the_groups_section(notices):
    diff = diff_notices(notices[F2024], notices[F2026])
    renamed = {(r.old.name, r.new.name) for r in diff.groups.renamed}
    assert ("省减灾委员会", "省防灾减灾救灾委员会") in renamed
    assert not {r.old.name for r in diff.units.renamed} & {"省减灾委员会"}
    assert all(u.id is None or default_registry().get(u.id).is_group for u in diff.groups.appeared)


def test_a_diff_backwards_in_time_gives_the_renames_backwards(notices):
    diff = diff_notices(notices[F2024], notices[F2020])
    renamed = {(r.new.written, r.old.written) for r in diff.units.renamed}
    assert renamed >= RENAMES_2020_2024


def test_a_diff_is_deterministic(notices):
    a = unit_diff_to_dict(diff_notices(notices[F2020], notices[F2024]))
    b = unit_diff_to_dict(diff_notices(notices[F2020], notices[F2024]))
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)
    names = [u["name"] for u in a["units"]["appeared"]]
    assert names == sorted(names)


YICHANG = """宜昌市人民政府办公室关于印发{year}年十大民生实事责任分解的通知

{year}年十大民生实事责任分解

1. 建成城市社区公园20个。（牵头市领导：周卫东；牵头单位：{parks}；责任单位：市财政局）
2. 新增城区公共停车泊位5000个。（牵头单位：市城管执法委；责任单位：市公安局、市住建局）
"""


def test_names_the_registry_does_not_know_are_compared_as_written():
    old = parse_notice_text(YICHANG.format(year=2025, parks="市园林局"), "old.txt")
    new = parse_notice_text(YICHANG.format(year=2026, parks="市园林和林业局"), "new.txt")
    diff = diff_notices(old, new)
    assert [u.name for u in diff.units.appeared] == ["市园林和林业局"]
    assert [u.name for u in diff.units.disappeared] == ["市园林局"]
    assert diff.units.renamed == ()
    (finance,) = [c for c in diff.units.load if c.name == "市财政局"]
    assert (finance.old_led, finance.old_joined, finance.new_led, finance.new_joined) == (
        0,
        1,
        0,
        1,
    )


def test_listing_options_before_a_subcommand_are_refused_not_ignored():
    r = luoshi("units", "--format", "json", "show", "省数据局", F2024)
    assert r.returncode == 2 and r.stdout == ""
    assert "units show" in r.stderr
