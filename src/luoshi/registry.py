"""The dated unit registry: which organisation a unit name in a notice means, in a given year.

The data is ``luoshi/data/units.yaml`` (schema in ``luoshi/data/README.md``): one record per
organisation *as it existed*, with every spelling the notices use, the second names (牌子) they
write in parentheses, the years it applies, and links to the records it replaced or was replaced
by. ::

    >>> reg = default_registry()
    >>> reg.resolve("省人力社保厅", 2024).name          # three spellings, one department
    '省人社厅'
    >>> reg.resolve("省地方金融局", 2026).name          # a second name: 省委金融办（省地方金融局）
    '省委金融办'
    >>> reg.resolve("省文化和旅游厅", 2020).id         # before the 2023–24 merger …
    'zj-culture-tourism-2018'
    >>> reg.resolve("省文化和旅游厅", 2026).id         # … and the old name written in 2026
    'zj-culture-radio-tourism'
    >>> reg.resolve_group("省山海协作领导小组其他成员单位").name
    '省山海协作领导小组'
    >>> reg.split_run_together("省委军民融合办省国动办", 2026)
    ['省委军民融合办', '省国动办']

Names are compared after :func:`normalize_unit_name` (``(`` and ``（`` alike, no spaces). The
module uses only the standard library and PyYAML; it knows nothing of documents or the parser.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from luoshi.errors import LuoshiError

__all__ = [
    "GROUP_KIND",
    "GROUP_MEMBER_SUFFIXES",
    "KINDS",
    "SEED_YEARS",
    "Link",
    "Registry",
    "RegistryError",
    "RegistryUnit",
    "default_registry",
    "normalize_unit_name",
]

DATA_PATH = Path(__file__).with_name("data") / "units.yaml"

# The kinds documented in data/README.md; a record with another kind is refused.
KINDS = (
    "省政府组成部门",
    "省政府直属机构",
    "省政府部门管理机构",
    "省政府派出机构",
    "省委部门",
    "省委议事协调机构办事机构",
    "议事协调机构办事机构",
    "纪检监察与司法机关",
    "中央驻浙单位",
    "省属国有企业",
    "人民团体",
    "事业单位/实验室",
    "高校",
    "金融机构",
    "地方政府",
    "议事协调机构",
    "其他",
)
GROUP_KIND = "议事协调机构"

# Where a name was seen: the seed notices and the year each one is about.
SEED_YEARS: Mapping[str, int] = {"000": 2024, "002": 2026, "003": 2020}

# “省山海协作领导小组其他成员单位” names the other member units of the group 省山海协作领导小组.
GROUP_MEMBER_SUFFIXES = ("其他成员单位", "各成员单位", "成员单位")

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）"})
_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*")


class RegistryError(LuoshiError, ValueError):
    """The registry data is inconsistent; ``str()`` names the file, the record id and the reason.

    ``units.yaml: zj-drc: spelling 省发展改革委 also belongs to zj-other in 2024``
    """

    def __init__(self, reason: str, path: str | None = None, record_id: str | None = None):
        self.record_id = record_id
        super().__init__(f"{record_id}: {reason}" if record_id else reason, path)


@lru_cache(maxsize=65536)
def normalize_unit_name(name: str) -> str:
    """The form names are compared in: NFC, no whitespace (U+3000 included), no zero-width
    characters, ASCII parentheses made full-width. Idempotent.

    ``" 省发展改革委(省能源局)\\u3000"`` → ``"省发展改革委（省能源局）"``. Brackets 〔〕 are kept
    as written: the notices use them for second names (省卫生健康委〔省中医药管理局〕), and telling
    a second name from part of a name is the parser's work, not this function's.
    """
    # NFC last: dropping a character between a letter and its combining mark can make the text
    # composable, and normalising first would then leave work for a second call.
    name = "".join(ch for ch in name.translate(_ZERO_WIDTH) if not ch.isspace())
    return unicodedata.normalize("NFC", name.translate(_HALF_TO_FULL))


@dataclass(frozen=True)
class Link:
    """A rename or merger: ``id`` is the other record, ``year`` the year of the change.

    ``assumed`` is true where the notices alone do not prove the link; ``why`` says what it
    rests on.
    """

    id: str
    year: int | None
    assumed: bool
    why: str


@dataclass(frozen=True)
class RegistryUnit:
    """One organisation as it existed between ``valid_from`` and ``valid_to`` (inclusive years;
    None = open). ``name`` is its canonical short name; ``spellings`` every way the notices
    write it (``name`` first); ``also`` the second names they put in parentheses after it;
    ``paired`` the ids of other records they put in parentheses after it
    (省委依法治省办（省司法厅）: the office and the department it sits in)."""

    id: str
    name: str
    full_name: str | None
    kind: str
    spellings: tuple[str, ...]
    also: tuple[str, ...]
    valid_from: int | None
    valid_to: int | None
    predecessors: tuple[Link, ...]
    successors: tuple[Link, ...]
    paired: tuple[str, ...] = ()
    full_name_assumed: bool = False
    note: str | None = None

    @property
    def is_group(self) -> bool:
        """A leading group, joint conference, committee or headquarters (议事协调机构)."""
        return self.kind == GROUP_KIND

    def valid_in(self, year: int) -> bool:
        """Whether the record applies in ``year``."""
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )


def _overlap(a: RegistryUnit, b: RegistryUnit) -> bool:
    lo = max(a.valid_from or -(10**6), b.valid_from or -(10**6))
    hi = min(a.valid_to or 10**6, b.valid_to or 10**6)
    return lo <= hi


def _recency(unit: RegistryUnit) -> tuple[int, int]:
    return (unit.valid_to or 10**6, unit.valid_from or -(10**6))


class Registry:
    """Units by id and by name. Build one with :meth:`load` (or :func:`default_registry`)."""

    def __init__(self, units: Iterable[RegistryUnit], path: str | None = None):
        self.path = path
        self._units: dict[str, RegistryUnit] = {}
        for unit in units:
            if unit.id in self._units:
                raise RegistryError("duplicate id", path, unit.id)
            self._units[unit.id] = unit
        # normalised name → records that use it as a spelling / as a second name
        self._spelled: dict[str, list[RegistryUnit]] = {}
        self._also: dict[str, list[RegistryUnit]] = {}
        for unit in self._units.values():
            for name in dict.fromkeys(map(normalize_unit_name, unit.spellings)):
                self._spelled.setdefault(name, []).append(unit)
            for name in dict.fromkeys(map(normalize_unit_name, unit.also)):
                self._also.setdefault(name, []).append(unit)
        self._validate()

    # -- loading -------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None) -> Registry:
        """Read and validate a registry file (default: the package's ``data/units.yaml``).

        Raises :class:`RegistryError` naming the record and the reason: duplicate ids, a link
        to a missing record or one not mirrored by the other record, a name meaning two records
        in one year, a record with no spelling seen in a notice, an unknown kind.
        """
        path = Path(path) if path is not None else DATA_PATH
        label = path.name
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise RegistryError(f"cannot read the registry: {exc}", label) from exc
        if not isinstance(data, list):
            raise RegistryError("the registry must be a YAML list of records", label)
        return cls((_parse_record(rec, i, label) for i, rec in enumerate(data)), label)

    def _validate(self) -> None:
        path = self.path
        for unit in self._units.values():
            if unit.kind not in KINDS:
                raise RegistryError(f"unknown kind {unit.kind!r}", path, unit.id)
            if unit.valid_from and unit.valid_to and unit.valid_from > unit.valid_to:
                raise RegistryError("valid_from is after valid_to", path, unit.id)
            for links, mirror, word in (
                (unit.predecessors, "successors", "predecessor"),
                (unit.successors, "predecessors", "successor"),
            ):
                for link in links:
                    other = self._units.get(link.id)
                    if other is None:
                        raise RegistryError(f"{word} {link.id} is not a record", path, unit.id)
                    if unit.id not in {back.id for back in getattr(other, mirror)}:
                        raise RegistryError(
                            f"{word} {link.id} does not list {unit.id} among its {mirror}",
                            path,
                            unit.id,
                        )
            for other_id in unit.paired:
                if other_id not in self._units:
                    raise RegistryError(f"paired {other_id} is not a record", path, unit.id)
        # A name means one record a year, whether it is a spelling or a second name.
        names = set(self._spelled) | set(self._also)
        for name in names:
            users = self._spelled.get(name, []) + self._also.get(name, [])
            for i, a in enumerate(users):
                for b in users[i + 1 :]:
                    if a.id != b.id and _overlap(a, b):
                        raise RegistryError(
                            f"name {name} also belongs to {b.id} in overlapping years", path, a.id
                        )

    # -- lookups -------------------------------------------------------------------------
    def get(self, id: str) -> RegistryUnit:
        """The record ``id``; KeyError when there is none."""
        return self._units[id]

    def units(self, year: int | None = None) -> list[RegistryUnit]:
        """Every record in file order, or those that apply in ``year``."""
        return [u for u in self._units.values() if year is None or u.valid_in(year)]

    def names(self) -> set[str]:
        """Every known name (spellings and second names), normalised."""
        return set(self._spelled) | set(self._also)

    def resolve(self, name: str, year: int | None = None) -> RegistryUnit | None:
        """The record a unit name means, or None when the name is unknown.

        Matches a spelling or a second name exactly, after :func:`normalize_unit_name`. With a
        year, only records that apply that year count (a spelling before a second name); when
        none applies that year, or without a year, any record with the name will do, the latest
        first. ``resolve("省文化和旅游厅", 2020)`` is the pre-2024 department,
        ``resolve("省文化和旅游厅", 2026)`` the merged 省文化广电和旅游厅; ``resolve("省能源局")``
        is 省能源局 itself, never 省发展改革委 written before it in parentheses.
        """
        key = normalize_unit_name(name)
        spelled = self._spelled.get(key, [])
        also = self._also.get(key, [])
        if not spelled and not also:
            return None
        if year is not None:
            for group in (spelled, also):
                current = [u for u in group if u.valid_in(year)]
                if current:
                    return max(current, key=_recency)
        return max(spelled or also, key=_recency)

    def resolve_group(self, name: str, year: int | None = None) -> RegistryUnit | None:
        """The leading group (议事协调机构) named by ``X`` or ``X其他成员单位``; None when the
        name is not a known group (a unit that is not a group included).

        ``"省推进长三角一体化发展工作领导小组其他成员单位"`` → 省推进长三角一体化发展工作领导小组.
        """
        key = normalize_unit_name(name)
        candidates = [key]
        for suffix in GROUP_MEMBER_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                candidates.append(key[: -len(suffix)])
                break
        for candidate in reversed(candidates):
            unit = self.resolve(candidate, year)
            if unit is not None and unit.is_group:
                return unit
        return None

    def split_run_together(self, name: str, year: int | None = None) -> list[str] | None:
        """Known names written without a separator, ``"省委军民融合办省国动办"`` →
        ``["省委军民融合办", "省国动办"]``.

        The split covers the whole (normalised) name with two or more known names, as few and
        so as long as possible; names that apply in ``year`` are used when ``year`` is given.
        None when ``name`` is itself known or no split covers it.
        """
        key = normalize_unit_name(name)
        if not key or self.resolve(key, year) is not None:
            return None
        known = {
            n
            for n in self.names()
            if year is None or ((u := self.resolve(n, year)) is not None and u.valid_in(year))
        }
        longest = max(map(len, known), default=0)
        # best[i]: fewest pieces covering key[:i], with the cut before the last piece.
        best: list[tuple[int, int] | None] = [None] * (len(key) + 1)
        best[0] = (0, 0)
        for end in range(1, len(key) + 1):
            for start in range(max(0, end - longest), end):
                prior = best[start]
                if prior is None or key[start:end] not in known:
                    continue
                if best[end] is None or prior[0] + 1 < best[end][0]:
                    best[end] = (prior[0] + 1, start)
        if best[-1] is None or best[-1][0] < 2:
            return None
        pieces, end = [], len(key)
        while end > 0:
            start = best[end][1]
            pieces.append(key[start:end])
            end = start
        return pieces[::-1]

    # -- lineage ---------------------------------------------------------------------------
    def successors_chain(self, id: str) -> list[RegistryUnit]:
        """The records that replaced ``id``, then those that replaced them, nearest first
        (人行杭州中心支行 → [人行浙江省分行]). Empty for a current record."""
        chain: list[RegistryUnit] = []
        seen = {id}
        queue = [link.id for link in self.get(id).successors]
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            unit = self.get(current)
            chain.append(unit)
            queue.extend(link.id for link in unit.successors)
        return chain

    def lineage(self, id: str) -> set[str]:
        """Ids of every record linked to ``id`` by predecessor or successor links, directly or
        not, ``id`` included: the same organisation across renames and mergers, for views that
        compare years. 省大数据局's lineage holds 省数据局's id and the other way round."""
        found, queue = set(), [id]
        while queue:
            current = queue.pop()
            if current in found:
                continue
            found.add(current)
            unit = self.get(current)
            queue.extend(link.id for link in unit.predecessors + unit.successors)
        return found

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self):
        return iter(self._units.values())

    def __contains__(self, id: object) -> bool:
        return id in self._units


@cache
def default_registry() -> Registry:
    """The package's registry, loaded and validated once."""
    return Registry.load()


# -- parsing one record ------------------------------------------------------------------------
def _parse_record(rec: Any, index: int, path: str) -> RegistryUnit:
    if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
        raise RegistryError(f"record #{index + 1} is not a mapping with an id", path)
    rid = rec["id"]

    def fail(reason: str) -> RegistryError:
        return RegistryError(reason, path, rid)

    if not _ID_RE.fullmatch(rid):
        raise fail("the id must be lower-case ASCII letters, digits and hyphens")
    for key in ("name", "kind"):
        if not isinstance(rec.get(key), str) or not rec[key].strip():
            raise fail(f"{key} is missing")

    def named(key: str) -> list[tuple[str, list[str]]]:
        entries = rec.get(key) or []
        if not isinstance(entries, list):
            raise fail(f"{key} must be a list")
        out = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise fail(f"each of {key} needs a name")
            seen = entry.get("seen") or []
            if not isinstance(seen, list) or not all(isinstance(s, str) for s in seen):
                raise fail(f"{key} {entry['name']}: seen must be a list of seed ids")
            unknown = [s for s in seen if s not in SEED_YEARS]
            if unknown:
                raise fail(f"{key} {entry['name']}: unknown seed {unknown[0]!r}")
            out.append((entry["name"], seen))
        return out

    spellings = named("spellings")
    also = named("also")
    if not any(seen for _, seen in spellings):
        raise fail("no spelling says where it was seen")
    names = [normalize_unit_name(n) for n, _ in spellings]
    if normalize_unit_name(rec["name"]) not in names:
        raise fail(f"the name {rec['name']} is not among the spellings")

    def year(key: str) -> int | None:
        value = rec.get(key)
        if value is not None and not isinstance(value, int):
            raise fail(f"{key} must be a year or null")
        return value

    valid_from, valid_to = year("valid_from"), year("valid_to")
    for name, seen in spellings + also:
        for seed in seen:
            y = SEED_YEARS[seed]
            if (valid_from is not None and y < valid_from) or (
                valid_to is not None and y > valid_to
            ):
                raise fail(f"{name} is seen in {seed} ({y}), outside the record's years")

    def links(key: str) -> tuple[Link, ...]:
        entries = rec.get(key) or []
        if not isinstance(entries, list):
            raise fail(f"{key} must be a list")
        out = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                raise fail(f"each of {key} needs an id")
            assumed = entry.get("assumed", False)
            why = entry.get("why") or ""
            if assumed and not why:
                raise fail(f"{key} {entry['id']}: an assumed link must say why")
            out.append(Link(entry["id"], entry.get("year"), bool(assumed), str(why)))
        return tuple(out)

    paired = rec.get("paired") or []
    if not isinstance(paired, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in paired
    ):
        raise fail("paired must be a list of {id, seen, why}")

    return RegistryUnit(
        id=rid,
        name=rec["name"],
        full_name=rec.get("full_name"),
        kind=rec["kind"],
        spellings=tuple(n for n, _ in spellings),
        also=tuple(n for n, _ in also),
        valid_from=valid_from,
        valid_to=valid_to,
        predecessors=links("predecessors"),
        successors=links("successors"),
        paired=tuple(p["id"] for p in paired),
        full_name_assumed=bool(rec.get("full_name_assumed", False)),
        note=rec.get("note"),
    )
