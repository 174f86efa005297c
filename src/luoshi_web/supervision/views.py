"""Pages of the supervision office (督查), leaders and units. Each view asks
``accounts.permissions`` first: a page not for the user's role is 403, an object the user may
not see (another leader, another unit, a task not theirs) is 404, anonymous goes to the login
page. Changes go through ``supervision.actions`` (which calls ``tracking.actions``).

htmx: a request with ``HX-Request`` gets the part of the page it replaces (filters, the chase
form, marking a reminder read); without JavaScript the same URLs answer with whole pages and
redirects, so everything works without it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from luoshi_web.accounts import permissions
from luoshi_web.documents.models import Assignment, Document, Leader, Section, Target, Task, Unit
from luoshi_web.notify import configured_channels
from luoshi_web.notify.models import DeliveryLog
from luoshi_web.supervision import actions, charts, overview, yearend
from luoshi_web.supervision.forms import ChaseForm, YearEndForm
from luoshi_web.supervision.search import search
from luoshi_web.tracking import actions as tracking
from luoshi_web.tracking.models import Reminder
from luoshi_web.uploads import too_large

OVERDUE_PAGE = 50


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def page(request, template, partial, context, status=200):
    """The whole page, or only ``partial`` for an htmx request."""
    response = render(request, partial if is_htmx(request) else template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


# -- the office overview ------------------------------------------------------------------------
def _year_options(documents, document: Document) -> str:
    """The ``<option>``s of the year filter: each year with its number of documents."""
    years = documents.order_by("-year").values_list("year").annotate(n=Count("pk"))
    selected = mark_safe(" selected")
    return format_html_join(
        "",
        '<option value="{}"{}>{} 年（{} 份）</option>',
        ((year, selected if year == document.year else "", year, n) for year, n in years),
    )


def _document_options(documents, document: Document) -> str:
    """The ``<option>``s of the document filter: the documents of the chosen one's year only.
    Built here, not in a template loop: an office with 3,000 notices rendered 3,000 options
    on every request (bench/bench_overview.py)."""
    selected = mark_safe(" selected")
    rows = documents.filter(year=document.year).values_list("pk", "doc_number", "title")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (pk, selected if pk == document.pk else "", number or title or document.year)
            for pk, number, title in rows
        ),
    )


def _overview_context(request, data=None) -> dict:
    """The overview for ``?doc=&period=`` (or the chase form's hidden fields in ``data``);
    ``year=`` picks that year's newest document unless ``doc`` is one of that year."""
    params = data if data is not None else request.GET
    today = timezone.localdate()
    documents = Document.objects.order_by("-year", "-id")
    doc_id, year = _int(params.get("doc")), _int(params.get("year"))
    document = documents.filter(pk=doc_id).first() if doc_id else None
    if year is not None and (document is None or document.year != year):
        document = documents.filter(year=year).first() or document
    document = document or overview.default_document(documents, today)
    context = {"document": document, "today": today}
    if document is None:
        return context
    context["year_options"] = _year_options(documents, document)
    context["document_options"] = _document_options(documents, document)
    due = overview.due_periods(document, today)
    period_id = _int(params.get("period"))
    period = next((p for p in due if p.pk == period_id), None) or (due[-1] if due else None)
    tasks = Task.objects.filter(section__part__document=document)
    by_leader = overview.counts_by_leader(tasks)
    rows = overview.overdue(document, period, today) if period is not None else []
    units = sorted({(r.unit_name, r.unit_id) for r in rows})
    leaders = Leader.objects.filter(pk__in={r.leader_id for r in rows if r.leader_id})
    unit_id, leader_id = _int(params.get("unit")), _int(params.get("leader"))
    chosen = [
        r
        for r in rows
        if (unit_id is None or r.unit_id == unit_id)
        and (leader_id is None or r.leader_id == leader_id)
    ]
    chosen.sort(key=lambda r: (-r.days_late, r.unit_name, r.part_index))
    listed = Paginator(chosen, OVERDUE_PAGE).get_page(params.get("page"))
    context.update(
        {
            "periods": due,
            "period": period,
            "by_leader": by_leader,
            "by_unit": overview.counts_by_unit(tasks),
            "by_part": overview.counts_by_part(tasks),
            "totals": overview.totals(by_leader),
            "overdue": overview.load(list(listed.object_list)),
            "overdue_page": listed,
            "overdue_all": chosen,
            "overdue_total": len(rows),
            "overdue_units": len(units),
            "overdue_unit_choices": [{"pk": pk, "name": name} for name, pk in units],
            "overdue_leader_choices": sorted(leaders, key=str),
            "unit_id": unit_id,
            "leader_id": leader_id,
            "default_message": (
                f"请于收到后尽快报送{period.display}工作进展（截止日期 {period.deadline:%Y年%-m月%-d日} 已过）。"
                if period is not None
                else ""
            ),
        }
    )
    return context


@require_GET
@login_required
def overview_page(request):
    if not permissions.can_supervise(request.user):
        raise PermissionDenied("只有督查室可以查看督查总览")
    context = _overview_context(request)
    context["form"] = ChaseForm(
        initial={"message": context.get("default_message", "")},
        keys=[r.key for r in context.get("overdue_all", [])],
    )
    partial = (
        "supervision/_overdue.html"
        if request.headers.get("HX-Target") == "overdue"
        else "supervision/_overview_body.html"
    )
    return page(request, "supervision/overview.html", partial, context)


@require_POST
@login_required
def remind(request):
    """Chase the ticked overdue units: one reminder per (task, unit) with the message."""
    user = request.user
    if not permissions.can_supervise(user):
        raise PermissionDenied("只有督查室可以催办")
    context = _overview_context(request, request.POST)
    rows = {r.key: r for r in context.get("overdue_all", [])}
    form = ChaseForm(request.POST, keys=list(rows))
    context["form"] = form
    status = 400
    if form.is_valid():
        chosen = overview.load([rows[key] for key in form.cleaned_data["items"]])
        try:
            sent = actions.chase(
                user, [(r.task, r.unit, r.period) for r in chosen], form.cleaned_data["message"]
            )
        except tracking.ActionError as exc:
            form.add_error(None, exc.message)
        else:
            units = sorted({r.unit_name for r in chosen})
            text = f"已催办 {len(sent)} 项：{'、'.join(units[:8])}{' 等' if len(units) > 8 else ''}"
            if not is_htmx(request):
                messages.success(request, text)
                query = f"?doc={context['document'].pk}&period={context['period'].pk}"
                for name in ("unit", "leader"):
                    if context[f"{name}_id"]:
                        query += f"&{name}={context[f'{name}_id']}"
                return redirect(reverse("supervision:overview") + query + "#overdue")
            context = _overview_context(request, request.POST)
            context["sent"] = text
            context["form"] = ChaseForm(
                initial={"message": form.cleaned_data["message"]},
                keys=[r.key for r in context.get("overdue_all", [])],
            )
            status = 200
    return page(
        request, "supervision/overview.html", "supervision/_overdue.html", context, status=status
    )


# -- leaders -------------------------------------------------------------------------------------
def _refuse(user, own) -> None:
    """404 when the user has a page of this kind but not this one, else 403."""
    if own is not None:
        raise Http404("没有这个页面")
    raise PermissionDenied("无权查看该页面")


@login_required
def my_leader_page(request):
    leader = permissions.leader_of(request.user)
    if leader is not None:
        return redirect("supervision:leader", pk=leader.pk)
    if permissions.can_supervise(request.user):
        return redirect(reverse("supervision:overview") + "#by-leader")
    raise PermissionDenied("只有领导有领导页")


@login_required
def leader_page(request, pk: int):
    user = request.user
    leader = get_object_or_404(Leader, pk=pk)
    if not permissions.can_view_leader_page(user, leader):
        _refuse(user, permissions.leader_of(user))
    today = timezone.localdate()
    tasks = (
        Task.objects.filter(section__leader=leader)
        .select_related("section__part__document", "section__leader")
        .order_by(
            "-section__part__document__year", "section__part__index", "section__index", "index"
        )
    )
    named = (
        Task.objects.filter(leaders=leader)
        .exclude(section__leader=leader)
        .select_related("section__part__document", "section__leader")
        .order_by("-section__part__document__year", "section__part__index", "section__index")
    )
    groups: dict[int, dict] = {}
    for row in overview.rows_for(tasks, today):
        section = row.task.section
        group = groups.setdefault(section.pk, {"section": section, "rows": []})
        group["rows"].append(row)
    counts = overview.totals(overview.counts_by_leader(tasks))
    context = {
        "leader": leader,
        "groups": list(groups.values()),
        "named": overview.rows_for(named, today),
        "counts": counts,
        "instructions": leader.instructions.select_related("task", "section")[:20],
        "can_instruct": permissions.leader_of(user) == leader,
    }
    return render(request, "supervision/leader.html", context)


# -- units ---------------------------------------------------------------------------------------
@login_required
def my_unit_page(request):
    unit = permissions.unit_of(request.user)
    if unit is not None:
        return redirect("supervision:unit", pk=unit.pk)
    if permissions.can_supervise(request.user):
        return redirect(reverse("supervision:overview") + "#by-unit")
    raise PermissionDenied("只有责任单位有单位页")


@login_required
def unit_page(request, pk: int):
    user = request.user
    unit = get_object_or_404(Unit, pk=pk)
    if not permissions.can_view_unit_page(user, unit):
        _refuse(user, permissions.unit_of(user))
    today = timezone.localdate()
    tasks = (
        Task.objects.filter(assignments__unit=unit, assignments__retired=False)
        .distinct()
        .select_related("section__part__document", "section__leader")
        .order_by(
            "-section__part__document__year", "section__part__index", "section__index", "index"
        )
    )
    doc = _int(request.GET.get("doc"))
    documents = Document.objects.filter(pk__in=tasks.values("section__part__document")).order_by(
        "-year"
    )
    document = documents.filter(pk=doc).first() if doc else None
    document = document or overview.default_document(documents, today)
    if document is not None:
        tasks = tasks.filter(section__part__document=document)
    reminders = list(
        Reminder.objects.filter(unit=unit)
        .select_related("task", "period", "sent_by")
        .order_by("read_at", "-at", "-id")[:100]
    )
    reminders.sort(key=lambda r: (r.read_at is not None, -(r.at.timestamp())))
    rows = overview.rows_for(tasks, today, unit=unit)
    context = {
        "unit": unit,
        "documents": documents,
        "document": document,
        "rows": rows,
        "late": sum(1 for r in rows if r.late),
        "reminders": reminders,
        "unread": sum(1 for r in reminders if r.read_at is None),
        "own": permissions.unit_of(user) == unit,
        "deliveries": DeliveryLog.objects.filter(unit=unit)[:10],
    }
    return render(request, "supervision/unit.html", context)


@require_POST
@login_required
def reminder_read(request, pk: int):
    user = request.user
    reminder = get_object_or_404(Reminder.objects.select_related("unit", "task", "period"), pk=pk)
    if not permissions.can_view_unit_page(user, reminder.unit):
        raise Http404("没有这条催办")
    reminder = tracking.mark_reminder_read(user, reminder)  # the office: PermissionDenied → 403
    if is_htmx(request):
        return render(request, "supervision/_reminder.html", {"r": reminder, "own": True})
    messages.success(request, "已标记为已读")
    return redirect("supervision:unit", pk=reminder.unit_id)


# -- the document as the notice is structured ----------------------------------------------------
def _document_context(user, document: Document) -> dict:
    office = permissions.is_office(user)
    visible = permissions.visible_tasks(user).filter(section__part__document=document)
    if not office and not visible.exists():
        raise Http404("没有这份文件")
    verdicts = yearend.verdicts_for(document)
    tasks = (
        Task.objects.filter(pk__in=visible.values("pk"))
        .select_related("section__leader")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit").order_by("retired", "index"),
            ),
            Prefetch("targets", queryset=Target.objects.filter(retired=False)),
            "leaders",
        )
        .order_by("section__part__index", "section__index", "index")
    )
    sections: dict[int, list] = {}
    target_ids = []
    for task in tasks:
        for target in task.targets.all():
            target.verdict_row = verdicts.get(target.pk)
            target_ids.append(target.pk)
        sections.setdefault(task.section_id, []).append(task)
    parts = []
    for part in document.parts.order_by("index"):
        rows = []
        for section in Section.objects.filter(part=part).select_related("leader").order_by("index"):
            if section.pk in sections:
                rows.append({"section": section, "tasks": sections[section.pk]})
        if rows:
            parts.append({"part": part, "sections": rows})
    return {
        "document": document,
        "parts": parts,
        "office": office,
        "task_count": sum(len(s) for s in sections.values()),
        "warnings": document.warnings.all() if office else [],
        "verdicts": yearend.summary(document, None if office else target_ids),
        "reports": document.year_end_reports.select_related("uploaded_by") if office else [],
        "can_upload": permissions.can_upload_year_end(user),
    }


@require_GET
@login_required
def document_page(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    context = _document_context(request.user, document)
    if context["can_upload"]:
        context["form"] = YearEndForm()
    return render(request, "supervision/document.html", context)


@require_POST
@login_required
def year_end_upload(request, pk: int):
    user = request.user
    document = get_object_or_404(Document, pk=pk)
    if not permissions.can_upload_year_end(user):
        raise PermissionDenied("只有督查室可以上传年度政府工作报告")
    refused = too_large(request)
    if refused is not None:
        return refused
    form = YearEndForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = actions.judge_year_end(user, document, form.cleaned_data["file"])
        except yearend.YearEndRefused as exc:
            form.add_error("file", exc.reason)
        else:
            counts = yearend.summary(document)
            messages.success(
                request,
                f"已按《{report}》判定 {counts['total']} 项指标：完成 {counts['met']}，"
                f"未完成 {counts['not_met']}，无法判定 {counts['unknown']}",
            )
            return redirect(reverse("supervision:document", args=[document.pk]) + "#year-end")
    context = _document_context(user, document)
    context["form"] = form
    return render(request, "supervision/document.html", context, status=400)


# -- search --------------------------------------------------------------------------------------
@require_GET
@login_required
def search_page(request):
    outcome = search(request.user, request.GET.get("q", ""), request.GET.get("page") or 1)
    return page(
        request,
        "supervision/search.html",
        "supervision/_search_results.html",
        {"outcome": outcome, "q": outcome.query},
    )


# -- charts --------------------------------------------------------------------------------------
CHARTS = {
    "completion": ("各领导牵头任务完成情况", charts.completion_by_leader),
    "lights": ("各部分亮灯情况", charts.lights_by_part),
    "ontime": ("各单位按时报送率", charts.on_time_by_unit),
    "targets": ("量化指标完成度", None),
}


def _chart_tasks(request):
    tasks = permissions.visible_tasks(request.user)
    documents = permissions.visible_documents(request.user).order_by("-year", "-id")
    doc = _int(request.GET.get("doc"))
    document = documents.filter(pk=doc).first() if doc else None
    if request.GET.get("doc") != "all":
        document = document or overview.default_document(documents, timezone.localdate())
    if document is not None:
        tasks = tasks.filter(section__part__document=document)
    return tasks, documents, document


@require_GET
@login_required
def charts_page(request):
    if not permissions.can_view_charts(request.user):
        raise PermissionDenied("只有督查室和领导可以查看统计图表")
    _, documents, document = _chart_tasks(request)
    return render(
        request,
        "supervision/charts.html",
        {
            "documents": documents,
            "document": document,
            "charts": [(name, title) for name, (title, _) in CHARTS.items()],
        },
    )


@require_GET
@login_required
def chart_data(request, name: str):
    if not permissions.can_view_charts(request.user):
        raise PermissionDenied("只有督查室和领导可以查看统计图表")
    if name not in CHARTS:
        raise Http404("没有这张图表")
    tasks, _, _ = _chart_tasks(request)
    title, build = CHARTS[name]
    if build is None:
        targets = list(
            Target.objects.filter(task__in=tasks.values("pk"), retired=False).order_by(
                "task__section__part__index", "task__section__index", "task__index", "index"
            )
        )
        data = charts.targets_chart(targets, only_reported=True)
    else:
        data = build(tasks)
    data["title"] = title
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_GET
@login_required
def task_targets(request, pk: int):
    """Each target of a task: its latest reported value against its goal."""
    user = request.user
    task = get_object_or_404(Task, pk=pk)
    if not permissions.can_view_task(user, task):
        raise Http404("没有这项任务")
    targets = list(task.targets.filter(retired=False))
    data = charts.targets_chart(targets, reports=permissions.visible_reports(user, task))
    data["title"] = "量化指标：最新报告值占目标"
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# -- digests -------------------------------------------------------------------------------------
@require_GET
@login_required
def digest_page(request):
    user = request.user
    unit = permissions.unit_of(user)
    if permissions.can_supervise(user):
        digests = actions.digests()
    elif unit is not None:
        digests = actions.digests(units=[unit])
    else:
        raise PermissionDenied("只有督查室和责任单位有催办汇总")
    channels = configured_channels()
    rows = [
        {
            "digest": d,
            "addresses": [(c.label, c.address_for(d.unit, d.users)) for c in channels],
        }
        for d in digests
    ]
    logs = DeliveryLog.objects.select_related("unit")
    if unit is not None and not permissions.can_supervise(user):
        logs = logs.filter(unit=unit)
    return render(
        request,
        "supervision/digest.html",
        {
            "rows": rows,
            "unit": unit,
            "channels": channels,
            "logs": logs[:30],
            "can_send": permissions.can_supervise(user),
        },
    )


@require_POST
@login_required
def digest_send(request):
    if not permissions.can_supervise(request.user):
        raise PermissionDenied("只有督查室可以发送催办汇总")
    logs = actions.send_digests(request.user)
    ok = sum(1 for log in logs if log.ok)
    if logs:
        messages.success(request, f"已发送 {ok} 份催办汇总，{len(logs) - ok} 份未能发送")
    else:
        messages.info(request, "没有需要发送的催办汇总")
    return redirect("supervision:digest")
