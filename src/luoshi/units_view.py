"""Units across notices: the tasks a unit leads or joins, and how units changed between notices.

Which organisation a name means comes from the dated registry (:mod:`luoshi.registry`), as the
parser resolved it (``UnitRef.unit_id``). ::

    >>> tasks = find_unit_tasks([n2020, n2024], "省大数据局")
    >>> sorted({(t.year, t.name_as_written) for t in tasks})    # the bureau and its successor
    [(2020, '省大数据局'), (2024, '省数据局')]
    >>> diff = diff_notices(n2020, n2024)
    >>> [(r.old.written, r.new.written) for r in diff.units.renamed if r.old.name == "省地方金融监管局"]
    [('省地方金融监管局', '省委金融办（省地方金融局）')]

The module knows documents and the registry; it prints nothing and imports no web code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from luoshi.errors import UnknownUnitError
from luoshi.model import Notice, Role, Task, UnitRef
from luoshi.registry import (
    GROUP_MEMBER_SUFFIXES,
    Link,
    Registry,
    RegistryUnit,
    default_registry,
    normalize_unit_name,
)

__all__ = [
    "DiffSection",
    "DiffUnit",
    "LoadChange",
    "NoticeRef",
    "Rename",
    "UnitDiff",
    "UnitTask",
    "diff_notices",
    "find_unit_tasks",
    "registry_unit_to_dict",
    "unit_diff_to_dict",
    "unit_task_to_dict",
]

# Phrases that name no organisation (各设区市政府, 省级有关单位): neither listed nor compared.
_NAMELESS_KINDS = ("local_governments", "collective")


# -- the tasks of one unit ---------------------------------------------------------------------
@dataclass(frozen=True)
class UnitTask:
    """One task or livelihood item that names the unit asked for.

    ``document`` is the notice's title, else its doc number, else its file name; ``part`` and
    ``section`` are 1-based positions in the notice (``section`` within its part); ``role`` is
    ``lead`` when the unit leads the task under any of the names that matched; ``name_as_written``
    and ``also`` are the entry that matched (a lead entry first): ``省委金融办`` with also
    ``("省地方金融局",)``; ``canonical`` and ``unit_id`` the registry's record for that entry
    (None when the notice's name is not in the registry).
    """

    document: str
    path: str
    year: int | None
    part: int
    part_title: str | None
    part_kind: str
    section: int
    section_heading: str | None
    number: int | None
    text: str
    role: Role
    name_as_written: str
    also: tuple[str, ...]
    line: int
    canonical: str | None = None
    unit_id: str | None = None


def find_unit_tasks(
    notices: Iterable[Notice], name: str, registry: Registry | None = None
) -> list[UnitTask]:
    """Every task in ``notices`` that the unit ``name`` leads or joins, under any of its
    spellings and across renames; one entry per task, sorted by year, file, and position.

    ``name`` is resolved in each notice's year (``省文化和旅游厅`` is the 2018 department in a
    2020 notice, the merged 省文化广电和旅游厅 in a 2026 one). A task counts when one of its units
    is that record, a record it replaced, or one that replaced it, directly or not — so
    ``省大数据局`` finds the 2024 notice's 省数据局 and the other way round. Siblings in a merger
    do not count: ``省广电局`` finds 省文化广电和旅游厅 (its successor) but not the 2020
    省文化和旅游厅. A unit named in parentheses after another that is a record of its own
    (``省委依法治省办（省司法厅）``, ``paired`` in the registry) counts for both, with the entry's
    role. Group entries (``省山海协作领导小组其他成员单位``) count only when ``name`` is the group
    itself (``省山海协作领导小组``, or the entry as written): nothing says which units are the
    members. Phrases that name no organisation (各设区市政府) never count.

    A name the registry does not know is matched as written (spacing and bracket width aside)
    against the units the registry did not resolve — the units of a notice from another region.
    Raises :class:`~luoshi.errors.UnknownUnitError` when the registry does not know ``name`` and
    no notice writes it. No notices: an empty list for a known name.
    """
    registry = registry if registry is not None else default_registry()
    key = normalize_unit_name(name)
    notices = list(notices)
    found: list[UnitTask] = []
    known = False
    for notice in notices:
        year = notice.document.year
        record = registry.resolve(name, year) or registry.resolve_group(name, year)
        if record is not None:
            known = True
            ids = _relatives(registry, record.id)
            names = {key} | {normalize_unit_name(n) for i in ids for n in registry.get(i).spellings}
        else:
            ids, names = frozenset(), {key}
        for p_index, part in enumerate(notice.parts, 1):
            for s_index, section in enumerate(part.sections, 1):
                for task in section.tasks:
                    hits = [
                        ref
                        for ref in task.units
                        if _ref_matches(ref, ids, names, record, registry, year)
                    ]
                    if not hits:
                        continue
                    known = True
                    hit = next((ref for ref in hits if ref.role == "lead"), hits[0])
                    found.append(
                        UnitTask(
                            document=_document_label(notice),
                            path=notice.source.path,
                            year=year,
                            part=p_index,
                            part_title=part.title,
                            part_kind=part.kind,
                            section=s_index,
                            section_heading=section.heading,
                            number=task.number,
                            text=task.text,
                            role=hit.role,
                            name_as_written=hit.name,
                            also=hit.also,
                            line=task.line,
                            canonical=hit.canonical,
                            unit_id=hit.unit_id,
                        )
                    )
    if not known and registry.resolve(name) is None and registry.resolve_group(name) is None:
        raise UnknownUnitError(
            f"unit “{name}” is not in the unit registry nor named in the notices"
        )
    found.sort(
        key=lambda t: (t.year is None, t.year or 0, t.path, t.part, t.section, t.line, t.text)
    )
    return found


def _ref_matches(
    ref: UnitRef,
    ids: frozenset[str],
    names: set[str],
    record: RegistryUnit | None,
    registry: Registry,
    year: int | None,
) -> bool:
    if ref.kind in _NAMELESS_KINDS:
        return False
    if ref.kind == "group_members":
        # X其他成员单位 names the members of X without naming them: it is the group's entry.
        if ref.unit_id is not None:
            return record is not None and record.is_group and ref.unit_id in ids
        written = {normalize_unit_name(ref.name), normalize_unit_name(_group_name(ref.name))}
        return bool(written & names)
    if ref.unit_id is not None and ref.unit_id in ids:
        return True
    if ref.unit_id is None and normalize_unit_name(ref.name) in names:
        return True
    for also in ref.also:
        other = registry.resolve(also, year) if ids else None
        if other is not None and other.id in ids:
            return True  # 省委依法治省办（省司法厅）: the department is named too
        if ref.unit_id is None and normalize_unit_name(also) in names:
            return True
    return False


@lru_cache(maxsize=4096)
def _relatives(registry: Registry, id: str) -> frozenset[str]:
    """``id``, the records it replaced and those that replaced it, transitively (no siblings)."""
    found = {id}
    for direction in ("predecessors", "successors"):
        queue = [id]
        while queue:
            for link in getattr(registry.get(queue.pop()), direction):
                if link.id not in found:
                    found.add(link.id)
                    queue.append(link.id)
    return frozenset(found)


def _document_label(notice: Notice) -> str:
    doc = notice.document
    return doc.title or doc.doc_number or Path(notice.source.path).name


def unit_task_to_dict(task: UnitTask) -> dict:
    """The JSON object for one :class:`UnitTask` (every field; ``also`` a list)."""
    data = asdict(task)
    data["also"] = list(task.also)
    return data


# -- two notices compared ----------------------------------------------------------------------
@dataclass(frozen=True)
class NoticeRef:
    """Which notice: its label (title, doc number or file name), path and year."""

    document: str
    path: str
    year: int | None


@dataclass(frozen=True)
class DiffUnit:
    """One organisation as one notice names it.

    ``id`` is the registry record (None for a name the registry does not know); ``name`` the
    registry's name, or the name as written; ``written`` the form the notice uses most, second
    names in parentheses (``省委金融办（省地方金融局）``); ``led`` and ``joined`` count the tasks
    it leads and those it joins without leading.
    """

    id: str | None
    name: str
    written: str
    led: int
    joined: int


@dataclass(frozen=True)
class Rename:
    """A unit of the old notice that the new notice names as another record of its lineage.

    ``year``, ``assumed`` and ``why`` are the registry's link (over several links: the latest
    year, assumed when any is, the reasons joined; ``via`` names the records in between).
    ``merged_with`` names the other units of the old notice that became ``new`` too
    (省文化和旅游厅 and 省广电局 → 省文化广电和旅游厅); ``split_into`` the other units of the new
    notice that ``old`` became.
    """

    old: DiffUnit
    new: DiffUnit
    year: int | None
    assumed: bool
    why: str
    via: tuple[str, ...] = ()
    merged_with: tuple[str, ...] = ()
    split_into: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadChange:
    """The load of one organisation (one registry lineage, or one unknown name) in each notice.

    ``old`` and ``new`` are the records of the lineage each notice names; the counts are tasks,
    each counted once however many of the lineage's records it names (lead when one leads).
    """

    old: tuple[DiffUnit, ...]
    new: tuple[DiffUnit, ...]
    old_led: int
    old_joined: int
    new_led: int
    new_joined: int

    @property
    def name(self) -> str:
        """The new notice's name(s), else the old one's: ``省文化广电和旅游厅``."""
        return "、".join(u.written for u in (self.new or self.old))

    @property
    def changed(self) -> bool:
        return (self.old_led, self.old_joined) != (self.new_led, self.new_joined)


@dataclass(frozen=True)
class DiffSection:
    """Units that only the new notice names, only the old one, renames, and every load."""

    appeared: tuple[DiffUnit, ...]
    disappeared: tuple[DiffUnit, ...]
    renamed: tuple[Rename, ...]
    load: tuple[LoadChange, ...]


@dataclass(frozen=True)
class UnitDiff:
    """How the units of two notices differ: ``units`` (organisations) and ``groups`` (leading
    groups, joint conferences, committees named through ``…其他成员单位`` or as themselves)."""

    old: NoticeRef
    new: NoticeRef
    units: DiffSection
    groups: DiffSection


def diff_notices(old: Notice, new: Notice, registry: Registry | None = None) -> UnitDiff:
    """Units that appear, disappear or were renamed from ``old`` to ``new``, and each unit's load.

    Organisations are compared by registry lineage (records linked by renames and mergers):
    a lineage that both notices name under different records is a rename (省大数据局 →
    省数据局), listed once per old record and new record linked by successor links (a merger
    gives one row per merged unit, each with ``merged_with``); a record only one notice names,
    with no linked record in the other, appeared or disappeared. Leading groups and the like
    (registry kind 议事协调机构, and ``…其他成员单位`` entries) are their own section, ``groups``
    — a renamed group (省减灾委员会 → 省防灾减灾救灾委员会) is a rename there. Phrases that name no
    organisation (各设区市政府, 省级有关单位) are ignored. Names the registry did not resolve are
    compared by name as written (spacing and bracket width aside), and never renamed.

    A unit named in parentheses after another that is a record of its own
    (``省委依法治省办（省司法厅）``) counts for both, as in :func:`find_unit_tasks`. Either
    notice may be the later one: links are followed both ways.

    Sorted: appeared and disappeared by name, renames by old then new name, loads by the larger
    number of tasks named (most first), then by name.
    """
    registry = registry if registry is not None else default_registry()
    o, n = _tally(old, registry), _tally(new, registry)
    sections = {}
    for is_group in (False, True):
        sections[is_group] = _section(
            {k: v for k, v in o.units.items() if v.group == is_group},
            {k: v for k, v in n.units.items() if v.group == is_group},
            o,
            n,
            registry,
        )
    return UnitDiff(
        old=_notice_ref(old),
        new=_notice_ref(new),
        units=sections[False],
        groups=sections[True],
    )


def unit_diff_to_dict(diff: UnitDiff) -> dict:
    """The JSON object for a :class:`UnitDiff`; each load carries its display ``name``."""

    def section(s: DiffSection) -> dict:
        return {
            "appeared": [asdict(u) for u in s.appeared],
            "disappeared": [asdict(u) for u in s.disappeared],
            "renamed": [asdict(r) for r in s.renamed],
            "load": [{"name": c.name, "changed": c.changed, **asdict(c)} for c in s.load],
        }

    return {
        "old": asdict(diff.old),
        "new": asdict(diff.new),
        "units": section(diff.units),
        "groups": section(diff.groups),
    }


def _notice_ref(notice: Notice) -> NoticeRef:
    return NoticeRef(_document_label(notice), notice.source.path, notice.document.year)


@dataclass
class _Named:
    """What one notice says of one key (a record id, or ``name:`` and a name as written)."""

    group: bool
    written: Counter
    led: int = 0
    joined: int = 0


@dataclass
class _Tally:
    units: dict[str, _Named]
    # lineage key → (tasks led, tasks joined)
    lineages: dict[frozenset[str], list[int]]


def _tally(notice: Notice, registry: Registry) -> _Tally:
    year = notice.document.year
    units: dict[str, _Named] = {}
    lineages: dict[frozenset[str], list[int]] = {}
    for _part, _section, task in notice.tasks():
        roles: dict[str, str] = {}
        for key, role, group, written in _task_keys(task, registry, year):
            named = units.get(key)
            if named is None:
                named = units[key] = _Named(group, Counter())
            if written:
                named.written[written] += 1
            if roles.get(key) != "lead":
                roles[key] = role
        by_lineage: dict[frozenset[str], str] = {}
        for key, role in roles.items():
            named = units[key]
            if role == "lead":
                named.led += 1
            else:
                named.joined += 1
            lin = _lineage_of(key, registry)
            if by_lineage.get(lin) != "lead":
                by_lineage[lin] = role
        for lin, role in by_lineage.items():
            counts = lineages.setdefault(lin, [0, 0])
            counts[0 if role == "lead" else 1] += 1
    return _Tally(units, lineages)


def _task_keys(task: Task, registry: Registry, year: int | None):
    """``(key, role, is_group, written)`` for each organisation a task names; ``written`` is
    empty for a record named only inside another entry's parentheses."""
    for ref in task.units:
        if ref.kind in _NAMELESS_KINDS:
            continue
        name = _group_name(ref.name) if ref.kind == "group_members" else ref.name
        written = f"{name}（{'、'.join(ref.also)}）" if ref.also else name
        if ref.unit_id is not None and ref.unit_id in registry:
            group = ref.kind == "group_members" or registry.get(ref.unit_id).is_group
            yield ref.unit_id, ref.role, group, written
        else:
            # Not in the registry: compared by the name as written (without its parentheses).
            key = "name:" + normalize_unit_name(name)
            yield key, ref.role, ref.kind == "group_members", written
            continue
        if ref.kind != "unit":
            continue
        for also in ref.also:
            other = registry.resolve(also, year)
            if other is not None and other.id != ref.unit_id:
                yield other.id, ref.role, other.is_group, ""


def _group_name(name: str) -> str:
    """``省山海协作领导小组其他成员单位`` → ``省山海协作领导小组``: the group, as the notice writes it."""
    for suffix in GROUP_MEMBER_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _lineage_of(key: str, registry: Registry) -> frozenset[str]:
    if key.startswith("name:"):
        return frozenset({key})
    return _lineage_cached(registry, key)


@lru_cache(maxsize=4096)
def _lineage_cached(registry: Registry, id: str) -> frozenset[str]:
    return frozenset(registry.lineage(id))


def _diff_unit(key: str, named: _Named, registry: Registry) -> DiffUnit:
    if key.startswith("name:"):
        rid, name = None, key[len("name:") :]
    else:
        rid, name = key, registry.get(key).name
    # The most frequent form; ties go to the form seen first (Counter keeps insertion order).
    written = named.written.most_common(1)[0][0] if named.written else name
    if rid is None:
        name = written
    return DiffUnit(rid, name, written, named.led, named.joined)


def _section(
    old: dict[str, _Named],
    new: dict[str, _Named],
    o: _Tally,
    n: _Tally,
    registry: Registry,
) -> DiffSection:
    old_units = {k: _diff_unit(k, v, registry) for k, v in old.items()}
    new_units = {k: _diff_unit(k, v, registry) for k, v in new.items()}
    lineages: dict[frozenset[str], tuple[list[str], list[str]]] = {}
    for side, keys in ((0, old_units), (1, new_units)):
        for key in keys:
            lineages.setdefault(_lineage_of(key, registry), ([], []))[side].append(key)

    renamed: list[Rename] = []
    appeared: list[DiffUnit] = []
    disappeared: list[DiffUnit] = []
    load: list[LoadChange] = []
    for lin, (old_keys, new_keys) in lineages.items():
        pairs = [
            (a, b, path)
            for a in old_keys
            for b in new_keys
            if a != b
            and (a not in new_keys or b not in old_keys)
            and (path := _path(registry, a, b)) is not None
        ]
        paired_old = {a for a, _, _ in pairs}
        paired_new = {b for _, b, _ in pairs}
        for a, b, path in pairs:
            merged = sorted(
                {old_units[x].written for x, y, _ in pairs if y == b and x != a}
                | ({old_units[b].written} if b in old_units else set())
            )
            split = sorted(
                {new_units[y].written for x, y, _ in pairs if x == a and y != b}
                | ({new_units[a].written} if a in new_units else set())
            )
            renamed.append(
                Rename(
                    old=old_units[a],
                    new=new_units[b],
                    year=max((lk.year for lk in path if lk.year is not None), default=None),
                    assumed=any(lk.assumed for lk in path),
                    why="; ".join(dict.fromkeys(lk.why for lk in path if lk.why)),
                    via=tuple(registry.get(lk.id).name for lk in path[:-1]),
                    merged_with=tuple(merged),
                    split_into=tuple(split),
                )
            )
        appeared += [new_units[k] for k in new_keys if k not in old_keys and k not in paired_new]
        disappeared += [old_units[k] for k in old_keys if k not in new_keys and k not in paired_old]
        old_counts = o.lineages.get(lin, [0, 0]) if old_keys else [0, 0]
        new_counts = n.lineages.get(lin, [0, 0]) if new_keys else [0, 0]
        load.append(
            LoadChange(
                old=tuple(sorted((old_units[k] for k in old_keys), key=_unit_order)),
                new=tuple(sorted((new_units[k] for k in new_keys), key=_unit_order)),
                old_led=old_counts[0],
                old_joined=old_counts[1],
                new_led=new_counts[0],
                new_joined=new_counts[1],
            )
        )
    load.sort(
        key=lambda c: (
            -max(c.old_led + c.old_joined, c.new_led + c.new_joined),
            c.name,
            [u.written for u in c.old],
        )
    )
    return DiffSection(
        appeared=tuple(sorted(appeared, key=_unit_order)),
        disappeared=tuple(sorted(disappeared, key=_unit_order)),
        renamed=tuple(sorted(renamed, key=lambda r: (_unit_order(r.old), _unit_order(r.new)))),
        load=tuple(load),
    )


def _unit_order(unit: DiffUnit) -> tuple[str, str, str]:
    return (unit.name, unit.written, unit.id or "")


def _path(registry: Registry, start: str, goal: str) -> list[Link] | None:
    """The links from ``start`` to ``goal`` along successors (or, failing that, along
    predecessors: the old notice may be the later one); None when neither reaches it."""
    if start.startswith("name:") or goal.startswith("name:"):
        return None
    for direction in ("successors", "predecessors"):
        queue: list[tuple[str, list[Link]]] = [(start, [])]
        seen = {start}
        while queue:
            current, path = queue.pop(0)
            for link in getattr(registry.get(current), direction):
                if link.id in seen:
                    continue
                if link.id == goal:
                    return [*path, link]
                seen.add(link.id)
                queue.append((link.id, [*path, link]))
    return None


# -- the registry as data ----------------------------------------------------------------------
def registry_unit_to_dict(unit: RegistryUnit, registry: Registry | None = None) -> dict:
    """The JSON object for one registry record; links carry the other record's ``name`` when
    ``registry`` is given (``{"id": "zj-data-bureau", "name": "省数据局", "year": 2024, …}``)."""

    def link(lk: Link) -> dict:
        out = {"id": lk.id}
        if registry is not None and lk.id in registry:
            out["name"] = registry.get(lk.id).name
        out.update(year=lk.year, assumed=lk.assumed, why=lk.why)
        return out

    return {
        "id": unit.id,
        "name": unit.name,
        "full_name": unit.full_name,
        "kind": unit.kind,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "spellings": list(unit.spellings),
        "also": list(unit.also),
        "paired": list(unit.paired),
        "predecessors": [link(lk) for lk in unit.predecessors],
        "successors": [link(lk) for lk in unit.successors],
        "note": unit.note,
    }
