"""Keep the search index in step with the tasks: a task saved by an import or a reparse is
indexed again. A save that changes only status and light (``refresh_task``) is not, nor a raw
save (``loaddata`` of a restore: the restored ``TaskSearch`` rows come with it)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from luoshi_web.documents.models import Task

INDEXED_FIELDS = {"text", "search_text", "section", "section_id", "retired"}


@receiver(post_save, sender=Task, dispatch_uid="supervision-index-task")
def index_saved_task(sender, instance: Task, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not (set(update_fields) & INDEXED_FIELDS):
        return
    from luoshi_web.supervision.search import index_task

    index_task(instance)
