"""Every change of state in tracking, one function each: file, submit, return, consolidate,
review, remind, instruct.

Each function checks the permission (``accounts.permissions``; raises
:class:`~django.core.exceptions.PermissionDenied`), the state (an accepted report is locked;
:class:`Locked`, :class:`InvalidState`), the version when one is given (:class:`Conflict`, naming
who changed the row and when), writes in one transaction with the row locked, records the user
and a reason in the history, and recomputes the task's status and light.

Views and the REST API call these and map the exceptions to responses: PermissionDenied → 403,
Conflict → 409, Locked / InvalidState / Invalid → 400 (or a message on the form).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from luoshi_web.accounts import permissions
from luoshi_web.documents.models import Section, Task, Unit
from luoshi_web.tracking.lights import refresh_task, targets_of
from luoshi_web.tracking.models import (
    Attachment,
    Consolidation,
    Instruction,
    Period,
    ProgressReport,
    Reminder,
    ReportState,
    Review,
    TargetValue,
)


class ActionError(Exception):
    """A change refused for a reason the user can act on; ``message`` says it in Chinese."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class Conflict(ActionError):
    """The row changed since the user read it (its version moved on)."""


class Locked(ActionError):
    """The report was accepted: it can no longer change."""


class InvalidState(ActionError):
    """The step does not apply to the row in its present state."""


class Invalid(ActionError):
    """The input is not acceptable (a percent over 100, a target of another task…)."""


@dataclass
class ReportData:
    """What a unit (or the lead, consolidating) writes for a period."""

    narrative: str = ""
    percent: int = 0
    problems: str = ""
    support_needed: str = ""
    next_steps: str = ""
    values: dict[int, Decimal] = field(default_factory=dict)  # target id → value reached
    attachments: list = field(default_factory=list)  # UploadedFile-like: name, size, chunks()

    TEXT_FIELDS = ("narrative", "problems", "support_needed", "next_steps")


def _who(user) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


def _stamp(obj, user, reason: str) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason


def _check_version(obj, expected_version: int | None, noun: str) -> None:
    if expected_version is None or obj.version == expected_version:
        return
    when = timezone.localtime(obj.updated_at).strftime("%Y-%m-%d %H:%M:%S")
    raise Conflict(
        f"{noun}已被 {_who(obj.updated_by)} 于 {when} 修改（当前版本 {obj.version}，"
        f"您编辑的是版本 {expected_version}）。您的修改没有保存，请刷新页面查看最新内容后重新提交。"
    )


def _check_period(task: Task, period: Period) -> None:
    if period.document_id != task.section.part.document_id:
        raise Invalid("该报送期不属于此任务所在的文件")


def _apply(obj, data: ReportData) -> None:
    try:
        percent = int(data.percent)
    except (TypeError, ValueError) as exc:
        raise Invalid("完成百分比须为 0–100 的整数") from exc
    if not 0 <= percent <= 100:
        raise Invalid("完成百分比须为 0–100 的整数")
    obj.percent = percent
    for name in ReportData.TEXT_FIELDS:
        setattr(obj, name, (getattr(data, name) or "").strip())


def _write_values(
    task: Task, data: ReportData, user, *, report=None, consolidation=None, fresh: bool = False
) -> list[TargetValue]:
    """Write ``data.values`` (an empty value clears one); returns the rows written or changed."""
    if not data.values:
        return []
    targets = {t.pk: t for t in targets_of(task)}
    owner = {"report": report} if report is not None else {"consolidation": consolidation}
    # a report or consolidation saved for the first time just now has no values yet
    written = {} if fresh else {v.target_id: v for v in TargetValue.objects.filter(**owner)}
    saved = []
    for target_id, raw in data.values.items():
        if int(target_id) not in targets:
            raise Invalid("指标不属于此任务")
        existing = written.get(int(target_id))
        if raw is None or raw == "":
            if existing is not None:
                _stamp(existing, user, "清除指标值")
                existing.delete()
            continue
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError) as exc:
            raise Invalid(f"指标值“{raw}”不是数字") from exc
        if not value.is_finite():
            raise Invalid(f"指标值“{raw}”不是数字")
        if existing is None:
            existing = TargetValue(target_id=target_id, **owner)
        elif existing.value == value:
            continue
        existing.value = value
        _stamp(existing, user, "填报指标值")
        existing.save()
        saved.append(existing)
    return saved


def _save_files(files, user, stored: list, *, report=None, consolidation=None) -> list[Attachment]:
    """Store uploaded attachments and return their rows; ``stored`` collects (storage, name) so
    that the caller can remove the files again when its transaction fails."""
    rows = []
    for upload in files:
        name = Path(upload.name or "attachment").name
        suffix = Path(name).suffix.lower()
        if suffix not in settings.UPLOAD_ALLOWED_EXTENSIONS:
            allowed = "、".join(s.lstrip(".") for s in settings.UPLOAD_ALLOWED_EXTENSIONS)
            raise Invalid(f"附件“{name}”类型不支持：只接受 {allowed}")
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise Invalid(f"附件“{name}”超过 {settings.UPLOAD_MAX_BYTES // 1048576} MB")
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        attachment = Attachment(
            report=report,
            consolidation=consolidation,
            original_name=name,
            sha256=digest.hexdigest(),
            content_type=getattr(upload, "content_type", "") or "application/octet-stream",
            size=upload.size,
            uploaded_by=user,
        )
        attachment.file.save(name, upload, save=False)
        stored.append((attachment.file.storage, attachment.file.name))
        _stamp(attachment, user, "上传附件")
        attachment.save()
        rows.append(attachment)
    return rows


def _remove(stored: list) -> None:
    for storage, name in stored:
        storage.delete(name)


# -- reports ------------------------------------------------------------------------------------
def file_report(
    user,
    task: Task,
    period: Period,
    data: ReportData,
    expected_version: int | None = None,
    *,
    submit: bool = False,
) -> ProgressReport:
    """Write the user's unit's report on ``task`` for ``period`` (created the first time) and,
    with ``submit``, file it. A returned report may be edited and filed again; an accepted one
    raises :class:`Locked`. ``expected_version`` is the version the user edited (0 for a new
    report); None skips the check. A report this call created carries ``written``: ``{"values":
    […], "attachments": […]}``, the rows it wrote, which are all the report has."""
    if not permissions.can_file(user, task):
        raise PermissionDenied("您的单位不在此任务上")
    _check_period(task, period)
    unit: Unit = permissions.unit_of(user)
    stored: list = []
    mine = ProgressReport.objects.filter(task=task, unit=unit, period=period)
    try:
        with transaction.atomic():
            # Version 0 is a new report: nothing to read first, the unique constraint refuses a
            # second one (the refusal is explained below). Otherwise the row is locked and read.
            report = None if expected_version == 0 else mine.select_for_update().first()
            fresh = report is None
            if fresh:
                report = ProgressReport(task=task, unit=unit, period=period)
            elif report.state == ReportState.ACCEPTED:
                raise Locked("该报告已审核通过，不能再修改")
            else:
                _check_version(report, expected_version, "该报告")
            _apply(report, data)
            report.version += 1
            report.updated_by = user
            if submit:
                report.state = ReportState.SUBMITTED
                report.submitted_at = timezone.now()
                report.submitted_by = user
                reason = "报送进展" if report.pk is None else "修改并报送进展"
            else:
                reason = "保存进展" if report.pk is None else "修改进展"
            _stamp(report, user, reason)
            report.save()
            values = _write_values(task, data, user, report=report, fresh=fresh)
            files = _save_files(data.attachments, user, stored, report=report)
            refresh_task(task, user=user)
            if fresh:  # all it has: whoever shows it need not read them back
                report.written = {"values": values, "attachments": files}
    except IntegrityError as exc:
        _remove(stored)
        # The report exists: written from an old page (version 0), or two first saves at once.
        existing = mine.first()
        if existing is not None and existing.state == ReportState.ACCEPTED:
            raise Locked("该报告已审核通过，不能再修改") from exc
        if existing is not None and expected_version is not None:
            _check_version(existing, expected_version, "该报告")
        raise Conflict(
            "该报告刚被同单位的其他用户创建，您的修改没有保存，请刷新后重新填写。"
        ) from exc
    except BaseException:
        _remove(stored)
        raise
    return report


def attach(user, report: ProgressReport, files) -> ProgressReport:
    """Add ``files`` to the unit's own report (a draft, filed or returned one; an accepted
    report raises :class:`Locked`): all of them or none (:class:`Invalid` names the file)."""
    if not permissions.can_edit_report(user, report):
        raise PermissionDenied("只能为本单位的报告上传附件")
    if not files:
        raise Invalid("没有附件：请以 file 字段上传文件")
    stored: list = []
    try:
        with transaction.atomic():
            report = ProgressReport.objects.select_for_update().get(pk=report.pk)
            if report.state == ReportState.ACCEPTED:
                raise Locked("该报告已审核通过，不能再修改")
            _save_files(files, user, stored, report=report)
    except BaseException:
        _remove(stored)
        raise
    return report


def submit_report(user, report: ProgressReport, expected_version: int | None = None):
    """File a draft or returned report as it stands."""
    if not permissions.can_edit_report(user, report):
        raise PermissionDenied("只能报送本单位的报告")
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.state == ReportState.ACCEPTED:
            raise Locked("该报告已审核通过，不能再修改")
        if report.state == ReportState.SUBMITTED:
            raise InvalidState("该报告已报送")
        _check_version(report, expected_version, "该报告")
        report.state = ReportState.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = user
        report.updated_by = user
        report.version += 1
        _stamp(report, user, "报送进展")
        report.save()
        refresh_task(report.task, user=user)
    return report


def return_report(user, report: ProgressReport, reason: str, expected_version=None):
    """Send a filed report back to its unit with a reason (the office, or the lead unit for a
    partner's report)."""
    if not permissions.can_return_report(user, report):
        raise PermissionDenied("无权退回该报告")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("退回须说明理由")
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.state != ReportState.SUBMITTED:
            raise InvalidState(f"只能退回已报送的报告（当前：{report.get_state_display()}）")
        _check_version(report, expected_version, "该报告")
        report.state = ReportState.RETURNED
        report.return_reason = reason
        report.updated_by = user
        report.version += 1
        _stamp(report, user, f"退回：{reason}")
        report.save()
        refresh_task(report.task, user=user)
    return report


# -- consolidation and review ------------------------------------------------------------------
def consolidate(
    user,
    task: Task,
    period: Period,
    data: ReportData,
    expected_version: int | None = None,
    *,
    include: list[ProgressReport] | None = None,
    submit: bool = False,
) -> Consolidation:
    """The lead unit's combined report for ``task`` and ``period``; with ``submit`` it goes to
    the office. ``include`` defaults to every filed report of the period."""
    if not permissions.can_consolidate(user, task):
        raise PermissionDenied("只有牵头单位可以汇总")
    _check_period(task, period)
    stored: list = []
    try:
        with transaction.atomic():
            consolidation = (
                Consolidation.objects.select_for_update().filter(task=task, period=period).first()
            )
            fresh = consolidation is None
            if fresh:
                consolidation = Consolidation(task=task, period=period)
            elif consolidation.state == ReportState.ACCEPTED:
                raise Locked("该汇总已审核通过，不能再修改")
            else:
                _check_version(consolidation, expected_version, "该汇总")
            _apply(consolidation, data)
            consolidation.lead_unit = permissions.unit_of(user)
            consolidation.version += 1
            consolidation.updated_by = user
            if submit:
                consolidation.state = ReportState.SUBMITTED
                consolidation.submitted_at = timezone.now()
                consolidation.submitted_by = user
                reason = "提交汇总" if consolidation.return_reason == "" else "修改后重新提交汇总"
            else:
                reason = "保存汇总"
            _stamp(consolidation, user, reason)
            consolidation.save()
            if include is None:
                include = list(
                    ProgressReport.objects.filter(
                        task=task,
                        period=period,
                        state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED],
                    )
                )
            for report in include:
                if report.task_id != task.pk or report.period_id != period.pk:
                    raise Invalid("只能汇总本任务本期的报告")
            consolidation.includes.set(include)
            _write_values(task, data, user, consolidation=consolidation, fresh=fresh)
            _save_files(data.attachments, user, stored, consolidation=consolidation)
            refresh_task(task, user=user)
    except IntegrityError as exc:
        _remove(stored)
        raise Conflict("该汇总刚被牵头单位的其他用户创建，请刷新后重新填写。") from exc
    except BaseException:
        _remove(stored)
        raise
    return consolidation


def review(
    user,
    consolidation: Consolidation,
    decision: str,
    reason: str = "",
    new_deadline: date | None = None,
    expected_version: int | None = None,
) -> Review:
    """The office's decision on a consolidation: ``accept`` (it and the reports it includes are
    locked), ``return`` with a reason (back to the lead unit), or ``extend`` the deadline."""
    if not permissions.can_review(user):
        raise PermissionDenied("只有督查室可以审核")
    reason = (reason or "").strip()
    with transaction.atomic():
        consolidation = (
            Consolidation.objects.select_for_update()
            .select_related("period", "task")
            .get(pk=consolidation.pk)
        )
        _check_version(consolidation, expected_version, "该汇总")
        if consolidation.state == ReportState.ACCEPTED:
            raise Locked("该汇总已审核通过")
        if decision == Review.ACCEPT:
            if consolidation.state != ReportState.SUBMITTED:
                raise InvalidState("只能审核已提交的汇总")
            consolidation.state = ReportState.ACCEPTED
            change = "审核通过"
            for report in consolidation.includes.select_for_update():
                if report.state == ReportState.SUBMITTED:
                    report.state = ReportState.ACCEPTED
                    report.version += 1
                    report.updated_by = user
                    _stamp(report, user, "随汇总审核通过")
                    report.save()
        elif decision == Review.RETURN:
            if consolidation.state != ReportState.SUBMITTED:
                raise InvalidState("只能退回已提交的汇总")
            if not reason:
                raise Invalid("退回须说明理由")
            consolidation.state = ReportState.RETURNED
            consolidation.return_reason = reason
            change = f"退回：{reason}"
        elif decision == Review.EXTEND:
            if new_deadline is None:
                raise Invalid("延期须给出新的截止日期")
            if new_deadline <= consolidation.period.deadline:
                raise Invalid("新的截止日期须晚于原截止日期")
            consolidation.extended_deadline = new_deadline
            change = f"延期至 {new_deadline:%Y-%m-%d}"
        else:
            raise Invalid(f"未知的审核决定：{decision}")
        consolidation.version += 1
        consolidation.updated_by = user
        _stamp(consolidation, user, change)
        consolidation.save()
        row = Review(
            consolidation=consolidation,
            decision=decision,
            reason=reason,
            new_deadline=new_deadline if decision == Review.EXTEND else None,
            by=user,
        )
        _stamp(row, user, change)
        row.save()
        refresh_task(consolidation.task, user=user)
    return row


def grant_extension(user, task: Task, period: Period, new_deadline: date, reason: str = ""):
    """Extend the filing deadline of ``task`` for ``period`` even before anything was filed."""
    if not permissions.can_review(user):
        raise PermissionDenied("只有督查室可以批准延期")
    _check_period(task, period)
    with transaction.atomic():
        consolidation, created = Consolidation.objects.get_or_create(task=task, period=period)
        if created:
            _stamp(consolidation, user, "为延期建立汇总")
        return review(user, consolidation, Review.EXTEND, reason, new_deadline)


# -- reminders and instructions ----------------------------------------------------------------
def send_reminder(user, task: Task, unit: Unit, period: Period | None, message: str) -> Reminder:
    """The office chases a unit on a task (催办)."""
    if not permissions.can_remind(user):
        raise PermissionDenied("只有督查室可以催办")
    if not task.assignments.filter(unit=unit, retired=False).exists():
        raise Invalid("该单位不在此任务上")
    if period is not None:
        _check_period(task, period)
    message = (message or "").strip()
    if not message:
        raise Invalid("催办内容不能为空")
    with transaction.atomic():
        reminder = Reminder(task=task, unit=unit, period=period, message=message, sent_by=user)
        _stamp(reminder, user, "催办")
        reminder.save()
    return reminder


def mark_reminder_read(user, reminder: Reminder) -> Reminder:
    unit = permissions.unit_of(user)
    if unit is None or unit.pk != reminder.unit_id:
        raise PermissionDenied("只能处理本单位的催办")
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
        if reminder.read_at is None:
            reminder.read_at = timezone.now()
            _stamp(reminder, user, "已读")
            reminder.save()
    return reminder


def write_instruction(user, section_or_task: Section | Task, text: str) -> Instruction:
    """A leader's instruction (批示) on a section they lead or one of their tasks."""
    if not permissions.can_instruct(user, section_or_task):
        raise PermissionDenied("只能对本人牵头的工作作出批示")
    text = (text or "").strip()
    if not text:
        raise Invalid("批示内容不能为空")
    with transaction.atomic():
        instruction = Instruction(leader=permissions.leader_of(user), text=text, by=user)
        if isinstance(section_or_task, Section):
            instruction.section = section_or_task
        else:
            instruction.task = section_or_task
            instruction.section = section_or_task.section
        _stamp(instruction, user, "批示")
        instruction.save()
    return instruction
