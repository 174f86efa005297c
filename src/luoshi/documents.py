"""Any document luoshi reads, parsed as what it is.

``parse_document(path)`` reads the file once and returns a :class:`~luoshi.model.Notice` for a
breakdown notice or a :class:`~luoshi.report.Report` for a government work report; anything else
raises :class:`~luoshi.errors.ParseError` (a notice-shaped reason) or
:class:`~luoshi.errors.ReadError`.
"""

from __future__ import annotations

import os

from luoshi.model import Notice
from luoshi.notice import is_work_report, parse_source
from luoshi.readers import read_source
from luoshi.report import Report, parse_report_source


def parse_document(path: str | os.PathLike) -> Notice | Report:
    source = read_source(path)
    if is_work_report(source.text):
        return parse_report_source(source)
    return parse_source(source)
