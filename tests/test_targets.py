"""The target grammar (luoshi.targets): narrow rules with their negative cases, the targets a
careful reader finds in the 2024 and 2026 seed notices, and property tests of the number grammar.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi import parse_notice
from luoshi.errors import LuoshiError, ParseError
from luoshi.model import Target
from luoshi.targets import find_deadlines, find_targets, load_measures, parse_number

GOLDEN = Path(__file__).parent / "golden"


def one(text: str, year: int | None = 2024) -> Target:
    found = find_targets(text, year)
    assert len(found) == 1, found
    return found[0]


def brief(t: Target) -> tuple:
    return (t.op, t.value, t.unit)


# ------------------------------------------------------------------------------------------
# Comparators


@pytest.mark.parametrize(
    ("text", "op", "value", "unit"),
    [
        ("实际使用外资200亿美元以上", "ge", D(200), "亿美元"),
        ("比重不低于 80%", "ge", D(80), "%"),
        ("新增就业不少于10万人", "ge", D(10), "万人"),
        ("培育至少50家", "ge", D(50), "家"),
        ("达到3.5%以上", "ge", D("3.5"), "%"),
        ("制造业外资占比超过29%", "gt", D(29), "%"),
        ("集群营收突破 13 万亿元", "gt", D(13), "万亿元"),
        ("增速高于8%", "gt", D(8), "%"),
        ("城镇调查失业率 5% 以内", "le", D(5), "%"),
        ("城镇调查失业率控制在5%以内", "le", D(5), "%"),
        ("城镇调查失业率控制在5.5%", "le", D("5.5"), "%"),
        ("审批中介事项清单压缩至50项以内", "le", D(50), "项"),
        ("PM2.5平均浓度不高于25微克/立方米", "le", D(25), "微克/立方米"),
        ("能耗不超过100万吨标准煤", "le", D(100), "万吨标准煤"),
        ("不良贷款率1%以下", "le", D(1), "%"),
        ("不良贷款率低于1%", "lt", D(1), "%"),
        ("投资少于30亿元", "lt", D(30), "亿元"),
        ("生产总值增长 5.5% 左右", "approx", D("5.5"), "%"),
        ("实际使用外资约200亿美元", "approx", D(200), "亿美元"),
        ("安排省级财政资金 1023.6 亿元", "eq", D("1023.6"), "亿元"),
        ("新增服务型制造示范企业(平台)60 家", "eq", D(60), "家"),
    ],
)
def test_each_comparator_word_gives_its_op(text, op, value, unit):
    assert brief(one(text)) == (op, value, unit)


def test_the_word_after_the_number_wins_over_the_word_before():
    t = one("省属国有企业研发投入增速高于全省平均2个百分点以上")
    assert brief(t) == ("ge", D(2), "个百分点")
    assert (t.indicator, t.measure) == ("省属国有企业研发投入增速高于全省平均", "margin")


def test_yue_inside_a_word_is_not_about():
    assert one("能耗节约5%").op == "eq"


@pytest.mark.parametrize(
    "text",
    ["增长5%—5.5%", "增长5%-5.5%", "增长5%～5.5%", "增长5%~5.5%", "增长5%至5.5%", "增长5—5.5%"],
)
def test_a_range_is_between_low_and_high(text):
    t = one(text)
    assert brief(t) == ("between", (D(5), D("5.5")), "%")
    assert t.measure == "growth"


def test_a_count_range_is_between():
    assert brief(one("布局首批省实验室2—3家")) == ("between", (D(2), D(3)), "家")


def test_a_range_with_two_different_units_is_not_a_range():
    assert [t.op for t in find_targets("建设5个—6家")] == ["eq", "eq"]


# ------------------------------------------------------------------------------------------
# Lists


def test_one_yishang_after_a_list_closes_every_item_of_it():
    found = find_targets(
        "新增“雄鹰”企业 30 家、上市公司 50 家、国家单项冠军企业(产品)20 家、"
        "专精特新“小巨人”企业 300 家以上。"
    )
    assert [(t.indicator, t.op, t.value, t.measure) for t in found] == [
        ("新增“雄鹰”企业", "ge", D(30), "increment"),
        ("上市公司", "ge", D(50), "increment"),
        ("国家单项冠军企业(产品)", "ge", D(20), "increment"),
        ("专精特新“小巨人”企业", "ge", D(300), "increment"),
    ]


def test_items_separated_by_a_comma_do_not_share_the_yishang():
    found = find_targets(
        "新增科技领军企业 10 家、科技小巨人企业 100 家、高新技术企业 5000 家、"
        "科技型中小企业 1.2 万家,新建省级创新联合体 10 家以上。"
    )
    assert [(t.op, t.value, t.unit) for t in found] == [
        ("eq", D(10), "家"),
        ("eq", D(100), "家"),
        ("eq", D(5000), "家"),
        ("eq", D("1.2"), "万家"),
        ("ge", D(10), "家"),
    ]
    assert found[1].text == "科技小巨人企业 100 家"
    assert found[1].measure == "increment"  # the list shares 新增


def test_an_item_with_its_own_comparator_keeps_it():
    found = find_targets(
        "新遴选顶尖人才 40 名左右、省引才计划专家 500 名、省培养计划专家 600 名以上"
    )
    assert [t.op for t in found] == ["approx", "ge", "ge"]


def test_an_item_without_a_noun_takes_the_previous_one():
    a, b = find_targets("新开工改造城镇老旧小区 450 个、4200 栋。")
    assert (a.indicator, b.indicator) == ("新开工改造城镇老旧小区", "新开工改造城镇老旧小区")
    assert (b.value, b.unit, b.text) == (D(4200), "栋", "4200 栋")


def test_a_list_item_without_a_number_belongs_to_its_neighbour():
    t = one("为 1 万名困境、留守儿童进行心理健康评估干预。")
    assert (t.indicator, t.value, t.unit) == ("为困境、留守儿童进行心理健康评估干预", D(1), "万名")
    t = one("举办“村 BA”、村跑等全民健身赛事活动 1 万场。")
    assert t.indicator == "举办“村BA”、村跑等全民健身赛事活动"


def test_a_list_item_that_is_a_task_of_its_own_is_left_out_of_the_indicator():
    t = one("深化入境游全链条便利化改革、入境过夜游客人数增长10%以上。")
    assert (t.indicator, t.text, t.measure) == (
        "入境过夜游客人数",
        "入境过夜游客人数增长10%以上",
        "growth",
    )


def test_two_quantities_joined_by_he_each_have_their_noun():
    a, b = find_targets("完成100座病险水库和100公里干堤加固")
    assert (a.indicator, a.unit, b.indicator, b.unit) == ("完成病险水库", "座", "干堤加固", "公里")
    assert a.measure == b.measure == "increment"


# ------------------------------------------------------------------------------------------
# Units, scale words, Chinese numerals


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("新增科技型中小企业 1.2 万家", D("1.2"), "万家"),
        ("完成年度投资 1 万亿元以上", D(1), "万亿元"),
        ("新开工电源项目装机 2600 万千瓦", D(2600), "万千瓦"),
        ("全员劳动生产率达到 30 万元/人左右", D(30), "万元/人"),
        ("PM2.5平均浓度不高于 25 微克/立方米", D(25), "微克/立方米"),
        ("宁波舟山港集装箱吞吐量达到 4500 万标箱", D(4500), "万标箱"),
        ("派遣科技特派员 2000 人次以上", D(2000), "人次"),
        ("全年交付保障性租赁住房 15 万套（间）", D(15), "万套(间)"),
        ("在公共场所新增配置自动体外除颤仪 1 万台", D(1), "万台"),
        ("新增危险废物利用处置能力达到30万吨/年", D(30), "万吨/年"),
        ("全省工商业电价下降3分/千瓦时以上", D(3), "分/千瓦时"),
        ("确保粮食播种面积1530万亩、总产量125亿斤", D(1530), "万亩"),
        ("为 80 万重点群体提供就业帮扶", D(80), "万"),
        ("新增就业１００万人", D(100), "万人"),
        ("城镇化率达到７８％左右", D(78), "%"),
        ("新增1,000家", D(1000), "家"),
    ],
)
def test_the_unit_keeps_its_scale_word_and_the_value_stays_as_written(text, value, unit):
    t = find_targets(text)[0]
    assert (t.value, t.unit) == (value, unit)


def test_percentage_points_are_a_unit_of_their_own():
    t = one("占比提高2个百分点")
    assert (t.value, t.unit, t.measure) == (D(2), "个百分点", "growth")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("新增两万家企业", D(2), "万家"),
        ("新增三千个", D(3000), "个"),
        ("培育十五家", D(15), "家"),
        ("新增二十五个", D(25), "个"),
        ("研发投入强度达到百分之五", D(5), "%"),
        ("研发投入强度达到百分之三点五", D("3.5"), "%"),
        ("覆盖率达到百分之百", D(100), "%"),
        ("带动十万名青年", D(10), "万名"),
    ],
)
def test_chinese_numerals(text, value, unit):
    assert (one(text).value, one(text).unit) == (value, unit)


@pytest.mark.parametrize(
    "text",
    [
        "带动万名青年入乡发展",  # 万名 without a number
        "加快佛渡集装箱码头一期建设",  # 一期: a word
        "持续推动四条诗路文化带建设",
        "金七门核电",
        "坚持“两个毫不动摇”，坚持两个毫不动摇",
        "打通最后一公里",
        "一张蓝图绘到底，一年接着一年干",
        "百亿元以上产业链",  # 百 alone is not a numeral
        "千村示范、万村整治",
    ],
)
def test_chinese_numerals_that_are_words_are_not_targets(text):
    assert find_targets(text) == []


# ------------------------------------------------------------------------------------------
# Numbers that are names, qualifiers, ordinals, dates


@pytest.mark.parametrize(
    "text",
    [
        "深入实施“315”科技创新体系建设工程",
        "全面落实“3个70%”“3张项目清单”“7个不准”",
        "全面落实3个70%、3张项目清单、7个不准",
        "迭代升级“8+4”经济政策体系",
        "迭代升级8+4经济政策体系",
        "大力实施“双一流 196 工程”",
        "深入实施双一流196工程",
        "迭代提升“141”基层治理体系",
        "大力实施“415X”先进制造业集群培育",
        "实施“双尖双领 + X”重大科技项目",
        "发挥“4+1”专项基金撬动作用",
        "办好第六届世界佛教论坛",
        "高水平办好第十五届中国(温州)国际园林博览会",
        "八八战略实施20周年",
        "新中国成立75周年",
        "“十五五”时期",
        "2024 年重点为13—14 岁女生接种",
        "推动“民营经济32条”政策精准落地",
        "落实落细民营经济32条政策",
        "稳步推进“三大工程”，实施三大工程",
        "建成5G基站",
        "设区城市 PM2.5 平均浓度稳中有降",
        "高质量共建 G60 科创走廊",
        "加快数字政府 2.0 建设",
        "全力打造特色小镇2.0版",
        "落实落细国家促进民间投资“13 条政策”",
        "全省参保的 0—6 岁儿童门诊报销待遇无差别",
        "为全省 60 岁以上老年人免费接种流感疫苗",
        "70 周岁以上户籍老年人意外伤害保险全覆盖",
        "第二轮土地承包到期后再延长30年",
        "2024—2025 年对全省所有未达标单村水站进行改造",
        "2026年2月2日",
        "宁波舟山国际航运中心发展指数全球排名“保 7 争 6”",
        "优化 8 个政策包和 4 张要素保障清单",
        "为离校 2 年内未就业高校毕业生开发见习岗位",
        "丰富“15分钟品质文化生活圈”建设内涵",
        "加强3岁以下婴幼儿照护服务工作",
    ],
)
def test_numbers_that_are_names_qualifiers_ordinals_or_dates_are_not_targets(text):
    assert find_targets(text, 2024) == []


def test_a_qualifier_before_the_commitment_is_not_a_target():
    t = one("建成年产值超 10 亿元的“土特产”全产业链 100 条。")
    assert (t.op, t.value, t.unit) == ("eq", D(100), "条")
    assert t.indicator == "建成年产值超10亿元的“土特产”全产业链"
    t = one("百亿元以上产业链达到15条")
    assert (t.value, t.indicator) == (D(15), "百亿元以上产业链")
    t = one("10亿元以上产业链达到15条")
    assert (t.value, t.indicator, t.measure) == (D(15), "10亿元以上产业链", "level")
    t = one("新增3岁以下婴幼儿照护服务机构200家")
    assert (t.value, t.unit) == (D(200), "家")


def test_a_population_qualifier_leaves_the_commitment_beside_it():
    t = one("为全省 60 岁以上老年人免费接种流感疫苗;在公共场所新增配置自动体外除颤仪 1 万台。")
    assert (t.value, t.unit) == (D(1), "万台")


def test_a_denominator_is_not_a_target():
    t = one("配置AED达每10万人45台")
    assert (t.value, t.unit) == (D(45), "台")


def test_a_rank():
    t = one("区域创新能力居全国第4位")
    assert (t.indicator, t.op, t.value, t.unit, t.measure) == (
        "区域创新能力",
        "eq",
        D(4),
        "位",
        "rank",
    )
    assert one("出口规模跃居全国第二位").value == D(2)
    assert one("数字经济综合发展水平进入全国前5位").op == "le"


# ------------------------------------------------------------------------------------------
# Indicator, measure, hedge, by


@pytest.mark.parametrize(
    ("text", "indicator", "measure"),
    [
        ("生产总值增长 5.5% 左右", "生产总值", "growth"),
        ("居民消费价格涨幅 3% 左右", "居民消费价格", "growth"),
        ("氮氧化物排放总量下降19.8%", "氮氧化物排放总量", "decline"),
        ("城镇调查失业率 5% 以内", "城镇调查失业率", "share"),
        ("研发投入强度达到 3.2%", "研发投入强度", "share"),
        ("海洋生产总值占 GDP 比重达到 14% 左右", "海洋生产总值占GDP比重", "share"),
        (
            "规上工业企业研发费用与营收之比达到 3.25% 左右",
            "规上工业企业研发费用与营收之比",
            "share",
        ),
        ("宁波舟山港集装箱吞吐量达到 4500 万标箱", "宁波舟山港集装箱吞吐量", "level"),
        ("累计培育100个标志性项目", "累计培育标志性项目", "level"),
        ("新增科技领军企业 10 家", "新增科技领军企业", "increment"),
        ("城镇新增就业 100 万人以上", "城镇新增就业", "increment"),
        ("新增危险废物利用处置能力达到30万吨/年", "新增危险废物利用处置能力", "increment"),
        ("建设高标准农田 78 万亩以上", "建设高标准农田", "increment"),
        ("安排省级财政资金 1023.6 亿元", "安排省级财政资金", "amount"),
        ("完成年度投资 1 万亿元以上", "完成年度投资", "amount"),
        ("为市场经营主体减负 2500 亿元以上", "为市场经营主体减负", "amount"),
        ("实际使用外资200亿美元以上", "实际使用外资", "level"),
        ("待遇享受人数 23 万人以上", "待遇享受人数", "count"),
        ("引育 1000 名乡村运营人才", "引育乡村运营人才", "increment"),
        ("打造40个重点消费品产业集群", "打造重点消费品产业集群", "increment"),
        ("整合提升 1000 个民生服务综合体", "整合提升民生服务综合体", "increment"),
        (
            "新增“固定班次+预约响应”公交线路共 220 条",
            "新增“固定班次+预约响应”公交线路",
            "increment",
        ),
    ],
)
def test_indicator_and_measure(text, indicator, measure):
    t = one(text)
    assert (t.indicator, t.measure) == (indicator, measure)


def test_a_hedge_is_kept_and_reaches_a_qizhong_clause():
    a, b = find_targets("力争实际使用外资200亿美元以上，其中制造业外资占比超过29%。")
    assert (a.text, a.indicator, a.hedge) == (
        "力争实际使用外资200亿美元以上",
        "实际使用外资",
        "力争",
    )
    assert (b.text, b.indicator, b.hedge) == ("其中制造业外资占比超过29%", "制造业外资占比", "力争")
    assert (brief(b), b.measure) == (("gt", D(29), "%"), "share")


def test_a_hedge_does_not_reach_the_next_clause():
    a, b = find_targets("力争全社会研发投入强度达到 3.35%，全口径科技创新投入达到 7800 亿元。")
    assert (a.hedge, b.hedge) == ("力争", None)


def test_a_hedge_covers_every_item_of_its_clause():
    a, b = find_targets("确保粮食播种面积1530万亩、总产量125亿斤。")
    assert (a.hedge, b.hedge) == ("确保", "确保")
    assert (b.indicator, b.value, b.unit) == ("总产量", D(125), "亿斤")


def test_by_a_horizon_year_runs_to_the_end_of_the_sentence():
    found = find_targets(
        "全社会研发投入强度达到3%，到2030年全社会研发投入强度达到3.5%以上，集群营收突破13万亿元。"
        "新增10家。"
    )
    assert [t.by for t in found] == [None, "2030", "2030", None]
    assert find_targets("新增10家。")[0].by is None


def test_by_a_framing_year_or_a_deadline():
    t = find_targets("2024—2025 年对全省所有未达标单村水站进行改造,其中 2024 年完成 2000 座以上;")[
        0
    ]
    assert (t.by, t.indicator, t.op) == ("2024", "对全省所有未达标单村水站进行改造", "ge")
    assert one("2025年6月底前完成改造50个").by == "2025-06-30"
    assert one("10月底前完成改造50个", 2024).by == "2024-10-31"
    assert one("年底前完成改造50个", None).by is None
    assert one("排放总量较2015年下降20%").by is None  # a base year, not a horizon


def test_text_is_the_clause_as_written():
    t = one("优化农村人居环境，和美乡村覆盖率达 40% 以上。")
    assert t.text == "和美乡村覆盖率达 40% 以上"


def test_empty_and_numberless_texts_give_nothing():
    assert find_targets("") == []
    assert find_targets("加强噪声污染治理，推进“宁静小区”建设。") == []


# ------------------------------------------------------------------------------------------
# Deadlines


@pytest.mark.parametrize(
    ("text", "year", "dates"),
    [
        ("确保中鸿新材料等新建项目 10 月底前全部开工", 2024, ("2024-10-31",)),
        ("年底前完成", 2024, ("2024-12-31",)),
        ("年内建成", 2026, ("2026-12-31",)),
        ("上半年完成", 2024, ("2024-06-30",)),
        ("下半年完成", 2024, ("2024-12-31",)),
        ("2025年6月底前", 2024, ("2025-06-30",)),
        ("2025 年 6 月底前", None, ("2025-06-30",)),
        ("2025年底前", None, ("2025-12-31",)),
        ("到2030年", None, ("2030-12-31",)),
        ("到 2030 年“415X”集群营收突破 13 万亿元", 2026, ("2030-12-31",)),
        ("三季度末", 2024, ("2024-09-30",)),
        ("第一季度", 2024, ("2024-03-31",)),
        ("2026年上半年", 2024, ("2026-06-30",)),
        ("6月15日前", 2024, ("2024-06-15",)),
        ("6月前", 2024, ("2024-05-31",)),
        ("2月底前", 2024, ("2024-02-29",)),
        ("3月底前完成方案，10月底前全部开工", 2024, ("2024-03-31", "2024-10-31")),
    ],
)
def test_deadlines(text, year, dates):
    assert find_deadlines(text, year) == dates


@pytest.mark.parametrize(
    "text",
    [
        "2024—2025 年对全省所有未达标单村水站进行改造",  # a period
        "2024 年完成 1000 家以上",  # a year
        "2024年2月2日",  # the signing date
        "为离校 2 年内未就业高校毕业生",
        "持续推进",
        "",
        "13月底前",
    ],
)
def test_not_deadlines(text):
    assert find_deadlines(text, 2024) == ()


def test_deadlines_without_a_year_need_the_notice_year():
    assert find_deadlines("10月底前", None) == ()
    assert find_deadlines("年底前", None) == ()


# ------------------------------------------------------------------------------------------
# parse_number


@pytest.mark.parametrize(
    ("s", "value"),
    [
        ("1.2", D("1.2")),
        ("1,000", D(1000)),
        ("三", D(3)),
        ("十五", D(15)),
        ("两", D(2)),
        ("1.2万", D("1.2")),
        ("3万亿", D(3)),
        ("两万", D(20000)),
        ("三千", D(3000)),
        ("百分之五", D(5)),
        ("五点五", D("5.5")),
        ("１２", D(12)),
        (" 5.5 ", D("5.5")),
    ],
)
def test_parse_number(s, value):
    assert parse_number(s) == value


@pytest.mark.parametrize("s", ["", "万", "十五五", "5G", "abc", "1.2.3", "八八"])
def test_parse_number_refuses_what_is_not_a_number(s):
    with pytest.raises(ParseError):
        parse_number(s)


# ------------------------------------------------------------------------------------------
# The data


def test_the_measures_data_loads_and_every_op_and_kind_is_known():
    m = load_measures()
    assert {"ge", "gt", "le", "lt", "approx"} == set(m.before.values()) | set(m.after.values())
    assert set(m.unit_kinds.values()) <= set(m.kinds)
    assert m.after["以上"] == "ge" and m.after["以内"] == "le" and m.after["左右"] == "approx"
    assert m.before["不低于"] == "ge" and m.before["突破"] == "gt" and m.before["低于"] == "lt"
    assert {"万亿", "亿", "万", "千"} == set(m.scales)


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (("kind: count", "kind: counts"), "unknown kind"),
        (("{word: 不低于, op: ge,", "{word: 不低于, op: gte,"), "unknown op"),
        (('seen: ["002"]}', 'seen: ["999"]}'), "seen"),
        (("example: 双一流196工程", "example: 双一流工程"), "does not match its example"),
        (("fillers:", "fill_words:"), "missing or malformed"),
        (("{word: 个, kind: count", "{word: 家, kind: count"), "listed twice"),
    ],
)
def test_bad_measures_data_is_refused_naming_the_record(tmp_path, patch, message):
    src = Path(__file__).parent.parent / "src" / "luoshi" / "data" / "measures.yaml"
    text = src.read_text("utf-8")
    assert patch[0] in text
    bad = tmp_path / "measures.yaml"
    bad.write_text(text.replace(patch[0], patch[1], 1), "utf-8")
    with pytest.raises(LuoshiError, match=message):
        load_measures(bad)


# ------------------------------------------------------------------------------------------
# The seed notices


@pytest.fixture(scope="module")
def n2024():
    return parse_notice(GOLDEN / "zhejiang-2024-notice.txt")


@pytest.fixture(scope="module")
def n2026():
    return parse_notice(GOLDEN / "zhejiang-2026-notice.txt")


def task_targets(notice, snippet: str) -> list[Target]:
    """The targets of the one task of ``notice`` whose text contains ``snippet``."""
    texts = [task.text for _, _, task in notice.tasks() if snippet in task.text]
    assert len(texts) == 1, (snippet, texts)
    return find_targets(texts[0], notice.document.year)


def T(text, indicator, op, value, unit, measure, hedge=None, by=None) -> Target:
    value = tuple(D(v) for v in value) if isinstance(value, tuple) else D(value)
    return Target(text, indicator, op, value, unit, by=by, measure=measure, hedge=hedge)


SEED_2024 = [
    # 徐文光 1, 4, 5, 7, 15, 24
    (
        "生产总值增长 5.5% 左右",
        [T("生产总值增长 5.5% 左右", "生产总值", "approx", "5.5", "%", "growth")],
    ),
    (
        "居民消费价格涨幅",
        [T("居民消费价格涨幅 3% 左右", "居民消费价格", "approx", 3, "%", "growth")],
    ),
    (
        "优化 8 个政策包",  # “8+4” and 8 个政策包 are not targets
        [T("安排省级财政资金 1023.6 亿元", "安排省级财政资金", "eq", "1023.6", "亿元", "amount")],
    ),
    (
        "完成年度投资 1 万亿元以上",
        [
            T(
                "安排“千项万亿”重大项目 1000 个以上",
                "安排“千项万亿”重大项目",
                "ge",
                1000,
                "个",
                "increment",
            ),
            T("完成年度投资 1 万亿元以上", "完成年度投资", "ge", 1, "万亿元", "amount"),
        ],
    ),
    (
        "一网通办”率85%以上",
        [
            T(
                "依申请政务服务事项“一网通办”率85%以上",
                "依申请政务服务事项“一网通办”率",
                "ge",
                85,
                "%",
                "share",
            ),
            T(
                "企业投资项目领域审批中介事项清单压缩至50项以内",
                "企业投资项目领域审批中介事项清单",
                "le",
                50,
                "项",
                "count",
            ),
            T("双随机抽查事项覆盖率达100%", "双随机抽查事项覆盖率", "eq", 100, "%", "share"),
        ],
    ),
    (
        "新开工电源项目装机",
        [
            T(
                "新开工电源项目装机 2600 万千瓦",
                "新开工电源项目装机",
                "eq",
                2600,
                "万千瓦",
                "increment",
            ),
            T("其中绿电装机占比 85%", "绿电装机占比", "eq", 85, "%", "share"),
            T(
                "新投产电源项目装机 1200 万千瓦",
                "新投产电源项目装机",
                "eq",
                1200,
                "万千瓦",
                "increment",
            ),
        ],
    ),
    # 庐山 2, 6, 14
    (
        "研发投入强度达到 3.2%",
        [T("研发投入强度达到 3.2%", "研发投入强度", "eq", "3.2", "%", "share")],
    ),
    (
        "新增科技领军企业 10 家",
        [
            T(
                "实施“双尖双领 + X”重大科技项目 400 项以上",
                "实施“双尖双领+X”重大科技项目",
                "ge",
                400,
                "项",
                "increment",
            ),
            T("新增科技领军企业 10 家", "新增科技领军企业", "eq", 10, "家", "increment"),
            T("科技小巨人企业 100 家", "科技小巨人企业", "eq", 100, "家", "increment"),
            T("高新技术企业 5000 家", "高新技术企业", "eq", 5000, "家", "increment"),
            T("科技型中小企业 1.2 万家", "科技型中小企业", "eq", "1.2", "万家", "increment"),
            T("新建省级创新联合体 10 家以上", "新建省级创新联合体", "ge", 10, "家", "increment"),
        ],
    ),
    (
        "力争实际使用外资200亿美元以上",
        [
            T(
                "力争实际使用外资200亿美元以上",
                "实际使用外资",
                "ge",
                200,
                "亿美元",
                "level",
                "力争",
            ),
            T("其中制造业外资占比超过29%", "制造业外资占比", "gt", 29, "%", "share", "力争"),
        ],
    ),
    # 张雁云 1, 6
    (
        "城镇调查失业率控制在5%以内",
        [T("城镇调查失业率控制在5%以内", "城镇调查失业率", "le", 5, "%", "share")],
    ),
    (
        "新增技能人才",
        [T("新增技能人才 40 万名以上", "新增技能人才", "ge", 40, "万名", "increment")],
    ),
    # 胡伟 9: PM2.5 is a name, 25 微克/立方米 the target
    (
        "PM2.5 平均浓度不高于",
        [
            T(
                "确保设区城市 PM2.5 平均浓度不高于 25 微克/立方米",
                "设区城市PM2.5平均浓度",
                "le",
                25,
                "微克/立方米",
                "level",
                "确保",
            ),
            T(
                "县级以上饮用水水源水质达标率保持在100%",
                "县级以上饮用水水源水质达标率",
                "eq",
                100,
                "%",
                "share",
            ),
        ],
    ),
    # 李岩益 3, 4, 7
    (
        "和美乡村覆盖率达 40% 以上",
        [T("和美乡村覆盖率达 40% 以上", "和美乡村覆盖率", "ge", 40, "%", "share")],
    ),
    (
        "年产值超 10 亿元",
        [
            T(
                "建成年产值超 10 亿元的“土特产”全产业链 100 条",
                "建成年产值超10亿元的“土特产”全产业链",
                "eq",
                100,
                "条",
                "increment",
            )
        ],
    ),
    (
        "全省年人均低保标准",
        [
            T(
                "基本医疗保险政策范围内住院报销（含大病保险）比例职工达85%",
                "基本医疗保险政策范围内住院报销(含大病保险)比例职工",
                "eq",
                85,
                "%",
                "share",
            ),
            T("城乡居民达69%", "城乡居民", "eq", 69, "%", "share"),
            T("康养联合体镇街覆盖率达70%", "康养联合体镇街覆盖率", "eq", 70, "%", "share"),
            T(
                "全省年人均低保标准达到13200元以上",
                "全省年人均低保标准",
                "ge",
                13200,
                "元",
                "level",
            ),
        ],
    ),
    # 柯吉欣 6, 11: one 以上 closes the list
    (
        "新增“雄鹰”企业 30 家",
        [
            T("新增“雄鹰”企业 30 家", "新增“雄鹰”企业", "ge", 30, "家", "increment"),
            T("上市公司 50 家", "上市公司", "ge", 50, "家", "increment"),
            T("国家单项冠军企业(产品)20 家", "国家单项冠军企业(产品)", "ge", 20, "家", "increment"),
            T(
                "专精特新“小巨人”企业 300 家以上",
                "专精特新“小巨人”企业",
                "ge",
                300,
                "家",
                "increment",
            ),
        ],
    ),
    (
        "集装箱吞吐量增长4%以上",
        [
            T(
                "力争宁波舟山港集装箱吞吐量增长4%以上",
                "宁波舟山港集装箱吞吐量",
                "ge",
                4,
                "%",
                "growth",
                "力争",
            )
        ],
    ),
    # livelihood
    (
        "60 岁以上老年人",
        [
            T(
                "在公共场所新增配置自动体外除颤仪 1 万台",
                "在公共场所新增配置自动体外除颤仪",
                "eq",
                1,
                "万台",
                "increment",
            )
        ],
    ),
    ("13—14 岁", []),
    (
        "4200 栋",
        [
            T(
                "新开工改造城镇老旧小区 450 个",
                "新开工改造城镇老旧小区",
                "eq",
                450,
                "个",
                "increment",
            ),
            T("4200 栋", "新开工改造城镇老旧小区", "eq", 4200, "栋", "increment"),
        ],
    ),
    (
        "示范食堂",
        [
            T(
                "2024 年完成 1000 家以上",
                "实施中小学校“示范食堂”建设行动",
                "ge",
                1000,
                "家",
                "increment",
                by="2024",
            )
        ],
    ),
    (
        "其中农村 1 万个以上",
        [
            T(
                "新增铁路和轨道交通运营里程 284 公里",
                "新增铁路和轨道交通运营里程",
                "eq",
                284,
                "公里",
                "increment",
            ),
            T(
                "新建新能源汽车公共充电桩 2 万个以上",
                "新建新能源汽车公共充电桩",
                "ge",
                2,
                "万个",
                "increment",
            ),
            T("其中农村 1 万个以上", "农村", "ge", 1, "万个", "increment"),
        ],
    ),
]

SEED_2026 = [
    (
        "全员劳动生产率",
        [
            T(
                "全员劳动生产率达到 30 万元/人左右",
                "全员劳动生产率",
                "approx",
                30,
                "万元/人",
                "level",
            )
        ],
    ),
    (
        "集群营收突破 13 万亿元",  # “415X” is a name
        [
            T(
                "到 2030 年“415X”集群营收突破 13 万亿元",
                "“415X”集群营收",
                "gt",
                13,
                "万亿元",
                "level",
                by="2030",
            )
        ],
    ),
    (
        "全省生产总值增长",
        [T("全省生产总值增长 5%—5.5%", "全省生产总值", "between", (5, "5.5"), "%", "growth")],
    ),
    (
        "城镇调查失业率 5% 以内",
        [T("城镇调查失业率 5% 以内", "城镇调查失业率", "le", 5, "%", "share")],
    ),
    (
        "重大项目1678个",
        [
            T(
                "安排首批“千项万亿”重大项目1678个",
                "安排首批“千项万亿”重大项目",
                "eq",
                1678,
                "个",
                "increment",
            ),
            T("年度投资1.1万亿元", "年度投资", "eq", "1.1", "万亿元", "amount"),
            T("产业项目数占比达到58%", "产业项目数占比", "eq", 58, "%", "share"),
        ],
    ),
    (
        "比重不低于 80%",
        [
            T(
                "专项产业基金、新增能耗、新增工业用地支持民间投资项目比重不低于 80%",
                "专项产业基金、新增能耗、新增工业用地支持民间投资项目比重",
                "ge",
                80,
                "%",
                "share",
            ),
        ],
    ),
    (
        "参股比例不低于 10%",
        [
            T(
                "全年向民间资本推介重大项目 100 个以上",
                "全年向民间资本推介重大项目",
                "ge",
                100,
                "个",
                "increment",
            ),
            T(
                "民间资本参与海上风电、核电等重大项目参股比例不低于 10% 并逐步提升",
                "民间资本参与海上风电、核电等重大项目参股比例",
                "ge",
                10,
                "%",
                "share",
            ),
        ],
    ),
    (
        "粮食播种面积1530万亩",
        [
            T("确保粮食播种面积1530万亩", "粮食播种面积", "eq", 1530, "万亩", "level", "确保"),
            T("总产量125亿斤", "总产量", "eq", 125, "亿斤", "level", "确保"),
        ],
    ),
    (
        "新增电力装机 1800 万千瓦",
        [
            T("新增电力装机 1800 万千瓦", "新增电力装机", "eq", 1800, "万千瓦", "increment"),
            T(
                "其中非化石能源装机 1000 万千瓦",
                "非化石能源装机",
                "eq",
                1000,
                "万千瓦",
                "increment",
            ),
        ],
    ),
    (
        "确保城镇新增就业",
        [
            T(
                "确保城镇新增就业 100 万人以上",
                "城镇新增就业",
                "ge",
                100,
                "万人",
                "increment",
                "确保",
            )
        ],
    ),
    (
        "高于全省平均2个百分点",
        [
            T(
                "省属国有企业研发投入增速高于全省平均2个百分点以上",
                "省属国有企业研发投入增速高于全省平均",
                "ge",
                2,
                "个百分点",
                "margin",
            )
        ],
    ),
    (
        "15 万套(间)",
        [
            T(
                "全年交付保障性租赁住房 15 万套(间)",
                "全年交付保障性租赁住房",
                "eq",
                15,
                "万套(间)",
                "increment",
            )
        ],
    ),
    (
        "数字贸易增长8%以上",
        [
            T("服务贸易增长6%", "服务贸易", "ge", 6, "%", "growth"),
            T("数字贸易增长8%以上", "数字贸易", "ge", 8, "%", "growth"),
        ],
    ),
    (
        "百亿元以上产业链",
        [
            T(
                "“土特产富”全产业链总产值达到3500亿元",
                "“土特产富”全产业链总产值",
                "eq",
                3500,
                "亿元",
                "level",
            ),
            T("百亿元以上产业链达到15条", "百亿元以上产业链", "eq", 15, "条", "level"),
        ],
    ),
    (
        "全口径科技创新投入",
        [
            T(
                "力争全社会研发投入强度达到 3.35%",
                "全社会研发投入强度",
                "eq",
                "3.35",
                "%",
                "share",
                "力争",
            ),
            T(
                "全口径科技创新投入达到 7800 亿元",
                "全口径科技创新投入",
                "eq",
                7800,
                "亿元",
                "level",
            ),
        ],
    ),
    (
        "“保 7 争 6”",
        [
            T(
                "宁波舟山港集装箱吞吐量达到 4500 万标箱",
                "宁波舟山港集装箱吞吐量",
                "eq",
                4500,
                "万标箱",
                "level",
            )
        ],
    ),
    (
        "30 万以上参保孕妇",
        [
            T(
                "全省 30 万以上参保孕妇产前检查、住院分娩等政策范围内生育费用“零自付”",
                "全省参保孕妇产前检查、住院分娩等政策范围内生育费用“零自付”",
                "ge",
                30,
                "万",
                "count",
            )
        ],
    ),
    (
        "0—6 岁儿童省域内",
        [T("待遇享受人数 23 万人以上", "待遇享受人数", "ge", 23, "万人", "count")],
    ),
    ("70 周岁以上", []),
    (
        "带动万名青年",
        [T("引育 1000 名乡村运营人才", "引育乡村运营人才", "eq", 1000, "名", "increment")],
    ),
    (
        "1 万名困境",
        [
            T(
                "为 1 万名困境、留守儿童进行心理健康评估干预",
                "为困境、留守儿童进行心理健康评估干预",
                "eq",
                1,
                "万名",
                "count",
            )
        ],
    ),
    ("数字政府 2.0", []),
    ("G60 科创走廊", []),
    ("“13 条政策”", []),
    ("第十五届", []),
]


@pytest.mark.parametrize(("snippet", "expected"), SEED_2024, ids=[s for s, _ in SEED_2024])
def test_targets_of_the_2024_notice(n2024, snippet, expected):
    assert task_targets(n2024, snippet) == expected


@pytest.mark.parametrize(("snippet", "expected"), SEED_2026, ids=[s for s, _ in SEED_2026])
def test_targets_of_the_2026_notice(n2026, snippet, expected):
    assert task_targets(n2026, snippet) == expected


def test_the_seed_assertions_cover_at_least_thirty_targets():
    assert sum(len(e) for _, e in SEED_2024) + sum(len(e) for _, e in SEED_2026) >= 30


# Names, ordinals, qualifiers and dates as they are written in the seeds. No target of the task
# that writes one may take its value from the numbers in it.
NOT_TARGETS = [
    r"“315”",
    r"“3个70%”",
    r"“3张项目清单”",
    r"“7个不准”",
    r"“8\+4”",
    r"8 个政策包和 4 张",
    r"“4\+1”",
    r"双一流 ?196",
    r"“141”",
    r"“415X”",
    r"“双尖双领 ?\+ ?X”",
    r"第[六七八十五]+届",
    r"“十五五”",
    r"13—14 岁",
    r"0—6 岁",
    r"60 岁以上",
    r"70 周岁以上",
    r"三大工程",
    r"民营经济32条",
    r"“13 条政策”",
    r"5G",
    r"PM2\.5",
    r"G60",
    r"2\.0",
    r"再延长30年",
    r"建设20年",
    r"“保 7 争 6”",
    r"离校 2 年内",
    r"2024—2025 年",
    r"20(?:24|26) ?年",
    r"10 月底前",
    r"“15分钟",
]


@pytest.mark.parametrize("which", ["n2024", "n2026"])
def test_no_target_takes_its_value_from_a_name(which, request):
    notice = request.getfixturevalue(which)
    hits = 0
    for _, _, task in notice.tasks():
        names = [h.group() for p in NOT_TARGETS for h in re.finditer(p, task.text)]
        hits += len(names)
        for t in find_targets(task.text, notice.document.year):
            for name in names:
                if name in t.text:
                    # the target's number must be written outside the name
                    rest = re.sub(r"\s+", "", t.text.replace(name, "|"))
                    for v in t.value if isinstance(t.value, tuple) else (t.value,):
                        assert re.search(rf"(?<![\d.]){re.escape(str(v))}(?![\d.])", rest), (
                            name,
                            t,
                        )
    assert hits >= 20


def test_counts_of_targets_in_the_seed_notices(n2024, n2026):
    # a change of these counts is a change of the grammar's reading: review it as a golden diff
    counts = [
        sum(len(find_targets(task.text, n.document.year)) for _, _, task in n.tasks())
        for n in (n2024, n2026)
    ]
    assert counts == [93, 100]


# ------------------------------------------------------------------------------------------
# Properties

MEASURES = load_measures()
INDICATORS = [
    "实际使用外资",
    "新增科技领军企业",
    "城镇调查失业率",
    "宁波舟山港集装箱吞吐量",
    "建设高标准农田",
    "全口径科技创新投入",
]
UNITS = sorted(MEASURES.unit_kinds)
SCALED = [
    s + u
    for u in UNITS
    if MEASURES.unit_kinds[u] not in ("percent", "percentage_points")
    for s in ("", *MEASURES.scales)
]
VALUES = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False)
FORMS = {
    "ge": "{i}{v}{u}以上",
    "gt": "{i}超过{v}{u}",
    "le": "{i}控制在{v}{u}以内",
    "lt": "{i}低于{v}{u}",
    "approx": "{i}{v}{u}左右",
    "eq": "{i}{v}{u}",
}


def render(v: D) -> str:
    return format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f")


@settings(max_examples=300, deadline=None)
@given(
    indicator=st.sampled_from(INDICATORS),
    op=st.sampled_from(sorted(FORMS)),
    value=VALUES,
    unit=st.sampled_from(SCALED),
)
def test_a_rendered_target_parses_back(indicator, op, value, unit):
    text = FORMS[op].format(i=indicator, v=render(value), u=unit)
    t = one(text)
    assert (t.op, t.value, t.unit) == (op, value, unit), text
    assert t.indicator == indicator, text


@settings(max_examples=200, deadline=None)
@given(
    indicator=st.sampled_from(INDICATORS[:3]),
    low=VALUES,
    delta=st.decimals(min_value="0.01", max_value=100, places=2),
    form=st.sampled_from(
        ["{i}增长{lo}%左右", "{i}增长{lo}%—{hi}%", "{i}增长{lo}—{hi}%", "{i}增长{lo}%至{hi}%"]
    ),
)
def test_a_rendered_growth_or_range_parses_back(indicator, low, delta, form):
    high = low + delta
    text = form.format(i=indicator, lo=render(low), hi=render(high))
    t = one(text)
    if "左右" in form:
        assert (t.op, t.value) == ("approx", low)
    else:
        assert (t.op, t.value) == ("between", (low, high))
    assert (t.unit, t.measure, t.indicator) == ("%", "growth", indicator)


TEXT = st.text(
    alphabet=st.sampled_from(
        list(
            "0123456789.,%万亿千元家个人岁年月日底前以上内下左右超过不低于约至—-、，。；“”()第十五两三百分之点增长达到新增其中力争确保到"
        )
    ),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_any_text_gives_targets_or_nothing_and_never_raises(text):
    for t in find_targets(text, 2024):
        assert t.op in ("ge", "gt", "le", "lt", "approx", "between", "eq")
        assert t.unit and t.text
        if t.op == "between":
            assert isinstance(t.value, tuple) and len(t.value) == 2
        else:
            assert isinstance(t.value, D)
    for d in find_deadlines(text, 2024):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=99999))
def test_parse_number_reads_cn2an_chinese_numerals(n):
    cn2an = pytest.importorskip("cn2an")
    assert parse_number(cn2an.an2cn(n)) == n
    assert parse_number(f"{n:,}") == n
