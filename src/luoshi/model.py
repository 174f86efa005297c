"""The model of a responsibility breakdown notice (责任分解通知).

Plain frozen dataclasses. Their JSON form is the contract ``luoshi.breakdown.v1``
(``spec/breakdown-json.md``): :func:`notice_to_dict` writes it, with every key of the contract
present (``null`` or ``[]`` where it does not apply). Fields may be added, never renamed or dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

FORMAT = "luoshi.breakdown.v1"

Role = Literal["lead", "participant"]
UnitKind = Literal["unit", "group_members", "local_governments", "collective"]
PartKind = Literal["key_tasks", "livelihood"]


@dataclass(frozen=True)
class Line:
    """One line of normalised source text, with where it came from.

    ``number`` is 1-based in the reader's output. ``page`` is the PDF page (or None);
    ``cells`` holds the cells of a table row when the line is one (DOCX/HTML tables), and then
    ``text`` is the cells joined by `` | ``.
    """

    number: int
    text: str
    page: int | None = None
    cells: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Source:
    """What a reader made of a file: text lines and how they were obtained."""

    path: str
    sha256: str
    media_type: str
    lines: tuple[Line, ...]
    encoding: str | None = None
    notes: tuple[str, ...] = ()  # e.g. "decoded as GB18030", "converted from Traditional Chinese"

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class Warning:
    """What a careful reader would question, at a line (None for the whole document).

    ``message`` says it in English, ``message_zh`` in Chinese for the people who read the pages
    (``unit “省数字办” is not in the unit registry`` / ``单位“省数字办”不在单位名录中``); both are
    built where the warning is made, from the same facts. ``code`` is one of
    :data:`WARNING_KINDS`.
    """

    code: str
    line: int | None
    message: str
    message_zh: str


#: Every code a warning may carry, with the kind of problem in Chinese: the pages show it beside a
#: warning stored before ``message_zh`` existed. ``tests/test_warnings.py`` checks that the parser
#: makes no code missing here, and makes every code here somewhere.
WARNING_KINDS: dict[str, str] = {
    # notices (luoshi.breakdown.v1)
    "numbering_gap": "编号不连续",
    "numbering_repeat": "编号重复",
    "leader_name_mismatch": "领导姓名写法不一",
    "stray_word": "正文夹有外文单词",
    "markup_removed": "已去除排版标记",
    "orphan_line": "不属于任何条目的行",
    "registry_region": "外地通知，单位未对照名录",
    "truncated_item": "条目文字中断",
    "missing_units": "未写明责任单位",
    "open_list": "单位名单可能不全",
    "duplicated_character": "单位名称多出重复字",
    "unknown_unit": "单位不在名录中",
    "missing_separator": "单位名称连写",
    "former_name": "使用单位旧称",
    # work reports (luoshi.report.v1)
    "year_conflict": "报告年份说法不一",
    "no_year": "未找到报告年份",
    "no_region": "未找到所属省份",
    "city_report": "市级报告",
    "excerpt_start": "节选：缺少开头",
    "excerpt_end": "节选：缺少后文",
    "values_unmatched": "数值与指标对不上",
}


def warning_to_dict(w: Warning) -> dict[str, Any]:
    """A warning as every contract writes it (``message_zh`` added to the v1 contracts, which
    keep every key they had)."""
    return {"code": w.code, "line": w.line, "message": w.message, "message_zh": w.message_zh}


@dataclass(frozen=True)
class Target:
    """A quantitative commitment: ``实际使用外资200亿美元以上`` → indicator 实际使用外资, op ``ge``,
    value 200, unit 亿美元.

    ``op``: ``ge`` (以上, 不低于), ``gt`` (超过, 突破), ``le`` (以内, 以下, 不高于), ``lt`` (低于),
    ``approx`` (左右), ``between`` (value is ``(low, high)``), ``eq`` (a plain amount).
    ``value`` is a :class:`~decimal.Decimal` as written (1.2 for 1.2万家; the scale word stays in
    ``unit``). ``by`` is a horizon year or ISO date (到2030年 → "2030"). ``measure`` says what the
    number measures: ``level``, ``growth``, ``decline``, ``share`` (a proportion or rate in %),
    ``rank``, ``count``, ``amount`` — or None. ``hedge`` keeps 力争 / 确保 as written.
    """

    text: str
    indicator: str | None
    op: str
    value: Any
    unit: str | None
    by: str | None = None
    measure: str | None = None
    hedge: str | None = None


@dataclass(frozen=True)
class UnitRef:
    """One responsible unit as the notice names it.

    ``省委金融办（省地方金融局）`` → name ``省委金融办``, also ``("省地方金融局",)``.
    """

    name: str
    role: Role
    kind: UnitKind = "unit"
    also: tuple[str, ...] = ()
    canonical: str | None = None
    unit_id: str | None = None


@dataclass(frozen=True)
class Leader:
    """A leading official: ``王浩`` 省长. ``also`` holds other spellings the same document uses
    for the same person (the 2024 notice heads a section 庐山 and writes 卢山 elsewhere)."""

    name: str
    title: str | None
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Task:
    number: int | None
    text: str
    leaders: tuple[str, ...]
    units: tuple[UnitRef, ...]
    line: int
    targets: tuple[Target, ...] = ()
    deadlines: tuple[str, ...] = ()
    deadline_text: str | None = None


@dataclass(frozen=True)
class Section:
    ordinal: int | None
    heading: str | None
    leader: Leader | None
    category: str | None
    tasks: tuple[Task, ...]
    line: int | None = None


@dataclass(frozen=True)
class Part:
    kind: PartKind
    title: str | None
    period: tuple[int, int] | None
    sections: tuple[Section, ...]
    line: int | None = None


@dataclass(frozen=True)
class DocumentHead:
    issuer: str | None = None
    doc_number: str | None = None
    title: str | None = None
    year: int | None = None
    signed_on: str | None = None
    printed_on: str | None = None
    addressees: str | None = None
    copied_to: str | None = None


@dataclass(frozen=True)
class Notice:
    source: Source
    document: DocumentHead
    parts: tuple[Part, ...]
    warnings: tuple[Warning, ...] = field(default_factory=tuple)
    leaders: tuple[Leader, ...] = ()  # every leader named, section heads first

    def tasks(self):
        """Yield ``(part, section, task)`` for every task in document order."""
        for part in self.parts:
            for section in part.sections:
                for task in section.tasks:
                    yield part, section, task


def _unit_dict(u: UnitRef) -> dict:
    return {
        "name": u.name,
        "also": list(u.also),
        "role": u.role,
        "kind": u.kind,
        "canonical": u.canonical,
        "unit_id": u.unit_id,
    }


def json_number(value: Any) -> Any:
    """A Decimal as JSON wants it: 200 → 200, 5.5 → 5.5 (ints stay ints; no float noise)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple | list):
        return [json_number(v) for v in value]
    return value


def target_to_dict(t: Target) -> dict:
    """A target as every luoshi JSON contract writes it."""
    return {
        "text": t.text,
        "indicator": t.indicator,
        "op": t.op,
        "value": json_number(t.value),
        "unit": t.unit,
        "by": t.by,
        "measure": t.measure,
        "hedge": t.hedge,
    }


def notice_to_dict(notice: Notice) -> dict:
    """The ``luoshi.breakdown.v1`` object for a notice (JSON-ready, key order as in the spec)."""
    doc = notice.document
    return {
        "format": FORMAT,
        "source": {
            "path": notice.source.path,
            "sha256": notice.source.sha256,
            "media_type": notice.source.media_type,
            "encoding": notice.source.encoding,
            "notes": list(notice.source.notes),
        },
        "document": {
            "issuer": doc.issuer,
            "doc_number": doc.doc_number,
            "title": doc.title,
            "year": doc.year,
            "signed_on": doc.signed_on,
            "printed_on": doc.printed_on,
            "addressees": doc.addressees,
            "copied_to": doc.copied_to,
        },
        "parts": [
            {
                "kind": p.kind,
                "title": p.title,
                "period": {"start": p.period[0], "end": p.period[1]} if p.period else None,
                "line": p.line,
                "sections": [
                    {
                        "ordinal": s.ordinal,
                        "heading": s.heading,
                        "leader": (
                            {"name": s.leader.name, "title": s.leader.title} if s.leader else None
                        ),
                        "category": s.category,
                        "line": s.line,
                        "tasks": [
                            {
                                "number": t.number,
                                "text": t.text,
                                "leaders": list(t.leaders),
                                "units": [_unit_dict(u) for u in t.units],
                                "targets": [target_to_dict(x) for x in t.targets],
                                "deadlines": list(t.deadlines),
                                "deadline_text": t.deadline_text,
                                "line": t.line,
                            }
                            for t in s.tasks
                        ],
                    }
                    for s in p.sections
                ],
            }
            for p in notice.parts
        ],
        "leaders": [
            {"name": leader.name, "title": leader.title, "also": list(leader.also)}
            for leader in notice.leaders
        ],
        "warnings": [warning_to_dict(w) for w in notice.warnings],
    }
