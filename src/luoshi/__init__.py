"""luoshi (落实): read government work-report breakdown notices into data.

The public API::

    from luoshi import parse_notice, parse_notice_text, read_source, notice_to_dict

    notice = parse_notice("浙政办发〔2024〕3号.pdf")   # any format: text, HTML, PDF, DOCX
    data = notice_to_dict(notice)                      # the luoshi.breakdown.v1 object
"""

from luoshi.errors import (
    LuoshiError,
    NotANoticeError,
    ParseError,
    ReadError,
    UnknownUnitError,
    WorkReportError,
)
from luoshi.model import Notice, notice_to_dict
from luoshi.notice import parse_notice, parse_notice_text, parse_source
from luoshi.readers import read_bytes, read_source
from luoshi.registry import Registry, default_registry
from luoshi.units_view import diff_notices, find_unit_tasks

__version__ = "0.1.0"

__all__ = [
    "LuoshiError",
    "NotANoticeError",
    "Notice",
    "ParseError",
    "ReadError",
    "Registry",
    "UnknownUnitError",
    "WorkReportError",
    "__version__",
    "default_registry",
    "diff_notices",
    "find_unit_tasks",
    "notice_to_dict",
    "parse_notice",
    "parse_notice_text",
    "parse_source",
    "read_bytes",
    "read_source",
]
