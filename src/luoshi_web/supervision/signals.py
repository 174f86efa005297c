"""Keep the search index in step with what it is made of, when that is written, so that a search
never looks for tasks without a row.

A task's tokens (``search.searchable_text``) come from the task (``text``, ``search_text``,
``section``), its section (``leader``, ``category``), the section's part (``title``, ``kind``)
and the section's leader (``name``, ``also_names``). Saving any of them indexes the tasks it
feeds again, read from the database (an import or a reparse saves parts and sections before
their tasks, and retires tasks whose loaded section may be out of date). A row is written only
when it changed. A document's ``year`` is copied to its tasks' rows. A save of other fields is
not followed: ``refresh_task``'s status and light, a leader's title, ``retired`` (a retired task
stays visible, and so findable).

Rows loaded raw (``loaddata`` of a restore or a fixture) bring their ``TaskSearch`` rows with
them; tasks loaded raw without one are indexed once, when the load's transaction commits
(``search.index_missing``). Deleting a task deletes its row (``on_delete=CASCADE``).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from luoshi_web.documents.models import Document, Leader, Part, Section, Task
from luoshi_web.supervision import search
from luoshi_web.supervision.models import TaskSearch

TASK_FIELDS = {"text", "search_text", "section", "section_id"}
SECTION_FIELDS = {"leader", "leader_id", "category", "part", "part_id"}
PART_FIELDS = {"title", "kind"}
LEADER_FIELDS = {"name", "also_names"}


def _follows(update_fields, fields: set[str]) -> bool:
    return update_fields is None or bool(set(update_fields) & fields)


@receiver(post_save, sender=Task, dispatch_uid="supervision-index-task")
def index_saved_task(sender, instance: Task, raw=False, update_fields=None, **kwargs):
    if raw:
        _index_after_load(instance)
    elif _follows(update_fields, TASK_FIELDS):
        search.index_tasks(Task.objects.filter(pk=instance.pk))


def _index_tasks_below(fields: set[str], path: str):
    """A receiver: a saved row whose ``fields`` changed indexes the tasks below it again (the
    tasks whose ``path`` is the row); a new row has no tasks yet."""

    def receive(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
        if not raw and not created and _follows(update_fields, fields):
            search.index_tasks(Task.objects.filter(**{path: instance.pk}))

    return receive


# the rows above a task whose fields its tokens take, and the tasks' way to each
for model, fields, path in (
    (Section, SECTION_FIELDS, "section"),
    (Part, PART_FIELDS, "section__part"),
    (Leader, LEADER_FIELDS, "section__leader"),
):
    post_save.connect(
        _index_tasks_below(fields, path),
        sender=model,
        weak=False,
        dispatch_uid=f"supervision-index-{model._meta.model_name}",
    )


@receiver(post_save, sender=Document, dispatch_uid="supervision-index-document-year")
def date_saved_document(
    sender, instance: Document, raw=False, created=False, update_fields=None, **kwargs
):
    if not raw and not created and _follows(update_fields, {"year"}):
        # one UPDATE, and none of the rows when the year did not change (every reparse)
        TaskSearch.objects.filter(task__section__part__document=instance.pk).exclude(
            year=instance.year
        ).update(year=instance.year)


def _index_missing_on_commit() -> None:
    search.index_missing()


def _index_after_load(task: Task) -> None:
    """In a transaction (``loaddata`` runs in one), the tasks still without a row when it
    commits, once however many tasks it loads (their sections may only arrive later in the
    load); outside one, this task."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        search.index_tasks(Task.objects.filter(pk=task.pk))
        return
    # run_on_commit holds (savepoint ids, callable, robust) for each callback registered
    if not any(entry[1] is _index_missing_on_commit for entry in connection.run_on_commit):
        transaction.on_commit(_index_missing_on_commit)
