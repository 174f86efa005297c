"""The target grammar: every quantitative commitment (量化指标) and deadline (完成时限) in a text.

::

    find_targets("力争实际使用外资200亿美元以上，其中制造业外资占比超过29%。")
    → Target(text="力争实际使用外资200亿美元以上", indicator="实际使用外资", op="ge",
             value=Decimal("200"), unit="亿美元", measure="level", hedge="力争"),
      Target(text="其中制造业外资占比超过29%", indicator="制造业外资占比", op="gt",
             value=Decimal("29"), unit="%", measure="share", hedge="力争")
    find_deadlines("确保新建项目 10 月底前全部开工", 2024) → ("2024-10-31",)
    parse_number("十五") → Decimal("15");  parse_number("1.2万") → Decimal("1.2")

The grammar is our own (stdlib ``re`` and ``Decimal``; cn2an reads Chinese numerals only). Its
words — unit words of measure, scale words, comparators, measure words, hedges, names that carry
numbers — are data, in ``luoshi/data/measures.yaml``, each with the seeds it was seen in.

How a text is read
------------------
The text is folded (full-width digits, ％, （）, ～, ＋ to ASCII) and its whitespace dropped, so
``增长 5.5% 左右`` reads as ``增长5.5%左右``; ``Target.text`` is still the clause as written.
Quoted text (“…”, "…", 「…」, 《…》) is masked: a number inside quotes is a name, never a target
(“315”, “8+4”, “3个70%”, “141”, “415X”, “双尖双领 + X”, “4+1”, “十五五”, “保 7 争 6”). The
``names`` patterns of measures.yaml mask the same names written without quotes (双一流196工程,
民营经济32条, 8+4, 3个70%, 3张项目清单, 2.0版).

A sentence ends at 。；！？; a clause at ，：; an item of a list at 、 (not inside parentheses).

A **quantity** is ``[comparator] number [range] unit [comparator]``:

* number: ``5.5``, ``1,000``, ``1.2`` (of 1.2万家), a Chinese numeral (``十五``, ``两万``, ``三千``,
  ``百分之五``). A number touching a Latin letter or another digit is a name (5G, PM2.5, G60,
  415X); a number after 第 is an ordinal (第六届, 第十五届). A Chinese numeral of one character needs
  a scale word (两万家 is read; 一期, 四条诗路, 金七门, 两个毫不动摇, 最后一公里 are words, not
  numbers; the notices write counts in Arabic numerals, as GB/T 15835 asks); runs of digits
  without a place word (八八, 二〇二四) are not numerals.
* unit: a unit word of measures.yaml, optionally after a scale word (万家, 亿美元, 万千瓦, 万标箱,
  万元/人); a scale word alone (80 万重点群体). ``unit`` keeps the scale word and ``value`` the
  number as written (1.2 万家 → 1.2, "万家"). A number without a unit word is not a target (2024年,
  10月, 20周年, 30年, 数字政府 2.0, 1.83 倍差). A number followed by 岁/周岁 is a population
  qualifier, not a target (60 岁以上老年人, 0—6 岁儿童, 13—14 岁女生): the unit says so, wherever
  it stands.
* comparator (``op``): 以上/及以上/不低于/不少于/至少 → ``ge``; 超过/超/突破/高于/多于/大于 → ``gt``;
  以内/以下/不高于/不超过/控制在/压缩至/降至 → ``le``; 低于/少于/不足 → ``lt``; 左右/约/接近 → ``approx``;
  a range ``5%—5.5%``, ``5%-5.5%``, ``5%～5.5%``, ``5%至5.5%``, ``5—5.5%``, ``2—3家`` → ``between``
  with ``(low, high)``; nothing → ``eq`` (a plain amount: 安排省级财政资金1023.6亿元). When words
  are written before and after, the one after wins (高于全省平均2个百分点以上 → ge 2 个百分点).
  控制在 and the cutting verbs (压缩至, 降至) are ceilings: ``le`` even without 以内.
* rank: 居全国第3位 → eq 3 位; 进入全国前10位 → le 10 位 (measure ``rank``).

Numbers that do not commit to anything are dropped:

* a count directly before a noun of instruments (清单, 政策包, 政策, 措施, 不准: 优化 8 个政策包和
  4 张要素保障清单, 民营经济32条政策, 7个不准);
* an attribute: a quantity followed by 的 (建成年产值超 10 亿元的“土特产”全产业链 100 条 → only 100
  条), or a quantity whose item goes on to a predicate and a second number (10亿元以上产业链达到15条
  → only 15 条);
* a denominator (配置AED达每10万人45台 → only 45 台) and a number run into another number
  (3个70%).

Lists and what they share
-------------------------
* One comparator after the last item of a 、-list closes the whole list: every item of that list
  written without a comparator takes it (新增“雄鹰”企业 30 家、上市公司 50 家、…、专精特新“小巨人”
  企业 300 家以上 → four ``ge``). This is how official Chinese writes a shared bound. Items
  separated by ，are separate clauses and share nothing (新增科技领军企业 10 家、…、科技型中小企业
  1.2 万家,新建省级创新联合体 10 家以上 → four ``eq`` and one ``ge``). The rule is applied as
  written, also to 服务贸易增长6%、数字贸易增长8%以上 (both ``ge``).
* An item without a noun of its own takes the previous item's indicator (新开工改造城镇老旧小区
  450 个、4200 栋); an item whose own words say nothing about the measure takes the previous item's
  measure when the units are of one kind (新增科技领军企业 10 家、科技小巨人企业 100 家 → both
  ``increment``; 比例职工达85%、城乡居民达69% → both ``share``).
* An item of the list without any number belongs to its neighbour (为 1 万名困境、留守儿童…;
  举办“村BA”、村跑等全民健身赛事活动 1 万场), unless it opens a predicate of its own with one of the
  ``clause_verbs`` of measures.yaml (深化入境游全链条便利化改革、入境过夜游客人数增长10%以上 →
  indicator 入境过夜游客人数).
* A hedge (力争, 确保) at the head of a clause applies to every item of the clause and to a 其中
  clause that follows it (力争实际使用外资200亿美元以上，其中制造业外资占比超过29%).
* ``by``: 到2030年 applies from where it is written to the end of the sentence (→ "2030"); a year
  or a deadline at the head of a clause frames that clause (其中 2024 年完成 2000 座以上 → "2024";
  2025年6月底前完成改造50个 → "2025-06-30"); otherwise a deadline in the clause (10月底前 → the ISO
  date). A year written as a base (较2015年下降20%) or a
  period (2024—2025 年) is not a horizon.

What the number measures (``measure``), tried in this order
-----------------------------------------------------------
1. ``growth`` / ``decline``: 增长, 增速, 增幅, 涨幅, 上涨, 提高 / 下降, 降低, 减少, 压减 right before
   the number (增长5.5%左右, 居民消费价格涨幅3%左右, 较上年下降3分/千瓦时以上); not for a count
   (整合提升 1000 个民生服务综合体 is an increment).
2. ``margin``: a comparison with a reference that is not next to the number (省属国有企业研发投入
   增速高于全省平均2个百分点以上; the indicator keeps the reference).
3. ``share``: the unit is % or 个百分点 and the indicator names a proportion or rate (率, 覆盖率, 占比,
   比重, 比例, 份额, 强度, 之比, 占): 城镇调查失业率5%以内, 研发投入强度达到3.2%.
4. ``level``: a total — 达到, 达, 为, 保持在, 提高到, 累计 … right before the number or its comparator
   (宁波舟山港集装箱吞吐量达到4500万标箱, “土特产富”全产业链总产值达到3500亿元), and 控制在/压缩至;
   but an indicator saying 新增/新建/新开工… (the words of step 5 that begin with 新) is an
   increment even with 达到 (新增危险废物利用处置能力达到30万吨/年).
5. ``amount`` (money only): arranged, invested or moved — 安排, 投资, 投入, 撬动, 减负 … (安排省级
   财政资金1023.6亿元, 完成年度投资 1 万亿元以上).
6. ``increment``: a count or quantity made within the period — 新增, 新建, 新开工, 完成, 培育, 建设,
   改造, 实施, 举办, 打造, 引育 … anywhere in the indicator (新增科技领军企业 10 家, 建设高标准农田
   78 万亩以上, 城镇新增就业 100 万人以上, 新增无还本续贷 5000 亿元以上). 新增 stays in the
   indicator.
7. otherwise ``count`` for a count unit (待遇享受人数 23 万人以上) and ``level`` for any other
   (实际使用外资200亿美元以上, 确保粮食播种面积1530万亩).
``rank`` is set by the rank rule. Steps 4 and 7 are weak: a list item with only a weak signal takes
the previous item's measure (see above), and a 其中 clause the measure of the clause before it
(新增电力装机 1800 万千瓦,其中非化石能源装机 1000 万千瓦 → both ``increment``). ``margin`` and
``increment`` are measures beyond the model's first list: a verdict must tell a total from an
increment, and a margin from a level.

``indicator`` is the noun phrase before the number with the hedge, connectives (其中, 同时), a
framing year or deadline, fillers (共, 分别) and the measure word removed (力争实际使用外资200亿美元以上 → 实际使用外资; 生产总值
增长5.5%左右 → 生产总值). When the number comes first (引育 1000 名乡村运营人才; 打造40个重点消费品
产业集群) the words after it are added (引育乡村运营人才). An indicator that is only a verb (其中
2024 年完成 2000 座以上) is taken from the previous clause (对全省所有未达标单村水站进行改造).
Spacing is dropped from indicators.

Deadlines (:func:`find_deadlines`)
----------------------------------
``10月底前`` → year-10-31; ``6月15日前`` → year-06-15; ``6月前`` → year-05-31 (before June);
``年底前``/``年底``/``年末``/``年内`` → year-12-31; ``上半年`` → year-06-30; ``下半年`` → year-12-31;
``三季度末``/``第三季度`` → year-09-30; ``2025年6月底前`` → 2025-06-30; ``2025年底前`` and
``到2030年`` → the year's 12-31. A year alone (2024 年), a date without 前/底 (2024年2月2日, the
signing date) and a period (2024—2025 年) are not deadlines; neither is a year outside 1900–2199.
Forms without a year need the notice's year and are skipped when it is None.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from luoshi.errors import LuoshiError, ParseError
from luoshi.model import Target

__all__ = [
    "Measures",
    "find_deadlines",
    "find_targets",
    "load_measures",
    "parse_number",
]

OPS = ("ge", "gt", "le", "lt", "approx", "between", "eq")
MEASURES = ("growth", "decline", "margin", "share", "level", "increment", "amount", "count", "rank")
SEEDS = ("000", "001", "002", "003", "004")

# ------------------------------------------------------------------------------------------
# The data


@dataclass(frozen=True)
class Measures:
    """measures.yaml, validated. Words are stored folded (see :func:`_fold`)."""

    scales: tuple[str, ...]
    units: dict[str, str]  # every spelling → the unit word
    unit_kinds: dict[str, str]  # unit word → kind
    kinds: tuple[str, ...]
    qualifiers: tuple[str, ...]
    before: dict[str, str]  # comparator word → op
    after: dict[str, str]
    range_seps: tuple[str, ...]
    hedges: tuple[str, ...]
    connectives: tuple[str, ...]
    fillers: tuple[str, ...]
    clause_verbs: tuple[str, ...]
    measure_words: dict[str, tuple[str, ...]]
    structure_nouns: tuple[str, ...]
    names: tuple[str, ...]  # regular expressions


def _seen(record: dict, where: str) -> None:
    seen = record.get("seen")
    if not isinstance(seen, list) or any(s not in SEEDS for s in seen):
        raise LuoshiError(f"measures.yaml: {where}: `seen` must list seed ids of {SEEDS}")


def load_measures(path: str | Path | None = None) -> Measures:
    """Load and validate measures.yaml (the package's own when ``path`` is None).

    Raises :class:`~luoshi.errors.LuoshiError` naming the record when a word is repeated, a kind
    or an op is unknown, a record has no ``seen`` list, a ``names`` pattern does not compile or
    match its example, or a section is missing.
    """
    if path is None:
        raw = resources.files("luoshi").joinpath("data/measures.yaml").read_text("utf-8")
    else:
        raw = Path(path).read_text("utf-8")
    try:
        return _measures(yaml.safe_load(raw))
    except (KeyError, TypeError, AttributeError) as e:
        raise LuoshiError(
            f"measures.yaml: a section or field is missing or malformed ({e!r})"
        ) from e


def _measures(data: dict) -> Measures:
    def fail(msg: str) -> LuoshiError:
        return LuoshiError(f"measures.yaml: {msg}")

    kinds = tuple(data["kinds"])
    scales = []
    for rec in data["scales"]:
        _seen(rec, f"scale {rec.get('word')}")
        scales.append(_fold(rec["word"]))
    units: dict[str, str] = {}
    unit_kinds: dict[str, str] = {}
    for rec in data["units"]:
        word = _fold(str(rec["word"]))
        _seen(rec, f"unit {word}")
        if rec.get("kind") not in kinds:
            raise fail(f"unit {word}: unknown kind {rec.get('kind')!r}")
        if word in unit_kinds:
            raise fail(f"unit {word} is listed twice")
        unit_kinds[word] = rec["kind"]
        for spelling in [word, *(_fold(a) for a in rec.get("also", []))]:
            if spelling in units and units[spelling] != word:
                raise fail(f"spelling {spelling} belongs to two units")
            units[spelling] = word
    qualifiers = []
    for rec in data["qualifiers"]:
        _seen(rec, f"qualifier {rec.get('word')}")
        qualifiers.append(rec["word"])
    comparators = data["comparators"]
    before, after = {}, {}
    for side, table in (("before", before), ("after", after)):
        for rec in comparators[side]:
            _seen(rec, f"comparator {rec.get('word')}")
            if rec.get("op") not in OPS:
                raise fail(f"comparator {rec.get('word')}: unknown op {rec.get('op')!r}")
            if rec["word"] in table:
                raise fail(f"comparator {rec['word']} is listed twice")
            table[rec["word"]] = rec["op"]
    hedges = []
    for rec in data["hedges"]:
        _seen(rec, f"hedge {rec.get('word')}")
        hedges.append(rec["word"])
    measure_words = {}
    for name, words in data["measures"].items():
        if name not in MEASURES:
            raise fail(f"unknown measure {name!r}")
        measure_words[name] = tuple(_fold(w) for w in words)
    structure = []
    for rec in data["structure_nouns"]:
        _seen(rec, f"structure noun {rec.get('word')}")
        structure.append(rec["word"])
    names = []
    for rec in data["names"]:
        _seen(rec, f"name {rec.get('example')}")
        try:
            pattern = re.compile(rec["regex"])
        except re.error as e:
            raise fail(f"name {rec.get('example')}: bad regex ({e})") from None
        if not pattern.search(re.sub(r"\s+", "", _fold(rec["example"]))):
            raise fail(f"name {rec['example']}: the regex does not match its example")
        names.append(rec["regex"])
    return Measures(
        scales=tuple(scales),
        units=units,
        unit_kinds=unit_kinds,
        kinds=kinds,
        qualifiers=tuple(qualifiers),
        before=before,
        after=after,
        range_seps=tuple(_fold(s) for s in comparators["range"]),
        hedges=tuple(hedges),
        connectives=tuple(data["connectives"]),
        fillers=tuple(data["fillers"]),
        clause_verbs=tuple(data["clause_verbs"]),
        measure_words=measure_words,
        structure_nouns=tuple(structure),
        names=tuple(names),
    )


# ------------------------------------------------------------------------------------------
# Folding and numbers

_FOLD_TABLE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "％": "%",
        "﹪": "%",
        "（": "(",
        "）": ")",
        "～": "~",
        "＋": "+",
        "．": ".",
        "－": "-",
        "〇": "零",
    }
)
_SPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def _fold(s: str) -> str:
    """Same-length folding of full-width forms (digits, ％, （）, ～, ＋) to ASCII."""
    return s.translate(_FOLD_TABLE)


_CN_DIGITS = "零一二两三四五六七八九"
_CN_PLACES = "十百千万亿"
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_CN_RUN = rf"[{_CN_DIGITS}十][{_CN_DIGITS}{_CN_PLACES}点]*"
_ARABIC_FULL = re.compile(rf"({_ARABIC})(万亿|亿|万|千)?")
_CN_FULL = re.compile(_CN_RUN)


@lru_cache(maxsize=4096)
def _cn_value(run: str) -> Decimal | None:
    """A Chinese numeral (十五, 两万, 五点五) as a Decimal; None when it is not one.

    Runs of bare digits (八八, 二零二四) are not numerals in prose; cn2an would read them.
    """
    if len(run) > 1 and not any(ch in _CN_PLACES for ch in run) and "点" not in run:
        return None
    import cn2an  # only here: most texts write numbers in Arabic numerals

    try:
        value = cn2an.cn2an(run, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return Decimal(str(value))


def parse_number(s: str) -> Decimal:
    """The numeral of a quantity as a Decimal, the scale word left out.

    ``"1.2"`` → 1.2, ``"1,000"`` → 1000, ``"1.2万"`` → 1.2 (the scale word belongs to the unit:
    1.2万家 is value 1.2, unit 万家), ``"三"`` → 3, ``"十五"`` → 15, ``"两"`` → 2, ``"两万"`` →
    20000 (a Chinese numeral is read whole: its 万 is a digit position), ``"百分之五"`` → 5,
    ``"五点五"`` → 5.5. Raises :class:`~luoshi.errors.ParseError` for anything else (``""``,
    ``"万"``, ``"十五五"``, ``"5G"``).
    """
    t = _SPACE.sub("", _fold(s))
    m = _ARABIC_FULL.fullmatch(t)
    if m:
        return Decimal(m.group(1).replace(",", ""))
    if t.startswith("百分之"):
        t = t[3:]
    if _CN_FULL.fullmatch(t):
        value = _cn_value(t)
        if value is not None:
            return value
    raise ParseError(f"not a number: {s!r}")


# ------------------------------------------------------------------------------------------
# The compiled grammar


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Grammar:
    m: Measures
    number: re.Pattern
    arabic_at: re.Pattern
    unit: re.Pattern
    after: re.Pattern
    before_words: tuple[str, ...]
    names: re.Pattern
    rank: re.Pattern
    head_year: re.Pattern
    horizon: re.Pattern


@cache
def _grammar() -> _Grammar:
    m = load_measures()
    units = _alt(m.units)
    scales_with_unit = _alt(m.scales)
    bare_scales = _alt(s for s in m.scales if s != "千")
    number = re.compile(
        rf"(?P<ar>(?<![\dA-Za-z.\ue000+第]){_ARABIC}(?![\dA-Za-z]))"
        rf"|(?P<pc>百分之[{_CN_DIGITS}十百千点]+)"
        rf"|(?P<cn>(?<![第{_CN_DIGITS}{_CN_PLACES}]){_CN_RUN})"
    )
    return _Grammar(
        m=m,
        number=number,
        arabic_at=re.compile(rf"(?<![\dA-Za-z]){_ARABIC}(?![\dA-Za-z])"),
        unit=re.compile(
            rf"(?P<scale>{scales_with_unit})?(?P<unit>{units})|(?P<bare>{bare_scales})"
        ),
        after=re.compile(_alt(m.after)),
        before_words=tuple(sorted(m.before, key=len, reverse=True)),
        names=re.compile("|".join(f"(?:{n})" for n in m.names)),
        rank=re.compile(
            r"(?:跃居|位居|位列|居于|居|排名|排在|进入|保持)(?:全国|全省|全球|世界|国内|全国同类城市)?"
            rf"(?P<kind>第|前)(?P<n>\d+|[{_CN_DIGITS}十]+)(?:位|名)?"
        ),
        head_year=re.compile(r"(?:到|至|在)?(\d{4})(?:[—–―\-~至](\d{4}))?年(?:底|末)?(?:前)?"),
        horizon=re.compile(r"(?:到|至)(\d{4})年"),
    )


_QUOTES = re.compile(
    r"“[^“”。；;！？]{0,40}”|\"[^\"。；;！？]{0,40}\"|「[^「」]{0,40}」|《[^《》]{0,60}》|‘[^‘’]{0,40}’"
)
_MASK = "\ue000"
_APPROX_WORDS = set("节集制契预公条签特邀履违合相")  # 节约, 集约, 制约 …: 约 is not "about" there


@dataclass
class _Prepared:
    original: str
    c: str  # folded, without whitespace
    m: str  # c with quoted text and names masked (same length)
    idx: list[int]  # position in c → position in original

    def source(self, start: int, end: int) -> str:
        """The original text of c[start:end], as written (spaces kept)."""
        if start >= end:
            return ""
        return self.original[self.idx[start] : self.idx[end - 1] + 1]


def _prepare(text: str, g: _Grammar) -> _Prepared:
    folded = _fold(text)
    parts, idx = [], []
    for run in re.finditer(r"[^\s\u200b\u200c\u200d\u2060\ufeff]+", folded):
        parts.append(run.group())
        idx.extend(range(run.start(), run.end()))
    c = "".join(parts)
    chars = list(c)
    for q in _QUOTES.finditer(c):
        for i in range(q.start() + 1, q.end() - 1):
            chars[i] = _MASK
    masked = "".join(chars)
    if g.m.names:
        chars = list(masked)
        for n in g.names.finditer(masked):
            for i in range(n.start(), n.end()):
                chars[i] = _MASK
        masked = "".join(chars)
    return _Prepared(text, c, masked, idx)


# ------------------------------------------------------------------------------------------
# Quantities


@dataclass
class _Q:
    start: int  # comparator before, or the number
    num: int  # the number
    end: int  # after the comparator after (or the unit)
    value: Any
    unit: str
    kind: str
    pre: str | None = None
    post: str | None = None
    op: str = "eq"
    measure: str | None = None  # forced (rank)
    qualifier: bool = False


def _read_unit(g: _Grammar, m: str, p: int) -> tuple[str, str, int] | None:
    """(unit as the target writes it, kind, end) for the unit at p, or None."""
    u = g.unit.match(m, p)
    if not u:
        return None
    if u.group("bare"):
        return u.group("bare"), "count", u.end()
    word = g.m.units[u.group("unit")]
    return (u.group("scale") or "") + word, g.m.unit_kinds[word], u.end()


def _read_quantity(g: _Grammar, m: str, nm: re.Match) -> tuple[_Q | None, int]:
    """The quantity whose number nm is, or None; and the position scanning may go on from."""
    md = g.m
    p = nm.end()
    unit = kind = None
    chinese_single = False
    if nm.group("ar"):
        value: Any = Decimal(nm.group("ar").replace(",", ""))
    elif nm.group("pc"):
        run = nm.group("pc")[3:]
        value = Decimal(100) if run == "百" else _cn_value(run)  # 百分之百
        if value is None:
            return None, p
        unit, kind = "%", "percent"
    else:
        run = nm.group("cn")
        for s in ("万亿", "亿", "万"):
            if run.endswith(s) and len(run) > len(s):
                run = run[: -len(s)]
                p = nm.start() + len(run)
                break
        value = _cn_value(run)
        if value is None:
            return None, nm.end()
        chinese_single = len(run) == 1
    if any(m.startswith(w, p) for w in md.qualifiers):
        return None, p  # 60 岁以上老年人: who a measure is for, not what it commits to
    if unit is None:
        read = _read_unit(g, m, p)
        low_unit = None
        if read:
            unit, kind, p = read
            low_unit = unit
        # a range: 5%—5.5%, 5—5.5%, 2—3家 (Arabic numerals only)
        if nm.group("ar") and p < len(m) and m[p] in md.range_seps:
            n2 = g.arabic_at.match(m, p + 1)
            if n2:
                read2 = _read_unit(g, m, n2.end())
                high = Decimal(n2.group().replace(",", ""))
                if read2 and (low_unit is None or low_unit == read2[0]):
                    unit, kind, p = read2
                    value = (value, high)
                elif low_unit is None:
                    # 2024—2025 年, 13—14 岁: no unit, no target; skip both numbers
                    return None, n2.end()
        if unit is None:
            return None, p
        if chinese_single and not unit.startswith(md.scales):
            # 一期, 四条诗路, 两个毫不动摇, 最后一公里: a word, not a count
            return None, p
    unit_end = p
    post = None
    a = g.after.match(m, p)
    if a:
        post = a.group()
        p = a.end()
    if kind == "count" and any(m.startswith(w, unit_end) for w in md.structure_nouns):
        return None, p  # 8 个政策包, 7个不准, 32条政策: a set of instruments, not a commitment
    if p < len(m) and m[p].isdigit():
        return None, p  # 3个70%: a name
    start = nm.start()
    if m.endswith("每", 0, start):
        return None, p  # 每10万人45台: a denominator
    pre = None
    for w in g.before_words:
        if m.endswith(w, 0, start):
            if w == "约" and start >= 2 and m[start - 2] in _APPROX_WORDS:
                continue
            pre = w
            start -= len(w)
            break
    if isinstance(value, tuple):
        op = "between"
    elif post:
        op = md.after[post]
    elif pre:
        op = md.before[pre]
    else:
        op = "eq"
    q = _Q(start, nm.start(), p, value, unit, kind, pre, post, op)
    if m.startswith("的", p):
        q.qualifier = True  # 年产值超 10 亿元的“土特产”全产业链: an attribute
    return q, p


def _quantities(g: _Grammar, m: str) -> list[_Q]:
    out: list[_Q] = []
    pos = 0
    for nm in g.number.finditer(m):
        if nm.start() < pos:
            continue
        q, pos = _read_quantity(g, m, nm)
        if q is not None:
            out.append(q)
    for r in g.rank.finditer(m):
        n = r.group("n")
        value = Decimal(n) if n.isdigit() else _cn_value(n)
        if value is None:
            continue
        op = "eq" if r.group("kind") == "第" else "le"
        out.append(_Q(r.start(), r.start("n"), r.end(), value, "位", "rank", op=op, measure="rank"))
    out.sort(key=lambda q: q.num)
    return out


# ------------------------------------------------------------------------------------------
# Sentences, clauses, items

_SEPARATORS = re.compile(r"[。；;！？!?，,：:、()\[\]【】]")


@dataclass
class _Item:
    start: int
    end: int
    qs: list[_Q] = field(default_factory=list)


@dataclass
class _Clause:
    start: int
    end: int
    items: list[_Item]


def _sentences(m: str) -> list[list[_Clause]]:
    sentences: list[list[_Clause]] = []
    clauses: list[_Clause] = []
    items: list[_Item] = []
    item_start = clause_start = 0
    depth = 0

    def close_item(end: int) -> None:
        nonlocal item_start
        items.append(_Item(item_start, end))
        item_start = end + 1

    def close_clause(end: int) -> None:
        nonlocal clause_start, items
        close_item(end)
        clauses.append(_Clause(clause_start, end, items))
        items = []
        clause_start = end + 1

    for sep in _SEPARATORS.finditer(m):
        ch, i = sep.group(), sep.start()
        if ch in "([【":
            depth += 1
        elif ch in ")]】":
            depth = max(0, depth - 1)
        elif ch in "。；;！？!?":
            close_clause(i)
            sentences.append(clauses)
            clauses = []
            depth = 0
        elif ch in "，,：:" and depth == 0:
            if (
                ch == ","
                and 0 < i < len(m) - 3
                and m[i - 1].isdigit()
                and m[i + 1 : i + 4].isdigit()
            ):
                continue  # 1,000
            close_clause(i)
        elif ch == "、" and depth == 0:
            close_item(i)
    close_clause(len(m))
    sentences.append(clauses)
    return sentences


def _merge_items(c: str, items: list[_Item], clause_verbs) -> list[_Item]:
    """Items without a number join their neighbour: the next before the first number, else the
    previous (为 1 万名困境、留守儿童…; 举办“村BA”、村跑等全民健身赛事活动 1 万场). An item before the
    first number that opens a predicate of its own (深化…改革、) is left out."""
    merged: list[_Item] = []
    pending: int | None = None
    for it in items:
        if not it.qs:
            if merged:
                merged[-1].end = it.end
            elif any(c.startswith(v, it.start) for v in clause_verbs):
                pending = None
            elif pending is None:
                pending = it.start
            continue
        if pending is not None:
            it.start = pending
            pending = None
        merged.append(it)
    return merged


# ------------------------------------------------------------------------------------------
# Meaning


def _ends(s: str, words, whole: bool = False) -> str | None:
    """The longest of ``words`` that ``s`` ends with (and is more than, unless ``whole``)."""
    for w in sorted(words, key=len, reverse=True):
        if s.endswith(w) and (whole or len(s) > len(w)):
            return w
    return None


_TRIM = "，,、：:；;。 "


@dataclass
class _Head:
    start: int
    hedge: str | None = None
    by: str | None = None  # a framing year ("2024") or a deadline ("2025-06-30")


def _head(g: _Grammar, c: str, start: int, end: int, year: int | None) -> _Head:
    """Strip connectives, a hedge and a framing year or deadline from the head of a clause."""
    h = _Head(start)
    changed = True
    while changed and h.start < end:
        changed = False
        for w in g.m.connectives:
            if c.startswith(w, h.start, end) and h.start + len(w) < end:
                h.start += len(w)
                changed = True
        for w in g.m.hedges:
            if c.startswith(w, h.start, end):
                h.hedge = h.hedge or w
                h.start += len(w)
                changed = True
        d = _DEADLINE.match(c, h.start, end)
        if d and d.group() and d.end() < end:
            dates = find_deadlines(d.group(), year)
            if dates:  # 2025年6月底前完成改造50个, 年底前完成…
                h.by = h.by or dates[0]
                h.start = d.end()
                changed = True
                continue
        y = g.head_year.match(c, h.start, end)
        if y and y.end() < end:
            if not y.group(2):  # 2024—2025 年 is a period, not a horizon
                h.by = h.by or y.group(1)
            h.start = y.end()
            changed = True
    return h


def _measure_of(g: _Grammar, q: _Q, core: str, indicator: str) -> tuple[str, str, bool]:
    """(measure, indicator core without the measure word, weak?)"""
    mw = g.m.measure_words
    if q.measure:
        return q.measure, core, False
    if q.kind != "count":  # 整合提升 1000 个民生服务综合体 is not a growth
        w = _ends(core, mw["growth"], whole=True)
        if w:
            return "growth", core[: -len(w)], False
        w = _ends(core, mw["decline"], whole=True)
        if w:
            return "decline", core[: -len(w)], False
    level = _ends(core, mw["level"])
    if level:
        core = core[: -len(level)]
    filler = _ends(core, g.m.fillers)
    if filler:
        core = core[: -len(filler)]
    if q.pre is None and any(x in core for x in mw["margin"]):
        return "margin", core, False
    if q.kind in ("percent", "percentage_points") and any(x in indicator for x in mw["share"]):
        return "share", core, False
    new = any(x in indicator for x in mw["increment"] if x.startswith("新"))
    if not new and (level or "累计" in indicator or (q.pre and q.op == "le" and not q.post)):
        return "level", core, True
    # money: 完成年度投资 1 万亿元 is an amount, not an increment
    if q.kind == "currency" and any(x in indicator for x in mw["amount"]):
        return "amount", core, False
    if any(x in indicator for x in mw["increment"]):
        return "increment", core, False
    return ("count" if q.kind == "count" else "level"), core, True


def find_targets(text: str, year: int | None = None) -> list[Target]:
    """Every quantitative commitment in ``text``, in the order written.

    ``year`` is the notice's year, used for deadlines without one (10月底前) in ``by``. See the
    module docstring for the rules. A text with no commitment gives ``[]``; nothing raises.
    """
    if not text:
        return []
    g = _grammar()
    prep = _prepare(text, g)
    c, m = prep.c, prep.m
    qs = _quantities(g, m)
    if not qs:
        return []
    nums = [q.num for q in qs]
    out: list[Target] = []
    for clauses in _sentences(m):
        if not clauses:
            continue
        s_start, s_end = clauses[0].start, clauses[-1].end
        lo, hi = bisect.bisect_left(nums, s_start), bisect.bisect_left(nums, s_end)
        if lo == hi:
            continue
        horizons = [(h.start(), h.group(1)) for h in g.horizon.finditer(c, s_start, s_end)]
        prev_hedge: str | None = None
        prev_clause_text: str | None = None
        last_measure: tuple[str, str] | None = None
        for clause in clauses:
            head = _head(g, c, clause.start, clause.end, year)
            if c.startswith("其中", clause.start) and head.hedge is None:
                head.hedge = prev_hedge
            for it in clause.items:
                a = bisect.bisect_left(nums, it.start)
                b = bisect.bisect_left(nums, it.end)
                it.qs = qs[a:b]
            items = _merge_items(c, clause.items, g.m.clause_verbs)
            if not items:
                prev_hedge = head.hedge
                prev_clause_text = _clause_words(c, head.start, clause.end)
                continue
            _mark_qualifiers(g, c, items)
            _close_list(items)
            # (measure, unit kind) of the previous quantity; a 其中 clause continues the one before
            prev_measure = last_measure if c.startswith("其中", clause.start) else None
            prev_indicator: str | None = None
            for n, it in enumerate(items):
                real = [q for q in it.qs if not q.qualifier]
                item_start = max(head.start, it.start) if n == 0 else it.start
                text_of_item = prep.source(it.start, it.end).strip(_TRIM + " ")
                pos = item_start
                for k, q in enumerate(real):
                    nxt = real[k + 1].start if k + 1 < len(real) else it.end
                    seg = c[q.end : nxt]
                    if k + 1 < len(real):
                        # 完成100座病险水库和100公里干堤加固: the words up to 和 are this
                        # quantity's noun; the next quantity's words begin after it
                        j = min((seg.find(x) for x in "和及与、" if x in seg), default=-1)
                        suffix, after = (seg[:j], q.end + j + 1) if j >= 0 else ("", q.end)
                    else:
                        suffix, after = re.split(r"并|且|以便|从而", seg, maxsplit=1)[0], it.end
                    core = c[pos : q.start].strip(_TRIM)
                    measure, core, weak = _measure_of(g, q, core, core + suffix)
                    indicator = (core.strip(_TRIM) + suffix).strip(_TRIM)
                    if not indicator:
                        # 新开工改造城镇老旧小区 450 个、4200 栋: the item shares the noun
                        indicator = prev_indicator
                    elif indicator in g.m.measure_words["increment"] and n == k == 0:
                        # 其中 2024 年完成 2000 座以上: the previous clause says of what
                        indicator = prev_clause_text or indicator
                    # a weak measure follows the quantity before: in the same item always (one
                    # verb governs both), in the previous item when the units are of one kind
                    if weak and prev_measure and (k > 0 or prev_measure[1] == q.kind):
                        measure = prev_measure[0]
                    out.append(
                        Target(
                            text=text_of_item,
                            indicator=indicator or None,
                            op=q.op,
                            value=q.value,
                            unit=q.unit,
                            by=_by(c, q, horizons, head, clause, year),
                            measure=measure,
                            hedge=head.hedge,
                        )
                    )
                    prev_measure = last_measure = (measure, q.kind)
                    prev_indicator = indicator
                    pos = after
            prev_hedge = head.hedge
            prev_clause_text = _clause_words(c, head.start, clause.end)
    return out


def _clause_words(c: str, start: int, end: int) -> str | None:
    words = c[start:end].strip(_TRIM)
    return words or None


def _mark_qualifiers(g: _Grammar, c: str, items: list[_Item]) -> None:
    """10亿元以上产业链达到15条: the first quantity is an attribute of the noun the second
    measures, when the words between them end with a measure word of the second."""
    mw = g.m.measure_words
    predicate = (*mw["level"], *mw["growth"], *mw["decline"])
    for it in items:
        real = [q for q in it.qs if not q.qualifier]
        for q1, q2 in pairwise(real):
            between = c[q1.end : q2.start]
            if not between or between[0] in "和及与并、":
                continue
            if _ends(between, predicate) or (q2.pre and len(between) > 1):
                q1.qualifier = True


def _close_list(items: list[_Item]) -> None:
    """One comparator after the last item of a 、-list closes the whole list."""
    if len(items) < 2:
        return
    last = [q for q in items[-1].qs if not q.qualifier]
    if not last or not last[-1].post or last[-1].op == "between":
        return
    op = last[-1].op
    for it in items[:-1]:
        for q in it.qs:
            if not q.qualifier and q.op == "eq" and q.pre is None and q.post is None:
                q.op = op


def _by(c: str, q: _Q, horizons, head: _Head, clause: _Clause, year: int | None) -> str | None:
    before = [y for pos, y in horizons if pos < q.num]
    if before:
        return before[-1]
    if head.by:
        return head.by
    dates = find_deadlines(c[clause.start : clause.end], year)
    return dates[0] if dates else None


# ------------------------------------------------------------------------------------------
# Deadlines

_DEADLINE = re.compile(
    r"(?P<period>\d{4}[—–―\-~至]\d{4}年)"
    r"|(?P<to>到|至)?(?P<y>\d{4})年"
    r"(?:(?P<ym>\d{1,2})月(?:(?P<yd>\d{1,2})日)?)?(?P<yend>底|末)?(?P<ybefore>前)?"
    r"(?P<yhalf>上半年|下半年)?(?:第?(?P<yq>[一二三四1-4])季度(?:末|底)?)?"
    r"|(?<![\d年])(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?(?P<end>底|末)?(?P<before>前)?"
    r"|(?<![\d零一二两三四五六七八九十百千])年(?P<yearend>底|末|内)前?"
    r"|(?P<half>上半年|下半年)"
    r"|第?(?P<q>[一二三四1-4])季度(?:末|底)?"
)


def _month_end(y: int, mo: int) -> str:
    return f"{y:04d}-{mo:02d}-{calendar.monthrange(y, mo)[1]:02d}"


def _quarter(q: str) -> int:
    return ("一二三四".find(q) + 1) or int(q)


def find_deadlines(text: str, year: int | None) -> tuple[str, ...]:
    """ISO dates of the deadlines written in ``text``, in order, each once.

    ``10月底前`` → f"{year}-10-31"; ``年底前`` → year-12-31; ``上半年`` → year-06-30;
    ``三季度末`` → year-09-30; ``2025年6月底前`` → "2025-06-30"; ``到2030年`` → "2030-12-31".
    ``2024—2025 年`` is a period and ``2024年2月2日`` a date, not deadlines (nothing comes back for
    them). Forms without a year are skipped when ``year`` is None.
    """
    if not text:
        return ()
    c = _SPACE.sub("", _fold(text))
    out: list[str] = []
    for d in _DEADLINE.finditer(c):
        if d.group("period"):
            continue
        if d.group("y"):
            y = int(d.group("y"))
            if not 1900 <= y <= 2199:
                continue  # not a year of a plan (and calendar needs a real one)
            if d.group("ym"):
                mo = int(d.group("ym"))
                if not 1 <= mo <= 12:
                    continue
                if d.group("yd"):
                    if not (d.group("ybefore") or d.group("to")):
                        continue  # 2024年2月2日: a date, not a deadline
                    day = int(d.group("yd"))
                    if 1 <= day <= calendar.monthrange(y, mo)[1]:
                        out.append(f"{y:04d}-{mo:02d}-{day:02d}")
                elif d.group("yend") or d.group("to"):
                    out.append(_month_end(y, mo))
                elif d.group("ybefore"):
                    out.append(_month_end(y - 1, 12) if mo == 1 else _month_end(y, mo - 1))
            elif d.group("yhalf"):
                out.append(f"{y:04d}-06-30" if d.group("yhalf") == "上半年" else f"{y:04d}-12-31")
            elif d.group("yq"):
                out.append(_month_end(y, 3 * _quarter(d.group("yq"))))
            elif d.group("to") or d.group("yend") or d.group("ybefore"):
                out.append(f"{y:04d}-12-31")
            continue
        if year is None:
            continue
        if d.group("m"):
            mo = int(d.group("m"))
            if not 1 <= mo <= 12:
                continue
            if d.group("d"):
                day = int(d.group("d"))
                if d.group("before") and 1 <= day <= calendar.monthrange(year, mo)[1]:
                    out.append(f"{year:04d}-{mo:02d}-{day:02d}")
            elif d.group("end"):
                out.append(_month_end(year, mo))
            elif d.group("before"):
                out.append(_month_end(year - 1, 12) if mo == 1 else _month_end(year, mo - 1))
        elif d.group("yearend"):
            out.append(f"{year:04d}-12-31")
        elif d.group("half"):
            out.append(f"{year:04d}-06-30" if d.group("half") == "上半年" else f"{year:04d}-12-31")
        elif d.group("q"):
            out.append(_month_end(year, 3 * _quarter(d.group("q"))))
    return tuple(dict.fromkeys(out))
