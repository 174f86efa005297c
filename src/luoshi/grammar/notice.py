"""The grammar of a responsibility breakdown notice: lines → :class:`~luoshi.model.Notice`.

One pass over the reader's lines. :func:`luoshi.grammar.lines.classify` names each line
(part heading, section heading, numbered task, clause label, footer …); the :class:`Assembler`
places it: the document head until the first part, then parts → sections → tasks, then the
footer. Key tasks are numbered items followed by their responsibility clause; a livelihood part
is paragraphs in which attributions ``（牵头领导：…，责任单位：…）`` close each item. Tables
(``序号 | 重点工作 | 牵头领导 | 牵头单位 | 责任单位 | 完成时限``) are read by
:mod:`luoshi.grammar.table`. Every line of the body ends up in a task, a heading, or a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

import yaml

from luoshi.grammar import checks, head, table
from luoshi.grammar.attributions import bracket_depth, find_attributions, free_text_units
from luoshi.grammar.lines import (
    DEADLINE_LABELS,
    LEADER_LABELS,
    UNIT_LABELS,
    Token,
    classify,
)
from luoshi.grammar.units import ClauseParser
from luoshi.model import (
    DocumentHead,
    Leader,
    Line,
    Notice,
    Part,
    Section,
    Source,
    Task,
    UnitRef,
    Warning,
)
from luoshi.registry import Registry, default_registry
from luoshi.targets import find_deadlines, find_targets

# PDF-to-text converters leave TeX for subscripts: “$PM_{2.5}$” in the 2024 notice is PM2.5.
TEX_SUBSCRIPT_RE = re.compile(r"\$\s*([A-Za-z]+)\s*_\s*\{\s*([0-9.]+)\s*\}\s*\$")
HTML_SUBSCRIPT_RE = re.compile(r"([A-Za-z]+)<sub>([0-9.]+)</sub>")
MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+")
LEADING_PUNCT = " \t\u3000,，;；、"
MID_LINE_LABEL_RE = re.compile(r"(?<=[。；;])\s*(" + "|".join(UNIT_LABELS) + r")\s*[:：]")
ISSUER_LINE_RE = re.compile(r"^[\u4e00-\u9fff]{2,30}(办公厅|人民政府|办公室|政府)$")


def join_fragments(parts: list[str]) -> str:
    """Join wrapped lines: nothing between Chinese characters, a space between Latin words."""
    out = ""
    for p in parts:
        if (
            out
            and p
            and out[-1].isascii()
            and out[-1].isalnum()
            and p[0].isascii()
            and p[0].isalnum()
        ):
            out += " "
        out += p
    return out


@dataclass
class _Frag:
    text: str
    line: int


@dataclass
class _TaskBuf:
    number: int | None
    line: int
    text: list[_Frag] = field(default_factory=list)
    clauses: list[list] = field(default_factory=list)  # [label, [frags], line]
    leaders: list[str] = field(default_factory=list)
    deadline_text: str | None = None
    in_clause: bool = False
    units: list[UnitRef] | None = None  # set directly by table rows


@dataclass
class _SectionBuf:
    ordinal: int | None
    heading: str | None
    leader: Leader | None
    category: str | None
    line: int | None
    tasks: list[_TaskBuf] = field(default_factory=list)
    numbered_item: bool = False  # a “1.” of a livelihood list without categories


@dataclass
class _PartBuf:
    kind: str
    title: str | None
    period: tuple[int, int] | None
    line: int | None
    year_hint: int | None = None
    sections: list[_SectionBuf] = field(default_factory=list)
    has_categories: bool = False


class Assembler:
    def __init__(self, source: Source, registry: Registry | None = None):
        self.source = source
        self.registry = registry or default_registry()
        self.warnings: list[Warning] = []
        self.head_tokens: list[tuple[Token, int]] = []
        self.parts: list[_PartBuf] = []
        self.state = "head"
        self.copied_to: list[str] = []
        self.printed_on: str | None = None
        self.footer_issuer: str | None = None
        self.task: _TaskBuf | None = None
        self.table: table.TableState | None = None

    # -- warnings ------------------------------------------------------------------------
    def warn(self, code: str, line: int | None, message: str, message_zh: str) -> None:
        self.warnings.append(Warning(code, line, message, message_zh))

    # -- structure -----------------------------------------------------------------------
    @property
    def part(self) -> _PartBuf | None:
        return self.parts[-1] if self.parts else None

    @property
    def section(self) -> _SectionBuf | None:
        p = self.part
        return p.sections[-1] if p and p.sections else None

    def new_part(self, tok: Token | None, line: int | None) -> None:
        self.close_task()
        data = tok.data if tok else {}
        period = data.get("period")
        year_hint = data.get("year")
        self.parts.append(
            _PartBuf(
                kind=data.get("kind", "key_tasks"),
                title=tok.text if tok else None,
                period=period,
                line=line,
                year_hint=year_hint,
            )
        )
        self.state = "body"

    def new_section(self, tok: Token, line: int) -> None:
        self.close_task()
        if self.part is None:
            self.new_part(None, None)
        part = self.part
        assert part is not None
        rest = tok.data["rest"]
        leader = None
        category = None
        if "leader" in tok.data:
            name, title, _verb = tok.data["leader"]
            leader = Leader(name, title)
        elif part.kind == "livelihood":
            category = rest
            part.has_categories = True
        part.sections.append(
            _SectionBuf(
                ordinal=tok.data["ordinal"],
                heading=rest,
                leader=leader,
                category=category,
                line=line,
            )
        )

    def ensure_section(self, line: int) -> _SectionBuf:
        if self.part is None:
            self.new_part(None, None)
        part = self.part
        assert part is not None
        if not part.sections:
            part.sections.append(_SectionBuf(None, None, None, None, line))
        return part.sections[-1]

    def new_task(self, number: int | None, line: int) -> _TaskBuf:
        self.close_task()
        section = self.ensure_section(line)
        self.task = _TaskBuf(number=number, line=line)
        section.tasks.append(self.task)
        return self.task

    def close_task(self) -> None:
        self.task = None

    # -- the pass --------------------------------------------------------------------------
    def run(self) -> None:
        lines = self.source.lines
        n = len(lines)
        i = 0
        while i < n:
            line = lines[i]
            s = self.clean(line)
            if "$" in line.text:
                self.note_markup(line)
            if self.table is not None or line.cells or table.looks_like_row(s):
                consumed = table.feed(self, line, s)
                if consumed:
                    i += 1
                    continue
            tok = classify(s)
            if tok.kind in ("blank", "furniture"):
                i += 1
                continue
            if tok.kind == "text" and self.state != "footer" and ISSUER_LINE_RE.match(s):
                nxt = self.next_token(i)
                if nxt is not None and nxt.kind == "printed":
                    self.footer_issuer = s
                    self.enter_footer()
                    i += 1
                    continue
            self.place(tok, line.number)
            i += 1
        self.close_task()

    def next_token(self, i: int) -> Token | None:
        for line in self.source.lines[i + 1 :]:
            tok = classify(self.clean(line))
            if tok.kind not in ("blank", "furniture"):
                return tok
        return None

    def clean(self, line: Line) -> str:
        """The line stripped, with TeX / HTML subscripts read as text (``$PM_{2.5}$`` → PM2.5)."""
        s = line.text.strip(" \t\u3000\ufeff")
        if "$" in s:
            s = TEX_SUBSCRIPT_RE.sub(r"\1\2", s)
        if "<sub>" in s:
            s = HTML_SUBSCRIPT_RE.sub(r"\1\2", s)
        if s.startswith("#") or "**" in s:
            # a notice kept as Markdown: headings and bold are layout, not text
            s = MARKDOWN_HEADING_RE.sub("", s).replace("**", "")
        return s

    def note_markup(self, line: Line) -> None:
        for m in TEX_SUBSCRIPT_RE.finditer(line.text):
            self.warn(
                "markup_removed",
                line.number,
                f"TeX markup “{m.group(0)}” read as “{m.group(1)}{m.group(2)}”",
                f"排版标记“{m.group(0)}”按“{m.group(1)}{m.group(2)}”读取",
            )

    def enter_footer(self) -> None:
        self.close_task()
        self.state = "footer"

    def place(self, tok: Token, number: int) -> None:
        kind = tok.kind
        if kind == "copied_to":
            self.enter_footer()
            self.copied_to.append(tok.data["rest"])
            return
        if kind == "printed":
            self.enter_footer()
            self.printed_on = tok.data["date"]
            if tok.data.get("issuer"):
                self.footer_issuer = tok.data["issuer"]
            return
        if self.state == "footer":
            if (
                kind == "text"
                and self.copied_to
                and not self.printed_on
                and not ISSUER_LINE_RE.match(tok.text)
            ):
                self.copied_to.append(tok.text)
            elif kind == "text" and ISSUER_LINE_RE.match(tok.text):
                self.footer_issuer = tok.text
            else:
                self.warn(
                    "orphan_line",
                    number,
                    f"line after the footer belongs to nothing: “{tok.text[:40]}”",
                    f"文末抄送、印发之后的行不属于任何部分：“{tok.text[:40]}”",
                )
            return
        if self.state == "head":
            if kind == "part":
                self.new_part(tok, number)
            elif kind == "section" and "leader" in tok.data:
                self.new_part(None, None)
                self.new_section(tok, number)
            elif kind == "task" and self.head_has_title():
                # An excerpt that starts in the middle of a part.
                self.new_part(None, None)
                self.place(tok, number)
            else:
                self.head_tokens.append((tok, number))
            return
        self.place_body(tok, number)

    def head_has_title(self) -> bool:
        return any("通知" in t.text or "责任分解" in t.text for t, _ in self.head_tokens)

    def place_body(self, tok: Token, number: int) -> None:
        kind = tok.kind
        part = self.part
        assert part is not None
        if (
            kind in ("label", "task", "date")
            and self.task is not None
            and self.inside_bracket(self.task)
        ):
            # A PDF line that starts “责任单位:省水利厅)…” continues an attribution opened on the
            # line before: inside a bracket nothing starts a new item or clause.
            self.continue_task(self.task, tok.text, number)
            return
        if kind == "part":
            self.new_part(tok, number)
            return
        if kind == "section":
            self.new_section(tok, number)
            return
        if part.kind == "livelihood":
            self.place_livelihood(tok, number)
            return
        if kind == "task":
            t = self.new_task(tok.data["number"], number)
            if tok.data["rest"]:
                self.add_text(t, tok.data["rest"], number)
            return
        if kind == "label":
            self.add_label(tok, number)
            return
        # text or a date: continuation of the current task
        if self.task is None:
            self.warn(
                "orphan_line",
                number,
                f"line belongs to no task: “{tok.text[:40]}”",
                f"该行不属于任何任务：“{tok.text[:40]}”",
            )
            return
        self.continue_task(self.task, tok.text, number)

    @staticmethod
    def inside_bracket(t: _TaskBuf) -> bool:
        if t.in_clause or not t.text:
            return False
        text = "".join(f.text for f in t.text)
        return bracket_depth(text, len(text)) > 0

    def continue_task(self, t: _TaskBuf, text: str, number: int) -> None:
        if t.in_clause and t.clauses:
            t.clauses[-1][1].append(_Frag(text, number))
        else:
            self.add_text(t, text, number)

    def add_text(self, t: _TaskBuf, text: str, number: int) -> None:
        # A label in the middle of a line ("……同步。责任单位：省财政厅") starts the clause there.
        m = next(
            (m for m in MID_LINE_LABEL_RE.finditer(text) if bracket_depth(text, m.start()) == 0),
            None,
        )
        if m and not t.in_clause:
            before, after = text[: m.start()], text[m.start() :]
            if before:
                t.text.append(_Frag(before, number))
            self.add_label(classify(after.strip()), number)
            return
        t.text.append(_Frag(text, number))

    def add_label(self, tok: Token, number: int) -> None:
        label = tok.data["label"]
        rest = tok.data["rest"]
        t = self.task
        if t is None:
            self.warn(
                "orphan_line",
                number,
                f"responsibility line belongs to no task: “{tok.text[:40]}”",
                f"责任单位行不属于任何任务：“{tok.text[:40]}”",
            )
            return
        # one line may carry several labels: 牵头单位：…；配合单位：…
        from luoshi.grammar.attributions import label_segments

        segments = label_segments(f"{label}：{rest}") or ((label, rest),)
        for lab, value in segments:
            if lab in LEADER_LABELS:
                t.leaders.extend(split_names(value))
                t.in_clause = False
            elif lab in DEADLINE_LABELS:
                t.deadline_text = value
                t.in_clause = False
            else:
                t.clauses.append([UNIT_LABELS[lab], [_Frag(value, number)], number])
                t.in_clause = True

    # -- livelihood ------------------------------------------------------------------------
    def place_livelihood(self, tok: Token, number: int) -> None:
        part = self.part
        assert part is not None
        if tok.kind == "task":
            if part.has_categories:
                t = self.new_task(tok.data["number"], number)
            else:
                # “1.” of a numbered list without categories: the item is a section.
                self.close_task()
                part.sections.append(
                    _SectionBuf(tok.data["number"], None, None, None, number, numbered_item=True)
                )
                t = self.new_task(None, number)
            if tok.data["rest"]:
                t.text.append(_Frag(tok.data["rest"], number))
            return
        if tok.kind == "label":
            if self.task is None:
                self.new_task(None, number)
            self.add_label(tok, number)
            return
        if self.task is None:
            self.new_task(None, number)
        assert self.task is not None
        self.continue_task(self.task, tok.text, number)

    # -- finishing -------------------------------------------------------------------------
    def build(self) -> Notice:
        self.run()
        doc = head.parse_head(self.head_tokens, self.warn)
        year = doc.year
        if year is None:
            year = next((p.year_hint for p in self.parts if p.year_hint), None)
            if year is None:
                year = next((p.period[0] for p in self.parts if p.period), None)
        doc = DocumentHead(
            issuer=doc.issuer or self.footer_issuer,
            doc_number=doc.doc_number,
            title=doc.title,
            year=year,
            signed_on=doc.signed_on,
            printed_on=self.printed_on,
            addressees=doc.addressees,
            copied_to="".join(self.copied_to) or None,
        )
        region = issuing_region(doc)
        registry: Registry | None = self.registry
        if region and not region_in_registry(region, doc.doc_number):
            registry = None
            self.warn(
                "registry_region",
                None,
                f"the unit registry describes {registry_region()}; the units of this {region} notice "
                "are kept as written and not resolved",
                f"单位名录收录的是{registry_region()}的单位；这份{region}通知中的单位按原文保留，"
                "未与名录对照",
            )
        clauses = ClauseParser(registry, year)
        parts = []
        last_task = self.last_task()
        for p in self.parts:
            period = p.period or (
                (p.year_hint, p.year_hint) if p.year_hint else (year, year) if year else None
            )
            sections = []
            for s in p.sections:
                tasks: list[Task] = []
                for t in s.tasks:
                    if p.kind == "livelihood":
                        tasks.extend(self.finish_livelihood(t, s, clauses, t is last_task))
                    else:
                        tasks.append(self.finish_key_task(t, s, clauses, t is last_task))
                tasks = [with_targets(task, year) for task in tasks]
                sections.append(
                    Section(s.ordinal, s.heading, s.leader, s.category, tuple(tasks), s.line)
                )
            parts.append(Part(p.kind, p.title, period, tuple(sections), p.line))  # type: ignore[arg-type]
        notice = Notice(self.source, doc, tuple(parts), ())
        warnings = self.warnings + checks.run_all(notice, self.numbering_lists())
        warnings.sort(key=lambda w: w.line or 0)
        return Notice(self.source, doc, tuple(parts), tuple(warnings), checks.leaders_of(notice))

    def numbering_lists(self) -> list[list[tuple[str | None, list[tuple[int, int]]]]]:
        out = []
        for p in self.parts:
            lists = []
            items = [(s.ordinal, s.line) for s in p.sections if s.numbered_item]
            if items:
                lists.append((p.title, items))
            for s in p.sections:
                numbers = [(t.number, t.line) for t in s.tasks if t.number is not None]
                lists.append((s.heading, numbers))
            out.append(lists)
        return out

    def last_task(self) -> _TaskBuf | None:
        for p in reversed(self.parts):
            for s in reversed(p.sections):
                if s.tasks:
                    return s.tasks[-1]
        return None

    def units_of(
        self, t: _TaskBuf, clauses: ClauseParser, extra: list[tuple[str, str, int]]
    ) -> list[UnitRef]:
        units: list[UnitRef] = list(t.units or [])
        all_clauses = [
            (c[0], join_fragments([f.text for f in c[1]]), c[2]) for c in t.clauses
        ] + extra
        if any(label == "lead" for label, _, _ in all_clauses):
            # beside a 牵头单位 label, the units of a 责任单位 label are the partners
            all_clauses = [
                ("partner" if lab == "duty" else lab, text, ln) for lab, text, ln in all_clauses
            ]
        for label, text, line in all_clauses:
            units.extend(
                clauses.parse(
                    text, label, lambda code, msg, zh, ln=line: self.warn(code, ln, msg, zh)
                )
            )
        return units

    def warn_no_units(self, text: str, line: int, is_last: bool, what: str, what_zh: str) -> None:
        """An item without units: cut off by the end of an excerpt, or simply missing them."""
        if is_last and not text.endswith(("。", "；", ";", "）", ")")):
            self.warn(
                "truncated_item",
                line,
                f"the text stops in the middle of {what}: it has no responsible units",
                f"文字在{what_zh}中间中断：没有责任单位",
            )
        else:
            self.warn(
                "missing_units",
                line,
                f"{what} names no responsible unit",
                f"{what_zh}没有写明责任单位",
            )

    def finish_key_task(
        self, t: _TaskBuf, s: _SectionBuf, clauses: ClauseParser, is_last: bool
    ) -> Task:
        text = join_fragments([f.text for f in t.text])
        extra: list[tuple[str, str, int]] = []
        leaders = list(t.leaders)
        # units written inline: （牵头单位：…；责任单位：…）
        attributions = find_attributions(text)
        if attributions:
            pieces = []
            prev = 0
            for a in attributions:
                pieces.append(text[prev : a.start])
                prev = a.end
                for label, value in a.segments:
                    if label in LEADER_LABELS:
                        leaders.extend(split_names(value))
                    elif label in DEADLINE_LABELS:
                        t.deadline_text = value
                    else:
                        extra.append((UNIT_LABELS[label], value, t.line))
            pieces.append(text[prev:])
            text = "".join(pieces).strip()
        elif not t.clauses and t.units is None:
            free = free_text_units(text)
            if free:
                offset, content = free
                extra.append(("duty", content, t.line))
                text = text[:offset].strip()  # the bracket ends the task
        units = self.units_of(t, clauses, extra)
        if not units:
            self.warn_no_units(text, t.line, is_last, f"item {t.number}", f"第{t.number}项")
        if s.leader and s.leader.name not in leaders:
            leaders.insert(0, s.leader.name)
        return Task(
            number=t.number,
            text=text,
            leaders=tuple(leaders),
            units=tuple(units),
            line=t.line,
            deadline_text=t.deadline_text,
            deadlines=table.deadlines_of(t.deadline_text, clauses.year),
        )

    def finish_livelihood(
        self, t: _TaskBuf, s: _SectionBuf, clauses: ClauseParser, is_last: bool
    ) -> list[Task]:
        """One stretch of livelihood text → one task per attribution."""
        frags = t.text
        text = ""
        starts: list[tuple[int, int]] = []  # (offset, line)
        for f in frags:
            joined = join_fragments([text, f.text]) if text else f.text
            starts.append((len(joined) - len(f.text), f.line))
            text = joined

        def line_at(offset: int) -> int:
            ln = t.line
            for off, line in starts:
                if off <= offset:
                    ln = line
                else:
                    break
            return ln

        out: list[Task] = []
        prev = 0
        for a in find_attributions(text):
            item = text[prev : a.start]
            # an attribution in mid-sentence leaves the sentence's comma on the next item
            lead_off = prev + (len(item) - len(item.lstrip(LEADING_PUNCT)))
            item = item.strip(LEADING_PUNCT).rstrip()
            prev = a.end
            line = line_at(lead_off)
            leaders: list[str] = []
            extra = []
            for label, value in a.segments:
                if label in LEADER_LABELS:
                    leaders.extend(split_names(value))
                elif label in DEADLINE_LABELS:
                    pass
                else:
                    extra.append((UNIT_LABELS[label], value, line_at(a.start)))
            if not item:
                self.warn(
                    "orphan_line",
                    line,
                    "an attribution follows no text",
                    "责任归属（牵头领导、责任单位）前没有任务文字",
                )
                continue
            units = self.units_of(_TaskBuf(None, line), clauses, extra)
            out.append(
                Task(
                    number=t.number,
                    text=item,
                    leaders=tuple(leaders),
                    units=tuple(units),
                    line=line,
                )
            )
        rest = text[prev:].strip(LEADING_PUNCT).rstrip()
        if rest or (not out and t.clauses):
            line = line_at(prev + (len(text[prev:]) - len(text[prev:].lstrip(LEADING_PUNCT))))
            units = self.units_of(t, clauses, [])
            leaders = list(t.leaders)
            if not units:
                self.warn_no_units(
                    rest,
                    line,
                    is_last,
                    f"livelihood item “{rest[:30]}…”",
                    f"民生实事“{rest[:30]}…”",
                )
            out.append(
                Task(
                    number=t.number,
                    text=rest,
                    leaders=tuple(leaders),
                    units=tuple(units),
                    line=line,
                )
            )
        elif t.clauses and out:
            # separate label lines after an attributed text belong to the last item
            last = out[-1]
            units = self.units_of(t, clauses, [])
            out[-1] = replace(
                last, leaders=(*last.leaders, *t.leaders), units=(*last.units, *units)
            )
        elif t.leaders and out:
            last = out[-1]
            out[-1] = replace(last, leaders=(*last.leaders, *t.leaders))
        return out


def with_targets(task: Task, year: int | None) -> Task:
    """The task with the quantitative commitments and deadlines its text states
    (a deadline column of a table counts too)."""
    deadlines = tuple(dict.fromkeys((*task.deadlines, *find_deadlines(task.text, year))))
    return replace(task, targets=tuple(find_targets(task.text, year)), deadlines=deadlines)


REGION_RE = re.compile(
    r"^(?P<region>[\u4e00-\u9fff]{2,8}?(?:省|自治区|市|县|区|州|盟))(?:人民)?政府"
)


@lru_cache(maxsize=1)
def _region_data() -> dict:
    return yaml.safe_load(resources.files("luoshi.data").joinpath("region.yaml").read_text("utf-8"))


def registry_region() -> str:
    return _region_data()["region"]


def issuing_region(doc: DocumentHead) -> str | None:
    """The region whose government issued the notice: ``江苏省人民政府办公厅`` → 江苏省."""
    for text in (doc.issuer, doc.title):
        if text and (m := REGION_RE.match(text)):
            return m.group("region")
    return None


def region_in_registry(region: str, doc_number: str | None) -> bool:
    """Whether the registry's units are the units of a notice from ``region``."""
    data = _region_data()
    if any(region.startswith(n) for n in [*data["names"], *data["places"]]):
        return True
    return (
        bool(doc_number)
        and doc_number[0] in data["doc_number_prefixes"]
        and region.startswith("省")
    )


def split_names(value: str) -> list[str]:
    """``李岩益`` → [李岩益]; ``张三、李四`` → both; titles after a name are dropped (``王五副市长``)."""
    names = []
    for raw in re.split(r"[、，,；;\s]+", value):
        raw = raw.strip("。 ")
        if not raw:
            continue
        raw = re.sub(r"(常务)?副?(省长|市长|区长|县长|秘书长|主席)$", "", raw) or raw
        names.append(raw)
    return names


def parse_lines(source: Source, registry: Registry | None = None) -> Notice:
    """The notice in ``source``; the caller decides whether it is a notice at all."""
    return Assembler(source, registry).build()
