"""The dated unit registry: its data, and names resolved by name and year."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from luoshi.registry import (
    DATA_PATH,
    KINDS,
    SEED_YEARS,
    Registry,
    RegistryError,
    default_registry,
    normalize_unit_name,
)

GOLDEN = Path(__file__).parent / "golden"
SEED_FILES = {
    "000": GOLDEN / "zhejiang-2024-notice.txt",
    "002": GOLDEN / "zhejiang-2026-notice.txt",
    "003": GOLDEN / "zhejiang-2020-notice-webpage.txt",
}
RAW = yaml.safe_load(DATA_PATH.read_text(encoding="utf-8"))
REG = default_registry()


def names_of(record: dict) -> list[str]:
    return [normalize_unit_name(e["name"]) for e in record["spellings"] + (record["also"] or [])]


def valid(record: dict, year: int) -> bool:
    lo, hi = record["valid_from"], record["valid_to"]
    return (lo is None or lo <= year) and (hi is None or year <= hi)


# -- the data ------------------------------------------------------------------------------------
def test_ids_are_unique_ascii():
    ids = [r["id"] for r in RAW]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids)


def test_no_name_means_two_organisations_in_the_same_year():
    for year in range(2000, 2041):
        holders = defaultdict(set)
        for record in RAW:
            if valid(record, year):
                for name in names_of(record):
                    holders[name].add(record["id"])
        clashes = {name: ids for name, ids in holders.items() if len(ids) > 1}
        assert not clashes, f"{year}: {clashes}"


def test_links_point_to_records_and_are_mirrored():
    by_id = {r["id"]: r for r in RAW}
    for record in RAW:
        for key, mirror in (("predecessors", "successors"), ("successors", "predecessors")):
            for link in record[key]:
                assert link["id"] in by_id, (record["id"], link["id"])
                back = [x["id"] for x in by_id[link["id"]][mirror]]
                assert record["id"] in back, f"{record['id']} → {link['id']} not mirrored"
                if link["assumed"]:
                    assert link["why"], (record["id"], link["id"])
        for pair in record.get("paired") or []:
            assert pair["id"] in by_id and pair["seen"] and pair["why"], record["id"]


def test_every_record_cites_where_it_was_seen_within_its_years():
    for record in RAW:
        assert any(s["seen"] for s in record["spellings"]), record["id"]
        for entry in record["spellings"] + (record["also"] or []):
            assert entry["seen"], (record["id"], entry["name"])
            for seed in entry["seen"]:
                assert valid(record, SEED_YEARS[seed]), (record["id"], entry["name"], seed)
        assert record["name"] in [s["name"] for s in record["spellings"]], record["id"]


def test_kinds_are_the_documented_ones():
    readme = (DATA_PATH.parent / "README.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"| {kind} |" in readme, kind
    assert {r["kind"] for r in RAW} <= set(KINDS)


def test_spellings_are_stored_with_full_width_parentheses():
    for record in RAW:
        for entry in record["spellings"] + (record["also"] or []):
            assert entry["name"] == normalize_unit_name(entry["name"]), entry["name"]


# -- every name in the seed notices --------------------------------------------------------------
LABEL_RE = re.compile(r"(?:责\s*任\s*单\s*位|牵\s*头\s*单\s*位)\s*[:：]")
STOP_RE = re.compile(r"(\d+\s*[.．]|[一二三四五六七八九十]+、|十方面|政府工作报告|抄送)")
NOTE_RE = re.compile(r"（[^（）]*列第一位[^（）]*）|[，,]?列第一位者为牵头或汇总单位[，,]下同")
COLLECTIVE_RE = re.compile(
    r"各市、县（市、区）(人民)?政府|省政府直属各单位|省级有关单位|省直属其他单位"
    r"|(各|有关|相关|沿线|沿海相关|其他相关)(设区市|地方)政府"
)
RUN_TOGETHER = {"省委军民融合办省国动办"}  # 2026, no separator between two units


def clauses(text: str) -> list[str]:
    """Every unit list: after 责任单位：/牵头单位：, lines joined without a separator (names break
    across pages), up to the next numbered item or heading, or the ） closing an attribution."""
    joined, stops = "", []
    for line in text.splitlines():
        line = normalize_unit_name(line)
        if STOP_RE.match(line):
            stops.append(len(joined))
        joined += line
    stops.append(len(joined))
    out = []
    for m in LABEL_RE.finditer(joined):
        body = joined[m.end() : min(s for s in stops if s > m.start())]
        body = LABEL_RE.split(body)[0]
        depth = 0
        for i, ch in enumerate(body):
            depth += (ch in "（〔") - (ch in "）〕")
            if depth < 0:
                body = body[:i]
                break
        out.append(body.split("。")[0])
    return out


def entries(clause: str) -> list[tuple[str, tuple[str, ...]]]:
    """(name, also-names) for each unit; groups as ``X其他成员单位``; collective phrases dropped."""
    clause = NOTE_RE.sub("", clause).replace("小组组其他成员单位", "小组其他成员单位")
    clause = COLLECTIVE_RE.sub("@政府", clause)
    items, depth, cur = [], 0, ""
    for ch in clause:
        depth += (ch in "（〔") - (ch in "）〕")
        if depth == 0 and ch in "、，,；;及":
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items = [re.sub(r"(牵头|等)$", "", i) for i in [*items, cur] if i]
    for i, item in enumerate(items):  # 杭州市、宁波市政府 → 杭州市政府, 宁波市政府
        if re.fullmatch(r"\w{1,5}[市县]", item) and any(x.endswith("政府") for x in items[i:]):
            items[i] = item + "政府"
    out = []
    for i, item in enumerate(items):
        if item == "@政府" or COLLECTIVE_RE.fullmatch(item):
            continue
        if item == "其他成员单位":  # 亚运会组委会办公室及其他成员单位
            item = items[i - 1].removesuffix("办公室") + item
        m = re.fullmatch(r"(.+)[（〔]([^（）〔〕]+)[）〕]", item)
        if m:
            out.append((m.group(1), tuple(re.split("[、，,]", m.group(2)))))
        else:
            out.append((item, ()))
    return out


def seed_names(seed: str) -> list[tuple[str, tuple[str, ...]]]:
    text = SEED_FILES[seed].read_text(encoding="utf-8")
    return [e for clause in clauses(text) for e in entries(clause)]


@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_every_unit_named_in_a_seed_notice_resolves(seed):
    year = SEED_YEARS[seed]
    found = seed_names(seed)
    assert len(found) > 700  # the helper read the clauses, not a few of them
    unknown = []
    for name, also in found:
        if name in RUN_TOGETHER:
            assert REG.split_run_together(name, year)
            continue
        if name.endswith("其他成员单位"):
            group = REG.resolve_group(name, year)
            if group is None or not group.valid_in(year):
                unknown.append(name)
            continue
        unit = REG.resolve(name, year)
        if unit is None or not unit.valid_in(year) or unit.is_group:
            unknown.append(name)
            continue
        for other in also:  # a second name of the unit, or a record written with it
            second = REG.resolve(other, year)
            assert second is not None and (second.id == unit.id or second.id in unit.paired), (
                name,
                other,
            )
    assert not unknown, sorted(set(unknown))


@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_every_spelling_cited_for_a_seed_is_named_in_that_seed(seed):
    named = {n for n, _ in seed_names(seed)} | {a for _, also in seed_names(seed) for a in also}
    named |= {n.removesuffix("其他成员单位") for n in named}
    for record in RAW:
        for entry in record["spellings"] + (record["also"] or []):
            if seed in entry["seen"]:
                assert entry["name"] in named, (record["id"], entry["name"], seed)


# -- resolving -----------------------------------------------------------------------------------
def test_three_spellings_of_the_labour_department_are_one_organisation():
    for year in (2024, 2026, None):
        ids = {REG.resolve(n, year).id for n in ("省人社厅", "省人力社保厅", "省人社保厅")}
        assert ids == {"zj-hrss"}


@pytest.mark.parametrize(
    ("name", "year", "canonical"),
    [
        ("科技厅", 2026, "省科技厅"),
        ("浙江省税务局", 2020, "省税务局"),
        ("省税务局", 2024, "省税务局"),
        ("省文化广电与旅游厅", 2026, "省文化广电和旅游厅"),
        ("金融监管总局浙江监管局", 2024, "浙江金融监管局"),
        ("省美丽浙江建设工作领导小组", 2020, "省美丽浙江建设领导小组"),
        ("省拥军优属拥政爱民领导小组", 2020, "省双拥领导小组"),
        ("省政府妇儿工委办公室", 2024, "省政府妇女儿童工作委员会办公室"),
    ],
)
def test_a_variant_spelling_resolves_to_the_canonical_name(name, year, canonical):
    assert REG.resolve(name, year).name == canonical


@pytest.mark.parametrize(
    ("second", "year", "carrier"),
    [
        ("省地方金融局", 2026, "省委金融办"),
        ("省外汇局", 2024, "人行浙江省分行"),
        ("省政务服务办", 2026, "省数据局"),
        ("省中医药管理局", 2026, "省卫生健康委"),
        ("省知识产权局", 2026, "省市场监管局"),
        ("省文明办", 2024, "省委宣传部"),
        ("省综合执法办", 2024, "省司法厅"),
    ],
)
def test_a_second_name_resolves_to_the_unit_that_carries_it(second, year, carrier):
    assert REG.resolve(second, year).name == carrier


def test_a_name_written_in_parentheses_that_is_a_unit_of_its_own_resolves_to_itself():
    assert REG.resolve("省司法厅", 2024).id == "zj-justice"
    assert REG.resolve("省能源局", 2026).id == "zj-energy"
    assert REG.resolve("省委人才办", 2026).id == "zj-cpc-talent"
    assert "zj-justice" in REG.resolve("省委依法治省办", 2024).paired
    assert "zj-energy" in REG.resolve("省发展改革委", 2026).paired


def test_parentheses_and_spaces_do_not_matter():
    assert REG.resolve("省交通强省(民航强省)建设领导小组", 2026).id == "grp-transport-power"
    assert REG.resolve(" 中国(浙江)自由贸易试验区\u3000建设领导小组\u200b", 2024).id == "grp-ftz"


def test_an_unknown_name_resolves_to_none():
    assert REG.resolve("省不存在厅", 2024) is None
    assert REG.resolve("", 2024) is None
    assert REG.resolve_group("省不存在领导小组其他成员单位", 2024) is None


def test_a_spelling_resolves_to_the_record_of_its_year_not_to_another_years_record():
    assert REG.resolve("省文化和旅游厅", 2020).id == "zj-culture-tourism-2018"
    assert REG.resolve("省文化和旅游厅", 2026).id == "zj-culture-radio-tourism"
    assert REG.resolve("省文化和旅游厅", 2023).id == "zj-culture-tourism-2018"
    # without a year, the latest record with the name
    assert REG.resolve("省文化和旅游厅").id == "zj-culture-radio-tourism"


def test_a_name_no_record_holds_that_year_falls_back_to_the_record_that_had_it():
    unit = REG.resolve("省大数据局", 2026)
    assert unit.id == "zj-big-data-2018" and not unit.valid_in(2026)
    assert REG.resolve("省数据局", 2020).id == "zj-data-bureau"


def test_units_of_a_year_are_those_valid_that_year():
    ids_2020 = {u.id for u in REG.units(2020)}
    ids_2024 = {u.id for u in REG.units(2024)}
    assert "zj-big-data-2018" in ids_2020 and "zj-data-bureau" not in ids_2020
    assert "zj-data-bureau" in ids_2024 and "zj-big-data-2018" not in ids_2024
    assert len(REG.units()) == len(RAW)


# -- groups --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "group"),
    [
        ("省推进长三角一体化发展工作领导小组其他成员单位", "grp-yangtze-delta"),
        ("省推进长三角一体化发展工作领导小组", "grp-yangtze-delta"),
        ("省委全面依法治省委员会各协调小组其他成员单位", "grp-rule-of-law-coordination"),
        (
            "省深入实施“八八战略”强力推进创新深化改革攻坚开放提升领导小组开放提升组其他成员单位",
            "grp-opening-up",
        ),
        ("中国(浙江)自由贸易试验区建设领导小组其他成员单位", "grp-ftz"),
        ("省交通强省(民航强省)建设领导小组其他成员单位", "grp-transport-power"),
        ("亚运会组委会其他成员单位", "grp-asian-games"),
        ("亚残运会组委会", "grp-asian-para-games"),
        ("省委退役军人事务工作领导小组各成员单位", "grp-veterans"),
    ],
)
def test_a_group_resolves_with_or_without_its_member_suffix(written, group):
    assert REG.resolve_group(written, 2024).id == group


def test_a_unit_is_not_a_group():
    assert REG.resolve_group("省发展改革委") is None
    assert REG.resolve_group("亚运会组委会办公室其他成员单位") is None
    assert REG.resolve("亚运会组委会办公室", 2020).kind == "议事协调机构办事机构"


# -- run-together names --------------------------------------------------------------------------
def test_two_units_written_without_a_separator_are_split():
    assert REG.split_run_together("省委军民融合办省国动办", 2026) == ["省委军民融合办", "省国动办"]
    assert REG.split_run_together("省委军民融合办省国动办") == ["省委军民融合办", "省国动办"]


def test_a_known_or_unsplittable_name_is_not_split():
    assert REG.split_run_together("省纪委省监委机关", 2026) is None  # one organ
    assert REG.split_run_together("省发展改革委", 2026) is None
    assert REG.split_run_together("省发展改革委某某办", 2026) is None
    assert REG.split_run_together("", 2026) is None


def test_a_split_uses_only_names_of_the_year_when_given():
    assert REG.split_run_together("省大数据局省财政厅", 2020) == ["省大数据局", "省财政厅"]
    assert REG.split_run_together("省大数据局省财政厅", 2024) is None


# -- renames and mergers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "old_year", "new", "new_year"),
    [
        ("省大数据局", 2020, "省数据局", 2024),
        ("人行杭州中心支行", 2020, "人行浙江省分行", 2024),
        ("浙江银保监局", 2020, "金融监管总局浙江监管局", 2024),
        ("金融监管总局浙江监管局", 2024, "浙江金融监管局", 2026),
        ("浙江银保监局", 2020, "浙江金融监管局", 2026),
        ("省文化和旅游厅", 2020, "省文化广电和旅游厅", 2024),
        ("省广电局", 2020, "省文化广电和旅游厅", 2024),
        ("省地方金融监管局", 2020, "省委金融办", 2024),
        ("省人防办", 2020, "省国动办", 2024),
        ("省减灾委员会", 2024, "省防灾减灾救灾委员会", 2026),
        ("省食品安全委员会", 2020, "省食品药品安全委员会", 2026),
    ],
)
def test_old_and_new_names_of_a_renamed_unit_share_a_lineage(old, old_year, new, new_year):
    a, b = REG.resolve(old, old_year), REG.resolve(new, new_year)
    assert a.valid_in(old_year) and b.valid_in(new_year)
    assert b.id in REG.lineage(a.id) and a.id in REG.lineage(b.id)


def test_the_successors_chain_follows_renames_forward():
    assert [u.id for u in REG.successors_chain("cn-pbc-hangzhou")] == ["cn-pbc-zhejiang"]
    assert [u.id for u in REG.successors_chain("zj-radio-tv")] == ["zj-culture-radio-tourism"]
    assert REG.successors_chain("zj-drc") == []
    assert REG.lineage("zj-drc") == {"zj-drc"}


def test_unrelated_units_do_not_share_a_lineage():
    assert "zj-finance" not in REG.lineage("zj-local-finance-2018")


# -- the loader refuses inconsistent data --------------------------------------------------------
def record(rid: str, name: str, **extra) -> dict:
    base = {
        "id": rid,
        "name": name,
        "full_name": None,
        "kind": "省政府组成部门",
        "spellings": [{"name": name, "seen": ["000"]}],
        "also": [],
        "valid_from": None,
        "valid_to": None,
        "predecessors": [],
        "successors": [],
    }
    return base | extra


def link(rid: str) -> dict:
    return {"id": rid, "year": 2024, "assumed": True, "why": "test"}


@pytest.mark.parametrize(
    ("records", "bad_id", "reason"),
    [
        ([record("a", "省甲厅"), record("a", "省乙厅")], "a", "duplicate id"),
        ([record("a", "省甲厅", predecessors=[link("zzz")])], "a", "zzz is not a record"),
        (
            [record("a", "省甲厅", successors=[link("b")]), record("b", "省乙厅")],
            "a",
            "does not list",
        ),
        (
            [
                record("a", "省甲厅"),
                record("b", "省乙厅", also=[{"name": "省甲厅", "seen": ["000"]}]),
            ],
            "a",
            "also belongs to b",
        ),
        ([record("a", "省甲厅", spellings=[{"name": "省甲厅", "seen": []}])], "a", "seen"),
        ([record("a", "省甲厅", kind="部门")], "a", "unknown kind"),
        ([record("a", "省甲厅", valid_from=2025)], "a", "outside the record's years"),
        ([record("A", "省甲厅")], "A", "lower-case ASCII"),
    ],
)
def test_the_loader_names_the_record_and_the_reason(tmp_path, records, bad_id, reason):
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        Registry.load(path)
    assert info.value.record_id == bad_id
    assert reason in str(info.value) and "units.yaml" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_a_renamed_unit_may_keep_a_spelling_in_other_years(tmp_path):
    old = record(
        "old",
        "省甲厅",
        valid_to=2023,
        successors=[link("new")],
        spellings=[{"name": "省甲厅", "seen": ["003"]}],
    )
    new = record(
        "new",
        "省甲乙厅",
        valid_from=2024,
        predecessors=[link("old")],
        spellings=[{"name": "省甲乙厅", "seen": ["000"]}, {"name": "省甲厅", "seen": ["002"]}],
    )
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump([old, new], allow_unicode=True), encoding="utf-8")
    reg = Registry.load(path)
    assert reg.resolve("省甲厅", 2020).id == "old"
    assert reg.resolve("省甲厅", 2026).id == "new"
    assert reg.lineage("old") == {"old", "new"}


# -- properties ----------------------------------------------------------------------------------
NAME_TEXT = st.text(
    alphabet=st.sampled_from(
        list("省委办厅局(（)）〔〕 \u3000\u200b\u00ad\t\n·“”、abce\u0301\u20001")
    ),
    max_size=30,
)


@given(st.one_of(NAME_TEXT, st.text(max_size=30)))
def test_normalizing_twice_changes_nothing(name):
    once = normalize_unit_name(name)
    assert normalize_unit_name(once) == once
    assert "(" not in once and ")" not in once and not any(ch.isspace() for ch in once)


SPELLINGS = [(u.id, name) for u in REG.units() for name in u.spellings + u.also]


@given(st.sampled_from(SPELLINGS), st.integers(min_value=2000, max_value=2040))
def test_every_spelling_resolves_to_one_record_in_each_year_it_is_valid(pair, year):
    unit_id, name = pair
    unit = REG.get(unit_id)
    if not unit.valid_in(year):
        return
    assert REG.resolve(name, year).id == unit_id
    holders = [u.id for u in REG.units(year) if name in u.spellings + u.also]
    assert holders == [unit_id]
    # written with ASCII parentheses and stray spaces, the name still resolves
    assert (
        REG.resolve(" " + name.replace("（", "(").replace("）", ")") + "\u3000", year).id == unit_id
    )
