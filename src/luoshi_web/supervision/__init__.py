"""The supervision office's pages (督查): the overview with lights and the overdue list, chasing
late units (催办) and their digests, leaders' and units' pages, the document as the notice is
structured, full-text search over tasks, charts, and the year-end verdicts on a document's
targets from the next year's work report.

For the ledger: ``luoshi_web.supervision.yearend.verdicts_for(document)``.
"""
