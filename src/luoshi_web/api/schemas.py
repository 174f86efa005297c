"""What the API reads and writes, as ninja Schemas (pydantic): field names English (see
``docs/glossary.md``), descriptions and data Chinese. The OpenAPI document at
``/api/openapi.json`` and the page at ``/api/docs`` are generated from these."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, Field


def _clean(value: str) -> str:
    # PostgreSQL stores no NUL character and no lone surrogate: refuse them here (422) rather
    # than fail in the database (500).
    if "\x00" in value:
        raise ValueError("不能含有空字符（\\x00）")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("含有无法编码的字符") from exc
    return value


Text = Annotated[str, Field(max_length=20_000), AfterValidator(_clean)]
RequiredText = Annotated[str, Field(min_length=1, max_length=20_000), AfterValidator(_clean)]
Line = Annotated[str, Field(max_length=300), AfterValidator(_clean)]
PeriodLabel = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$",
        description="报送期：按月 `2024-03`，按季度 `2024-Q1`",
        examples=["2024-03"],
    ),
]
# A target value as the database keeps it: at most 14 digits before the point, 6 after.
TargetValue = Annotated[Decimal, Field(max_digits=20, decimal_places=6)]
Version = Annotated[int, Field(ge=0, le=2_147_483_647)]
Id = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]

Status = Literal["未启动", "推进中", "已完成", "滞后"]
Light = Literal["green", "yellow", "red"]
State = Literal["draft", "submitted", "returned", "accepted"]
Role = Literal["lead", "participant"]


# -- errors ------------------------------------------------------------------------------------
class Error(Schema):
    detail: str = Field(description="说明（中文）")
    code: str = Field(description="机器可读的原因：conflict、locked、not_found、forbidden…")


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class InvalidInput(Error):
    errors: list[FieldError]


# -- tokens and the caller ---------------------------------------------------------------------
class TokenIn(Schema):
    username: Annotated[str, Field(min_length=1, max_length=150), AfterValidator(_clean)]
    password: Annotated[str, Field(min_length=1, max_length=4096), AfterValidator(_clean)]


class TokenOut(Schema):
    token: str = Field(description="之后的请求带上 `Authorization: Bearer <token>`；只显示这一次")
    expires: datetime
    username: str


class UnitRef(Schema):
    id: int
    registry_id: str
    name: str


class LeaderOut(Schema):
    id: int
    name: str
    title: str
    also_names: list[str]


class Me(Schema):
    username: str
    name: str
    role: Literal["office", "leader", "unit"] | None = Field(
        description="office 督查室、leader 领导、unit 责任单位；无角色为 null"
    )
    unit: UnitRef | None
    leader: LeaderOut | None


# -- tasks -------------------------------------------------------------------------------------
class DocumentRef(Schema):
    id: int
    title: str
    doc_number: str
    year: int


class PartRef(Schema):
    index: int
    kind: str = Field(description="key_tasks 重点工作 · livelihood 民生实事")
    title: str


class SectionRef(Schema):
    id: int
    ordinal: int | None
    heading: str
    leader: str | None
    category: str


class UnitOnTask(Schema):
    name: str = Field(description="通知中的写法")
    canonical: str
    unit_id: int | None = Field(description="登记的单位（/api/units/{id}）；各市县政府等为 null")
    registry_id: str | None
    role: Role
    kind: str
    also: list[str]


class TargetOut(Schema):
    id: int
    text: str
    indicator: str
    op: str
    value: float | None
    value_high: float | None
    unit: str
    by: str
    measure: str
    hedge: str


class TaskOut(Schema):
    id: int
    document: DocumentRef
    part: PartRef
    section: SectionRef
    number: int | None
    text: str
    leaders: list[str]
    units: list[UnitOnTask]
    targets: list[TargetOut]
    deadlines: list[str]
    deadline_text: str
    status: Status
    light: Light | Literal[""]
    light_reason: str
    retired: bool


class Page(Schema):
    count: int = Field(description="符合条件的总数")
    page: int
    page_size: int
    pages: int


class TaskPage(Page):
    items: list[TaskOut]


class ValueOut(Schema):
    target_id: int
    value: float


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    url: str = Field(description="下载地址（浏览器会话）")


class ReportOut(Schema):
    id: int
    task_id: int
    unit: UnitRef
    period: str
    narrative: str
    percent: int
    problems: str
    support_needed: str
    next_steps: str
    values: list[ValueOut]
    state: State
    version: int = Field(description="修改时原样带回；不一致即 409 conflict")
    submitted_at: datetime | None
    submitted_by: str | None
    return_reason: str
    updated_at: datetime
    updated_by: str | None
    attachments: list[AttachmentOut]


class ReviewOut(Schema):
    id: int
    consolidation_id: int
    decision: Literal["accept", "return", "extend"]
    reason: str
    new_deadline: date | None
    by: str | None
    at: datetime


class ConsolidationOut(Schema):
    id: int
    task_id: int
    period: str
    lead_unit: UnitRef | None
    narrative: str
    percent: int
    problems: str
    support_needed: str
    next_steps: str
    values: list[ValueOut]
    includes: list[int] = Field(description="汇总所含单位报告的 id")
    state: State
    version: int
    submitted_at: datetime | None
    submitted_by: str | None
    return_reason: str
    deadline: date
    extended_deadline: date | None
    updated_at: datetime
    updated_by: str | None
    reviews: list[ReviewOut]
    attachments: list[AttachmentOut]


class ReviewResult(ReviewOut):
    consolidation: ConsolidationOut


class ReminderOut(Schema):
    id: int
    task_id: int
    unit: UnitRef
    period: str | None
    message: str
    sent_by: str | None
    at: datetime
    read_at: datetime | None


class InstructionOut(Schema):
    id: int
    section_id: int | None
    task_id: int | None
    leader: str | None
    text: str
    by: str | None
    at: datetime


class ChangeOut(Schema):
    field: str
    before: str
    after: str


class HistoryEntry(Schema):
    at: datetime
    who: str
    what: str
    kind: str = Field(description="新建 · 修改 · 删除")
    reason: str
    changes: list[ChangeOut]


class Abilities(Schema):
    """What the caller may do on the task (``accounts.permissions``)."""

    role: Role | None = Field(description="调用者单位在此任务上的角色")
    file: bool
    consolidate: bool
    review: bool
    remind: bool
    instruct: bool


class TaskDetail(TaskOut):
    may: Abilities
    reports: list[ReportOut]
    consolidations: list[ConsolidationOut]
    reminders: list[ReminderOut]
    instructions: list[InstructionOut]
    history: list[HistoryEntry] = Field(description="最近 200 条变更：谁、何时、改了什么")


# -- inputs of the workflow --------------------------------------------------------------------
class ReportIn(Schema):
    period: PeriodLabel
    narrative: RequiredText = Field(description="工作进展")
    percent: int = Field(ge=0, le=100, description="完成百分比 0–100")
    values: dict[int, TargetValue | None] = Field(
        default_factory=dict,
        description="指标 id → 已完成的数值（null 清除）",
        examples=[{"12": 300}],
    )
    problems: Text = ""
    support_needed: Text = ""
    next_steps: Text = ""
    version: Version = Field(
        0, description="所编辑的版本：新报告为 0；修改时带回上次读到的 version"
    )
    submit: bool = Field(True, description="true 报送；false 只保存草稿")


class ConsolidationIn(ReportIn):
    include: list[Id] | None = Field(
        None,
        max_length=1000,
        description="汇总所含单位报告的 id；省略则为本期已报送的全部报告",
    )


class VersionIn(Schema):
    version: Version | None = Field(None, description="所读到的版本；省略则不检查")


class ReturnIn(VersionIn):
    reason: RequiredText = Field(description="退回理由")


class ReviewIn(VersionIn):
    decision: Literal["accept", "return", "extend"] = Field(
        description="accept 审核通过 · return 退回（须说明理由）· extend 延期（须给出新的截止日期）"
    )
    reason: Text = ""
    new_deadline: date | None = None


class ReminderIn(Schema):
    unit: Id = Field(description="催办的单位（unit_id）")
    period: PeriodLabel | None = None
    message: RequiredText


class InstructionIn(Schema):
    text: RequiredText = Field(description="批示内容")


# -- reference ---------------------------------------------------------------------------------
class UnitOut(Schema):
    id: int
    registry_id: str
    name: str
    full_name: str
    kind: str
    valid_from: int | None
    valid_to: int | None
    predecessors: list[UnitRef]
    successors: list[UnitRef]


class UnitPage(Page):
    items: list[UnitOut]


class DocumentOut(Schema):
    id: int
    title: str
    doc_number: str
    issuer: str
    year: int
    printed_on: date | None
    period_kind: Literal["monthly", "quarterly"]
    original_name: str
    sha256: str
    parser_version: str
    imported_at: datetime
    reparsed_at: datetime | None
    task_count: int


class SectionSummary(Schema):
    id: int
    index: int
    ordinal: int | None
    heading: str
    leader: str | None
    category: str
    task_count: int


class PartSummary(Schema):
    index: int
    kind: str
    title: str
    period_start: int
    period_end: int
    sections: list[SectionSummary]


class WarningOut(Schema):
    code: str
    line: int | None
    message: str
    message_zh: str = Field(description="同一提示的中文（页面所示）")


class DocumentDetail(DocumentOut):
    parts: list[PartSummary]
    warnings: list[WarningOut]


class PeriodOut(Schema):
    id: int
    document_id: int
    label: str
    display: str
    start: date
    end: date
    deadline: date


class PreviewPart(Schema):
    title: str
    kind: str
    period: list[int] | None
    section_count: int
    task_count: int


class ImportPreview(Schema):
    name: str
    sha256: str
    size: int
    title: str
    doc_number: str
    issuer: str
    year: int | None
    parts: list[PreviewPart]
    task_count: int
    warnings: list[WarningOut]


def answers(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """A ``response=`` mapping: the successes, then :class:`Error` (:class:`InvalidInput` for
    422) for each refusal the endpoint may give."""
    out = dict(ok)
    for status in errors:
        out[status] = InvalidInput if status == 422 else Error
    return out
