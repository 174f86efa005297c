"""What the supervision app adds to the tracking pages: ``{% task_timeline task %}`` (reports,
consolidations, reviews, reminders, instructions and lights as a timeline) and
``{% task_verdicts task %}`` (the year-end verdicts on the task's targets and the chart of each
target's latest reported value against its goal). Both show only what the user may read."""

from __future__ import annotations

from django import template

from luoshi_web.accounts import permissions
from luoshi_web.supervision.models import TargetVerdict
from luoshi_web.supervision.timeline import task_timeline as build_timeline
from luoshi_web.supervision.yearend import latest_report

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("supervision/_timeline.html", takes_context=True)
def task_timeline(context, task):
    user = _user(context)
    if not permissions.can_view_task(user, task):
        return {"events": []}
    return {"events": build_timeline(user, task)}


@register.inclusion_tag("supervision/_task_verdicts.html", takes_context=True)
def task_verdicts(context, task):
    user = _user(context)
    if not permissions.can_view_task(user, task):
        return {}
    report = latest_report(task.section.part.document)
    verdicts = []
    if report is not None:
        rows = TargetVerdict.objects.filter(
            report=report, target__task=task, target__retired=False
        ).select_related("target")
        verdicts = [(v.target, v) for v in rows.order_by("target__index")]
    chart = task.targets.filter(retired=False, value__isnull=False).exists()
    return {"verdicts": verdicts, "report": report, "task": task, "chart": chart}
