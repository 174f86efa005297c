"""``GET /api/tasks`` (filtered, paginated) and ``GET /api/tasks/{id}``: only what
``accounts.permissions.visible_tasks`` lets the caller see."""

from __future__ import annotations

import math

from django.db.models import Q
from ninja import Field, Query, Router, Schema

from luoshi_web.accounts import permissions
from luoshi_web.api import present
from luoshi_web.api.lookups import task_or_404
from luoshi_web.api.schemas import Light, Line, Role, Status, TaskDetail, TaskPage, answers

router = Router(tags=["任务 tasks"])


class PageIn(Schema):
    page: int = Field(1, ge=1, le=100_000, description="页码，从 1 开始")
    page_size: int = Field(50, ge=1, le=200, description="每页条数，默认 50，最多 200")


class TaskFilters(Schema):
    document: int | None = Field(None, description="文件 id（/api/documents）")
    year: int | None = Field(None, ge=1900, le=2200, description="文件年份")
    leader: Line | None = Field(None, description="领导 id 或姓名：牵头该部分或该项任务")
    unit: Line | None = Field(
        None, description="单位 id、登记编号（zj-finance）或名称（省财政厅）：任务的责任单位"
    )
    role: Role | None = Field(None, description="与 unit 同用：lead 牵头 · participant 配合")
    status: Status | None = None
    light: Light | None = None
    q: Line | None = Field(None, description="在任务内容、领导、单位中查找")


def paginate(queryset, paging: PageIn) -> tuple[dict, list]:
    """``(page fields, rows of the page)``."""
    count = queryset.count()
    start = (paging.page - 1) * paging.page_size
    rows = list(queryset[start : start + paging.page_size]) if start < count else []
    fields = {
        "count": count,
        "page": paging.page,
        "page_size": paging.page_size,
        "pages": math.ceil(count / paging.page_size),
    }
    return fields, rows


def _is_id(text: str) -> bool:
    # ASCII digits only: "²".isdigit() is true, and int("²") fails.
    return text.isascii() and text.isdigit()


def _filtered(tasks, f: TaskFilters):
    if f.document is not None:
        tasks = tasks.filter(section__part__document=f.document)
    if f.year is not None:
        tasks = tasks.filter(section__part__document__year=f.year)
    if f.leader:
        name = f.leader.strip()
        if _is_id(name):
            by = Q(section__leader=int(name)) | Q(leaders=int(name))
        else:
            by = Q(section__leader__name=name) | Q(leaders__name=name)
        tasks = tasks.filter(pk__in=tasks.model.objects.filter(by).values("pk"))
    if f.unit:
        name = f.unit.strip()
        who = (
            Q(assignments__unit=int(name))
            if _is_id(name)
            else Q(assignments__unit__registry_id=name)
            | Q(assignments__unit__name=name)
            | Q(assignments__unit__full_name=name)
        )
        on = Q(assignments__retired=False) & who
        if f.role:
            on &= Q(assignments__role=f.role)
        tasks = tasks.filter(pk__in=tasks.model.objects.filter(on).values("pk"))
    if f.status:
        tasks = tasks.filter(status=f.status)
    if f.light:
        tasks = tasks.filter(light=f.light)
    if f.q and f.q.strip():
        tasks = tasks.filter(search_text__icontains=f.q.strip())
    return tasks


@router.get("/tasks", response=answers({200: TaskPage}, 401, 422), summary="任务列表 (tasks)")
def list_tasks(request, filters: Query[TaskFilters], paging: Query[PageIn]):
    """调用者可见的任务（督查室：全部；领导：所牵头部分及列名的任务；单位：本单位承担的任务），
    可按文件、年份、领导、单位、状态、亮灯、关键词筛选，分页返回。"""
    tasks = _filtered(permissions.visible_tasks(request.auth), filters).order_by(
        "-section__part__document__year",
        "section__part__document",
        "section__part__index",
        "section__index",
        "index",
        "pk",
    )
    fields, rows = paginate(present.tasks_for_listing(tasks), paging)
    return {**fields, "items": [present.task(t) for t in rows]}


@router.get(
    "/tasks/{task_id}",
    response=answers({200: TaskDetail}, 401, 404, 422),
    summary="任务详情 (a task, its work and history)",
)
def get_task(request, task_id: int):
    """任务本身，加上调用者可见的各单位报告、汇总及审核、催办、批示，以及变更记录（谁、何时、
    改了什么）。看不到的任务与不存在的任务一样答 404。"""
    task = task_or_404(request.auth, task_id)
    return present.task_detail(request.auth, task)
