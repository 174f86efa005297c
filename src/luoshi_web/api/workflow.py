"""The work on a task over the API, one action each (``tracking.actions``): units file and
submit reports, the lead unit returns partners' reports and consolidates, the office reviews and
reminds, leaders write instructions.

Each handler decides its refusals in this order: 404 when the caller may not see the object (a
task, report or consolidation one may not read does not exist for one), 403 when the caller sees
it but ``accounts.permissions`` does not let them act, 400 for input the task cannot take, then
the action's own refusals (``errors.action_errors``: 409 conflict / locked / invalid_state).
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from ninja import File, Router, Status, UploadedFile
from ninja.decorators import decorate_view

from luoshi_web.accounts import permissions
from luoshi_web.api import present
from luoshi_web.api.documents import refuse_large_bodies
from luoshi_web.api.errors import action_errors, forbidden, invalid
from luoshi_web.api.lookups import (
    consolidation_or_404,
    period_of,
    report_or_404,
    section_or_404,
    task_or_404,
)
from luoshi_web.api.schemas import (
    ConsolidationIn,
    ConsolidationOut,
    InstructionIn,
    InstructionOut,
    PeriodLabel,
    ReminderIn,
    ReminderOut,
    ReportIn,
    ReportOut,
    ReturnIn,
    ReviewIn,
    ReviewResult,
    VersionIn,
    answers,
)
from luoshi_web.documents.models import Unit
from luoshi_web.tracking import actions
from luoshi_web.tracking.models import Consolidation, ProgressReport

router = Router(tags=["报送与审核 workflow"])

# Refusals of a POST: 400 bad JSON or invalid input, 401, 403 (also a session without CSRF), 404
# the object, 409 conflict/locked/invalid_state, 422 a body that does not fit the schema.
WRITE = (400, 401, 403, 404, 409, 422)


def _data(payload: ReportIn) -> actions.ReportData:
    return actions.ReportData(
        narrative=payload.narrative,
        percent=payload.percent,
        problems=payload.problems,
        support_needed=payload.support_needed,
        next_steps=payload.next_steps,
        values=dict(payload.values),
    )


def _created_or_updated(existed: bool, body: dict):
    return Status(200 if existed else 201, body)


def _report(row: ProgressReport) -> dict:
    """The report an action just wrote, as the listing shows it: its unit, period and users are
    the objects the action used; its values and attachments are those it wrote when it created
    the report (``row.written``), else read back."""
    if getattr(row, "written", None) is None:
        prefetch_related_objects([row], "values", "attachments")
    return present.report(row)


def _consolidation(row: Consolidation) -> dict:
    rows = present.consolidations_for_listing(Consolidation.objects.filter(pk=row.pk))
    return present.consolidation(rows[0])


# -- reports -----------------------------------------------------------------------------------
@router.get(
    "/tasks/{task_id}/reports",
    response=answers({200: list[ReportOut]}, 401, 404, 422),
    summary="任务的单位报告 (reports on a task)",
)
def list_reports(request, task_id: int, period: PeriodLabel | None = None):
    """调用者可见的报告：督查室和领导看全部；牵头单位看各单位的；配合单位只看本单位的。"""
    task = task_or_404(request.auth, task_id)
    reports = permissions.visible_reports(request.auth, task)
    if period:
        reports = reports.filter(period__label=period)
    return [present.report(r) for r in present.reports_for_listing(reports)]


@router.post(
    "/tasks/{task_id}/reports",
    response=answers({200: ReportOut, 201: ReportOut}, *WRITE),
    summary="报送进展 (file a report)",
)
def file_report(request, task_id: int, payload: ReportIn):
    """本单位对该任务某一报送期的进展：第一次 201 新建；再次提交同一期即修改（200），须带回
    读到的 `version`，否则 409 conflict（说明谁在何时改过）；审核通过后 409 locked。
    只有任务上的单位可以报送（督查室、领导 403）。`submit: false` 只存草稿。"""
    user = request.auth
    task = task_or_404(user, task_id)
    if not permissions.can_file(user, task):
        raise forbidden("只有承担此任务的单位可以报送进展")
    period = period_of(task, payload.period)
    with action_errors():
        report = actions.file_report(
            user, task, period, _data(payload), payload.version, submit=payload.submit
        )
    # every save moves the version on: 1 is a report this request created
    return _created_or_updated(report.version > 1, _report(report))


@router.post(
    "/reports/{report_id}/attachments",
    response=answers({200: ReportOut}, *WRITE, 413),
    summary="上传附件 (attach files to a report)",
)
@decorate_view(refuse_large_bodies)
def attach_to_report(request, report_id: int, file: File[list[UploadedFile]]):
    """本单位的报告（草稿、已报送或被退回的）上传附件：`file` 字段，可多个，类型与网页相同
    （PDF、DOCX、TXT、MD、HTML），每个不超过 20 MB；全部保存或全部不保存（400 说明是哪个文件）。
    审核通过后 409 locked。返回报告及其全部附件。"""
    user = request.auth
    report = report_or_404(user, report_id)
    if not permissions.can_edit_report(user, report):
        raise forbidden("只能为本单位的报告上传附件")
    with action_errors():
        report = actions.attach(user, report, file)
    return _report(report)


@router.get(
    "/reports/{report_id}",
    response=answers({200: ReportOut}, 401, 404, 422),
    summary="一份报告 (a report)",
)
def get_report(request, report_id: int):
    return present.report(report_or_404(request.auth, report_id))


@router.post(
    "/reports/{report_id}/submit",
    response=answers({200: ReportOut}, *WRITE),
    summary="报送草稿或被退回的报告 (submit a report)",
)
def submit_report(request, report_id: int, payload: VersionIn):
    """本单位的草稿或被退回的报告原样报送。请求体可为 `{}` 或 `{"version": n}`。"""
    user = request.auth
    report = report_or_404(user, report_id)
    if not permissions.can_edit_report(user, report):
        raise forbidden("只能报送本单位的报告")
    with action_errors():
        report = actions.submit_report(user, report, payload.version)
    return _report(report)


@router.post(
    "/reports/{report_id}/return",
    response=answers({200: ReportOut}, *WRITE),
    summary="退回报告 (return a report)",
)
def return_report(request, report_id: int, payload: ReturnIn):
    """牵头单位退回配合单位的报告，或督查室退回单位报告，须说明理由。"""
    user = request.auth
    report = report_or_404(user, report_id)
    if not permissions.can_return_report(user, report):
        raise forbidden("只有牵头单位（对配合单位的报告）或督查室可以退回报告")
    with action_errors():
        report = actions.return_report(user, report, payload.reason, payload.version)
    return _report(report)


# -- consolidations and review -----------------------------------------------------------------
@router.get(
    "/tasks/{task_id}/consolidations",
    response=answers({200: list[ConsolidationOut]}, 401, 404, 422),
    summary="任务的汇总 (consolidations of a task)",
)
def list_consolidations(request, task_id: int):
    task = task_or_404(request.auth, task_id)
    rows = present.consolidations_for_listing(Consolidation.objects.filter(task=task))
    return [present.consolidation(c) for c in rows]


@router.post(
    "/tasks/{task_id}/consolidations",
    response=answers({200: ConsolidationOut, 201: ConsolidationOut}, *WRITE),
    summary="牵头单位汇总 (consolidate)",
)
def consolidate(request, task_id: int, payload: ConsolidationIn):
    """牵头单位对某一报送期的汇总，提交督查室审核（`submit: false` 只存草稿）。`include` 列出
    所含的单位报告，省略则为本期已报送的全部。修改须带回 `version`；审核通过后 409 locked。"""
    user = request.auth
    task = task_or_404(user, task_id)
    if not permissions.can_consolidate(user, task):
        raise forbidden("只有牵头单位可以汇总")
    period = period_of(task, payload.period)
    include = None
    if payload.include is not None:
        wanted = set(payload.include)
        include = list(ProgressReport.objects.filter(pk__in=wanted, task=task, period=period))
        if len(include) != len(wanted):
            raise invalid("只能汇总本任务本期的报告")
    existed = Consolidation.objects.filter(task=task, period=period).exists()
    with action_errors():
        row = actions.consolidate(
            user,
            task,
            period,
            _data(payload),
            payload.version,
            include=include,
            submit=payload.submit,
        )
    return _created_or_updated(existed, _consolidation(row))


@router.get(
    "/consolidations/{consolidation_id}",
    response=answers({200: ConsolidationOut}, 401, 404, 422),
    summary="一份汇总 (a consolidation)",
)
def get_consolidation(request, consolidation_id: int):
    row = consolidation_or_404(request.auth, consolidation_id)
    return _consolidation(row)


@router.post(
    "/consolidations/{consolidation_id}/review",
    response=answers({201: ReviewResult}, *WRITE),
    summary="督查室审核 (review)",
)
def review(request, consolidation_id: int, payload: ReviewIn):
    """`accept` 审核通过（汇总及其所含报告锁定）、`return` 退回牵头单位（须说明理由）、
    `extend` 延期（须给出晚于原截止日期的 `new_deadline`）。只有督查室可以审核。"""
    user = request.auth
    row = consolidation_or_404(user, consolidation_id)
    if not permissions.can_review(user):
        raise forbidden("只有督查室可以审核")
    with action_errors():
        result = actions.review(
            user,
            row,
            payload.decision,
            payload.reason,
            payload.new_deadline,
            expected_version=payload.version,
        )
    body = {**present.review(result), "consolidation": _consolidation(result.consolidation)}
    return Status(201, body)


# -- reminders and instructions ----------------------------------------------------------------
@router.post(
    "/tasks/{task_id}/reminders",
    response=answers({201: ReminderOut}, *WRITE),
    summary="催办 (remind a unit)",
)
def remind(request, task_id: int, payload: ReminderIn):
    """督查室向任务上的一个单位催办，可指明报送期。"""
    user = request.auth
    task = task_or_404(user, task_id)
    if not permissions.can_remind(user):
        raise forbidden("只有督查室可以催办")
    unit = Unit.objects.filter(pk=payload.unit).first()
    if unit is None:
        raise invalid("该单位不在此任务上")
    period = period_of(task, payload.period) if payload.period else None
    with action_errors():
        reminder = actions.send_reminder(user, task, unit, period, payload.message)
    return Status(201, present.reminder(reminder))


@router.post(
    "/tasks/{task_id}/instructions",
    response=answers({201: InstructionOut}, *WRITE),
    summary="对任务作出批示 (instruct on a task)",
)
def instruct_on_task(request, task_id: int, payload: InstructionIn):
    """领导对本人牵头或列名的任务作出批示。"""
    user = request.auth
    task = task_or_404(user, task_id)
    if not permissions.can_instruct(user, task):
        raise forbidden("只有牵头此项工作的领导可以作出批示")
    with action_errors():
        instruction = actions.write_instruction(user, task, payload.text)
    return Status(201, present.instruction(instruction))


@router.post(
    "/sections/{section_id}/instructions",
    response=answers({201: InstructionOut}, *WRITE),
    summary="对一部分作出批示 (instruct on a section)",
)
def instruct_on_section(request, section_id: int, payload: InstructionIn):
    """领导对本人牵头的部分作出批示（其中每项任务的页面都会显示）。"""
    user = request.auth
    section = section_or_404(user, section_id)
    if not permissions.can_instruct(user, section):
        raise forbidden("只有牵头这一部分的领导可以作出批示")
    with action_errors():
        instruction = actions.write_instruction(user, section, payload.text)
    return Status(201, present.instruction(instruction))
