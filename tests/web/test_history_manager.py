"""The history manager's class is made once (``luoshi_web.history``), and history still works as
simple-history's own: rows written with the user and reason, read back per object."""

from __future__ import annotations

import pytest

from luoshi_web.documents.models import Task
from luoshi_web.history import HistoryManager
from luoshi_web.tracking.models import ProgressReport

pytestmark = pytest.mark.django_db


def test_the_history_manager_class_is_made_once(task):
    assert type(task.history) is type(Task.objects.get(pk=task.pk).history)
    assert isinstance(task.history, HistoryManager)
    # simple-history itself makes a new class on every read; ours, one for every model, each
    # manager bound to its own historical model
    assert type(ProgressReport.history) is type(ProgressReport.history) is type(task.history)
    assert ProgressReport.history.model is not task.history.model
    # bound to each instance all the same: one task's history is its own
    other = Task.objects.exclude(pk=task.pk).first()
    task.light_reason = "测试"
    task._change_reason = "测试原因"
    task.save(update_fields=["light_reason"])
    assert task.history.first().history_change_reason == "测试原因"
    assert all(h.id == task.pk for h in task.history.all())
    assert all(h.id == other.pk for h in other.history.all())
    assert task.history.count() == Task.history.filter(id=task.pk).count()
