"""How luoshi must read notices written the ways other provinces and cities write them.

Every fixture is in ``tests/styles/`` (``README.md`` there says which practice each imitates) and
every expected value below is read from the fixture's own text. The units are invented city and
provincial units that the registry (Zhejiang units only) cannot know, so no test expects a
canonical name for them.

Each style is compared as one whole list (see :func:`rows`), so a failure shows the difference.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from luoshi import NotANoticeError, ParseError, notice_to_dict, parse_notice

STYLES = Path(__file__).parent / "styles"

HEAD = 10  # characters of task text kept in the compact rows (full texts are compared apart)

UNIT, LOCAL, COLLECTIVE = "unit", "local_governments", "collective"


def lead(name: str, kind: str = UNIT) -> tuple[str, str, str]:
    return (name, "lead", kind)


def part(name: str, kind: str = UNIT) -> tuple[str, str, str]:
    return (name, "participant", kind)


# --------------------------------------------------------------------------- helpers


@functools.cache
def parsed(name: str) -> dict:
    """The breakdown.v1 dict of one fixture (parsed once per test session)."""
    return notice_to_dict(parse_notice(str(STYLES / name)))


def squash(text: str) -> str:
    """Spacing is not significant (line breaks joined, spaces dropped); characters are."""
    return re.sub(r"\s+", "", text or "")


def all_tasks(d: dict):
    for p in d["parts"]:
        for s in p["sections"]:
            for t in s["tasks"]:
                yield p, s, t


def unit_triples(task: dict) -> list[tuple[str, str, str]]:
    return [(u["name"], u["role"], u["kind"]) for u in task["units"]]


def rows(d: dict) -> list[tuple]:
    """A notice as ``[(section heading, number, text head, leaders, [(name, role, kind)])]``."""
    return [
        (s["heading"], t["number"], squash(t["text"])[:HEAD], list(t["leaders"]), unit_triples(t))
        for _p, s, t in all_tasks(d)
    ]


def expected_rows(table: list[tuple]) -> list[tuple]:
    """The same reduction applied to an expectation table holding full texts."""
    return [(h, n, squash(text)[:HEAD], leaders, units) for h, n, text, leaders, units in table]


def item_number(section: dict, task: dict) -> int | None:
    """The number a livelihood item carries in the document.

    The contract lets the ``1.`` of a numbered livelihood list be the section's ordinal (“or the 1.
    of a numbered livelihood list”); a parser may also repeat it on the task. Either is accepted.
    """
    return task["number"] if task["number"] is not None else section["ordinal"]


def livelihood_rows(d: dict) -> list[tuple]:
    """``[(item number, category, text head, leaders, [(name, role, kind)])]`` of the tasks."""
    return [
        (
            item_number(s, t),
            s["category"],
            squash(t["text"])[:HEAD],
            list(t["leaders"]),
            unit_triples(t),
        )
        for p, s, t in all_tasks(d)
        if p["kind"] == "livelihood"
    ]


def sections(d: dict) -> list[tuple]:
    return [(s["ordinal"], s["heading"], s["leader"]) for p in d["parts"] for s in p["sections"]]


def leader(name: str, title: str) -> dict:
    return {"name": name, "title": title}


def source_lines(name: str) -> list[str]:
    return (STYLES / name).read_text(encoding="utf-8").splitlines()


def line_of(name: str, start: str) -> int:
    """The 1-based line of the fixture that starts with ``start`` (spacing ignored)."""
    lines = enumerate(source_lines(name), 1)
    hits = [i for i, line in lines if squash(line).startswith(squash(start))]
    assert len(hits) == 1, f"{start!r} should start exactly one line of {name}, found {hits}"
    return hits[0]


def codes(d: dict) -> list[str]:
    return [w["code"] for w in d["warnings"]]


def warnings_of(d: dict, code: str) -> list[dict]:
    return [w for w in d["warnings"] if w["code"] == code]


# --------------------------------------------------------------------------- expectations
# (section heading, number, full text, leaders, units); texts exactly as in the fixture.

SEPARATE_LINES = "separate-lead-and-partner-lines.txt"
_LI = "李明华市长牵头重点工作"
_ZHOU = "周建军常务副市长牵头重点工作"
_CHEN = "陈晓燕副市长牵头重点工作"
SEPARATE_LINES_TASKS = [
    (
        _LI,
        1,
        "地区生产总值增长6%左右，一般公共预算收入与经济增长基本同步。",
        ["李明华"],
        [lead("市发展改革委"), lead("市财政局"), part("市统计局")],
    ),
    (
        _LI,
        2,
        "坚持政府过紧日子，严控一般性支出，把更多财力用于保民生、促发展。",
        ["李明华"],
        [lead("市财政局"), part("市直各单位", COLLECTIVE)],
    ),
    (
        _LI,
        3,
        "深化政务服务改革，推动高频政务服务事项“一网通办”，企业开办时间压缩至1个工作日以内。",
        ["李明华"],
        [lead("市数据资源局"), part("市政务服务管理局"), part("各区县（市）政府", LOCAL)],
    ),
    (
        _ZHOU,
        1,
        "固定资产投资增长8%，其中工业投资增长10%以上。",
        ["周建军"],
        [
            lead("市发展改革委"),
            part("市经信局"),
            part("市住房城乡建设局"),
            part("市自然资源和规划局"),
        ],
    ),
    (
        _ZHOU,
        2,
        "实施重点项目攻坚行动，全年安排市重点项目600个以上，完成投资1200亿元以上，"
        "力争新开工亿元以上项目300个以上。",
        ["周建军"],
        [lead("市发展改革委"), part("各区县（市）政府", LOCAL)],
    ),
    (
        _ZHOU,
        3,
        "社会消费品零售总额增长6%，培育省级夜间经济示范街区2个。",
        ["周建军"],
        [lead("市商务局"), part("市文化旅游局"), part("市市场监管局")],
    ),
    (
        _ZHOU,
        4,
        "进出口总额稳中提质，实际使用外资增长5%以上。",
        ["周建军"],
        [lead("市商务局"), part("市发展改革委"), part("芜湖海关")],
    ),
    (
        _CHEN,
        1,
        "新增城镇就业4.5万人，城镇调查失业率控制在5.5%以内。",
        ["陈晓燕"],
        [lead("市人力资源社会保障局")],
    ),
    (
        _CHEN,
        2,
        "新建、改扩建中小学校和幼儿园15所，新增学位1.2万个。",
        ["陈晓燕"],
        [
            lead("市教育局"),
            part("市发展改革委"),
            part("市财政局"),
            part("市自然资源和规划局"),
            part("各区县（市）政府", LOCAL),
        ],
    ),
    (
        _CHEN,
        3,
        "完善分级诊疗体系，推进紧密型城市医疗集团建设。",
        ["陈晓燕"],
        [lead("市卫生健康委"), lead("市医保局"), part("市财政局")],
    ),
]

THREE_LABELS = "three-labels.txt"
_DEMAND = "着力扩大有效需求"
_INDUSTRY = "加快建设现代化产业体系"
_LIVING = "持续保障和改善民生"
THREE_LABELS_TASKS = [
    (
        _DEMAND,
        1,
        "实施提振消费专项行动，扩大汽车、家电等大宗消费，培育一批省级消费新场景。",
        ["马立新"],
        [lead("省商务厅"), part("省发展改革委"), part("省财政厅"), part("省文化和旅游厅")],
    ),
    (
        _DEMAND,
        2,
        "实施重大项目攻坚行动，安排省重大项目500个以上，年度计划投资6500亿元。",
        ["宋建平", "马立新"],
        [
            lead("省发展改革委"),
            part("省自然资源厅"),
            part("省生态环境厅"),
            part("各设区市政府", LOCAL),
        ],
    ),
    (
        _DEMAND,
        3,
        "用足用好超长期特别国债和地方政府专项债券。",
        ["马立新"],
        [lead("省财政厅"), lead("省发展改革委"), part("省级有关单位", COLLECTIVE)],
    ),
    (
        _INDUSTRY,
        1,
        "推进先进制造业集群培育，新增国家级先进制造业集群2个。",
        ["胡晓东"],
        [lead("省工业和信息化厅"), part("省发展改革委"), part("省科技厅")],
    ),
    (
        _INDUSTRY,
        2,
        "实施制造业智能化改造和数字化转型，新增智能工厂100家。",
        ["胡晓东"],
        [lead("省工业和信息化厅"), part("省科技厅"), part("省通信管理局")],
    ),
    (
        _INDUSTRY,
        3,
        "加快建设区域科技创新中心，全社会研发投入强度达到3.3%。",
        ["赵立群", "胡晓东"],
        [lead("省科技厅"), part("省发展改革委"), part("省财政厅"), part("省教育厅")],
    ),
    (
        _LIVING,
        1,
        "城镇新增就业120万人以上。",
        ["赵立群"],
        [
            lead("省人力资源社会保障厅"),
            part("省发展改革委"),
            part("省教育厅"),
            part("各设区市政府", LOCAL),
        ],
    ),
    (
        _LIVING,
        2,
        "推进全民参保计划，提高城乡居民基础养老金最低标准。",
        ["赵立群"],
        [lead("省人力资源社会保障厅"), lead("省财政厅")],
    ),
]

LEADER_PER_ITEM = "leader-per-item.txt"
LEADER_PER_ITEM_TASKS = [
    ("稳增长", 1, "地区生产总值增长6%左右。", ["吴志诚"], [lead("市发改委"), part("市统计局")]),
    ("稳增长", 2, "规模以上工业增加值增长6.5%。", ["黄建华"], [lead("市工信局"), part("市统计局")]),
    ("稳增长", 3, "一般公共预算收入增长3%。", ["吴志诚"], [lead("市财政局"), part("市税务局")]),
    (
        "扩内需",
        1,
        "全年实施重点项目800个以上，完成投资1500亿元。",
        ["黄建华"],
        [
            lead("市发改委"),
            part("市住建局"),
            part("市自然资源局"),
            part("各县（市、区）政府", LOCAL),
        ],
    ),
    # 责任单位：市商务局牵头，市文旅局、市市场监管局 — units before the 牵头 mark lead
    (
        "扩内需",
        2,
        "开展系列促消费活动，社会消费品零售总额增长6%。",
        ["林晓红"],
        [lead("市商务局"), part("市文旅局"), part("市市场监管局")],
    ),
    (
        "惠民生",
        1,
        "新增城镇就业3万人，城镇调查失业率控制在5.5%以内。",
        ["林晓红"],
        [lead("市人社局")],
    ),
    (
        "惠民生",
        2,
        "新增普惠性托位2000个。",
        ["林晓红"],
        [lead("市卫健委"), lead("市教育局"), lead("市发改委"), part("各县（市、区）政府", LOCAL)],
    ),
    (
        "惠民生",
        3,
        "推进城市更新，改造老旧小区100个。",
        ["陈国栋", "黄建华"],
        [lead("市住建局"), part("市城管局")],
    ),
]

INLINE = "inline-units.txt"
_LIU = "刘建中市长牵头重点工作"
_ZHENG = "郑宏伟常务副市长牵头重点工作"
_SUN = "孙丽萍副市长牵头重点工作"
INLINE_TASKS = [
    (
        _LIU,
        1,
        "地区生产总值增长6.5%左右，加快建设汉江流域中心城市。",
        ["刘建中"],
        [lead("市发改委"), part("市统计局")],
    ),
    (
        _LIU,
        2,
        "坚持政府过紧日子，市级一般性支出压减5%以上。",
        ["刘建中"],
        [lead("市财政局"), part("市直各单位", COLLECTIVE)],
    ),
    # ASCII punctuation: (牵头单位:…;责任单位:…)
    (
        _LIU,
        3,
        "深化国资国企改革，推动市属国有企业整合重组。",
        ["刘建中"],
        [lead("市国资委"), part("市财政局"), part("市发改委")],
    ),
    (
        _ZHENG,
        1,
        "实施项目建设攻坚行动，全年新开工亿元以上项目400个。",
        ["郑宏伟"],
        [lead("市发改委"), part("市经信局"), part("市商务局"), part("各县（市、区）政府", LOCAL)],
    ),
    # the sentence wraps onto the next line, which carries the clause; 樊城区、襄州区政府 is two
    (
        _ZHENG,
        2,
        "加快建设城市新区，完善新区路网和公共服务配套。",
        ["郑宏伟"],
        [
            lead("市住建局"),
            part("市自然资源和规划局"),
            part("市交通运输局"),
            part("樊城区政府"),
            part("襄州区政府"),
        ],
    ),
    (
        _ZHENG,
        3,
        "招商引资到位资金增长10%以上。",
        ["郑宏伟"],
        [lead("市商务局"), lead("市招商服务中心"), part("各县（市、区）政府", LOCAL)],
    ),
    (_SUN, 1, "新增城镇就业6万人。", ["孙丽萍"], [lead("市人社局")]),
    (
        _SUN,
        2,
        "建成智慧养老服务中心10个。",
        ["孙丽萍"],
        [lead("市民政局"), part("市卫健委"), part("市财政局")],
    ),
    (
        _SUN,
        3,
        "推进义务教育优质均衡发展，新建改扩建中小学15所。",
        ["孙丽萍"],
        [lead("市教育局"), part("市发改委"), part("市财政局"), part("市自然资源和规划局")],
    ),
]

FREE_TEXT = "free-text-lead.txt"
_GOV = "陈志远省长牵头重点工作"
_EXEC = "梁国华常务副省长牵头重点工作"
_VICE = "何静副省长牵头重点工作"
FREE_TEXT_TASKS = [
    (
        _GOV,
        1,
        "地区生产总值增长5%左右。",
        ["陈志远"],
        [lead("省发展改革委"), part("各地", LOCAL), part("各部门", COLLECTIVE)],
    ),
    (
        _GOV,
        2,
        "坚持制造业当家，推动先进制造业和现代服务业深度融合。",
        ["陈志远"],
        [lead("省工业和信息化厅"), part("省发展改革委"), part("省科技厅")],
    ),
    (_GOV, 3, "严格落实政府过紧日子要求，省级一般性支出压减10%。", ["陈志远"], [lead("省财政厅")]),
    (
        _EXEC,
        1,
        "推进重点项目建设，完成重点项目投资1万亿元以上。",
        ["梁国华"],
        [lead("省发展改革委"), part("各地级以上市政府", LOCAL)],
    ),
    (
        _EXEC,
        2,
        "实施提振消费专项行动，社会消费品零售总额增长5%。",
        ["梁国华"],
        [lead("省商务厅"), lead("省财政厅"), part("各地级以上市政府", LOCAL)],
    ),
    (
        _EXEC,
        3,
        "稳住外贸基本盘，进出口总额稳中有增。",
        ["梁国华"],
        [lead("省商务厅"), part("广州海关"), part("省发展改革委")],
    ),
    (_VICE, 1, "城镇新增就业110万人以上。", ["何静"], [lead("省人力资源社会保障厅")]),
    (_VICE, 2, "新增公办中小学学位20万个。", ["何静"], [lead("省教育厅")]),
    (
        _VICE,
        3,
        "推进紧密型县域医共体建设。",
        ["何静"],
        [lead("省卫生健康委"), part("省医保局"), part("省财政厅"), part("各地级以上市政府", LOCAL)],
    ),
]

RUNNING = "topic-sections-running-numbers.txt"
_GROWTH, _WELFARE = "坚定不移推动经济高质量发展", "持续保障和改善民生"
RUNNING_TASKS = [
    (_GROWTH, 1, "地区生产总值增长6.5%左右。", [], [lead("市发展改革委"), part("市统计局")]),
    (_GROWTH, 2, "规模以上工业增加值增长8%。", [], [lead("市经信局")]),
    (
        _GROWTH,
        3,
        "加快建设科技创新先行区，全社会研发经费投入强度保持全省前列。",
        [],
        [lead("市科技局"), part("市发展改革委"), part("市财政局")],
    ),
    (
        _GROWTH,
        4,
        "实施招商引资提质行动，新引进重大产业项目50个以上。",
        [],
        [lead("市投促局"), part("市经信局"), part("各县（市、区）政府", LOCAL)],
    ),
    (_WELFARE, 5, "城镇新增就业5万人以上。", [], [lead("市人力资源社会保障局")]),
    (_WELFARE, 6, "新建改扩建中小学和幼儿园12所。", [], [lead("市教育局"), part("市发展改革委")]),
    (
        _WELFARE,
        7,
        "深化医药卫生体制改革，推进市级区域医疗中心建设。",
        [],
        [lead("市卫生健康委"), part("市医保局")],
    ),
    (
        _WELFARE,
        8,
        "提高城乡居民基础养老金最低标准。",
        [],
        [lead("市人力资源社会保障局"), part("市财政局")],
    ),
    (
        _WELFARE,
        9,
        "扎实做好安全生产工作，坚决遏制重特大事故发生。",
        [],
        [lead("市应急管理局"), part("市级有关单位", COLLECTIVE)],
    ),
]

RESTARTS = "numbering-restarts.txt"
_HE = "何建平市长牵头重点工作"
_YANG = "杨卫东常务副市长牵头重点工作"
_ZENG = "曾丽华副市长牵头重点工作"
RESTARTS_TASKS = [
    (_HE, 1, "地区生产总值增长6%左右。", ["何建平"], [lead("市发展改革委"), part("市统计局")]),
    (
        _HE,
        2,
        "坚持政府过紧日子，市本级一般性支出压减5%。",
        ["何建平"],
        [lead("市财政局"), part("市直各单位", COLLECTIVE)],
    ),
    (
        _HE,
        3,
        "深化国有企业改革，推进市属国有企业战略性重组。",
        ["何建平"],
        [lead("市国资委"), part("市财政局")],
    ),
    (
        _HE,
        5,
        "持续优化营商环境，推进政务服务“高效办成一件事”。",
        ["何建平"],
        [lead("市政务服务中心"), part("市数据资源局")],
    ),
    (_YANG, 1, "固定资产投资增长7%。", ["杨卫东"], [lead("市发展改革委")]),
    (_YANG, 2, "规模以上工业增加值增长7.5%。", ["杨卫东"], [lead("市工信局")]),
    (
        _YANG,
        3,
        "推进先进轨道交通装备产业集群建设，集群产值突破1600亿元。",
        ["杨卫东"],
        [lead("市工信局"), part("市科技局")],
    ),
    (_YANG, 4, "社会消费品零售总额增长6%。", ["杨卫东"], [lead("市商务局")]),
    (_YANG, 5, "外贸进出口总额增长8%。", ["杨卫东"], [lead("市商务局"), part("株洲海关")]),
    (
        _YANG,
        6,
        "全年引进500强企业项目20个以上。",
        ["杨卫东"],
        [lead("市商务局"), part("市投资促进中心")],
    ),
    (
        _YANG,
        6,
        "加快建设物流枢纽，推进铁路货场扩能改造。",
        ["杨卫东"],
        [lead("市发展改革委"), part("市交通运输局")],
    ),
    (_ZENG, 1, "城镇新增就业4万人。", ["曾丽华"], [lead("市人力资源社会保障局")]),
    (
        _ZENG,
        2,
        "新增公办学位8000个。",
        ["曾丽华"],
        [lead("市教育局"), part("各县（市、区）政府", LOCAL)],
    ),
]

TABLE = "table-layout.txt"
TABLE_VARIANTS = ["table-layout.txt", "table-layout-tabs.txt", "table-layout.md"]
TABLE_TASKS = [
    (None, 1, "地区生产总值增长5.5%左右。", ["顾立军"], [lead("市发展改革委"), part("市统计局")]),
    (
        None,
        2,
        "一般公共预算收入增长3%。",
        ["顾立军", "潘晓明"],
        [lead("市财政局"), part("市税务局")],
    ),
    (
        None,
        3,
        "全年新开工亿元以上产业项目300个。",
        ["潘晓明"],
        [
            lead("市发展改革委"),
            part("市工信局"),
            part("市商务局"),
            part("各县（市、区）政府", LOCAL),
        ],
    ),
    (
        None,
        4,
        "出台支持民营经济发展的若干政策措施。",
        ["潘晓明"],
        [lead("市工信局"), lead("市发展改革委"), part("市财政局"), part("市市场监管局")],
    ),
    (
        None,
        5,
        "建设江海联运物流中心，港口货物吞吐量稳定增长。",
        ["朱海燕"],
        [lead("市交通运输局"), part("市发展改革委"), part("通州湾示范区管委会")],
    ),
    (None, 6, "新增城镇就业5.5万人。", ["朱海燕"], [lead("市人社局")]),  # empty 责任单位 cell
    (
        None,
        7,
        "完成城镇老旧小区改造80个。",
        ["钱卫国"],
        [lead("市住建局"), part("各县（市、区）政府", LOCAL)],
    ),
    (
        None,
        8,
        "新建改扩建中小学校10所。",
        ["钱卫国"],
        [lead("市教育局"), part("市发展改革委"), part("市财政局")],
    ),
]
# 完成时限 column: 2025年底, 2025年底, 2025年底, 2025年6月底前, 持续推进, 2025年底, 2025年10月底前,
# 2025年8月底前
TABLE_DEADLINES = [
    ["2025-12-31"],
    ["2025-12-31"],
    ["2025-12-31"],
    ["2025-06-30"],
    [],
    ["2025-12-31"],
    ["2025-10-31"],
    ["2025-08-31"],
]

EXCERPT = "excerpt-cut-short.txt"
_YAN, _YUAN = "严建新市长牵头重点工作", "袁立华常务副市长牵头重点工作"
EXCERPT_TASKS = [
    (_YAN, 1, "地区生产总值增长6%左右。", ["严建新"], [lead("市发展改革委"), part("市统计局")]),
    (
        _YAN,
        2,
        "坚持政府过紧日子，严控一般性支出。",
        ["严建新"],
        [lead("市财政局"), part("市直各单位", COLLECTIVE)],
    ),
    (
        _YAN,
        3,
        "深化营商环境优化提升行动，打造市场化法治化国际化一流营商环境。",
        ["严建新"],
        [lead("市发展改革委"), part("市市场监管局"), part("市数据局")],
    ),
    (_YUAN, 1, "规模以上工业增加值增长7%。", ["袁立华"], [lead("市工信局")]),
    (
        _YUAN,
        2,
        "实施重大项目建设提速行动，全年安排市重点项目300个以上。",
        ["袁立华"],
        [lead("市发展改革委"), part("各县（市、区）政府", LOCAL)],
    ),
    # the page stops here, mid-sentence, before any unit clause
    (
        _YUAN,
        3,
        "推进长江经济带绿色发展示范，深入实施长江十年禁渔，加强沿江化工企业",
        ["袁立华"],
        [],
    ),
]

LIVELIHOOD = "municipal-livelihood.txt"
# (item number, category, full text, leaders, units)
LIVELIHOOD_TASKS = [
    (
        1,
        None,
        "新建改扩建城区公办幼儿园和中小学校8所，新增学位6000个。",
        ["李红梅"],
        [lead("市教育局"), part("市发改委"), part("市财政局"), part("市自然资源和规划局")],
    ),
    (
        2,
        None,
        "新增城镇就业5万人，开发公益性岗位2000个。",
        ["李红梅"],
        [lead("市人社局"), part("各县（市、区）政府", LOCAL)],
    ),
    (
        3,
        None,
        "改造城镇老旧小区60个、背街小巷100条。",
        ["周卫东"],
        [
            lead("市住建局"),
            part("市城管执法委"),
            part("市财政局"),
            part("各县（市、区）政府", LOCAL),
        ],
    ),
    (
        4,
        None,
        "新增普惠托位1500个，建成社区嵌入式托育点30个。",
        ["李红梅"],
        [lead("市卫健委"), part("市民政局"), part("市教育局")],
    ),
    (
        5,
        None,
        "新建社区老年食堂50个，为失能老年人提供居家照护服务。",
        ["李红梅", "张国庆"],
        [lead("市民政局"), part("市卫健委"), part("市医保局")],
    ),
    (
        6,
        None,
        "新（改）建农村公路500公里，新增公交线路10条。",
        ["周卫东"],
        [lead("市交通运输局"), part("各县（市、区）政府", LOCAL)],
    ),
    (
        7,
        None,
        "建成城市社区公园20个、绿道50公里。",
        ["周卫东"],
        [lead("市园林局"), lead("市自然资源和规划局"), part("市财政局")],
    ),
    (
        8,
        None,
        "为65岁以上老年人免费接种肺炎疫苗。",
        ["李红梅"],
        [lead("市卫健委"), lead("市疾控局")],
    ),
    # no 牵头市领导 in the attribution: leaders []
    (
        9,
        None,
        "新增城区公共停车泊位5000个。",
        [],
        [lead("市城管执法委"), part("市公安局"), part("市住建局")],
    ),
    (
        10,
        None,
        "开展食品安全放心工程，完成农贸市场标准化改造40家。",
        ["张国庆"],
        [lead("市市场监管局"), part("市商务局"), part("各县（市、区）政府", LOCAL)],
    ),
]

CATEGORIES = "municipal-livelihood-categories.txt"
_HEALTH, _EDU, _ELDER, _HOME = "医疗卫生方面", "教育助学方面", "养老帮困方面", "城乡宜居方面"
# (section ordinal, category, full text, leaders, units); the tasks carry no number
CATEGORIES_TASKS = [
    (
        1,
        _HEALTH,
        "为全市65岁以上老年人免费开展健康体检；在公共场所新增配置自动体外除颤仪300台。",
        ["林志强"],
        [lead("市卫健委")],
    ),
    (1, _HEALTH, "新建社区医院3家。", ["林志强"], [lead("市卫健委"), part("市发改委")]),
    # the attribution in the middle of the sentence ends the first task; the comma after it
    # starts nothing
    (2, _EDU, "新增公办学前教育学位3000个", ["郭美玲"], [lead("市教育局")]),
    (2, _EDU, "新建城区中小学校4所。", ["郭美玲"], [lead("市教育局"), part("市自然资源局")]),
    (
        3,
        _ELDER,
        "新增养老机构护理型床位500张;改造提升农村幸福院20家。",
        ["郭美玲"],
        [lead("市民政局")],
    ),
    (3, _ELDER, "为困难残疾人家庭实施无障碍改造300户。", ["郭美玲", "林志强"], [lead("市残联")]),
    (4, _HOME, "改造城镇老旧小区40个。", ["蔡文斌"], [lead("市住建局")]),
    # 新（改）建 is part of the text, not an attribution
    (
        4,
        _HOME,
        "新（改）建农村公路150公里。",
        ["蔡文斌"],
        [lead("市交通运输局"), part("各县（市、区）政府", LOCAL)],
    ),
]

ALL_TASK_TABLES = {
    SEPARATE_LINES: SEPARATE_LINES_TASKS,
    THREE_LABELS: THREE_LABELS_TASKS,
    LEADER_PER_ITEM: LEADER_PER_ITEM_TASKS,
    INLINE: INLINE_TASKS,
    FREE_TEXT: FREE_TEXT_TASKS,
    RUNNING: RUNNING_TASKS,
    RESTARTS: RESTARTS_TASKS,
    "table-layout.txt": TABLE_TASKS,
    "table-layout-tabs.txt": TABLE_TASKS,
    "table-layout.md": TABLE_TASKS,
    EXCERPT: EXCERPT_TASKS,
    LIVELIHOOD: LIVELIHOOD_TASKS,
    CATEGORIES: CATEGORIES_TASKS,
}
NOTICES = list(ALL_TASK_TABLES)
PROVINCIAL = [THREE_LABELS, FREE_TEXT]  # 江苏省, 广东省
MUNICIPAL = [name for name in NOTICES if name not in PROVINCIAL]


def _doc(issuer, doc_number, title, signed_on, printed_on, year=2025):
    return {
        "issuer": issuer,
        "doc_number": doc_number,
        "title": title,
        "year": year,
        "signed_on": signed_on,
        "printed_on": printed_on,
    }


_TITLE = "{}关于印发2025年市政府工作报告重点工作责任分解的通知"
_NANTONG = _doc(
    "南通市人民政府办公室",
    "通政办发〔2025〕6号",
    _TITLE.format("南通市人民政府办公室"),
    "2025-02-18",
    "2025-02-19",
)
DOCUMENTS = {
    SEPARATE_LINES: _doc(
        "芜湖市人民政府办公室",
        "芜政办〔2025〕3号",
        _TITLE.format("芜湖市人民政府办公室"),
        "2025-02-12",
        "2025-02-13",
    ),
    THREE_LABELS: _doc(
        "江苏省人民政府办公厅",
        "苏政办发〔2025〕9号",
        "江苏省人民政府办公厅关于印发2025年省政府工作报告重点工作责任分解的通知",
        "2025-02-08",
        "2025-02-10",
    ),
    LEADER_PER_ITEM: _doc(
        "泉州市人民政府办公室",
        "泉政办〔2025〕6号",
        _TITLE.format("泉州市人民政府办公室"),
        "2025-02-20",
        "2025-02-21",
    ),
    INLINE: _doc(
        "襄阳市人民政府办公室",
        "襄政办发〔2025〕4号",
        _TITLE.format("襄阳市人民政府办公室"),
        "2025-02-14",
        "2025-02-15",
    ),
    # the foot names 广东省人民政府办公厅秘书处 as printer; the issuer is the office that signed
    FREE_TEXT: _doc(
        "广东省人民政府办公厅",
        "粤府办〔2025〕3号",
        "广东省人民政府办公厅关于印发2025年省政府工作报告重点工作责任分解的通知",
        "2025-02-17",
        "2025-02-18",
    ),
    RUNNING: _doc(
        "绵阳市人民政府办公室",
        "绵府办函〔2025〕11号",
        _TITLE.format("绵阳市人民政府办公室"),
        "2025-03-04",
        "2025-03-05",
    ),
    RESTARTS: _doc(
        "株洲市人民政府办公室",
        "株政办函〔2025〕7号",
        _TITLE.format("株洲市人民政府办公室"),
        "2025-02-25",
        "2025-02-26",
    ),
    "table-layout.txt": _NANTONG,
    "table-layout-tabs.txt": _NANTONG,
    "table-layout.md": _NANTONG,  # the title is a Markdown heading: “# ” is not part of it
    # a web page: its publishing time (发布时间：2025-03-05) is not the 印发 date, and the page
    # stops before the foot
    EXCERPT: _doc(
        "九江市人民政府办公室",
        "九政办发〔2025〕5号",
        _TITLE.format("九江市人民政府办公室"),
        "2025-03-03",
        None,
    ),
    LIVELIHOOD: _doc(
        "宜昌市人民政府办公室",
        "宜府办函〔2025〕8号",
        "宜昌市人民政府办公室关于印发2025年十大民生实事责任分解的通知",
        "2025-02-28",
        "2025-03-01",
    ),
    CATEGORIES: _doc(
        "漳州市人民政府办公室",
        "漳政办〔2025〕10号",
        "漳州市人民政府办公室关于印发2025年为民办实事项目责任分解的通知",
        "2025-03-06",
        "2025-03-07",
    ),
}

_Y2025 = {"start": 2025, "end": 2025}
_KEY_TASKS = ("key_tasks", "2025年市政府工作报告重点工作责任分解", _Y2025)
_PROVINCE_KEY_TASKS = ("key_tasks", "2025年省政府工作报告重点工作责任分解", _Y2025)
PARTS = {
    SEPARATE_LINES: [_KEY_TASKS],
    THREE_LABELS: [_PROVINCE_KEY_TASKS],
    LEADER_PER_ITEM: [_KEY_TASKS],
    INLINE: [_KEY_TASKS],
    FREE_TEXT: [_PROVINCE_KEY_TASKS],
    RUNNING: [_KEY_TASKS],
    RESTARTS: [_KEY_TASKS],
    "table-layout.txt": [_KEY_TASKS],
    "table-layout-tabs.txt": [_KEY_TASKS],
    "table-layout.md": [_KEY_TASKS],
    EXCERPT: [_KEY_TASKS],
    LIVELIHOOD: [("livelihood", "2025年十大民生实事责任分解", _Y2025)],
    CATEGORIES: [("livelihood", "2025年民生实事项目责任分解", _Y2025)],
}


# --------------------------------------------------------------------------- every style


@pytest.mark.parametrize("name", NOTICES)
def test_the_document_head_is_read_from_every_style(name):
    document = parsed(name)["document"]
    assert {key: document[key] for key in DOCUMENTS[name]} == DOCUMENTS[name]


@pytest.mark.parametrize("name", NOTICES)
def test_every_style_has_its_one_part_with_title_and_period(name):
    d = parsed(name)
    assert [(p["kind"], p["title"], p["period"]) for p in d["parts"]] == PARTS[name]


@pytest.mark.parametrize("name", NOTICES)
def test_task_text_is_the_sentence_without_its_units_clause(name):
    got = [squash(t["text"]) for _p, _s, t in all_tasks(parsed(name))]
    assert got == [squash(row[2]) for row in ALL_TASK_TABLES[name]]


@pytest.mark.parametrize("name", NOTICES)
def test_each_task_line_is_the_line_where_its_text_starts(name):
    lines = source_lines(name)
    for _p, _s, t in all_tasks(parsed(name)):
        head = squash(t["text"])[:6]
        assert 1 <= t["line"] <= len(lines), t
        assert head in squash(lines[t["line"] - 1]), (t["line"], head, lines[t["line"] - 1])


def region_of(name: str) -> str:
    """The province or city that issued a fixture: 芜湖市人民政府办公室 → 芜湖市."""
    return re.sub(r"人民政府办公(室|厅)$", "", DOCUMENTS[name]["issuer"])


def assert_units_unresolved_and_warned(d: dict, region: str) -> None:
    """Every single unit has canonical None, and a warning says the registry does not know it.

    The contract asks for “a warning” when the registry does not know a unit. Two forms say so:
    an ``unknown_unit`` warning naming the unit, or one ``registry_region`` warning naming the
    notice's region (the registry describes Zhejiang; units of elsewhere are kept as written).
    """
    unknown = [w["message"] for w in warnings_of(d, "unknown_unit")]
    whole_notice = any(region in w["message"] for w in warnings_of(d, "registry_region"))
    for _p, _s, t in all_tasks(d):
        for u in t["units"]:
            if u["kind"] != UNIT:
                continue
            assert u["canonical"] is None, u
            assert whole_notice or any(u["name"] in m for m in unknown), (
                f"no unknown_unit warning names {u['name']} and no registry_region names {region}"
            )


@pytest.mark.parametrize("name", MUNICIPAL)
def test_a_unit_the_registry_does_not_know_has_no_canonical_name_and_is_warned_about(name):
    assert_units_unresolved_and_warned(parsed(name), region_of(name))


@pytest.mark.parametrize("name", PROVINCIAL)
def test_a_unit_of_another_province_is_not_given_the_zhejiang_unit_of_the_same_name(name):
    # 江苏省/广东省 省发展改革委 is not 浙江省 省发展改革委: the registry knows Zhejiang only
    assert_units_unresolved_and_warned(parsed(name), region_of(name))


@pytest.mark.parametrize("name", [n for n in NOTICES if n != RESTARTS])
def test_a_notice_numbered_in_order_gives_no_numbering_warning(name):
    numbering = ("numbering_gap", "numbering_repeat")
    assert [w for w in parsed(name)["warnings"] if w["code"] in numbering] == []


@pytest.mark.parametrize("name", [n for n in NOTICES if n != EXCERPT])
def test_a_complete_notice_has_no_truncated_item(name):
    assert "truncated_item" not in codes(parsed(name))


# --------------------------------------------------------------------------- one test per style


def test_a_separate_partner_line_makes_its_units_participants():
    d = parsed(SEPARATE_LINES)
    assert rows(d) == expected_rows(SEPARATE_LINES_TASKS)
    assert sections(d) == [
        (1, _LI, leader("李明华", "市长")),
        (2, _ZHOU, leader("周建军", "常务副市长")),
        (3, _CHEN, leader("陈晓燕", "副市长")),
    ]


def test_three_labels_give_the_leaders_the_leads_and_the_partners_of_each_task():
    d = parsed(THREE_LABELS)
    assert rows(d) == expected_rows(THREE_LABELS_TASKS)
    # topic sections: the leaders are on the tasks (牵头负责领导), the sections have none
    assert sections(d) == [(1, _DEMAND, None), (2, _INDUSTRY, None), (3, _LIVING, None)]


def test_a_leader_line_under_each_item_names_that_items_leaders_in_topic_sections():
    d = parsed(LEADER_PER_ITEM)
    assert rows(d) == expected_rows(LEADER_PER_ITEM_TASKS)
    assert sections(d) == [(1, "稳增长", None), (2, "扩内需", None), (3, "惠民生", None)]


def test_units_inline_after_the_sentence_are_read_with_fullwidth_or_ascii_punctuation():
    d = parsed(INLINE)
    assert rows(d) == expected_rows(INLINE_TASKS)
    assert sections(d) == [
        (1, _LIU, leader("刘建中", "市长")),
        (2, _ZHENG, leader("郑宏伟", "常务副市长")),
        (3, _SUN, leader("孙丽萍", "副市长")),
    ]


def test_free_text_names_leads_before_qiantou_partners_before_peihe_and_a_sole_unit_fuze():
    d = parsed(FREE_TEXT)
    assert rows(d) == expected_rows(FREE_TEXT_TASKS)
    assert sections(d) == [
        (1, _GOV, leader("陈志远", "省长")),
        (2, _EXEC, leader("梁国华", "常务副省长")),
        (3, _VICE, leader("何静", "副省长")),
    ]


def test_numbering_that_runs_on_across_topic_sections_is_kept_and_is_not_a_gap():
    d = parsed(RUNNING)
    assert rows(d) == expected_rows(RUNNING_TASKS)
    assert sections(d) == [(1, _GROWTH, None), (2, _WELFARE, None)]
    assert "numbering_gap" not in codes(d)


def test_numbering_restarting_in_each_leader_section_keeps_numbers_and_flags_gap_and_repeat():
    d = parsed(RESTARTS)
    assert rows(d) == expected_rows(RESTARTS_TASKS)
    assert sections(d) == [
        (1, _HE, leader("何建平", "市长")),
        (2, _YANG, leader("杨卫东", "常务副市长")),
        (3, _ZENG, leader("曾丽华", "副市长")),
    ]
    # restarting at 1 under 二 and 三 is not a gap; 3 → 5 under 一 is, and the second 6 repeats
    assert [w["line"] for w in warnings_of(d, "numbering_gap")] == [
        line_of(RESTARTS, "5. 持续优化营商环境")
    ]
    assert [w["line"] for w in warnings_of(d, "numbering_repeat")] == [
        line_of(RESTARTS, "6. 加快建设物流枢纽")
    ]


@pytest.mark.parametrize("name", TABLE_VARIANTS)
def test_a_flattened_table_reads_its_columns_as_leaders_leads_partners_and_deadlines(name):
    d = parsed(name)
    assert rows(d) == expected_rows(TABLE_TASKS)
    assert [t["deadlines"] for _p, _s, t in all_tasks(d)] == TABLE_DEADLINES
    assert all(s["leader"] is None for p in d["parts"] for s in p["sections"])


@pytest.mark.parametrize("name", TABLE_VARIANTS)
def test_the_header_row_and_the_markdown_rule_of_a_table_are_not_flagged(name):
    structural = {line_of(name, "| 序号" if name.endswith(".md") else "序号")}
    if name.endswith(".md"):
        structural.add(line_of(name, "|---|"))
    assert [w for w in parsed(name)["warnings"] if w["line"] in structural] == []


def test_a_table_reads_the_same_with_pipes_tabs_or_markdown():
    pipes, tabs, markdown = (parsed(name) for name in TABLE_VARIANTS)
    for other in (tabs, markdown):
        assert rows(other) == rows(pipes)
        assert [t["deadlines"] for _p, _s, t in all_tasks(other)] == [
            t["deadlines"] for _p, _s, t in all_tasks(pipes)
        ]
        assert other["document"] == pipes["document"]


def test_an_excerpt_cut_short_parses_as_far_as_it_goes_and_flags_the_cut_item():
    d = parsed(EXCERPT)
    assert rows(d) == expected_rows(EXCERPT_TASKS)
    assert sections(d) == [
        (1, _YAN, leader("严建新", "市长")),
        (2, _YUAN, leader("袁立华", "常务副市长")),
    ]
    assert [w["line"] for w in warnings_of(d, "truncated_item")] == [
        line_of(EXCERPT, "3. 推进长江经济带绿色发展示范")
    ]


def test_numbered_livelihood_items_take_leaders_and_units_from_their_attribution():
    d = parsed(LIVELIHOOD)
    assert livelihood_rows(d) == expected_rows(LIVELIHOOD_TASKS)
    assert all(s["leader"] is None for p in d["parts"] for s in p["sections"])


def test_a_livelihood_category_paragraph_splits_into_one_task_per_attribution():
    d = parsed(CATEGORIES)
    assert livelihood_rows(d) == expected_rows(CATEGORIES_TASKS)
    assert [t["number"] for _p, _s, t in all_tasks(d)] == [None] * len(CATEGORIES_TASKS)
    assert sections(d) == [(1, _HEALTH, None), (2, _EDU, None), (3, _ELDER, None), (4, _HOME, None)]
    assert [s["category"] for p in d["parts"] for s in p["sections"]] == [
        _HEALTH,
        _EDU,
        _ELDER,
        _HOME,
    ]


# --------------------------------------------------------------------------- not a notice


def test_a_news_article_is_not_a_notice_and_says_so_in_one_line():
    path = STYLES / "news-article.txt"
    with pytest.raises(NotANoticeError) as caught:
        parse_notice(str(path))
    assert isinstance(caught.value, ParseError)
    message = str(caught.value)
    assert "\n" not in message
    assert path.name in message
    assert message.split(path.name, 1)[1].strip(" :")  # a reason follows the file name
