"""What the supervision pages show, as queries: light counts by leader, unit and part; the
overdue list; a leader's and a unit's tasks with their latest progress.

*Due* and *filed* mean what they mean in ``tracking.lights``: a period is due once its deadline
(or the office's extension for the task) plus ``grace_days`` has passed; a unit filed for a
period when its report was submitted (a report returned afterwards was filed all the same).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet

from luoshi_web.documents.models import Assignment, Document, Task, Unit
from luoshi_web.tracking.lights import rules
from luoshi_web.tracking.models import Consolidation, Period, ProgressReport, Reminder, ReportState
from luoshi_web.tracking.periods import periods_of

LIGHTS = (Task.RED, Task.YELLOW, Task.GREEN)
FILED = (ReportState.SUBMITTED, ReportState.ACCEPTED)


def grace() -> timedelta:
    return timedelta(days=rules()["grace_days"])


def default_document(documents: QuerySet[Document], today: date) -> Document | None:
    """The document of this year (the newest one not in the future), else the newest."""
    return (
        documents.filter(year__lte=today.year).order_by("-year", "-id").first()
        or documents.order_by("-year", "-id").first()
    )


def due_periods(document: Document, today: date) -> list[Period]:
    """The document's periods whose deadline (plus grace) has passed, oldest first."""
    return [p for p in periods_of(document) if p.deadline + grace() < today]


# -- light counts -------------------------------------------------------------------------------
@dataclass
class Counts:
    key: object
    label: str
    red: int = 0
    yellow: int = 0
    green: int = 0
    none: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.red + self.yellow + self.green + self.none


def _light_aggregates(prefix: str = "") -> dict:
    light = f"{prefix}light"
    out = {name: Count(f"{prefix}pk", distinct=True, filter=Q(**{light: name})) for name in LIGHTS}
    out["none"] = Count(f"{prefix}pk", distinct=True, filter=~Q(**{f"{light}__in": LIGHTS}))
    return out


def counts_by_leader(tasks: QuerySet[Task]) -> list[Counts]:
    rows = (
        tasks.filter(retired=False)
        .order_by()
        .values("section__leader", "section__leader__name")
        .annotate(**_light_aggregates())
    )
    out = [
        Counts(
            r["section__leader"],
            r["section__leader__name"] or "（未列领导）",
            r["red"],
            r["yellow"],
            r["green"],
            r["none"],
        )
        for r in rows
    ]
    return sorted(out, key=lambda c: (c.key is None, -c.red, -c.yellow, c.label))


def counts_by_unit(tasks: QuerySet[Task]) -> list[Counts]:
    rows = (
        Assignment.objects.filter(
            task__in=tasks.filter(retired=False).values("pk"), retired=False, unit__isnull=False
        )
        .order_by()
        .values("unit", "unit__name")
        .annotate(
            **{name: Count("task", distinct=True, filter=Q(task__light=name)) for name in LIGHTS},
            none=Count("task", distinct=True, filter=~Q(task__light__in=LIGHTS)),
            lead=Count("task", distinct=True, filter=Q(role=Assignment.LEAD)),
        )
    )
    out = [
        Counts(
            r["unit"],
            r["unit__name"],
            r["red"],
            r["yellow"],
            r["green"],
            r["none"],
            {"lead": r["lead"]},
        )
        for r in rows
    ]
    return sorted(out, key=lambda c: (-c.red, -c.yellow, c.label))


def counts_by_part(tasks: QuerySet[Task]) -> list[Counts]:
    rows = (
        tasks.filter(retired=False)
        .order_by()
        .values(
            "section__part",
            "section__part__title",
            "section__part__kind",
            "section__part__index",
            "section__part__document",
            "section__part__document__year",
        )
        .annotate(**_light_aggregates())
    )
    out = []
    for r in rows:
        kind = "民生实事" if r["section__part__kind"] == "livelihood" else "重点工作"
        label = f"{r['section__part__document__year']} · {r['section__part__title'] or kind}"
        out.append(
            Counts(
                r["section__part"],
                label,
                r["red"],
                r["yellow"],
                r["green"],
                r["none"],
                {
                    "document": r["section__part__document"],
                    "year": r["section__part__document__year"],
                    "index": r["section__part__index"],
                },
            )
        )
    return sorted(out, key=lambda c: (-c.extra["year"], c.extra["index"]))


def totals(counts: list[Counts]) -> Counts:
    total = Counts(None, "合计")
    for c in counts:
        total.red += c.red
        total.yellow += c.yellow
        total.green += c.green
        total.none += c.none
    return total


# -- overdue ------------------------------------------------------------------------------------
@dataclass
class Overdue:
    """A (task, unit) that has not filed for ``period`` by its deadline.

    Read as ids and names, which is cheap for the thousand rows of a large document; ``task``
    (with its section, leader and part) and ``unit`` are there once :func:`load` has read them,
    for the rows a page shows or a chase sends.
    """

    task_id: int
    unit_id: int
    unit_name: str
    role: str
    leader_id: int | None
    part_index: int
    period: Period
    deadline: date
    days_late: int
    reminders: int = 0
    last_reminder: datetime | None = None
    task: Task | None = None
    unit: Unit | None = None

    @property
    def key(self) -> str:
        """``task:unit:period``, the value of its checkbox on the overdue list."""
        return f"{self.task_id}:{self.unit_id}:{self.period.pk}"


def overdue(
    document: Document, period: Period, today: date, tasks: QuerySet[Task] | None = None
) -> list[Overdue]:
    """Each (task, unit) of ``document`` whose deadline for ``period`` passed with no report
    filed by the unit, in the notice's order (without ``task`` and ``unit``: see :func:`load`).
    ``tasks`` narrows the tasks (a unit's own)."""
    tasks = (tasks if tasks is not None else Task.objects.all()).filter(
        section__part__document=document, retired=False
    )
    extensions = dict(
        Consolidation.objects.filter(
            period=period, task__in=tasks.values("pk"), extended_deadline__isnull=False
        ).values_list("task_id", "extended_deadline")
    )
    filed = set(
        ProgressReport.objects.filter(
            period=period, task__in=tasks.values("pk"), submitted_at__isnull=False
        ).values_list("task_id", "unit_id")
    )
    chased = {
        (r["task"], r["unit"]): (r["n"], r["last"])
        for r in Reminder.objects.filter(period=period, task__in=tasks.values("pk"))
        .order_by()
        .values("task", "unit")
        .annotate(n=Count("pk"), last=Max("at"))
    }
    assignments = (
        Assignment.objects.filter(task__in=tasks.values("pk"), retired=False, unit__isnull=False)
        .order_by("task__section__part__index", "task__section__index", "task__index", "index")
        .values_list(
            "task_id",
            "unit_id",
            "unit__name",
            "role",
            "task__section__leader_id",
            "task__section__part__index",
        )
    )
    out, seen = [], set()
    limit = today - grace()
    for task_id, unit_id, unit_name, role, leader_id, part_index in assignments:
        key = (task_id, unit_id)
        if key in seen or key in filed:
            continue
        seen.add(key)
        deadline = extensions.get(task_id) or period.deadline
        if deadline >= limit:
            continue
        n, last = chased.get(key, (0, None))
        out.append(
            Overdue(
                task_id,
                unit_id,
                unit_name,
                role,
                leader_id,
                part_index,
                period,
                deadline,
                (today - deadline).days,
                n,
                last,
            )
        )
    return out


def load(rows: list[Overdue]) -> list[Overdue]:
    """Read the ``task`` (with section, leader and part) and ``unit`` of ``rows``: two queries."""
    tasks = Task.objects.select_related("section__leader", "section__part").in_bulk(
        {r.task_id for r in rows}
    )
    units = Unit.objects.in_bulk({r.unit_id for r in rows})
    for r in rows:
        r.task, r.unit = tasks[r.task_id], units[r.unit_id]
    return rows


def parse_keys(values: list[str]) -> list[tuple[int, int, int]]:
    """``["12:3:40", …]`` → ``[(12, 3, 40), …]``; anything malformed is left out."""
    out = []
    for value in values:
        parts = value.split(":")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            out.append(tuple(int(p) for p in parts))
    return out


# -- progress -----------------------------------------------------------------------------------
def latest_consolidations(task_ids) -> dict[int, Consolidation]:
    """The latest filed (submitted or accepted) consolidation of each task."""
    out: dict[int, Consolidation] = {}
    for c in (
        Consolidation.objects.filter(task__in=task_ids, state__in=FILED)
        .select_related("period")
        .order_by("period__start", "id")
    ):
        out[c.task_id] = c  # later periods overwrite earlier ones
    return out


@dataclass
class TaskRow:
    task: Task
    progress: Consolidation | None = None
    role: str | None = None
    own: ProgressReport | None = None  # the unit's report for the last due period
    due: Period | None = None
    late: bool = False


def rows_for(tasks, today: date, unit: Unit | None = None) -> list[TaskRow]:
    """Rows of a leader's or unit's page: each task with its latest consolidation and, for a
    unit, its role and its own report for the document's last due period."""
    tasks = list(tasks)
    progress = latest_consolidations([t.pk for t in tasks])
    rows = [TaskRow(t, progress.get(t.pk)) for t in tasks]
    if unit is None:
        return rows
    roles: dict[int, str] = {}
    for task_id, role in Assignment.objects.filter(
        task__in=[t.pk for t in tasks], unit=unit, retired=False
    ).values_list("task_id", "role"):
        if roles.get(task_id) != Assignment.LEAD:
            roles[task_id] = role
    due: dict[int, Period | None] = {}
    for row in rows:
        doc_id = row.task.section.part.document_id
        if doc_id not in due:
            periods = due_periods(row.task.section.part.document, today)
            due[doc_id] = periods[-1] if periods else None
        row.role = roles.get(row.task.pk)
        row.due = due[doc_id]
    own = {
        (r.task_id, r.period_id): r
        for r in ProgressReport.objects.filter(
            unit=unit, task__in=[t.pk for t in tasks], period__in=[p for p in due.values() if p]
        )
    }
    for row in rows:
        if row.due is not None:
            row.own = own.get((row.task.pk, row.due.pk))
            row.late = row.own is None or row.own.submitted_at is None
    return rows
