"""Every change of state the supervision pages make, one function each: chase many late units
at once (each reminder through ``tracking.actions.send_reminder``), judge a document's targets
against the next year's work report, and send the units' reminder digests.

Views call these and map the errors: PermissionDenied → 403; ``ActionError`` (tracking's),
``YearEndRefused`` → 400 with the form as typed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

import luoshi
from luoshi_web.accounts import permissions
from luoshi_web.accounts.models import Profile
from luoshi_web.documents.importing import ImportRefused, read_upload
from luoshi_web.documents.models import Document, Task, Unit
from luoshi_web.notify import configured_channels
from luoshi_web.notify.actions import deliver
from luoshi_web.notify.models import DeliveryLog
from luoshi_web.supervision.models import TargetVerdict, YearEndReport
from luoshi_web.supervision.yearend import (
    YearEndRefused,
    check_year,
    judge,
    parse_work_report,
    plan_for,
)
from luoshi_web.tracking import actions as tracking
from luoshi_web.tracking.models import Period, Reminder


def _stamp(obj, user, reason: str) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    obj._change_reason = reason


# -- chasing ------------------------------------------------------------------------------------
def chase(user, items: list[tuple[Task, Unit, Period | None]], message: str) -> list[Reminder]:
    """Send one reminder per (task, unit, period), all or none: a refusal of any one (a unit no
    longer on its task) sends nothing and raises that refusal."""
    if not permissions.can_supervise(user):
        raise PermissionDenied("只有督查室可以催办")
    if not items:
        raise tracking.Invalid("请至少选择一个逾期单位")
    with transaction.atomic():
        return [
            tracking.send_reminder(user, task, unit, period, message)
            for task, unit, period in items
        ]


# -- year-end verdicts --------------------------------------------------------------------------
def judge_year_end(user, document: Document, upload) -> YearEndReport:
    """Store the uploaded work report for ``document`` and set a verdict on each of its targets
    (the same file uploaded again is judged again, its old verdicts replaced). Raises
    :class:`YearEndRefused` for a file that is not the next year's work report."""
    if not permissions.can_upload_year_end(user):
        raise PermissionDenied("只有督查室可以上传年度政府工作报告")
    try:
        upload = read_upload(upload)
    except ImportRefused as exc:
        raise YearEndRefused(exc.reason) from exc
    report = parse_work_report(upload.name, upload.data)
    check_year(document, report)
    judged = judge(document, plan_for(document), report)
    sha256 = hashlib.sha256(upload.data).hexdigest()
    stored = []
    try:
        with transaction.atomic():
            row = (
                YearEndReport.objects.select_for_update()
                .filter(document=document, sha256=sha256)
                .first()
            )
            reason = "重新判定" if row is not None else "上传年度政府工作报告"
            if row is None:
                row = YearEndReport(document=document, sha256=sha256, original_name=upload.name)
                row.file.save(upload.name, ContentFile(upload.data), save=False)
                stored.append(row.file.name)
                row.uploaded_by = user
            row.title = report.document.title or ""
            row.report_year = report.document.year
            row.parser_version = luoshi.__version__
            row.unmatched = judged.unmatched
            row.evaluated_at = timezone.now()
            _stamp(row, user, reason)
            row.save()
            row.verdicts.all().delete()
            TargetVerdict.objects.bulk_create(
                TargetVerdict(
                    report=row,
                    target=target,
                    verdict=verdict.verdict,
                    why=verdict.why,
                    result_text=verdict.result.text if verdict.result else "",
                    result_line=verdict.result.line if verdict.result else None,
                )
                for target, verdict in judged.verdicts
            )
    except BaseException:
        for name in stored:
            YearEndReport.file.field.storage.delete(name)
        raise
    return row


# -- digests ------------------------------------------------------------------------------------
@dataclass
class Digest:
    """A unit's unread reminders as one message, and who would get it."""

    unit: Unit
    reminders: list[Reminder]
    users: list

    @property
    def subject(self) -> str:
        return f"督查催办：{self.unit.name}有 {len(self.reminders)} 条催办待处理"

    @property
    def body(self) -> str:
        base = getattr(settings, "LUOSHI_BASE_URL", "").rstrip("/")
        lines = [f"{self.unit.name}：", "", f"督查室有 {len(self.reminders)} 条催办尚未阅读：", ""]
        for n, r in enumerate(self.reminders, 1):
            period = f"【{r.period.display}】" if r.period_id else ""
            lines.append(f"{n}. {period}{r.task}")
            lines.append(f"   催办内容：{r.message}")
            lines.append(f"   （{timezone.localtime(r.at):%Y-%m-%d %H:%M}）")
            if base:
                lines.append(f"   {base}/tasks/{r.task_id}/")
        lines += ["", "请登录落实系统查看并按时报送。"]
        return "\n".join(lines)


def digests(units=None) -> list[Digest]:
    """One digest per unit with unread reminders (of ``units`` when given), by unit name."""
    reminders = (
        Reminder.objects.filter(read_at__isnull=True)
        .select_related("unit", "task", "period")
        .order_by("unit__name", "-at", "-id")
    )
    if units is not None:
        reminders = reminders.filter(unit__in=units)
    by_unit: dict[int, Digest] = {}
    for r in reminders:
        digest = by_unit.get(r.unit_id)
        if digest is None:
            digest = by_unit[r.unit_id] = Digest(r.unit, [], [])
        digest.reminders.append(r)
    users = get_user_model().objects.filter(
        is_active=True, profile__role=Profile.UNIT, profile__unit__in=list(by_unit)
    )
    for user in users.select_related("profile"):
        by_unit[user.profile.unit_id].users.append(user)
    return list(by_unit.values())


def send_digests(user=None, units=None, channels=None, resend: bool = False) -> list[DeliveryLog]:
    """Send each unit's digest through each channel (``settings.LUOSHI_NOTIFY``'s by default);
    a channel sends only the reminders it has not delivered to the unit before, unless
    ``resend``. Every attempt is a ``DeliveryLog`` row, a failed one too. ``user`` None is the
    ``digest`` command; a user must be the office."""
    if user is not None and not permissions.can_supervise(user):
        raise PermissionDenied("只有督查室可以发送催办汇总")
    channels = channels if channels is not None else configured_channels()
    logs = []
    for digest in digests(units):
        for channel in channels:
            reminders = digest.reminders
            if not resend:
                done = set()
                for ids in DeliveryLog.objects.filter(
                    unit=digest.unit, channel=channel.name, ok=True
                ).values_list("reminder_ids", flat=True):
                    done.update(ids or ())
                reminders = [r for r in reminders if r.pk not in done]
            if not reminders:
                continue
            part = Digest(digest.unit, reminders, digest.users)
            logs.append(
                deliver(
                    channel,
                    channel.address_for(digest.unit, digest.users),
                    part.subject,
                    part.body,
                    unit=digest.unit,
                    reminder_ids=[r.pk for r in reminders],
                    sent_by=user,
                )
            )
    return logs
