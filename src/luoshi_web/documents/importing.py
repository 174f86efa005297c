"""Importing a notice: preview, import (all or nothing) and reparse.

``preview(file)`` parses without writing anything and returns the library's
:class:`~luoshi.model.Notice`; ``import_notice(file, user)`` writes the document, its file, its
parts, sections, tasks, assignments, targets, warnings and periods in one transaction — a failure
anywhere leaves no row and no file; ``reparse(document, user)`` reads the stored file again with
the current parser and updates the rows in place, never deleting a report.

Errors a user can act on are :class:`ImportRefused` with a one-line ``reason`` in Chinese.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

import luoshi
from luoshi.errors import LuoshiError, NotANoticeError, ReadError, WorkReportError
from luoshi.model import Notice
from luoshi.registry import default_registry
from luoshi_web.documents.models import (
    Assignment,
    Document,
    Leader,
    ParseWarning,
    Part,
    Section,
    Target,
    Task,
)
from luoshi_web.documents.units import unit_for
from luoshi_web.tracking.lights import refresh_document
from luoshi_web.tracking.periods import build_periods

log = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The file cannot be imported; ``reason`` says why, in words for the user."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Upload:
    """A file to import, read into memory: its original name and bytes."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check_upload(name: str, size: int) -> None:
    """Refuse a file of a type or size the application does not take."""
    suffix = Path(name).suffix.lower()
    if suffix not in settings.UPLOAD_ALLOWED_EXTENSIONS:
        allowed = "、".join(s.lstrip(".") for s in settings.UPLOAD_ALLOWED_EXTENSIONS)
        raise ImportRefused(f"不支持的文件类型“{suffix or '无扩展名'}”：只接受 {allowed}")
    if size > settings.UPLOAD_MAX_BYTES:
        raise ImportRefused(
            f"文件过大（{size / 1048576:.1f} MB）：上限 {settings.UPLOAD_MAX_BYTES // 1048576} MB"
        )
    if size == 0:
        raise ImportRefused("文件是空的")


def read_upload(source) -> Upload:
    """An :class:`Upload` from a path or a Django ``UploadedFile`` (checked for type and size
    before it is read)."""
    if isinstance(source, Upload):
        return source
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise ImportRefused(f"找不到文件：{path}")
        check_upload(path.name, path.stat().st_size)
        return Upload(path.name, path.read_bytes())
    name = Path(getattr(source, "name", "") or "upload").name
    check_upload(name, getattr(source, "size", 0) or 0)
    data = b"".join(source.chunks()) if hasattr(source, "chunks") else source.read()
    check_upload(name, len(data))
    return Upload(name, data)


def _refusal(exc: LuoshiError) -> ImportRefused:
    if isinstance(exc, WorkReportError):
        return ImportRefused("这是政府工作报告，不是责任分解通知")
    if isinstance(exc, NotANoticeError):
        return ImportRefused("这不是重点工作责任分解通知：没有找到列明责任单位的任务")
    if isinstance(exc, ReadError):
        return ImportRefused(f"无法读取文件：{exc.reason}")
    return ImportRefused(f"无法解析文件：{exc.reason}")


def parse_upload(upload: Upload) -> Notice:
    """Parse the bytes with the library (through a temporary file, as the reader wants one)."""
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="luoshi-import-") as tmp:
        path = Path(tmp) / f"notice{suffix}"
        path.write_bytes(upload.data)
        try:
            return luoshi.parse_notice(path)
        except LuoshiError as exc:
            raise _refusal(exc) from exc


def preview(source) -> Notice:
    """The parsed notice, nothing written. Raises :class:`ImportRefused`."""
    return parse_upload(read_upload(source))


def already_imported(sha256: str) -> Document | None:
    return Document.objects.filter(sha256=sha256).first()


def import_notice(source, user=None, *, period_kind: str = Document.MONTHLY) -> Document:
    """Import a notice file (a path, an ``UploadedFile`` or an :class:`Upload`).

    Refuses a file already imported (same sha256), a file that is not a notice, or one of a type
    or size not accepted — :class:`ImportRefused`. Everything is written in one transaction; on
    any failure the stored copy of the file is removed too.
    """
    upload = read_upload(source)
    existing = already_imported(upload.sha256)
    if existing is not None:
        raise ImportRefused(
            f"该文件已导入：{existing}（{timezone.localtime(existing.imported_at):%Y-%m-%d %H:%M}）"
        )
    notice = parse_upload(upload)
    if notice.document.year is None:
        raise ImportRefused("无法确定通知的年份")
    stored: list[str] = []
    try:
        with transaction.atomic():
            document = Document(
                title=notice.document.title or "",
                doc_number=notice.document.doc_number or "",
                issuer=notice.document.issuer or "",
                year=notice.document.year,
                signed_on=_date(notice.document.signed_on),
                printed_on=_date(notice.document.printed_on),
                original_name=upload.name,
                sha256=upload.sha256,
                media_type=notice.source.media_type,
                parser_version=luoshi.__version__,
                period_kind=period_kind,
                imported_by=user if user is not None and user.is_authenticated else None,
            )
            document.source_file.save(upload.name, ContentFile(upload.data), save=False)
            stored.append(document.source_file.name)
            _set_history(document, user, "导入")
            document.save()
            _write_structure(document, notice, user)
            _write_warnings(document, notice)
            _write_periods(document)
            _refresh_lights(document)
    except BaseException:
        for name in stored:
            document.source_file.storage.delete(name)
        raise
    return document


@dataclass
class ReparseSummary:
    matched: int = 0
    created: int = 0
    retired: int = 0

    def __str__(self) -> str:
        return f"匹配 {self.matched} 项，新增 {self.created} 项，停用 {self.retired} 项"


def reparse(document: Document, user=None, notice: Notice | None = None) -> ReparseSummary:
    """Read the document's stored file again with the current parser and bring the rows up to
    date. Tasks are matched by (part, section, number) or, failing that, by text; a task no
    longer found is ``retired`` (kept with its reports), never deleted. Likewise assignments and
    targets that carry reported values. ``notice`` replaces the stored file's parse (tests, and
    a corrected copy of the same document)."""
    if notice is None:
        with document.source_file.open("rb") as fh:
            data = fh.read()
        if hashlib.sha256(data).hexdigest() != document.sha256:
            raise ImportRefused("存档文件与导入时的 sha256 不一致，未重新解析")
        notice = parse_upload(Upload(document.original_name, data))
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        summary = _write_structure(document, notice, user, reparse=True)
        document.warnings.all().delete()
        _write_warnings(document, notice)
        document.parser_version = luoshi.__version__
        document.reparsed_at = timezone.now()
        _set_history(document, user, "重新解析")
        document.save()
        _refresh_lights(document)
    return summary


# -- writing -------------------------------------------------------------------------------------
def _set_history(obj, user, reason: str) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


class _Leaders:
    """Leader rows by name, one lookup per name; a name the parser lists as another spelling of
    a section leader's (``Notice.leaders[i].also``) is read as that leader."""

    def __init__(self, notice: Notice):
        # the parser lists each leader with the other spellings the notice uses (庐山 / 卢山)
        self.alias: dict[str, str] = {
            other: leader.name for leader in notice.leaders for other in leader.also
        }
        self.cache: dict[str, Leader] = {}

    def get(self, name: str, title: str | None = None) -> Leader:
        canonical = self.alias.get(name, name)
        leader = self.cache.get(canonical)
        if leader is None:
            leader = Leader.objects.filter(region="", name=canonical).first()
            if leader is None:  # a name kept as another spelling of a leader (卢山 → 庐山)
                leader = next(
                    (x for x in Leader.objects.filter(region="") if canonical in x.also_names),
                    None,
                )
            if leader is None:
                leader = Leader.objects.create(region="", name=canonical, title=title or "")
            self.cache[canonical] = leader
        if title and not leader.title:
            leader.title = title
            leader.save(update_fields=["title"])
        if canonical != name and name not in leader.also_names:
            leader.also_names = [*leader.also_names, name]
            leader.save(update_fields=["also_names"])
        return leader


def _write_structure(document: Document, notice: Notice, user, *, reparse: bool = False):
    registry = default_registry()
    leaders = _Leaders(notice)
    summary = ReparseSummary()
    old_tasks = {}
    if reparse:
        for task in Task.objects.filter(section__part__document=document).select_related(
            "section__part"
        ):
            old_tasks[task.pk] = task
    by_number = {
        (t.section.part.index, t.section.index, t.number): t
        for t in old_tasks.values()
        if t.number is not None
    }
    by_text = {(t.section.part.index, t.section.index, t.text): t for t in old_tasks.values()}
    seen: set[int] = set()
    reason = "重新解析" if reparse else "导入"

    for p_index, part in enumerate(notice.parts):
        start, end = part.period or (document.year, document.year)
        part_row, _ = Part.objects.update_or_create(
            document=document,
            index=p_index,
            defaults={
                "kind": part.kind,
                "title": part.title or "",
                "period_start": start,
                "period_end": end,
                "line": part.line,
            },
        )
        for s_index, section in enumerate(part.sections):
            leader = (
                leaders.get(section.leader.name, section.leader.title) if section.leader else None
            )
            section_row, _ = Section.objects.update_or_create(
                part=part_row,
                index=s_index,
                defaults={
                    "ordinal": section.ordinal,
                    "heading": section.heading or "",
                    "leader": leader,
                    "leader_title": (section.leader.title or "") if section.leader else "",
                    "category": section.category or "",
                    "line": section.line,
                },
            )
            for t_index, task in enumerate(section.tasks):
                row = None
                if reparse:
                    row = by_number.get((p_index, s_index, task.number)) if task.number else None
                    if row is None or row.pk in seen:
                        row = by_text.get((p_index, s_index, task.text))
                    if row is not None and row.pk in seen:
                        row = None
                if row is None:
                    row = Task(section=section_row)
                    summary.created += 1 if reparse else 0
                else:
                    summary.matched += 1
                row.section = section_row
                row.index = t_index
                row.number = task.number
                row.text = task.text
                row.line = task.line
                row.deadlines = list(task.deadlines)
                row.deadline_text = task.deadline_text or ""
                row.retired = False
                row.search_text = " ".join(
                    [task.text, *task.leaders, *(u.name for u in task.units)]
                )
                _set_history(row, user, reason)
                row.save()
                seen.add(row.pk)
                row.leaders.set([leaders.get(name) for name in task.leaders])
                _write_assignments(row, task.units, registry, user, reason)
                _write_targets(row, task.targets)

    for pk, task in old_tasks.items():
        if pk not in seen and not task.retired:
            task.retired = True
            _set_history(task, user, "重新解析：通知中已无此项")
            task.save()
            summary.retired += 1
    return summary


def _write_assignments(task: Task, units: Iterable, registry, user, reason: str) -> None:
    old = {}
    for a in task.assignments.all():
        old.setdefault((a.unit_id, a.name_as_written if a.unit_id is None else ""), a)
    seen = set()
    for index, ref in enumerate(units):
        unit = unit_for(ref.unit_id, registry) if ref.unit_id else None
        key = (unit.pk if unit else None, "" if unit else ref.name)
        if key in seen:
            continue  # a unit named twice on one task: the first mention decides its role
        seen.add(key)
        row = old.get(key) or Assignment(task=task)
        fields = {
            "index": index,
            "unit": unit,
            "name_as_written": ref.name,
            "also": list(ref.also),
            "kind": ref.kind,
            "role": ref.role,
            "canonical": ref.canonical or "",
            "retired": False,
        }
        if row.pk is None or any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            _set_history(row, user, reason)
            row.save()
    for key, row in old.items():
        if key not in seen and not row.retired:
            row.retired = True
            _set_history(row, user, "重新解析：通知中已无此单位")
            row.save()


def _write_targets(task: Task, targets: Iterable) -> None:
    old = list(task.targets.all())
    by_text = {t.text: t for t in old}
    kept = set()
    for index, target in enumerate(targets):
        value = target.value
        low, high = (value if isinstance(value, tuple | list) else (value, None))[:2]
        row = by_text.get(target.text)
        if row is None or row.pk in kept:
            row = Target(task=task)
        row.index = index
        row.text = target.text
        row.indicator = target.indicator or ""
        row.op = target.op
        row.value = _decimal(low)
        row.value_high = _decimal(high)
        row.unit = target.unit or ""
        row.by = target.by or ""
        row.measure = target.measure or ""
        row.hedge = target.hedge or ""
        row.retired = False
        row.save()
        kept.add(row.pk)
    for row in old:
        if row.pk in kept:
            continue
        if row.reported_values.exists():
            row.retired = True
            row.save(update_fields=["retired"])
        else:
            row.delete()


def _write_warnings(document: Document, notice: Notice) -> None:
    ParseWarning.objects.bulk_create(ParseWarning.of(w, document) for w in notice.warnings)


def _write_periods(document: Document) -> None:
    build_periods(document)


def _refresh_lights(document: Document) -> None:
    refresh_document(document)
