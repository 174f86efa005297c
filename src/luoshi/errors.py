"""Errors raised by the luoshi library.

::

    LuoshiError                 every error the library raises on purpose
    ├── ReadError               the file cannot be read as text: empty, binary, undecodable,
    │                           damaged (truncated PDF, corrupt DOCX), unsupported format
    ├── RegistryError           the unit registry data is inconsistent (luoshi.registry)
    ├── UnknownUnitError        a unit name neither the registry nor the notices know
    │                           (luoshi.units_view); also a LookupError
    └── ParseError              the text was read but is not what was asked for
        ├── NotANoticeError     readable, but not a breakdown notice
        │   └── WorkReportError     it is a government work report (政府工作报告), not a notice
        └── NotAReportError     readable, but not a government work report (luoshi.report)

Every error carries ``path`` (or None) and a ``reason`` in plain words; ``str(error)`` is the
one line the CLI prints: ``<path>: <reason>``.
"""

from __future__ import annotations


class LuoshiError(Exception):
    def __init__(self, reason: str, path: str | None = None):
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)

    def with_path(self, path: str) -> LuoshiError:
        """The same error naming ``path`` (errors raised below the reader know no file)."""
        if self.path:
            return self
        return type(self)(self.reason, path)


class ReadError(LuoshiError):
    """The bytes could not be turned into text."""


class UnknownUnitError(LuoshiError, LookupError):
    """A unit asked for by name that the registry does not know and no notice writes:
    ``unit “省不存在局” is not in the unit registry nor named in the notices``."""


class ParseError(LuoshiError):
    """The text is not a document luoshi can read as asked."""


class NotANoticeError(ParseError):
    """Readable text, but not a responsibility breakdown notice."""


class WorkReportError(NotANoticeError):
    """The text is a government work report, not a breakdown notice."""


class NotAReportError(ParseError):
    """Readable text, but not a government work report (政府工作报告)."""
