"""The change history every model here keeps (django-simple-history), made one way.

simple-history makes the class of a model's ``history`` manager anew each time the attribute is
read (``HistoryManager.from_queryset``), and it reads it for every history row it writes: an
``inspect.getmembers`` of the queryset class per row, a twentieth of a filing's CPU
(bench/scale). The class made depends only on its arguments, so :class:`HistoryManager` makes
it once per arguments.
"""

from __future__ import annotations

from functools import cache

from simple_history import manager
from simple_history.models import HistoricalRecords


class HistoryManager(manager.HistoryManager):
    @classmethod
    @cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


def history(**options) -> HistoricalRecords:
    """``HistoricalRecords(**options)`` with :class:`HistoryManager`."""
    return HistoricalRecords(history_manager=HistoryManager, **options)
