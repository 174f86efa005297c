"""Readers: bytes in, numbered text lines with provenance out — no grammar.

::

    from luoshi.readers import read_source

    source = read_source("浙政办发〔2024〕3号.pdf")
    source.media_type        # "application/pdf"
    source.lines[0]          # Line(number=1, text="浙江省人民政府办公厅文件", page=1)

The format is decided by content (:func:`luoshi.readers.detect.sniff`), never by the name alone:
a PDF saved as ``.txt`` is read as PDF. Every reader's lines then pass through
:func:`luoshi.readers.normalize.normalize_lines` (Traditional → Simplified when, and only when,
the document is Traditional). Whatever goes wrong comes out as one
:class:`~luoshi.errors.ReadError` with one short reason; no library exception escapes.
"""

from __future__ import annotations

import os
from dataclasses import replace

from luoshi.errors import ReadError
from luoshi.model import Source
from luoshi.readers.detect import sniff
from luoshi.readers.normalize import normalize_lines

__all__ = ["read_bytes", "read_source"]


def read_source(path: str | os.PathLike) -> Source:
    """Read the file at ``path`` (see :func:`read_bytes`); ``Source.path`` is ``path`` as given.

    Raises ReadError for a missing or unreadable file ("file not found", "permission denied",
    "is a directory") as for any bad content.
    """
    name = os.fspath(path)
    name = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise ReadError("file not found", name) from None
    except IsADirectoryError:
        raise ReadError("is a directory, not a file", name) from None
    except PermissionError:
        raise ReadError("permission denied", name) from None
    except OSError as error:
        raise ReadError(f"cannot open file: {error.strerror or error}", name) from None
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str) -> Source:
    """Read ``data`` (the bytes of a file called ``name``) into a :class:`~luoshi.model.Source`.

    ``media_type`` is application/pdf, the DOCX type, text/html, text/markdown or text/plain,
    chosen from the content; ``sha256`` is of ``data``; ``path`` is ``name``. Raises ReadError
    for an empty, binary, undecodable, damaged or unsupported file, e.g.
    ``read_bytes(b"", "a.txt")`` → ``ReadError("empty file", "a.txt")``.
    """
    try:
        kind = sniff(data, name)
        if kind == "pdf":
            from luoshi.readers.pdf import read_pdf

            source = read_pdf(data, name)
        elif kind == "docx":
            from luoshi.readers.docx import read_docx

            source = read_docx(data, name)
        elif kind == "html":
            from luoshi.readers.html import read_html

            source = read_html(data, name)
        else:
            from luoshi.readers.text import read_text

            source = read_text(data, name)
        lines, notes = normalize_lines(source.lines)
        if notes:
            source = replace(source, lines=lines, notes=(*source.notes, *notes))
        return source
    except ReadError as error:
        raise error.with_path(name) from None
    except RecursionError:
        raise ReadError("the document is nested too deeply to read", name) from None
    except MemoryError:
        raise ReadError("the document is too large to read", name) from None
    except Exception as error:
        # A reader missed a library error: still one ReadError, naming what failed.
        raise ReadError(f"cannot read file ({type(error).__name__})", name) from None
