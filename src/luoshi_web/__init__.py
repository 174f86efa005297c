"""luoshi_web: the Django application that tracks the year of work a breakdown notice sets.

It depends on the ``luoshi`` library (the parser and the unit registry); the library never
imports it (see ``.importlinter``). Apps: ``accounts`` (who a user is and what they may do),
``documents`` (imported notices: parts, sections, tasks, units, targets) and ``tracking``
(periods, progress reports, consolidation, review, reminders, instructions, lights).
"""
