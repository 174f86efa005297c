"""The responsibility clause: ``责任单位：省发展改革委、省农业农村厅牵头，省政府办公厅……``.

:func:`parse_units` turns the clause text (label removed) into :class:`~luoshi.model.UnitRef`
entries in the order written, applying the conventions the notices state:

- 列第一位的为牵头或汇总单位: under a 责任单位 label the first unit leads, the rest participate;
- units marked 牵头 (``A、B牵头，C、D``): every unit up to the last 牵头 mark leads, the rest
  participate;
- a 牵头单位 label makes every unit a lead; 配合单位 / 协同责任单位 make every unit a participant;
- ``省委金融办（省地方金融局）`` → name 省委金融办, also 省地方金融局 (a parenthesis at the END of an
  entry holds other names; one in the middle, ``省交通强省(民航强省)建设领导小组``, is part of it);
- ``杭州市、宁波市政府`` → 杭州市政府, 宁波市政府 (a shared suffix is expanded);
- ``省山海协作领导小组其他成员单位`` → kind ``group_members``; ``各市、县（市、区）政府`` →
  ``local_governments``; ``省政府直属各单位`` → ``collective`` (phrases in ``data/phrases.yaml``);
- ``省委军民融合办省国动办`` (no separator) → two units, split with the registry, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from luoshi.grammar.brackets import trailing_bracket
from luoshi.model import UnitRef
from luoshi.registry import Registry, normalize_unit_name

WarnFn = Callable[[str, str, str], None]  # (code, message, message_zh)

OPEN = "（(〔[【“《"
CLOSE = "）)〕]】”》"
PAIRS = dict(zip(OPEN, CLOSE, strict=True))
SEPARATORS = "、，,；;"

# 列第一位的为牵头或汇总单位 — the convention note, with its optional 除…外 and 下同.
CONVENTION_RE = re.compile(
    r"[（(]?\s*(?:除[^，,；;）)]*?外\s*[，,]?\s*)?列第一位(?:的|者)?(?:单位)?为牵头(?:单位)?(?:或汇总单位|或汇总|单位)?"
    r"\s*(?:[，,]\s*下同)?\s*[）)]?"
)
LEAD_MARKS = ("牵头负责", "牵头", "负责")
PARTNER_MARKS = ("配合", "参与", "协助", "协办")
TRAILING_PUNCT = "。.；;，,、 \u3000"
BARE_PLACE_RE = re.compile(r"^[\u4e00-\u9fff]{1,10}?(市|县|区|自治县)$")
# Page-break artefact: “领导小组\n\n组其他成员单位” in the 2026 notice joins to 领导小组组其他成员单位.
DOUBLED_ZU_RE = re.compile(r"(小组)组(?=其他成员单位|成员单位)")


@dataclass
class _Entry:
    text: str
    sep: str  # the separator written before it ("" for the first)
    lead_mark: bool = False
    partner_mark: bool = False
    kind: str = "unit"


@dataclass(frozen=True)
class _Phrases:
    local_exact: tuple[re.Pattern, ...]
    local_patterns: tuple[re.Pattern, ...]
    collective_exact: tuple[re.Pattern, ...]
    collective_patterns: tuple[re.Pattern, ...]
    open_suffixes: tuple[str, ...]
    group_suffixes: tuple[str, ...]
    # the phrases that contain a separator (各市、县（市、区）政府), as one pattern
    protect_re: re.Pattern | None = None
    # last characters of the marks (等, 牵头, 配合 …): an entry ending otherwise carries none
    mark_endings: frozenset[str] = frozenset()


def _paren_insensitive(phrase: str) -> str:
    out = []
    for ch in phrase:
        if ch in "（(":
            out.append("[（(]")
        elif ch in "）)":
            out.append("[）)]")
        elif ch in "，,":
            out.append("[，,]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


@lru_cache(maxsize=1)
def phrases() -> _Phrases:
    """The phrase tables of ``data/phrases.yaml``, compiled once."""
    raw = yaml.safe_load(resources.files("luoshi.data").joinpath("phrases.yaml").read_text("utf-8"))

    def exact(section):
        return tuple(re.compile(_paren_insensitive(e["phrase"])) for e in section["exact"])

    def patterns(section):
        return tuple(re.compile(e["regex"]) for e in section["pattern"])

    local = exact(raw["local_governments"])
    with_separator = [rx.pattern for rx in local if "、" in rx.pattern or "，" in rx.pattern]
    return _Phrases(
        protect_re=re.compile("|".join(with_separator)) if with_separator else None,
        mark_endings=frozenset(
            m[-1] for m in (*LEAD_MARKS, *PARTNER_MARKS, *raw["open_list_suffixes"])
        ),
        local_exact=local,
        local_patterns=patterns(raw["local_governments"]),
        collective_exact=exact(raw["collective"]),
        collective_patterns=patterns(raw["collective"]),
        open_suffixes=tuple(raw["open_list_suffixes"]),
        group_suffixes=tuple(sorted(raw["group_member_suffixes"], key=len, reverse=True)),
    )


def _fullwidth_parens(s: str) -> str:
    return s.replace("(", "（").replace(")", "）")


@lru_cache(maxsize=16384)
def collective_kind(name: str) -> str | None:
    """``local_governments`` or ``collective`` when ``name`` is such a phrase, else None.

    ``各市、县(市、区)政府`` → ``local_governments``; ``省级有关单位`` → ``collective``.
    """
    p = phrases()
    if any(rx.fullmatch(name) for rx in p.local_exact):
        return "local_governments"
    norm = _fullwidth_parens(name)
    if any(rx.fullmatch(norm) for rx in p.local_patterns):
        return "local_governments"
    if any(rx.fullmatch(name) for rx in p.collective_exact):
        return "collective"
    if any(rx.fullmatch(norm) for rx in p.collective_patterns):
        return "collective"
    return None


def split_top_level(text: str, separators: str = SEPARATORS) -> list[tuple[str, str]]:
    """Split at separators outside brackets and quotes: ``[(sep_before, piece), …]``.

    ``省委宣传部（省文明办、省新闻出版局）、省发展改革委`` → two pieces; the 、 inside the
    parenthesis does not split.
    """
    pieces: list[tuple[str, str]] = []
    depth: list[str] = []
    buf: list[str] = []
    sep = ""
    for ch in text:
        if ch in PAIRS and not (ch == "“" and depth and depth[-1] == "”"):
            depth.append(PAIRS[ch])
            buf.append(ch)
        elif depth and ch == depth[-1]:
            depth.pop()
            buf.append(ch)
        elif ch in CLOSE and ch in "）)" and depth and depth[-1] in "）)":
            # （…) mixed widths close each other
            depth.pop()
            buf.append(ch)
        elif ch in separators and not depth:
            pieces.append((sep, "".join(buf)))
            buf = []
            sep = ch
        else:
            buf.append(ch)
    pieces.append((sep, "".join(buf)))
    return [(s, p) for s, p in pieces]


def strip_convention(clause: str) -> tuple[str, bool]:
    """Remove the 列第一位的为牵头或汇总单位 note; say whether there was one."""
    new, n = CONVENTION_RE.subn("", clause)
    return new, n > 0


class ClauseParser:
    """Parses responsibility clauses for one document (one year, one registry)."""

    def __init__(self, registry: Registry | None, year: int | None):
        """``registry`` None: the notice is from a region the registry does not describe;
        units are then kept as written, with no canonical name and no unknown-unit warnings."""
        self.registry = registry
        self.year = year
        self._resolved: dict[str, object] = {}
        self._units: dict[str, tuple[list[UnitRef], list[tuple[str, str]]]] = {}

    def resolve(self, name: str):
        """The registry's record for ``name`` in this notice's year (memoised per notice)."""
        if self.registry is None:
            return None
        if name not in self._resolved:
            self._resolved[name] = self.registry.resolve(name, self.year)
        return self._resolved[name]

    def known(self, name: str) -> bool:
        return self.resolve(name) is not None

    # -- entries -------------------------------------------------------------------------
    def _entries(self, clause: str, warn: WarnFn) -> list[_Entry]:
        protected: dict[str, str] = {}
        p = phrases()

        def protect(m: re.Match) -> str:
            key = f"\x00{len(protected)}\x00"
            protected[key] = m.group(0)
            return key

        if p.protect_re is not None and "、" in clause:
            clause = p.protect_re.sub(protect, clause)
        entries: list[_Entry] = []
        for sep, piece in split_top_level(clause):
            for key, value in protected.items():
                piece = piece.replace(key, value)
            piece = piece.strip(" \u3000\t")
            if not piece:
                continue
            for i, sub in enumerate(self._split_ji(piece)):
                entries.append(_Entry(sub, sep if i == 0 else "及"))
        return entries

    def _split_ji(self, piece: str) -> list[str]:
        """``省数据局及省级有关单位`` → two entries; a known name containing 及 stays whole."""
        if "及" not in piece or self.known(piece):
            return [piece]
        m = re.fullmatch(r"(.+?办公室)及其他成员单位", piece)
        if m:
            # 亚运会组委会办公室及其他成员单位: the office, and the committee's other member units.
            committee = m.group(1)[: -len("办公室")]
            return [m.group(1), committee + "其他成员单位"]
        parts = [x for x in split_top_level(piece, "及")]
        return [x for _, x in parts if x]

    def _marks(self, entry: _Entry, warn: WarnFn) -> None:
        text = entry.text.rstrip(TRAILING_PUNCT)
        if text and text[-1] not in phrases().mark_endings:
            # the common case: an entry that ends in no mark at all
            entry.text = text
            return
        for suffix in phrases().open_suffixes:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text = text[: -len(suffix)].rstrip()
                warn(
                    "open_list",
                    f"unit list ends with “{suffix}”: it may name only some of the units",
                    f"单位名单以“{suffix}”结尾：可能只列出了部分单位",
                )
        for mark in LEAD_MARKS:
            if text.endswith(mark) and len(text) > len(mark) + 1:
                text, entry.lead_mark = text[: -len(mark)].rstrip(), True
                break
        else:
            for mark in PARTNER_MARKS:
                if text.endswith(mark) and len(text) > len(mark) + 1:
                    text, entry.partner_mark = text[: -len(mark)].rstrip(), True
                    break
        entry.text = text

    def _expand_shared_suffix(self, entries: list[_Entry]) -> None:
        """``杭州市、宁波市政府`` → 杭州市政府, 宁波市政府 (only across 、 and 及, never ，)."""
        for i, entry in enumerate(entries):
            m = re.search(r"(人民政府|政府)$", entry.text)
            if not m:
                continue
            suffix = m.group(1)
            j = i
            while j > 0 and entries[j].sep in ("、", "及"):
                prev = entries[j - 1]
                bare = prev.text
                if BARE_PLACE_RE.match(bare) or re.fullmatch(
                    r"各设区市|有关设区市|相关设区市", bare
                ):
                    prev.text = bare + suffix
                    j -= 1
                else:
                    break

    # -- one entry to a UnitRef ----------------------------------------------------------
    def _unit(self, entry: _Entry, warn: WarnFn) -> list[UnitRef]:
        """The UnitRefs (role not yet set) for one entry; memoised per notice with the warnings
        it raised, which are raised again on every use (each at its own line)."""
        hit = self._units.get(entry.text)
        if hit is None:
            said: list[tuple[str, str, str]] = []
            refs = self._read_unit(entry.text, lambda *warning: said.append(warning))
            hit = self._units[entry.text] = (refs, said)
        for code, msg, msg_zh in hit[1]:
            warn(code, msg, msg_zh)
        return hit[0]

    def _read_unit(self, text: str, warn: WarnFn) -> list[UnitRef]:
        fixed = DOUBLED_ZU_RE.sub(r"\1", text)
        if fixed != text:
            warn(
                "duplicated_character",
                f"“{text}” read as “{fixed}” (a character repeated at a page break)",
                f"“{text}”按“{fixed}”读取（换页处重复了一个字）",
            )
            text = fixed
        kind = collective_kind(text)
        if kind:
            return [UnitRef(name=text, role="participant", kind=kind)]
        for suffix in phrases().group_suffixes:
            if text.endswith(suffix) and len(text) > len(suffix):
                group = self.registry.resolve_group(text, self.year) if self.registry else None
                if group is None and self.registry:
                    warn(
                        "unknown_unit",
                        f"group “{text[: -len(suffix)]}” is not in the unit registry",
                        f"“{text[: -len(suffix)]}”不在单位名录中",
                    )
                return [
                    UnitRef(
                        name=text,
                        role="participant",
                        kind="group_members",
                        canonical=group.name if group else None,
                        unit_id=group.id if group else None,
                    )
                ]
        name, also = text, ()
        if not self.known(text):
            split = trailing_bracket(text)
            if split:
                name = split[0].strip()
                also = tuple(a.strip() for _, a in split_top_level(split[1], "、，,") if a.strip())
        unit = self.resolve(name)
        if unit is None and self.registry is None:
            return [UnitRef(name=name, role="participant", also=also)]
        if unit is None:
            assert self.registry is not None
            parts = self.registry.split_run_together(name, self.year)
            if parts:
                warn(
                    "missing_separator",
                    f"“{name}” read as {len(parts)} units run together: " + "、".join(parts),
                    f"“{name}”按{len(parts)}个连写的单位读取：" + "、".join(parts),
                )
                refs = []
                for k, part in enumerate(parts):
                    u = self.resolve(part)
                    refs.append(
                        UnitRef(
                            name=part,
                            role="participant",
                            also=also if k == len(parts) - 1 else (),
                            canonical=u.name if u else None,
                            unit_id=u.id if u else None,
                        )
                    )
                return refs
            warn(
                "unknown_unit",
                f"unit “{name}” is not in the unit registry",
                f"单位“{name}”不在单位名录中",
            )
        else:
            self._check_former_name(name, unit, warn)
        return [
            UnitRef(
                name=name,
                role="participant",
                also=also,
                canonical=unit.name if unit else None,
                unit_id=unit.id if unit else None,
            )
        ]

    def _check_former_name(self, name: str, unit, warn: WarnFn) -> None:
        """``省文化和旅游厅`` written in 2026, two years after it became 省文化广电和旅游厅."""
        key = normalize_unit_name(name)
        if key == normalize_unit_name(unit.name):
            return
        assert self.registry is not None
        for link in unit.predecessors:
            old = self.registry.get(link.id)
            if key in {normalize_unit_name(s) for s in old.spellings}:
                when = f" in {link.year}" if link.year else ""
                when_zh = f"于{link.year}年" if link.year else ""
                warn(
                    "former_name",
                    f"“{name}” is the name of the unit before it became {unit.name}{when}: read as {unit.name}",
                    f"“{name}”是该单位{when_zh}更名为{unit.name}之前的名称：按{unit.name}读取",
                )
                return

    # -- the whole clause ----------------------------------------------------------------
    def parse(self, clause: str, label: str, warn: WarnFn) -> list[UnitRef]:
        """Units of one clause. ``label`` is ``duty`` (责任单位: first listed leads),
        ``lead`` (牵头单位: all lead) or ``partner`` (配合单位: all participate)."""
        clause, _ = strip_convention(clause)
        clause = clause.strip().rstrip(TRAILING_PUNCT)
        entries = self._entries(clause, warn)
        for entry in entries:
            self._marks(entry, warn)
        entries = [e for e in entries if e.text]
        self._expand_shared_suffix(entries)
        refs: list[tuple[UnitRef, _Entry]] = []
        for entry in entries:
            for ref in self._unit(entry, warn):
                refs.append((ref, entry))
        last_lead = max((i for i, (_, e) in enumerate(refs) if e.lead_mark), default=None)
        out: list[UnitRef] = []
        for i, (ref, entry) in enumerate(refs):
            if label == "lead":
                role = "lead"
            elif label == "partner":
                role = "participant"
            elif last_lead is not None:
                role = "lead" if i <= last_lead else "participant"
            else:
                role = "lead" if i == 0 else "participant"
            if entry.partner_mark and label != "lead":
                role = "participant"
            out.append(_with_role(ref, role))
        return out


def _with_role(ref: UnitRef, role: str) -> UnitRef:
    return UnitRef(
        name=ref.name,
        role=role,  # type: ignore[arg-type]
        kind=ref.kind,
        also=ref.also,
        canonical=ref.canonical,
        unit_id=ref.unit_id,
    )
