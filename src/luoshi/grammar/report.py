"""The report grammar: a 政府工作报告 — whole, summarised, or a newspaper page that starts in the
middle — into sections, the results it reports, the targets it sets and its livelihood list.

Four stages, each an ordered list of small named rules (the first rule that answers wins, so a
failing golden test points at one rule):

1. :data:`LINE_RULES` — what each line is. Not content: blank lines, photo captions
   (``…本报记者 梁臻 李震宇 摄``), page furniture (版次, ``(紧接第一版)``, ``(下转第四版)``, a page
   header repeating ``政府工作报告`` in the middle of the text), the title and the subtitle
   (``——2025年1月14日在四川省第十四届人民代表大会第三次会议上``). Content loses its Markdown
   (``#``, ``**bold**``, ``<sub>``). Lines a page break cut in two are joined again.
2. :data:`SECTION_RULES` — what each paragraph belongs to: ``review`` (the past year), ``targets``
   (the 主要预期目标 sentence), ``work`` (the areas of work), ``livelihood`` (民生实事), ``other``.
   A text that starts before any heading (a newspaper excerpt) starts in the review when the first
   heading it meets is the plan for the coming year (``二、2025年目标任务和重点工作``).
3. :data:`FIGURE_RULES` — the figures of a review clause: ``全省生产总值增长6%`` → 生产总值,
   growth, 6 %. See :func:`read_clause` and :func:`read_paragraph`.
4. targets of the coming year from the targets, work and livelihood sections, through
   :func:`luoshi.targets.find_targets`.

How the text is read where it could be read two ways (each rule says why where it is):

- ``measure`` uses the words of :mod:`luoshi.targets` (``data/measures.yaml``), in its order, so a
  result and the target it is compared with are measured alike: ``rank`` (居全国第4位);
  ``growth``/``decline`` (增长, 上涨 / 下降, 压减 before the figure); ``share`` (a figure in % whose
  indicator names a rate or a part: 覆盖率, 占比, 份额, 率, 强度 — so 城镇调查失业率为4.6% is a
  share, as luoshi.targets reads 城镇调查失业率控制在5%以内); ``level`` (达, 为, 提高到, 突破,
  累计: a total); ``amount`` (money arranged or invested: 安排, 投资, 减负); ``increment``
  (新增, 新建, 建设, 完成, 实施 …: what was done within the year); ``count``; ``level``.
- ``新增``/``新建`` stay in the indicator (``新增“雄鹰”企业``, as luoshi.targets keeps them) and make
  the figure an ``increment``, also for the items of the same 、-list (``、上市公司23家``). An
  increment is never a total: ``新增参保1500万人`` and ``参保人数达4526万人`` differ in measure.
- ``分别`` distributes values over the listed indicators (城镇和农村居民人均可支配收入分别增长5.2%、7.3%
  → two results); the part the list shares is written once, after the last item (``shared_tails``
  in ``data/indicators.yaml``, or heads of one short length: 城市和农村低保月人均标准). When the
  counts differ nothing is produced and a ``values_unmatched`` warning says so.
- A bare measure noun takes the subject of the indicator before it (起数和死亡人数 → 生产安全事故
  死亡人数; 、总面积 → 海外仓总面积); ``占全国份额`` takes the indicator before it
  (货物贸易出口占全国份额). A clause with no indicator (``，增长9.6%``) speaks of the one before,
  and its ``text`` then starts there; ``，均居全国首位`` speaks of every indicator before it.
- ``从X提高到Y`` is the level Y, with ``base`` X; ``提高到Y`` alone is the level Y.
- ``预计`` (and ``初步``) sets ``estimate``; ``以上``/``左右``/``超过``/``突破`` set ``op`` (a result
  written ``3300亿元以上`` is at least 3300).
- ``月`` in the indicator (人均月标准, 月均) sets ``period: month``; ``累计`` sets ``cumulative``;
  ``年均`` sets ``average``; ``全年`` sets ``year``. Otherwise ``period`` is null: the figure is for
  the year under review.
- A count before its noun is a result when a verb leads to it or it opens the clause
  (累计建设839个海外仓, 8家博物馆晋级…), not when it is part of a subject measured by a later
  figure (1244个重大项目完成投资1297.6亿元) or counts the names just listed (等5个城市).
- A comparison (``增速高于全省平均1个百分点``) is not a result: it is no level of the indicator.
- Numbers that are names are not figures: anything in quotes (“315”, “8+4”), 500强, 第六届, 20周年,
  5A级, PM2.5, 56项 of 56项31569个, and the items of an enumeration closed by ``等N张榜单``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from luoshi.model import Line, Source, Target
from luoshi.model import Warning as ReportWarning
from luoshi.report import (
    LivelihoodItem,
    Report,
    ReportHead,
    ReportSection,
    ReportTarget,
    Result,
)

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "indicators.yaml"

CN_NUM = "零一二三四五六七八九十两"
CN_ORD = r"[一二三四五六七八九十]{1,3}"

# --------------------------------------------------------------------------------------------
# Data: indicator names (data/indicators.yaml)


@dataclass(frozen=True)
class IndicatorData:
    canonical: dict[str, str]  # name → canonical
    name_measure: dict[str, str]  # name → measure a figure under this name has
    shared_tails: tuple[str, ...]  # longest first
    dependent_nouns: tuple[str, ...]  # longest first


@cache
def indicator_data(path: Path = DATA_PATH) -> IndicatorData:
    """The indicator data, validated: every name belongs to one indicator, every record says
    where it was seen. Raises ValueError naming the bad record."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    canonical: dict[str, str] = {}
    name_measure: dict[str, str] = {}
    for record in raw["indicators"]:
        canon = record["canonical"]
        for entry in record["names"]:
            name = entry["name"]
            if "seen" not in entry:
                raise ValueError(f"indicators.yaml: {name}: no 'seen'")
            if canonical.get(name, canon) != canon:
                raise ValueError(f"indicators.yaml: {name} names {canonical[name]} and {canon}")
            canonical[name] = canon
            if "measure" in entry:
                name_measure[name] = entry["measure"]

    def words(key: str) -> tuple[str, ...]:
        for entry in raw[key]:
            if "seen" not in entry:
                raise ValueError(f"indicators.yaml: {key}: {entry['word']}: no 'seen'")
        return tuple(sorted((e["word"] for e in raw[key]), key=len, reverse=True))

    return IndicatorData(
        canonical=canonical,
        name_measure=name_measure,
        shared_tails=words("shared_tails"),
        dependent_nouns=words("dependent_nouns"),
    )


def resolve_indicator(name: str | None) -> str | None:
    """The canonical name of an indicator, or None when the data does not list it:
    ``规上工业增加值`` → ``规模以上工业增加值``; ``数字经济核心产业制造业增加值`` stays itself (it is
    not 数字经济核心产业增加值)."""
    if not name:
        return None
    data = indicator_data()
    for key in (name, _unquote(name), SCOPE_RE.sub("", _unquote(name))):
        if key in data.canonical:
            return data.canonical[key]
    return None


# Scope words that do not change the statistic: 全省经营主体数量 is 经营主体数量.
SCOPE_RE = re.compile(r"^(?:全省|我省|全市|我市|全年|今年)")


def _unquote(text: str) -> str:
    return re.sub(r"[“”\"‘’「」]", "", text)


# --------------------------------------------------------------------------------------------
# Stage 1: lines


@dataclass
class Cleaned:
    """What a line rule made of one line."""

    kind: str  # blank | caption | furniture | title | subtitle | heading | content
    text: str = ""
    level: int = 0  # headings: 1 = a part (一、…), 2 = an area ((一)…)
    data: dict = field(default_factory=dict)


@dataclass
class LineContext:
    content_seen: bool = False


LineRule = Callable[[str, LineContext], Cleaned | None]

CAPTION_RE = re.compile(
    r"(?:本报|新华社|本刊|特约)?(?:记者|通讯员|摄影)[\s\u3000]*"
    r"[\u4e00-\u9fff·\s\u3000]{2,30}?[\s\u3000]*(?:摄|供图|/摄|摄影)$"
)
CONTINUED_FROM_RE = re.compile(r"^[（(](?:紧接|接|上接)第\s*([一二三四五六七八九十\d]+)\s*版[)）]")
CONTINUES_RE = re.compile(r"[（(](?:下转|转|转第)\s*第?\s*([一二三四五六七八九十\d]+)\s*版[)）]$")
PAGE_FURNITURE_RE = re.compile(
    r"^(?:第\s*[一二三四五六七八九十\d]+\s*版(?:\s*[:：·].*)?"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天].*"
    r"|(?:责任编辑|本版编辑|版式设计|美术编辑|美编|校对|编辑)\s*[:：].*"
    r"|[\u4e00-\u9fff]{2,6}日报(?:\s*第?\s*[\d一二三四五六七八九十]+版)?)$"
)
TITLE_RE = re.compile(
    r"^(?P<year>\d{4}年)?(?P<region>[\u4e00-\u9fff]{2,8}?(?:省|市|自治区))?(?:人民)?"
    r"政府工作报告(?:[（(]?(?P<kind>摘要|全文|摘登|节选|要点)[)）]?)?$"
)
SUBTITLE_RE = re.compile(
    r"^[—–\-－]{1,2}\s*(?P<year>\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*在"
    r"(?P<region>[\u4e00-\u9fff]{2,10}?(?:省|市|自治区))第.{1,4}届人民代表大会第.{1,3}次会议上$"
)
SPEAKER_RE = re.compile(r"^(?:代?省长|代?主席|代?市长)[\s\u3000]*[\u4e00-\u9fff·]{2,5}$")
PART_HEADING_RE = re.compile(rf"^(?P<ord>{CN_ORD})\s*[、.．]\s*(?P<rest>.+)$")
AREA_RE = re.compile(rf"^[（(](?P<ord>{CN_ORD})[)）]\s*(?P<rest>.+)$")
AREA_SHI_RE = re.compile(rf"^(?P<ord>{CN_ORD})是(?P<rest>.+)$")
MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s*")
SUB_SUP_RE = re.compile(r"<(su[bp])>(.*?)</\1>", re.I)


def _strip_markdown(text: str) -> str:
    """``**bold**`` and ``__bold__`` lose their marks, ``PM<sub>2.5</sub>`` becomes PM2.5."""
    text = SUB_SUP_RE.sub(r"\2", text)
    return text.replace("**", "").replace("__", "").strip()


def rule_blank(text: str, ctx: LineContext) -> Cleaned | None:
    return Cleaned("blank") if not text.strip() else None


def rule_photo_caption(text: str, ctx: LineContext) -> Cleaned | None:
    # A caption is not content: “1月23日上午，省十四届人大二次会议在杭州隆重开幕……本报记者 梁臻 李震宇 摄”.
    # Only a line that ENDS with the credit: a sentence that mentions a reporter is still text.
    return Cleaned("caption", text.strip()) if CAPTION_RE.search(text.strip()) else None


def rule_page_furniture(text: str, ctx: LineContext) -> Cleaned | None:
    s = _strip_markdown(MARKDOWN_HEADING_RE.sub("", text.strip()))
    if PAGE_FURNITURE_RE.match(s) or (
        CONTINUED_FROM_RE.match(s) and not CONTINUED_FROM_RE.sub("", s).strip()
    ):
        return Cleaned("furniture", s)
    if (m := CONTINUES_RE.fullmatch(s)) is not None:
        return Cleaned("furniture", s, data={"continues": m.group(1)})
    return None


def rule_title(text: str, ctx: LineContext) -> Cleaned | None:
    s = _strip_markdown(MARKDOWN_HEADING_RE.sub("", text.strip()))
    if (m := TITLE_RE.match(s)) is None:
        return None
    data = {k: v for k, v in m.groupdict().items() if v}
    # In a newspaper the page header repeats the title in the middle of the text (004, line 39):
    # page furniture then, not a new document.
    return Cleaned("furniture" if ctx.content_seen else "title", s, data=data)


def rule_subtitle(text: str, ctx: LineContext) -> Cleaned | None:
    s = _strip_markdown(text.strip())
    if (m := SUBTITLE_RE.match(s)) is not None:
        return Cleaned("subtitle", s, data={"year": m.group("year"), "region": m.group("region")})
    if not ctx.content_seen and SPEAKER_RE.match(s):
        return Cleaned("subtitle", s)
    return None


def rule_heading(text: str, ctx: LineContext) -> Cleaned | None:
    raw = text.strip()
    markdown = bool(MARKDOWN_HEADING_RE.match(raw))
    s = _strip_markdown(MARKDOWN_HEADING_RE.sub("", raw))
    sentence_end = re.search(r"[。；;！？]", s)
    if markdown:
        return Cleaned("heading", s, level=2 if AREA_RE.match(s) else 1)
    if PART_HEADING_RE.match(s) and len(s) <= 40 and not sentence_end:
        return Cleaned("heading", s, level=1)
    # (二)提振和扩大消费,切实增强消费促发展基础性作用 — a standalone area heading (bold in 004).
    if AREA_RE.match(s) and len(s) <= 60 and not sentence_end:
        return Cleaned("heading", s, level=2)
    return None


def rule_content(text: str, ctx: LineContext) -> Cleaned | None:
    s = text.strip()
    data = {}
    if (m := CONTINUED_FROM_RE.match(s)) is not None:
        data["continued_from"] = m.group(1)
        s = s[m.end() :]
    if (m := CONTINUES_RE.search(s)) is not None:
        data["continues"] = m.group(1)
        s = s[: m.start()]
    return Cleaned("content", _strip_markdown(s), data=data)


LINE_RULES: tuple[tuple[str, LineRule], ...] = (
    ("blank", rule_blank),
    ("photo_caption", rule_photo_caption),
    ("page_furniture", rule_page_furniture),
    ("title", rule_title),
    ("subtitle", rule_subtitle),
    ("heading", rule_heading),
    ("content", rule_content),
)


def clean_lines(lines: Iterable[Line]) -> list[tuple[Line, Cleaned]]:
    """Each line with what the first answering line rule made of it."""
    ctx = LineContext()
    out = []
    for line in lines:
        for _name, rule in LINE_RULES:
            cleaned = rule(line.text, ctx)
            if cleaned is not None:
                break
        if cleaned.kind in ("content", "heading") and cleaned.text:
            ctx.content_seen = True
        out.append((line, cleaned))
    return out


@dataclass
class Para:
    """A paragraph: its text and the file line where each piece of it starts."""

    text: str
    starts: list[tuple[int, int]]  # (offset in text, line number)
    heading: int = 0  # 0 body, 1 part heading, 2 standalone area heading
    kind: str = "other"

    @property
    def line(self) -> int:
        return self.starts[0][1]

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for start, number in self.starts:
            if start <= offset:
                line = number
        return line


TERMINAL = "。！？；：:!?;"


def _ends_sentence(text: str) -> bool:
    t = text.rstrip("”’」）)")
    return bool(t) and (t[-1] in TERMINAL or text[-1] in TERMINAL)


def build_paragraphs(cleaned: list[tuple[Line, Cleaned]]) -> list[Para]:
    """Content and heading lines as paragraphs. A paragraph that stops in mid-sentence (no 。, ；
    or ： at its end) continues in the next content line: a page break (004: ``…实`` / ``现人员…``)
    or a page header between them does not end it."""
    paras: list[Para] = []
    for line, c in cleaned:
        if c.kind == "heading":
            paras.append(Para(c.text, [(0, line.number)], heading=c.level))
        elif c.kind == "content" and c.text:
            last = paras[-1] if paras else None
            if last is not None and not last.heading and not _ends_sentence(last.text):
                last.starts.append((len(last.text), line.number))
                last.text += c.text
            else:
                paras.append(Para(c.text, [(0, line.number)]))
    return paras


# --------------------------------------------------------------------------------------------
# Stage 2: sections

REVIEW_HEADING_RE = re.compile(r"工作回顾|过去一年|过去五年|回顾")
PLAN_HEADING_RE = re.compile(r"目标任务|总体要求|主要预期目标|预期目标|工作安排|主要目标")
WORK_HEADING_RE = re.compile(r"重点工作|重点任务|工作任务|主要任务")
LIVELIHOOD_RE = re.compile(r"民生实事")
LIVELIHOOD_TITLE_RE = re.compile(
    r"[一二三四五六七八九十百\d]+\s*(?:方面|件|项|类)?(?:重大)?民生实事(?:项目)?|民生实事(?:项目)?"
)
TARGETS_TRIGGER_RE = re.compile(r"主要预期目标\s*(?:是|为)?\s*[:：]")
WORK_TRIGGER_RE = re.compile(
    r"(?:方面|个方面)(?:重点)?工作\s*[:：]$|(?:重点工作|重点任务)\s*[:：]$"
)
CLOSING_RE = re.compile(r"^(?:实现|完成)(?:\d{4}年|今年)?(?:各项|全年)?(?:目标任务|目标)")
PREFACE_RE = re.compile(r"^(?:各位代表|现在[,，]?我代表)")
REVIEW_SIGN_RE = re.compile(r"过去一年|过去五年|一年来|去年")
LIVELIHOOD_ITEM_RE = re.compile(
    r"^(?:(?P<num>\d{1,2})\s*[.．、](?!\d)|[（(](?P<pnum>\d{1,2}|[一二三四五六七八九十]{1,3})[)）])\s*"
)
CATEGORY_RE = re.compile(r"^(?P<cat>[\u4e00-\u9fff“”、]{2,12}?方面)\s*[。.:：]?\s*")
YEAR_IN_RE = re.compile(r"(?<!\d)(\d{4})\s*年")


@dataclass
class SectionState:
    # the kind of the current part heading: review, plan, work, livelihood or other
    part: str | None = None
    kind: str | None = None  # kind of the current span
    first_part: str | None = None
    lead: list[Para] = field(default_factory=list)  # paragraphs before the first heading


def classify_part(title: str) -> str:
    """The kind of a part heading: ``一、2023年工作回顾`` → review; ``二、2024年目标任务和重点工作`` →
    plan (its first paragraph is the 总体要求; the targets and the work follow run-in)."""
    if LIVELIHOOD_RE.search(title):
        return "livelihood"
    if REVIEW_HEADING_RE.search(title) and not PLAN_HEADING_RE.search(title):
        return "review"
    if PLAN_HEADING_RE.search(title):
        return "plan"
    if WORK_HEADING_RE.search(title):
        return "work"
    return "other"


def _area_title(text: str) -> str:
    end = re.search(r"[。；;]", text)
    return text[: end.start()] if end else text


SectionRule = Callable[[Para, SectionState], "tuple[str, str | None, int] | None"]


def srule_part_heading(p: Para, st: SectionState):
    if p.heading != 1:
        return None
    st.part = classify_part(p.text)
    st.first_part = st.first_part or st.part
    kind = "other" if st.part == "plan" else st.part
    return kind, p.text, 1


def srule_targets(p: Para, st: SectionState):
    # 建议主要预期目标为：生产总值增长5.5%左右，…  — a run-in section of the plan. The same words
    # without a colon in the review (圆满实现经济社会发展主要预期目标) are no section.
    if st.part == "review" or not TARGETS_TRIGGER_RE.search(p.text):
        return None
    return "targets", "主要预期目标", 1


def srule_work_intro(p: Para, st: SectionState):
    # 重点抓好10方面工作： / 认真抓好11方面重点工作:
    if st.part == "review" or not WORK_TRIGGER_RE.search(p.text):
        return None
    return "work", p.text.rstrip(":：").strip(), 1


def srule_livelihood(p: Para, st: SectionState):
    if st.part == "review" or st.kind == "livelihood" or p.heading:
        return None
    if AREA_RE.match(p.text) or not LIVELIHOOD_RE.search(p.text):
        return None
    m = LIVELIHOOD_TITLE_RE.search(p.text)
    return "livelihood", m.group(0) if m else "民生实事", 1


def srule_area(p: Para, st: SectionState):
    # (一)… and 一是… open an area of the review or of the work (level 2).
    if not (AREA_RE.match(p.text) or (not p.heading and AREA_SHI_RE.match(p.text))):
        return None
    if st.kind == "livelihood" and not p.heading:
        return None  # livelihood items may be numbered (一)… too
    if st.kind in ("targets", "other") and st.part in ("plan", "work"):
        # areas straight after the targets: the work starts without an introducing line
        return "work", _area_title(p.text), 2
    # before any heading (an excerpt starting at an area): decided with the rest of the lead
    return st.kind or "lead", _area_title(p.text), 2


def srule_closing(p: Para, st: SectionState):
    # 实现2024年各项目标任务，关键是… — the closing part on the government itself.
    if st.kind in ("work", "livelihood") and CLOSING_RE.match(p.text):
        return "other", None, 1
    return None


def srule_livelihood_end(p: Para, st: SectionState):
    # After the list, a paragraph that is no item ends the livelihood part.
    if st.kind == "livelihood" and st.part != "livelihood" and not LIVELIHOOD_ITEM_RE.match(p.text):
        if LIVELIHOOD_RE.search(p.text):
            return None
        return "other", None, 1
    return None


SECTION_RULES: tuple[tuple[str, SectionRule], ...] = (
    ("part_heading", srule_part_heading),
    ("targets", srule_targets),
    ("work_intro", srule_work_intro),
    ("closing", srule_closing),
    ("livelihood", srule_livelihood),
    ("livelihood_end", srule_livelihood_end),
    ("area", srule_area),
)


def assign_sections(paras: list[Para]) -> list[ReportSection]:
    """Give each paragraph its ``kind`` and return the sections in document order."""
    st = SectionState()
    sections: list[ReportSection] = []
    for p in paras:
        opened = None
        for _name, rule in SECTION_RULES:
            opened = rule(p, st)
            if opened is not None:
                break
        if opened is not None:
            kind, title, level = opened
            st.kind = kind
            sections.append(ReportSection(title=title, kind=kind, line=p.line, level=level))
        elif st.kind is None:
            # Text before any heading: the start of an excerpt, or a preface. Decided below.
            st.kind = "lead"
            sections.append(ReportSection(title=None, kind="lead", line=p.line, level=1))
        if st.kind == "lead":
            st.lead.append(p)
        p.kind = st.kind
    if st.lead:
        # An excerpt that starts inside the review: the first heading it meets is the plan for the
        # coming year (004 starts in area (五) of the review and meets 二、2025年目标任务和重点工作).
        # A preface (各位代表：现在，我代表省人民政府…) is no review.
        lead_text = "".join(p.text for p in st.lead)
        review_signs = bool(REVIEW_SIGN_RE.search(lead_text))
        if PREFACE_RE.match(st.lead[0].text) and not review_signs:
            kind = "other"
        elif st.first_part in ("plan", "work", "livelihood") or (
            st.first_part is None and review_signs
        ):
            kind = "review"
        else:
            kind = "other"
        for p in paras:
            if p.kind == "lead":
                p.kind = kind
        sections = [
            ReportSection(s.title, kind, s.line, s.level) if s.kind == "lead" else s
            for s in sections
        ]
    return sections


# --------------------------------------------------------------------------------------------
# Stage 3: figures

NUM = r"\d+(?:\.\d+)?"
SCALE = r"(?:万亿|亿|万|千|百)?"
# Units of measure, longest first where one is the start of another.
BASE_UNITS = (
    "个百分点", "百分点", "%", "％", "‰",
    "吨标准煤", "标准煤", "千瓦时", "千瓦", "平方公里", "平方米", "立方米", "公里", "千米", "标箱",
    "美元", "元", "人次", "人", "户", "家", "个", "项", "件", "名", "位", "台", "套", "间", "座",
    "条", "所", "亩", "公斤", "斤", "吨", "列", "艘", "架", "辆", "枚", "部", "张", "批", "处",
    "种", "倍", "单", "宗", "例", "起", "场", "次", "米", "只", "册", "本", "棵", "株", "头",
)  # fmt: skip
PER_UNITS = r"(?:/(?:千瓦时|立方米|平方米|吨|人|月|年|户))?"
UNIT_RE = re.compile(
    rf"(?P<unit>{SCALE}(?:分/千瓦时|分/立方米|微克/立方米|(?:{'|'.join(map(re.escape, BASE_UNITS))}){PER_UNITS})"
    r"(?:[（(][\u4e00-\u9fff]{1,2}[)）])?|万亿|亿|万)"
)
QUALIFIER_RE = re.compile(r"^(?P<q>以上|以内|以下|左右|上下|多|余)")
CLASSIFIERS = "个项件名位台套间座条所家户人枚部张批处种艘辆架列场只册本"
QUOTE_PAIRS = {"“": "”", "《": "》", "「": "」", "‘": "’", "【": "】", '"': '"'}

RANK_RE = re.compile(
    r"(?P<verb>(?:均)?(?:跃居|位居|位列|居于|居|列|排名(?:提升|上升|跃升)?(?:到|至)?|"
    r"提升到|提升至|上升到|上升至|跃升至|跃升到|保持))?"
    rf"(?P<scope>全国|全球|世界|全省|长三角|中西部|东部地区)(?:第(?P<num>\d+|[{CN_NUM}]+)(?:位|名)?|(?P<first>首位))"
)
TRANSITION_RE = re.compile(
    rf"从(?P<base>{NUM})(?P<bunit>%|％|{SCALE}[\u4e00-\u9fff]{{0,3}}?)?"
    r"(?P<verb>(?:提高|提升|增加|上升|增长|扩大|下降|降低|减少|缩小|压减)(?:到|至))"
    rf"(?P<num>{NUM})"
)
# The verb right before a figure, longest first. Each is (class, regex alternatives).
VERB_CLASSES: tuple[tuple[str, str], ...] = (
    ("level", r"(?:提高|提升|增加|增长|上升|扩大|跃升|下降|降低|减少|缩小|压减|压降|回落)(?:到|至)"
     r"|增至|降至|升至|减至"),
    ("gt", r"突破|超过|超"),
    ("level", r"达到|达|为|是|实现|保持在|控制在|稳定在|合计|总计|共计|累计"),
    ("growth", r"增长|上涨|增加|提高|提升|上升|扩大|增"),
    ("decline", r"下降|减少|降低|压减|压降|缩减|回落|下跌|缩小|降"),
)  # fmt: skip
VERB_TAIL_RE = re.compile(
    "(?:"
    + "|".join(f"(?P<{name}{i}>{alts})" for i, (name, alts) in enumerate(VERB_CLASSES))
    + ")了?$"
)
MODIFIER_TAIL_RE = re.compile(
    r"(?:预计|初步|分别|均|都|同比|比上年|比去年|较上年|年均|累计|全年|共|已)$"
)
LEADING_WORD_RE = re.compile(
    r"^(?:其中|同时|并且|以及|另外|我们|还|全省|我省|全市|我市|全区|全年|今年|去年|当年|预计|初步"
    r"|累计)"
)
# 新增/新建 … stay in the indicator (as luoshi.targets keeps them) and make the figure an increment.
NEW_WORD_RE = re.compile(r"^(?:新增|新建|新认定|新引进|新遴选|新入选|新开工|新培育)")
COMPARISON_RE = re.compile(r"高于|低于|快于|慢于|好于|优于|超出|领先")
PRENOUN_VERB_RE = re.compile(
    r"(?:建设|建成|累计建设|新建|新增|夺得|获得|斩获|推动|引进|培育|完成|办理|创建|打造|认定|开通|"
    r"实施|争取|培养|招引|落地|签约|帮扶|救助|改造|新开工|开工|投用|上线)了?"
    r"[^\d，,。；;、等]{0,4}(?:\d+[项个件])?$"
)
ENUMERATION_RE = re.compile(rf"等(?=[\d{CN_NUM}]+[{CLASSIFIERS}])")
PRENOUN_COUNT_RE = re.compile(rf"^{NUM}{SCALE}[{CLASSIFIERS}]")
MONTH_RE = re.compile(r"月(?:标准|均|人均)|人均月|每月|月度")


@dataclass
class Hit:
    """A number in a clause, before it is read."""

    start: int  # where its reading starts (the verb of a rank, 从 of a transition)
    num_start: int
    end: int  # after its unit and qualifier
    kind: str  # value | prenoun | rank
    value: Any
    unit: str | None
    op: str = "eq"
    base: Any = None
    verb: str | None = None  # a verb the match itself holds (rank, transition)


@dataclass
class Figure:
    """One reading of a figure in a clause: what a result or a target is made of."""

    indicator: str
    value: Any
    unit: str | None
    measure: str
    op: str
    start: int  # span of the text it was read from, in the clause
    end: int
    estimate: bool = False
    base: Any = None
    period: str | None = None
    year: int | None = None
    hedge: str | None = None


def _protected(clause: str) -> list[bool]:
    """True at the positions inside quotes or book-title marks: “315”, 《…条例》."""
    mask = [False] * len(clause)
    closer = None
    for i, ch in enumerate(clause):
        if closer is not None:
            mask[i] = True
            if ch == closer:
                closer = None
        elif ch in QUOTE_PAIRS:
            closer = QUOTE_PAIRS[ch]
            mask[i] = True
    return mask


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _cn_number(text: str) -> int | None:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits["两"] = 2
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(text) if len(text) == 1 else None


def _op_of(qualifier: str | None, op: str = "eq") -> str:
    return {
        "以上": "ge",
        "多": "gt",
        "余": "gt",
        "左右": "approx",
        "上下": "approx",
        "以内": "le",
        "以下": "le",
    }.get(qualifier or "", op)


FigureRule = Callable[[str, list[bool], list[Hit]], None]


def frule_transition(clause: str, mask: list[bool], hits: list[Hit]) -> None:
    # 从X提高到Y: the level Y, base X.
    for m in TRANSITION_RE.finditer(clause):
        if mask[m.start()]:
            continue
        unit_m = UNIT_RE.match(clause, m.end())
        end = unit_m.end() if unit_m else m.end()
        q = QUALIFIER_RE.match(clause[end:])
        hits.append(
            Hit(
                start=m.start(),
                num_start=m.start("num"),
                end=end + (q.end() if q else 0),
                kind="value",
                value=_decimal(m.group("num")),
                unit=unit_m.group("unit") if unit_m else None,
                op=_op_of(q.group("q") if q else None),
                base=_decimal(m.group("base")),
                verb=m.group("verb"),
            )
        )


def frule_rank(clause: str, mask: list[bool], hits: list[Hit]) -> None:
    # 居全国第4位, 跃居全国第2位, 均居全国首位, 获奖数全国第一.
    for m in RANK_RE.finditer(clause):
        if mask[m.start("scope")]:
            continue
        n = 1 if m.group("first") else _cn_number(m.group("num"))
        if n is None:
            continue
        hits.append(
            Hit(
                start=m.start(),
                num_start=m.start("scope"),
                end=m.end(),
                kind="rank",
                value=Decimal(n),
                unit="位",
                verb=m.group("verb"),
            )
        )


def _is_name_number(clause: str, start: int, end: int, mask: list[bool]) -> bool:
    """Numbers that are names, not figures: in quotes (“315”), after Latin letters (PM2.5) or
    before them (5A级), 500强, 第六届, 20周年, 2024年, 0-6岁, 每10万人."""
    before = clause[max(0, start - 1) : start]
    after = clause[end : end + 2]
    if mask[start]:
        return True
    if before and ((before.isascii() and before.isalpha()) or before in "第每-—～~/"):
        return True
    return bool(
        re.match(r"[A-Za-z]|年|月|日|周年|届|强|号|岁|后|期|代|版|时|分钟|级|\+|-|—|~", after)
    )


def frule_numbers(clause: str, mask: list[bool], hits: list[Hit]) -> None:
    taken = [(h.start, h.end) for h in hits]
    for m in re.finditer(rf"(?<![\d.．]){NUM}", clause):
        start, end = m.span()
        if any(a <= start < b for a, b in taken) or _is_name_number(clause, start, end, mask):
            continue
        unit_m = UNIT_RE.match(clause, end)
        unit = unit_m.group("unit") if unit_m else None
        after = unit_m.end() if unit_m else end
        q = QUALIFIER_RE.match(clause[after:])
        stop = after + (q.end() if q else 0)
        nxt = clause[stop : stop + 1]
        if nxt.isdigit():
            continue  # 十方面56项31569个民生实事项目: 56项 only qualifies the count after it
        if unit is None:
            # A bare number is a figure only as a ratio closing a clause (倍差缩小至1.83).
            if nxt and nxt not in "，,。；;、）)":
                continue
            if not re.search(r"(?:至|到|为|达)$", clause[:start]):
                continue
        kind = "value"
        bare = unit.lstrip("万亿千百") if unit else ""
        if (
            unit
            and len(bare) == 1
            and bare in CLASSIFIERS
            and not q
            and nxt
            and re.match(r"[\u4e00-\u9fff“]", nxt)
        ):
            kind = "prenoun"  # 839个海外仓: the count comes before what it counts
        hits.append(
            Hit(
                start=start,
                num_start=start,
                end=stop,
                kind=kind,
                value=_decimal(m.group(0)),
                unit=unit,
                op=_op_of(q.group("q") if q else None),
            )
        )


FIGURE_RULES: tuple[tuple[str, FigureRule], ...] = (
    ("transition", frule_transition),
    ("rank", frule_rank),
    ("numbers", frule_numbers),
)


def find_hits(clause: str) -> list[Hit]:
    mask = _protected(clause)
    hits: list[Hit] = []
    for _name, rule in FIGURE_RULES:
        rule(clause, mask, hits)
    # Items of an enumeration closed by 等N张榜单 are names of the items, not figures.
    enum_end = max(
        (m.start() for m in ENUMERATION_RE.finditer(clause) if not mask[m.start()]), default=-1
    )
    hits = [h for h in hits if h.end > enum_end]
    return sorted(hits, key=lambda h: h.start)


@dataclass
class Segment:
    """What stands before a figure: indicator, verb and the words that qualify it."""

    indicator: str
    measure_class: str | None  # level | gt | growth | decline | None
    estimate: bool = False
    respectively: bool = False
    each: bool = False  # 均
    cumulative: bool = False
    average: bool = False
    whole_year: bool = False
    increment: str | None = None  # the word: 新增, 新建 …
    comparison: bool = False
    hedge: str | None = None
    year: int | None = None

    def inherit(self, head: Segment) -> None:
        """A member of a 、-list takes what the list's head says of all its items."""
        self.increment = self.increment or head.increment
        self.cumulative |= head.cumulative
        self.estimate |= head.estimate
        self.year = self.year or head.year


HEDGE_RE = re.compile(r"^(?:力争|确保|争取|努力|力求)")


def read_segment(seg: str, verb: str | None = None) -> Segment:
    """Split the text before a figure into indicator, verb class and qualifiers:
    ``全社会研发投入强度预计达`` → indicator 全社会研发投入强度, level, estimate."""
    measure_class = None
    if verb is None and (m := VERB_TAIL_RE.search(seg)) is not None:
        measure_class = next(
            re.sub(r"\d+$", "", k) for k, v in m.groupdict().items() if v is not None
        )
        seg = seg[: m.start()]
    s = Segment(indicator="", measure_class=measure_class)
    s.comparison = bool(COMPARISON_RE.search(seg))
    while (m := MODIFIER_TAIL_RE.search(seg)) is not None and m.group(0):
        word = m.group(0)
        s.estimate |= word in ("预计", "初步")
        s.respectively |= word == "分别"
        s.each |= word in ("均", "都")
        s.cumulative |= word == "累计"
        s.average |= word == "年均"
        s.whole_year |= word == "全年"
        seg = seg[: m.start()]
    seg = seg.strip(" 、，,")
    if (h := HEDGE_RE.match(seg)) is not None:
        s.hedge = h.group(0)
        seg = seg[h.end() :]
    while True:
        seg = PRENOUN_COUNT_RE.sub("", seg, count=1)
        m = LEADING_WORD_RE.match(seg)
        if m is None or not m.group(0):
            break
        word = m.group(0)
        s.estimate |= word in ("预计", "初步")
        s.cumulative |= word == "累计"
        s.whole_year |= word == "全年"
        seg = seg[m.end() :]
    if (n := NEW_WORD_RE.match(seg)) is not None:
        s.increment = n.group(0)
    # 连续5年稳定在700亿斤以上: a duration qualifies the figure, it names nothing
    seg = re.sub(r"连续\d+年", "", seg)
    if (y := re.match(r"^(\d{4})年", seg)) is not None:
        s.year = int(y.group(1))
        seg = seg[y.end() :]
    if (e := list(re.finditer(r"等", seg))) and e[-1].end() < len(seg):
        seg = seg[e[-1].end() :]  # …发明专利500家等五张榜单浙江上榜数 → 五张榜单浙江上榜数
    s.indicator = seg.strip(" 、，,")
    return s


def _split_items(indicator: str) -> list[list[str]]:
    """Ways to read a list of indicators: split on 、 and 和/及, or on 、 only."""
    mask = _protected(indicator)
    out = []
    for seps in ("、和及与", "、"):
        parts, cur = [], ""
        for i, ch in enumerate(indicator):
            if ch in seps and not mask[i]:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        parts.append(cur)
        out.append([p for p in parts if p])
    return out


def _subject(indicator: str) -> str:
    """The indicator less the measure noun it ends with: 生产安全事故起数 → 生产安全事故."""
    for word in indicator_data().dependent_nouns:
        if indicator.endswith(word) and len(indicator) > len(word):
            return indicator[: -len(word)]
    return indicator


def _attach(indicator: str, previous: str | None) -> str:
    """A bare measure noun takes the subject of the indicator before it (死亡人数 after
    生产安全事故起数); 占全国份额 takes the indicator before it (货物贸易出口占全国份额)."""
    if not previous:
        return indicator
    if indicator in indicator_data().dependent_nouns or indicator.startswith("占"):
        return _subject(previous) + indicator
    return indicator


def distribute(indicator: str, n: int) -> list[str] | None:
    """``城镇和农村居民人均可支配收入`` over 2 values → 城镇居民人均可支配收入, 农村居民人均可支配收入;
    None when the list does not have ``n`` items."""
    for items in _split_items(indicator):
        if len(items) != n:
            continue
        last = items[-1]
        for tail in indicator_data().shared_tails:
            if (
                last.endswith(tail)
                and last != tail
                and not any(i.endswith(tail) for i in items[:-1])
            ):
                items = [i + tail for i in items[:-1]] + [last]
                break
        else:
            # 城市和农村低保月人均标准: heads of one short length (城市, 农村) share what follows
            # the last head. Longer items (服务贸易、数字贸易) are whole indicators already.
            k = len(items[0])
            if k <= 3 and all(len(i) == k for i in items[:-1]) and len(last) > k + 1:
                items = [i + last[k:] for i in items[:-1]] + [last]
        out = [items[0]]
        for item in items[1:]:
            out.append(_attach(item, out[-1]) if item in indicator_data().dependent_nouns else item)
        return out
    return None


PERCENT = ("%", "％", "‰")


@cache
def _measures():
    """The measure words and unit kinds of luoshi.targets (data/measures.yaml): a result is
    measured with the same words as the targets it will be compared with."""
    from luoshi.targets import load_measures

    return load_measures()


def unit_kind(unit: str | None) -> str | None:
    """``万户`` → count, ``亿美元`` → currency, ``%`` → percent; None when unknown."""
    if not unit:
        return None
    m = _measures()
    folded = unit.replace("（", "(").replace("）", ")").replace("％", "%")
    for scale in ("万亿", "亿", "万", "千", "百"):
        if folded.startswith(scale) and folded != scale:
            folded = folded[len(scale) :]
            break
    for candidate in (folded, re.sub(r"\(.*\)$", "", folded)):
        if candidate in m.units:
            return m.unit_kinds[m.units[candidate]]
    return None


def _measure(seg: Segment, indicator: str, unit: str | None, kind: str, words: str = "") -> str:
    """What a result measures, by the order luoshi.targets uses for targets: rank; growth and
    decline by the verb; share (a rate or proportion in % — 覆盖率, 占比, 份额, 率, 强度);
    level (达, 为, 提高到, 累计, 突破 — a total); amount (money arranged or invested); increment
    (新增, 建设, 完成, 实施 … within the year); count; level. ``words`` are more words that say
    what is counted (the verb before 839个海外仓)."""
    if kind == "rank":
        return "rank"
    mw = _measures().measure_words
    ukind = unit_kind(unit)
    said = words + indicator
    if ukind != "count":
        if seg.measure_class == "growth":
            return "growth"
        if seg.measure_class == "decline":
            return "decline"
    named = indicator_data().name_measure.get(indicator)
    if named:
        return named
    if ukind in ("percent", "percentage_points") and any(w in indicator for w in mw["share"]):
        return "share"
    new = bool(seg.increment) or any(w in said for w in mw["increment"] if w.startswith("新"))
    if not new and (seg.measure_class in ("level", "gt") or seg.cumulative):
        return "level"
    if ukind == "currency" and any(w in said for w in mw["amount"]):
        return "amount"
    if new or any(w in said for w in mw["increment"]):
        return "increment"
    return "count" if ukind == "count" else "level"


def _period(seg: Segment, indicator: str) -> str | None:
    if MONTH_RE.search(indicator):
        return "month"
    if seg.cumulative:
        return "cumulative"
    if seg.average:
        return "average"
    if seg.whole_year:
        return "year"
    return None


@dataclass
class ClauseReading:
    figures: list[Figure]
    problems: list[tuple[str, str]]  # (in English, in Chinese)


LIST_JOINERS = "、和及与"


def _list_separator(clause: str, start: int, end: int, mask: list[bool]) -> int | None:
    """The first 、 between ``start`` and ``end`` outside quotes."""
    for i in range(start, end):
        if clause[i] == "、" and not mask[i]:
            return i
    return None


def read_clause(clause: str, previous: list[Figure]) -> ClauseReading:
    """The figures of one clause (the text between two commas).

    ``previous`` are the figures of the clause before it in the same sentence: a clause with no
    indicator of its own (``，增长9.6%``; ``，均居全国首位``) speaks of theirs, and its ``start``
    is then -1 (its text starts in the clause before).
    """
    hits = find_hits(clause)
    mask = _protected(clause)
    figures: list[Figure] = []
    problems: list[tuple[str, str]] = []
    values = [h for h in hits if h.kind in ("value", "rank")]
    boundary = 0
    head: tuple[Segment, int] | None = None  # the head of the current 、-list: its segment, start
    consumed: set[int] = set()
    for idx, h in enumerate(hits):
        if idx in consumed:
            continue
        before = clause[boundary : h.start]
        continues = bool(figures) and bool(before) and before[0] in LIST_JOINERS
        if continues:
            before = before[1:]
        if h.kind == "prenoun":
            # 累计建设839个海外仓、总面积1210万平方米: the count, then what it counts.
            stop = _list_separator(clause, h.end, len(clause), mask) or len(clause)
            if any(h.start < v.start < stop for v in values):
                continue  # 1244个重大项目完成投资1297.6亿元: the count is part of the subject
            if re.search(r"[等每]$", before):
                continue  # 等5个城市 counts the names just listed; 每10万人 is a rate's base
            chained = continues and not before.strip()
            if before.strip() and not PRENOUN_VERB_RE.search(before):
                continue  # 制定…32条政策: a number in a name
            nxt = next((x for x in hits[idx + 1 :] if x.kind == "prenoun"), None)
            noun_end = stop
            if nxt is not None and nxt.num_start < noun_end:
                noun_end = nxt.num_start
                while noun_end > h.end and clause[noun_end - 1] in LIST_JOINERS:
                    noun_end -= 1
            seg = read_segment(before)
            start = boundary
            if chained and head is not None:
                seg.inherit(head[0])
                start = head[1]
            else:
                head = (seg, boundary)
            noun = clause[h.end : noun_end]
            figures.append(
                Figure(
                    indicator=noun,
                    value=h.value,
                    unit=h.unit,
                    measure=_measure(seg, noun, h.unit, "prenoun", words=before),
                    op=h.op,
                    start=start,
                    end=noun_end,
                    estimate=seg.estimate,
                    period="cumulative" if seg.cumulative else None,
                    year=seg.year,
                )
            )
            boundary = noun_end
            continue

        seg = read_segment(before, verb=h.verb)
        if h.verb and h.kind == "value":
            seg.measure_class = "level"  # 从X提高到Y: the level Y
        if h.kind == "rank" and h.verb and h.verb.startswith("均"):
            seg.each = True
        start = boundary
        if continues and head is not None:
            # 新增“雄鹰”企业50家、上市公司23家 — the 新增 of the head counts for every item.
            seg.inherit(head[0])
            start = head[1]
        else:
            head = (seg, boundary)
        group = [h]
        if seg.respectively:
            # 分别增长5.2%、7.3%: the values that follow, joined by 、 only.
            j = idx + 1
            while j < len(hits) and re.fullmatch(
                rf"[{LIST_JOINERS}]", clause[group[-1].end : hits[j].start]
            ):
                group.append(hits[j])
                consumed.add(j)
                j += 1
        boundary = group[-1].end
        if seg.comparison:
            continue  # 增速高于全省平均1个百分点: no level of the indicator
        indicator = seg.indicator
        if h.kind == "rank" and indicator.endswith(("排名", "排位")):
            indicator = indicator[:-2]
        if not indicator:
            # No indicator of its own: the one before it in this clause, or in the clause before.
            if figures:
                names = [figures[-1].indicator]
            elif seg.each:
                names = list(dict.fromkeys(f.indicator for f in previous))
                start = -1
            elif previous:
                names = [previous[-1].indicator]
                start = -1
            else:
                continue
            pairs = [(n, g) for n in names for g in group]
        else:
            if len(group) > 1:
                names = distribute(indicator, len(group))
                if names is None:
                    problems.append(
                        (
                            f"{len(group)} values for “{indicator}” but it does not list "
                            f"{len(group)} indicators; no result read",
                            f"“{indicator}”后有{len(group)}个数值，但没有列出{len(group)}个指标；"
                            "未读取结果",
                        )
                    )
                    continue
            else:
                before_name = (
                    figures[-1].indicator
                    if figures
                    else previous[-1].indicator
                    if previous
                    else None
                )
                names = [_attach(indicator, before_name)]
                if names[0] != indicator and not figures:
                    start = -1  # 占全国份额达15% speaks of the indicator of the clause before
            pairs = list(zip(names, group, strict=True))
        for name, g in pairs:
            measure = _measure(seg, name, g.unit, g.kind)
            if measure == "count" and clause.startswith("其中") and not figures:
                # 全省经营主体达1095.2万户、增长5.9%,其中企业380.8万户: a part of the total before
                measure = next(
                    (f.measure for f in reversed(previous) if unit_kind(f.unit) == "count"),
                    measure,
                )
            figures.append(
                Figure(
                    indicator=name,
                    value=g.value,
                    unit=g.unit,
                    measure=measure,
                    op=g.op if g.op != "eq" or seg.measure_class != "gt" else "gt",
                    start=start,
                    end=group[-1].end,
                    estimate=seg.estimate,
                    base=g.base,
                    period=_period(seg, name),
                    year=seg.year,
                    hedge=seg.hedge,
                )
            )
    return ClauseReading(figures, problems)


# --------------------------------------------------------------------------------------------
# Sentences and clauses


def split_spans(text: str, seps: str) -> list[tuple[int, int]]:
    """Spans of ``text`` between separators, never inside quotes or brackets."""
    spans = []
    depth = 0
    start = 0
    opening, closing = "“《「‘【（(", "”》」’】）)"
    for i, ch in enumerate(text):
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth = max(0, depth - 1)
        elif ch in seps and depth == 0:
            if i > start:
                spans.append((start, i))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


SENTENCE_SEPS = "。！？!?；;"
CLAUSE_SEPS = "，,：:"


@dataclass
class ReadFigure:
    figure: Figure
    text: str
    offset: int  # in the paragraph


def read_paragraph(text: str) -> tuple[list[ReadFigure], list[tuple[int, str, str]]]:
    """Every figure of a paragraph, with the text it was read from; and problems (offset, why,
    why in Chinese)."""
    out: list[ReadFigure] = []
    problems: list[tuple[int, str, str]] = []
    for s_start, s_end in split_spans(text, SENTENCE_SEPS):
        previous: list[Figure] = []
        prev_start = s_start
        for c_start, c_end in split_spans(text[s_start:s_end], CLAUSE_SEPS):
            a, b = s_start + c_start, s_start + c_end
            clause = text[a:b]
            reading = read_clause(clause, previous)
            for why, why_zh in reading.problems:
                problems.append((a, why, why_zh))
            for f in reading.figures:
                start = prev_start if f.start < 0 else a + f.start
                end = a + f.end
                while start < end and text[start] in " 、，,":
                    start += 1
                out.append(ReadFigure(f, text[start:end].strip(), start))
            if reading.figures:
                previous = reading.figures
                prev_start = a
    return out, problems


# --------------------------------------------------------------------------------------------
# Targets


RESPECTIVELY_TAIL_RE = re.compile(r"分别$")


def find_report_targets(sentence: str, year: int | None) -> list[Target]:
    """The targets of one sentence, by :func:`luoshi.targets.find_targets`, with two readings a
    report needs on top:

    - ``服务贸易、数字贸易、跨境电商出口分别增长6%、8%、20%``: the values go to the listed
      indicators in order, as in the results (:func:`distribute`), and each target's text is the
      whole list;
    - ``确保粮食播种面积稳定在9500万亩以上、总产720亿斤以上``: a bare measure noun (总产) takes
      the subject of the indicator before it (粮食总产), as in the results (:func:`_attach`).
    """
    from luoshi.targets import find_targets

    found = list(find_targets(sentence, year))
    out: list[Target] = []
    i = 0
    while i < len(found):
        t = found[i]
        name = t.indicator or ""
        if RESPECTIVELY_TAIL_RE.search(name):
            j = i + 1
            while j < len(found) and found[j].indicator == name:
                j += 1
            group = found[i:j]
            listed = name[: -len("分别")]
            names = distribute(listed, len(group))
            start = sentence.find(listed)
            last = group[-1].text
            end = sentence.find(last, start) + len(last) if start >= 0 else -1
            text = sentence[start:end] if start >= 0 and end > start else t.text
            for k, g in enumerate(group):
                indicator = names[k] if names else listed
                out.append(replace(g, indicator=indicator, text=text))
            i = j
            continue
        if out and name in indicator_data().dependent_nouns:
            t = replace(t, indicator=_attach(name, out[-1].indicator))
        out.append(t)
        i += 1
    return out


# --------------------------------------------------------------------------------------------
# The head: region, year, title


PROVINCES = (
    ("北京市", "北京"), ("天津市", "天津"), ("河北省", "河北"), ("山西省", "山西"),
    ("内蒙古自治区", "内蒙古"), ("辽宁省", "辽宁"), ("吉林省", "吉林"), ("黑龙江省", "黑龙江"),
    ("上海市", "上海"), ("江苏省", "江苏"), ("浙江省", "浙江"), ("安徽省", "安徽"),
    ("福建省", "福建"), ("江西省", "江西"), ("山东省", "山东"), ("河南省", "河南"),
    ("湖北省", "湖北"), ("湖南省", "湖南"), ("广东省", "广东"), ("广西壮族自治区", "广西"),
    ("海南省", "海南"), ("重庆市", "重庆"), ("四川省", "四川"), ("贵州省", "贵州"),
    ("云南省", "云南"), ("西藏自治区", "西藏"), ("陕西省", "陕西"), ("甘肃省", "甘肃"),
    ("青海省", "青海"), ("宁夏回族自治区", "宁夏"), ("新疆维吾尔自治区", "新疆"),
)  # fmt: skip


def find_region(text: str, named: str | None) -> str | None:
    """The province the report is of: the one its subtitle or title names, else the one the
    text names most (浙江 in 平安浙江, 浙江省跨境电商…), at least twice."""
    if named:
        for full, short in PROVINCES:
            if named in (full, short) or named.startswith(short):
                return full
    counts = []
    for full, short in PROVINCES:
        n = len(re.findall(short + r"(?!路|大学|日报)", text))
        if short == "江西":
            n -= text.count("浙江西")
        counts.append((n, full))
    n, full = max(counts)
    return full if n >= 2 else None


# --------------------------------------------------------------------------------------------
# Assembly


#: Where the year of a report was read, in Chinese (for ``year_conflict``).
YEAR_WHERE_ZH = {
    "the plan heading": "工作安排的标题",
    "the review heading (+1)": "回顾部分的标题（所回顾之年的次年）",
    "the targets": "目标段落",
    "the subtitle": "副标题",
    "the title": "标题",
}


def parse_report_lines(source: Source) -> Report:
    """The :class:`~luoshi.report.Report` in a source already known to be a work report."""
    warnings: list[ReportWarning] = []
    cleaned = clean_lines(source.lines)
    titles = [
        (line, c)
        for line, c in cleaned
        if c.kind in ("title", "furniture") and "政府工作报告" in c.text
    ]
    subtitles = [(line, c) for line, c in cleaned if c.kind == "subtitle" and c.data.get("year")]
    first_content = next(
        ((line, c) for line, c in cleaned if c.kind in ("content", "heading") and c.text), None
    )
    continued_from = next((c for _, c in cleaned if c.data.get("continued_from")), None)
    continues = [(line, c) for line, c in cleaned if c.data.get("continues")]

    paras = build_paragraphs(cleaned)
    sections = assign_sections(paras)

    # The year of the report: the year its plan is for (二、2025年目标任务和重点工作).
    year, how = None, None
    candidates: list[tuple[int, str, int]] = []
    for p in paras:
        m = YEAR_IN_RE.search(p.text)
        if m is None:
            continue
        part = classify_part(p.text) if p.heading == 1 else None
        if part in ("plan", "work"):
            candidates.append((int(m.group(1)), "the plan heading", p.line))
        elif part == "review":
            candidates.append((int(m.group(1)) + 1, "the review heading (+1)", p.line))
        elif not p.heading and p.kind == "targets":
            candidates.append((int(m.group(1)), "the targets", p.line))
    for line, c in subtitles:
        candidates.append((int(c.data["year"]), "the subtitle", line.number))
    for line, c in titles:
        if c.data.get("year"):
            candidates.append((int(c.data["year"][:4]), "the title", line.number))
    if candidates:
        year, how, _ = candidates[0]
        for other, where, line in candidates[1:]:
            if other != year:
                warnings.append(
                    ReportWarning(
                        "year_conflict",
                        line,
                        f"{where} says {other}, {how} says {year}; the report is read as {year}",
                        f"{YEAR_WHERE_ZH[where]}为{other}年，{YEAR_WHERE_ZH[how]}为{year}年；"
                        f"按{year}年的报告读取",
                    )
                )
                break
    else:
        warnings.append(
            ReportWarning("no_year", None, "no year of the report found", "未找到报告的年份")
        )

    named_region = next(
        (c.data.get("region") for _, c in subtitles + titles if c.data.get("region")), None
    )
    region = find_region(source.text, named_region)
    if region is None:
        warnings.append(
            ReportWarning(
                "no_region", None, "no province named in the text", "正文中没有提到所属省份"
            )
        )
    if source.text.count("全市") + source.text.count("我市") > 2 * (
        source.text.count("全省") + source.text.count("我省") + 1
    ):
        warnings.append(
            ReportWarning(
                "city_report",
                None,
                "the text speaks of 全市/我市: a city's report; region is the province it names most",
                "正文多称“全市”“我市”：是市级报告；所属地区取文中提到最多的省份",
            )
        )

    title = titles[0][1].text if titles else "政府工作报告"
    summary = bool(re.search(r"摘要|摘登|要点", title))
    first_is_heading = first_content is not None and (
        first_content[1].kind == "heading" or PREFACE_RE.match(first_content[1].text)
    )
    excerpt = bool(continued_from or continues) or (
        first_content is not None and not first_is_heading
    )
    if continued_from is not None:
        warnings.append(
            ReportWarning(
                "excerpt_start",
                paras[0].line if paras else None,
                f"the text starts in the middle of the report (紧接第{continued_from.data['continued_from']}版); "
                "what comes before is not in this file",
                f"正文从报告中间开始（紧接第{continued_from.data['continued_from']}版）；"
                "此前的内容不在本文件中",
            )
        )
    for line, c in continues:
        warnings.append(
            ReportWarning(
                "excerpt_end",
                line.number,
                f"the text goes on elsewhere (下转第{c.data['continues']}版); what follows is not in this file",
                f"正文转至别处（下转第{c.data['continues']}版）；后文不在本文件中",
            )
        )

    review_year = year - 1 if year else None
    results: list[Result] = []
    targets: list[ReportTarget] = []
    livelihood: list[LivelihoodItem] = []
    for p in paras:
        if p.heading:
            continue
        if p.kind == "review":
            figures, problems = read_paragraph(p.text)
            for offset, why, why_zh in problems:
                warnings.append(ReportWarning("values_unmatched", p.line_at(offset), why, why_zh))
            for rf in figures:
                f = rf.figure
                results.append(
                    Result(
                        text=rf.text,
                        indicator=f.indicator,
                        value=f.value,
                        unit=f.unit,
                        measure=f.measure,
                        year=f.year or review_year,
                        line=p.line_at(rf.offset),
                        estimate=f.estimate,
                        op=f.op,
                        base=f.base,
                        period=f.period,
                        canonical=resolve_indicator(f.indicator),
                    )
                )
        elif p.kind in ("targets", "work", "livelihood"):
            body = p.text
            offset0 = 0
            if p.kind == "livelihood" and (m := LIVELIHOOD_ITEM_RE.match(body)):
                number = m.group("num") or m.group("pnum")
                rest = body[m.end() :]
                category = None
                if (c := CATEGORY_RE.match(rest)) is not None:
                    category = c.group("cat")
                    rest = rest[c.end() :]
                offset0 = len(body) - len(rest)
                for a, b in split_spans(rest, "。！？"):
                    sentence = rest[a:b].strip()
                    if sentence:
                        livelihood.append(
                            LivelihoodItem(
                                category=category,
                                text=sentence,
                                line=p.line_at(offset0 + a),
                                number=_cn_number(number) if number else None,
                            )
                        )
            for a, b in split_spans(body, "。！？；;"):
                sentence = body[a:b]
                for t in find_report_targets(sentence, year):
                    where = body.find(t.text, a) if t.text else -1
                    targets.append(
                        ReportTarget(
                            target=t,
                            year=year,
                            line=p.line_at(where if where >= 0 else a),
                            main=p.kind == "targets",
                            section=p.kind,
                            canonical=resolve_indicator(t.indicator),
                        )
                    )
    return Report(
        source=source,
        document=ReportHead(
            kind="work_report",
            region=region,
            year=year,
            title=title,
            excerpt=excerpt,
            summary=summary,
        ),
        sections=tuple(sections),
        results=tuple(results),
        targets=tuple(targets),
        livelihood=tuple(livelihood),
        warnings=tuple(warnings),
    )
