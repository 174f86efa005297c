"""Who may see and do what: the only place these rules live.

Views, the REST API and ``tracking.actions`` all ask these functions; none decides on its own.

=====================  ===========================================================================
role                   may
=====================  ===========================================================================
office (督查室)         see every task; import and reparse documents; review consolidations
                       (accept / return / extend); send reminders; return a unit's report
leader (领导)           see the tasks of the sections they lead and the tasks that name them;
                       write instructions (批示) on those sections and tasks
unit (责任单位)         see only the tasks its unit is assigned to; file and submit its own
                       reports; if it leads the task, return a partner's report and consolidate
anyone else            nothing (an active user without a profile included)
=====================  ===========================================================================

The supervision pages (``luoshi_web.supervision``): the office sees the overview, every leader's
and unit's page, every chart and every unit's digest, and uploads the year-end work report; a
leader sees their own page and the charts of their own tasks; a unit sees its own page and
digest. Documents, search and verdicts show each user only the tasks they may read.

A task that a reparse retired stays visible; an assignment that a reparse retired no longer
grants anything.
"""

from __future__ import annotations

from django.db.models import QuerySet

from luoshi_web import reads
from luoshi_web.accounts.models import Profile
from luoshi_web.documents.models import Assignment, Section, Task


def profile_of(user) -> Profile | None:
    """The user's profile, or None for anonymous, inactive or profile-less users."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def is_office(user) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role == Profile.OFFICE


def visible_tasks(user) -> QuerySet[Task]:
    """The tasks ``user`` may read (an empty queryset for anyone without a role)."""
    profile = profile_of(user)
    tasks = Task.objects.all()
    if profile is None:
        return tasks.none()
    if profile.role == Profile.OFFICE:
        return tasks
    # Semi-joins (``pk IN (…)``) rather than joins with DISTINCT: the same tasks, but counting
    # and ordering them need not de-duplicate every column (bench/scale: a unit on 2,000 tasks).
    if profile.role == Profile.LEADER:
        # the tasks of the sections they lead and the tasks that name them, as one UNION: an OR
        # of the two made PostgreSQL read every task (bench/scale: 121 → 7 ms at 100,000 tasks)
        led = Task.objects.filter(section__leader=profile.leader_id).order_by().values("pk")
        named = (
            Task.leaders.through.objects.filter(leader=profile.leader_id)
            .order_by()
            .values("task_id")
        )
        return tasks.filter(pk__in=led.union(named))
    if profile.role == Profile.UNIT:
        assigned = Assignment.objects.filter(unit=profile.unit_id, retired=False).values("task_id")
        return tasks.filter(pk__in=assigned)
    return tasks.none()


_TASK = ("section__part__document", "section__leader")
_task_read = reads.Joined(Task, *_TASK, where="id")
# the unit's role on the task in the same statement ("lead" sorts before "participant": a unit
# listed both ways leads)
_task_read_with_role = reads.Joined(
    Task,
    *_TASK,
    where="id",
    extra={
        "_unit_role": "SELECT a.{role} FROM {table} a WHERE a.{task} = {{t}}.{pk}"
        " AND a.{unit} = %s AND NOT a.{retired} ORDER BY a.{role} LIMIT 1".format(
            table=Assignment._meta.db_table,
            pk=Task._meta.pk.column,
            **{
                name: Assignment._meta.get_field(name).column
                for name in ("role", "task", "unit", "retired")
            },
        )
    },
)


def readable_task(user, pk: int) -> Task | None:
    """The task ``pk`` with its section, part, document and section leader, or None when it does
    not exist or ``user`` may not read it (the page and the API answer both with 404). A unit's
    role on it comes in the same query, so that :func:`role_on_task` asks nothing more. The
    statement is made once (``luoshi_web.reads``): every request that names a task reads it."""
    profile = profile_of(user)
    if profile is not None and profile.role == Profile.UNIT:
        task = _task_read_with_role.one(profile.unit_id, pk)
        if task is not None:
            task.__dict__["_roles_by_unit"] = {profile.unit_id: task.__dict__.pop("_unit_role")}
    else:
        task = _task_read.one(pk)
    if task is None or not can_view_task(user, task):
        return None
    return task


def can_view_task(user, task: Task) -> bool:
    profile = profile_of(user)
    if profile is None:
        return False
    if profile.role == Profile.OFFICE:
        return True
    if profile.role == Profile.LEADER:
        return (
            task.section.leader_id == profile.leader_id
            or task.leaders.filter(pk=profile.leader_id).exists()
        )
    if profile.role == Profile.UNIT:
        return role_on_task(user, task) is not None
    return False


def role_on_task(user, task: Task) -> str | None:
    """``lead`` or ``participant`` for a unit user assigned to the task, else None (a unit
    listed both ways counts as lead).

    The answer is kept on the ``task`` instance for its unit, so that the several checks of one
    request (may see it, may file, may consolidate) ask the database once, or never when
    :func:`readable_task` read it with the task; the task as read by the next request asks
    again."""
    profile = profile_of(user)
    if profile is None or profile.role != Profile.UNIT:
        return None
    known = task.__dict__.setdefault("_roles_by_unit", {})  # readable_task may fill it
    if profile.unit_id not in known:
        roles = set(
            task.assignments.filter(unit=profile.unit_id, retired=False)
            .order_by()  # Meta.ordering would join the task, its section, part and document
            .values_list("role", flat=True)
        )
        known[profile.unit_id] = (
            Assignment.LEAD
            if Assignment.LEAD in roles
            else Assignment.PARTICIPANT
            if roles
            else None
        )
    return known[profile.unit_id]


def roles_on_tasks(user, tasks) -> dict[int, str]:
    """:func:`role_on_task` for many tasks in one query: task id → ``lead`` or ``participant``
    for the tasks the user's unit is on (the others are left out; empty for other roles)."""
    profile = profile_of(user)
    if profile is None or profile.role != Profile.UNIT:
        return {}
    rows = (
        Assignment.objects.filter(
            task__in=[t.pk for t in tasks], unit=profile.unit_id, retired=False
        )
        .order_by()
        .values_list("task_id", "role")
    )
    roles: dict[int, str] = {}
    for task_id, role in rows:
        if role == Assignment.LEAD:
            roles[task_id] = Assignment.LEAD
        else:
            roles.setdefault(task_id, Assignment.PARTICIPANT)
    return roles


def can_file(user, task: Task) -> bool:
    """A unit user on the task (lead or participant) files its own unit's reports."""
    return role_on_task(user, task) is not None and not task.retired


def can_edit_report(user, report) -> bool:
    """Only the report's own unit writes it."""
    profile = profile_of(user)
    return (
        profile is not None
        and profile.role == Profile.UNIT
        and profile.unit_id == report.unit_id
        and can_file(user, report.task)
    )


def can_consolidate(user, task: Task) -> bool:
    """A user of a lead unit of the task."""
    return role_on_task(user, task) == Assignment.LEAD and not task.retired


def can_return_report(user, report) -> bool:
    """The office, or the lead unit returning a partner's report."""
    return is_office(user) or (
        can_consolidate(user, report.task) and profile_of(user).unit_id != report.unit_id
    )


def can_review(user) -> bool:
    """Accept, return or extend a consolidation: the office only."""
    return is_office(user)


def can_import(user) -> bool:
    return is_office(user)


def can_remind(user) -> bool:
    return is_office(user)


def can_instruct(user, section_or_task: Section | Task) -> bool:
    """A leader on the section they lead, or on a task of it or that names them."""
    profile = profile_of(user)
    if profile is None or profile.role != Profile.LEADER:
        return False
    if isinstance(section_or_task, Section):
        return section_or_task.leader_id == profile.leader_id
    return can_view_task(user, section_or_task)


def unit_of(user):
    """The unit a unit user acts for, else None."""
    profile = profile_of(user)
    return profile.unit if profile is not None and profile.role == Profile.UNIT else None


def leader_of(user):
    profile = profile_of(user)
    return profile.leader if profile is not None and profile.role == Profile.LEADER else None


def can_view_report(user, report) -> bool:
    """The office and the task's leaders see every report of a task they see; the lead unit sees
    its partners' reports (it consolidates them); a participant sees only its own."""
    task = report.task
    if not can_view_task(user, task):
        return False
    profile = profile_of(user)
    if profile.role in (Profile.OFFICE, Profile.LEADER):
        return True
    return profile.unit_id == report.unit_id or role_on_task(user, task) == Assignment.LEAD


def visible_reports(user, task: Task):
    """The reports of ``task`` that ``user`` may read (see :func:`can_view_report`)."""
    from luoshi_web.tracking.models import ProgressReport

    reports = ProgressReport.objects.filter(task=task)
    if not can_view_task(user, task):
        return reports.none()
    profile = profile_of(user)
    if profile.role in (Profile.OFFICE, Profile.LEADER):
        return reports
    if role_on_task(user, task) == Assignment.LEAD:
        return reports
    return reports.filter(unit=profile.unit_id)


def can_view_consolidation(user, consolidation) -> bool:
    """Everyone who sees the task sees its consolidations (the participants see what the lead
    reported on their behalf)."""
    return can_view_task(user, consolidation.task)


# -- supervision pages --------------------------------------------------------------------------
def can_supervise(user) -> bool:
    """The office overview, the overdue list and chasing (催办) many units at once."""
    return is_office(user)


def can_view_leader_page(user, leader) -> bool:
    """A leader's page: the office, or that leader."""
    profile = profile_of(user)
    if profile is None:
        return False
    return profile.role == Profile.OFFICE or (
        profile.role == Profile.LEADER and profile.leader_id == leader.pk
    )


def can_view_unit_page(user, unit) -> bool:
    """A unit's page (its tasks and reminders) and its digest: the office, or that unit."""
    profile = profile_of(user)
    if profile is None:
        return False
    return profile.role == Profile.OFFICE or (
        profile.role == Profile.UNIT and profile.unit_id == unit.pk
    )


def can_view_charts(user) -> bool:
    """The charts page: the office (everything) and leaders (their own tasks)."""
    profile = profile_of(user)
    return profile is not None and profile.role in (Profile.OFFICE, Profile.LEADER)


def can_upload_year_end(user) -> bool:
    """Upload the next year's work report to judge a document's targets: the office only."""
    return is_office(user)


def visible_documents(user):
    """The documents in which ``user`` may read at least one task."""
    from luoshi_web.documents.models import Document

    if is_office(user):
        return Document.objects.all()
    return Document.objects.filter(pk__in=visible_tasks(user).values("section__part__document"))
