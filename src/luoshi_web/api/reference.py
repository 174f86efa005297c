"""What tasks refer to: units (the registry), leaders and the periods of documents. Every
signed-in caller reads units and leaders; periods are those of the documents the caller sees."""

from __future__ import annotations

from django.db.models import Q
from ninja import Field, Query, Router, Schema

from luoshi_web.accounts import permissions
from luoshi_web.api import present
from luoshi_web.api.errors import not_found
from luoshi_web.api.schemas import (
    LeaderOut,
    Line,
    PeriodOut,
    UnitOut,
    UnitPage,
    answers,
)
from luoshi_web.api.tasks import PageIn, paginate
from luoshi_web.documents.models import Leader, Unit
from luoshi_web.tracking.models import Period

router = Router(tags=["参考 reference"])


class UnitFilters(Schema):
    year: int | None = Field(None, ge=1900, le=2200, description="该年存在的单位")
    q: Line | None = Field(None, description="名称、全称或登记编号中含有")


@router.get("/units", response=answers({200: UnitPage}, 401, 422), summary="单位 (units)")
def list_units(request, filters: Query[UnitFilters], paging: Query[PageIn]):
    """登记的单位（机构改革前后各为一条，valid_from–valid_to 为存续年份，含两端）。"""
    units = Unit.objects.prefetch_related("predecessors", "successors").order_by("name", "pk")
    if filters.year is not None:
        y = filters.year
        units = units.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=y)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=y)
        )
    if filters.q and filters.q.strip():
        q = filters.q.strip()
        units = units.filter(
            Q(name__icontains=q) | Q(full_name__icontains=q) | Q(registry_id__icontains=q)
        )
    fields, rows = paginate(units, paging)
    return {**fields, "items": [present.unit(u) for u in rows]}


@router.get("/units/{unit_id}", response=answers({200: UnitOut}, 401, 404, 422), summary="一个单位")
def get_unit(request, unit_id: int):
    unit = Unit.objects.prefetch_related("predecessors", "successors").filter(pk=unit_id).first()
    if unit is None:
        raise not_found("没有这个单位")
    return present.unit(unit)


@router.get("/leaders", response=answers({200: list[LeaderOut]}, 401), summary="领导 (leaders)")
def list_leaders(request):
    """牵头各部分、各项任务的领导（`also_names`：通知中的其他写法）。"""
    return [present.leader(x) for x in Leader.objects.order_by("pk")]


@router.get(
    "/periods", response=answers({200: list[PeriodOut]}, 401, 422), summary="报送期 (periods)"
)
def list_periods(request, document: int | None = None):
    """各文件的报送期（按月或按季度），每期截止于次月 5 日。"""
    documents = permissions.visible_documents(request.auth)
    if document is not None:
        documents = documents.filter(pk=document)
    periods = Period.objects.filter(document__in=documents.values("pk")).order_by(
        "document", "start"
    )
    return [present.period(p) for p in periods]
