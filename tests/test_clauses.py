"""The responsibility clause, rule by rule, with the cases the seed notices write."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.grammar.units import ClauseParser, collective_kind, split_top_level, strip_convention
from luoshi.registry import default_registry

REG = default_registry()


def parse(clause: str, label: str = "duty", year: int = 2024):
    warnings: list[tuple[str, str]] = []
    units = ClauseParser(REG, year).parse(clause, label, lambda c, m, _zh: warnings.append((c, m)))
    return units, warnings


def compact(units):
    return [(u.name, u.role, u.kind) for u in units]


def test_the_first_unit_listed_leads_and_the_rest_participate():
    units, warnings = parse("省财政厅、省发展改革委")
    assert compact(units) == [("省财政厅", "lead", "unit"), ("省发展改革委", "participant", "unit")]
    assert warnings == []


def test_units_marked_qiantou_lead_and_those_after_participate():
    units, _ = parse("省政府办公厅、省财政厅牵头，省商务厅、省文化广电和旅游厅")
    assert [u.role for u in units] == ["lead", "lead", "participant", "participant"]
    assert [u.name for u in units] == ["省政府办公厅", "省财政厅", "省商务厅", "省文化广电和旅游厅"]


def test_a_qiantou_label_makes_every_unit_a_lead():
    units, _ = parse("省发展改革委、省经信厅、省财政厅", label="lead", year=2020)
    assert {u.role for u in units} == {"lead"}


def test_a_partner_label_makes_every_unit_a_participant():
    units, _ = parse("省经信厅、省财政厅", label="partner")
    assert {u.role for u in units} == {"participant"}


def test_the_convention_note_is_not_a_unit():
    clause = "省政府办公厅、省财政厅牵头，省商务厅（除标注为“牵头”单位外，列第一位的为牵头或汇总单位，下同）"
    units, _ = parse(clause)
    assert [u.name for u in units] == ["省政府办公厅", "省财政厅", "省商务厅"]
    assert strip_convention("省药监局、省医保局,列第一位者为牵头或汇总单位,下同")[1] is True


def test_a_parenthesis_at_the_end_holds_other_names():
    units, _ = parse(
        "省委金融办（省地方金融局）、省委宣传部（省文明办、省新闻出版局）、省卫生健康委〔省中医药管理局〕",
        year=2026,
    )
    assert [(u.name, u.also) for u in units] == [
        ("省委金融办", ("省地方金融局",)),
        ("省委宣传部", ("省文明办", "省新闻出版局")),
        ("省卫生健康委", ("省中医药管理局",)),
    ]
    assert all(u.canonical for u in units)


def test_a_parenthesis_in_the_middle_is_part_of_the_name():
    units, _ = parse("省交通运输厅、省交通强省(民航强省)建设领导小组其他成员单位", year=2026)
    assert units[1].name == "省交通强省(民航强省)建设领导小组其他成员单位"
    assert units[1].kind == "group_members"
    assert units[1].also == ()


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("杭州市、宁波市政府", ["杭州市政府", "宁波市政府"]),
        ("宁波市、舟山市及相关设区市政府", ["宁波市政府", "舟山市政府", "相关设区市政府"]),
        (
            "杭州市、丽水市及淳安县、安吉县、开化县政府",
            ["杭州市政府", "丽水市政府", "淳安县政府", "安吉县政府", "开化县政府"],
        ),
        ("金华市及义乌市政府", ["金华市政府", "义乌市政府"]),
        ("各设区市及义乌市政府", ["各设区市政府", "义乌市政府"]),
    ],
)
def test_a_shared_suffix_is_expanded(clause, expected):
    units, _ = parse("省发展改革委，" + clause, year=2020)
    assert [u.name for u in units[1:]] == expected


def test_a_comma_stops_the_shared_suffix():
    # 省发展改革委 is not a place: 政府 never reaches back over it
    units, _ = parse("省发展改革委，嘉兴市、嘉善县政府")
    assert [u.name for u in units] == ["省发展改革委", "嘉兴市政府", "嘉善县政府"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("各市、县（市、区）政府", "local_governments"),
        ("各市、县(市、区)政府", "local_governments"),
        ("有关设区市政府", "local_governments"),
        ("沿线地方政府", "local_governments"),
        ("沿海相关设区市政府", "local_governments"),
        ("省政府直属各单位", "collective"),
        ("省级有关单位", "collective"),
        ("省直属其他单位", "collective"),
        ("省发展改革委", None),
        ("杭州市政府", None),
    ],
)
def test_collective_phrases(name, kind):
    assert collective_kind(name) == kind


def test_all_local_governments_is_one_entry_despite_its_commas():
    units, _ = parse("省政府办公厅，省政府直属各单位，各市、县（市、区）政府")
    assert compact(units) == [
        ("省政府办公厅", "lead", "unit"),
        ("省政府直属各单位", "participant", "collective"),
        ("各市、县（市、区）政府", "participant", "local_governments"),
    ]


def test_group_members_resolve_to_their_group():
    units, warnings = parse("省发展改革委，省推进长三角一体化发展工作领导小组其他成员单位")
    assert units[1].kind == "group_members"
    assert units[1].canonical == "省推进长三角一体化发展工作领导小组"
    assert warnings == []


def test_an_office_and_the_other_member_units_are_two_entries():
    units, _ = parse("杭州市政府、省体育局，亚运会组委会办公室及其他成员单位", year=2020)
    assert [(u.name, u.kind) for u in units[2:]] == [
        ("亚运会组委会办公室", "unit"),
        ("亚运会组委会其他成员单位", "group_members"),
    ]


def test_two_names_run_together_are_split_with_a_warning():
    units, warnings = parse(
        "省发展改革委(省能源局)、省委军民融合办省国动办、省自然资源厅", year=2026
    )
    assert [u.name for u in units] == ["省发展改革委", "省委军民融合办", "省国动办", "省自然资源厅"]
    assert [c for c, _ in warnings] == ["missing_separator"]


def test_a_name_broken_by_a_page_break_joins_back():
    # 省委金融办\n\n(省地方金融局) — the assembler joins clause lines without a separator
    units, _ = parse("省建设厅、省委金融办(省地方金融局)、省信访局", year=2026)
    assert units[1].name == "省委金融办" and units[1].also == ("省地方金融局",)


def test_a_doubled_character_at_a_page_break_is_repaired_with_a_warning():
    units, warnings = parse(
        "省退役军人事务厅，省委退役军人事务工作领导小组组其他成员单位", year=2026
    )
    assert units[1].name == "省委退役军人事务工作领导小组其他成员单位"
    assert warnings[0][0] == "duplicated_character"


def test_an_unknown_unit_keeps_its_name_with_a_null_canonical_and_a_warning():
    units, warnings = parse("省发展改革委、省火星开发局")
    assert units[1].name == "省火星开发局" and units[1].canonical is None
    assert warnings == [("unknown_unit", "unit “省火星开发局” is not in the unit registry")]


def test_an_open_list_is_noted():
    units, warnings = parse("省发展改革委，衢州市、舟山市、丽水市政府等", year=2020)
    assert [u.name for u in units] == ["省发展改革委", "衢州市政府", "舟山市政府", "丽水市政府"]
    assert [c for c, _ in warnings] == ["open_list"]


def test_free_text_lead_and_partners():
    units, _ = parse("省发展改革委牵头，各地、各部门配合")
    assert compact(units) == [
        ("省发展改革委", "lead", "unit"),
        ("各地", "participant", "local_governments"),
        ("各部门", "participant", "collective"),
    ]


def test_splitting_respects_brackets_and_quotes():
    assert [
        p
        for _, p in split_top_level(
            "省推进“一带一路”建设工作领导小组、省委宣传部（省文明办、省新闻出版局）"
        )
    ] == [
        "省推进“一带一路”建设工作领导小组",
        "省委宣传部（省文明办、省新闻出版局）",
    ]


# -- property: a clause rendered from units and roles parses back to the same list ----------
KNOWN = sorted(
    {
        u.name
        for u in REG.units(2024)
        if not u.is_group
        and "（" not in u.name
        and "(" not in u.name
        and "及" not in u.name
        and "、" not in u.name
        and not u.name.endswith(("市", "县", "区"))
    }
)
GROUPS = sorted(u.name for u in REG.units(2024) if u.is_group and "（" not in u.name)
ENTRY = st.one_of(
    st.sampled_from(KNOWN).map(lambda n: (n, "unit")),
    st.sampled_from(GROUPS).map(lambda n: (n + "其他成员单位", "group_members")),
    st.sampled_from(["省政府直属各单位", "省级有关单位"]).map(lambda n: (n, "collective")),
    st.sampled_from(["各市、县（市、区）政府", "有关设区市政府"]).map(
        lambda n: (n, "local_governments")
    ),
)


@st.composite
def clause_and_expected(draw):
    entries = draw(st.lists(ENTRY, min_size=1, max_size=8, unique_by=lambda e: e[0]))
    # units first (leads must be units), then groups and collectives, as notices write them
    entries.sort(key=lambda e: e[1] != "unit")
    n_units = sum(1 for e in entries if e[1] == "unit")
    style = draw(st.sampled_from(["first", "marked", "label"])) if n_units else "first"
    n_leads = 1
    if style == "marked" and n_units >= 1:
        n_leads = draw(st.integers(1, n_units))
    if style == "label":
        n_leads = len(entries)
    names = [e[0] for e in entries]
    if style == "marked" and n_leads < len(entries):
        text = "、".join(names[:n_leads]) + "牵头，" + "、".join(names[n_leads:])
    elif style == "marked":
        text = "、".join(names) + "牵头"
    else:
        text = "、".join(names)
    label = "lead" if style == "label" else "duty"
    expected = [
        (name, "lead" if i < n_leads else "participant", kind)
        for i, (name, kind) in enumerate(entries)
    ]
    return text, label, expected


@settings(max_examples=300, deadline=None)
@given(clause_and_expected())
def test_a_rendered_clause_parses_back_to_the_same_units_and_roles(case):
    text, label, expected = case
    units, warnings = parse(text, label)
    assert compact(units) == expected, text
    assert not [w for w in warnings if w[0] == "unknown_unit"]
