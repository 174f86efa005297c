"""Tell what a file is from its bytes, not its name.

:func:`sniff` returns one of ``"pdf"``, ``"docx"``, ``"html"``, ``"text"`` or raises
:class:`~luoshi.errors.ReadError` naming what the file is when luoshi cannot read it::

    sniff(b"%PDF-1.7 ...", "notice.txt")            -> "pdf"     (the name does not matter)
    sniff(b"\\x89PNG\\r\\n\\x1a\\n...", "notice.pdf")    -> ReadError("binary file, not a document
                                                               (looks like PNG image)")
    sniff(b"\\xd0\\xcf\\x11\\xe0...WordDocument...", "a.doc") -> ReadError("legacy .doc (Word
                                                               97-2003) is not supported; ...")

Government sites publish notices as PDF, DOCX, WPS/DOC, OFD and web pages; the ones luoshi does
not read get a reason that tells the user what to save the file as instead.
"""

from __future__ import annotations

import io
import re
import zipfile

from luoshi.errors import ReadError

# How far into a file the sniffers look. A PDF header may follow up to 1 KB of junk (readers
# accept it); an HTML page announces itself within its first few KB.
PDF_HEADER_WINDOW = 1024
HTML_SNIFF_BYTES = 4096

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Signatures of binary formats people upload by mistake, with the name the error uses.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x7fELF", "executable program"),
    (b"\x00\x00\x01\x00", "icon image"),
    (b"\x1a\x45\xdf\xa3", "video"),
    (b"fLaC", "audio"),
    (b"OggS", "audio"),
    (b"ID3", "MP3 audio"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
)
# Signatures short enough to begin a text file: only trusted when the file also has NUL bytes.
_WEAK_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows program"),
    (b"BM", "BMP image"),
)

_HTML_START = re.compile(
    rb"<(!doctype\s+html|html|head|body|meta|title|div|p|table|span|link|script|style|center"
    rb"|font|h[1-6])[\s>/]",
)
_HTML_ANYWHERE = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]")
_HTML_TAG = re.compile(rb"</?(p|div|br|table|tr|td|span|a|li|ul|h[1-6]|font|strong|img)[\s>/]")
_LEADING_NOISE = re.compile(rb"^(\s+|<\?xml[^>]*>|<!--.*?-->)+", re.DOTALL)


def sniff(data: bytes, name: str = "") -> str:
    """The reader for ``data``: ``"pdf"``, ``"docx"``, ``"html"`` or ``"text"``.

    Raises ReadError for an empty file and for every format luoshi does not read (images,
    archives, legacy Office/WPS files, XLSX, OFD, RTF, ...), the reason naming the format.
    Text that is not HTML is ``"text"`` here; whether it decodes is the text reader's concern.
    """
    if not data:
        raise ReadError("empty file", name)
    if b"%PDF-" in data[:PDF_HEADER_WINDOW]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data, name)
    if data.startswith(OLE_MAGIC):
        raise ReadError(_ole_reason(data), name)
    label = binary_label(data)
    if label:
        raise ReadError(f"binary file, not a document (looks like {label})", name)
    head = data[:HTML_SNIFF_BYTES]
    if head.lstrip().startswith(b"{\\rtf"):
        raise ReadError("RTF document is not supported; save it as DOCX or PDF", name)
    if b'progid="Word.Document"' in head or b"<w:wordDocument" in head:
        raise ReadError("Word 2003 XML document is not supported; save it as DOCX", name)
    if _is_mht(head):
        raise ReadError("MHT web archive is not supported; save the page as HTML", name)
    if looks_like_html(head):
        return "html"
    return "text"


def binary_label(data: bytes) -> str | None:
    """What a binary ``data`` looks like ("PNG image", "gzip archive", ...), or None."""
    for magic, label in _BINARY_MAGIC:
        if data.startswith(magic):
            return label
    if data[:4] == b"RIFF":
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio"}.get(data[8:12], "audio or video")
    if data[4:8] == b"ftyp":
        return "video or image (MP4/HEIC)"
    if b"\x00" in data[:1024]:
        for magic, label in _WEAK_MAGIC:
            if data.startswith(magic):
                return label
    return None


def looks_like_html(head: bytes) -> bool:
    """True when the first few KB of a file are an HTML page (any ASCII-compatible encoding).

    A page begins with a tag (``<!DOCTYPE html>``, ``<html>``, ``<meta …>``, ``<div>``, … after
    an optional BOM, XML declaration or comment), or names ``<html>``/``<body>`` somewhere, or is
    dense with tags. A plain-text notice quoting one ``<div>`` stays text.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with BOM: look at its ASCII form.
        try:
            head = head.decode("utf-16", "ignore").encode("ascii", "ignore")
        except Exception:  # a lone BOM and garbage: not a page
            return False
    head = head.removeprefix(b"\xef\xbb\xbf").lower()
    stripped = _LEADING_NOISE.sub(b"", head)
    if _HTML_START.match(stripped):
        return True
    if _HTML_ANYWHERE.search(head):
        return True
    return len(_HTML_TAG.findall(head)) >= 8


def _is_mht(head: bytes) -> bool:
    lower = head[:2048].lower()
    return lower.startswith((b"from:", b"mime-version:", b"date:", b"subject:")) and (
        b"multipart/related" in lower
    )


def _sniff_zip(data: bytes, name: str) -> str:
    """``"docx"`` for a Word document; ReadError naming any other ZIP-based file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = ""
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
    except Exception:
        # The local headers still carry the member names in plain text, which tells a damaged
        # Word file (a truncated download) from any other broken archive.
        if b"word/" in data or name.lower().endswith((".docx", ".docm")):
            raise ReadError(
                "damaged DOCX: not a valid Word file (truncated or corrupt ZIP)", name
            ) from None
        if b"xl/" in data:
            raise ReadError(
                "damaged XLSX spreadsheet; luoshi reads DOCX, PDF, HTML or text", name
            ) from None
        raise ReadError("damaged ZIP archive, not a document", name) from None
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("word/") for n in names):
        raise ReadError("damaged DOCX: word/document.xml is missing", name)
    raise ReadError(_zip_reason(names, mimetype), name)


def _zip_reason(names: set[str], mimetype: str) -> str:
    if "xl/workbook.xml" in names:
        return "Excel workbook (XLSX) is not supported; save the notice as DOCX or PDF"
    if "ppt/presentation.xml" in names:
        return "PowerPoint presentation (PPTX) is not supported; save it as PDF"
    if "OFD.xml" in names or "ofd.xml" in names:
        return "OFD document is not supported; save it as PDF"
    if mimetype.startswith("application/vnd.oasis.opendocument.text"):
        return "OpenDocument text (ODT) is not supported; save it as DOCX"
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return "OpenDocument file (ODS/ODP) is not supported; save the notice as DOCX or PDF"
    if mimetype == "application/epub+zip":
        return "EPUB book is not supported; save the notice as PDF"
    if "AndroidManifest.xml" in names or "META-INF/MANIFEST.MF" in names:
        return "binary file, not a document (looks like Java/Android package)"
    shown = ", ".join(sorted(names)[:3]) + (", …" if len(names) > 3 else "")
    return f"ZIP archive, not a document (contains {len(names)} files: {shown or 'none'})"


def _ole_reason(data: bytes) -> str:
    """Name the legacy Office format from the stream names in the OLE directory (UTF-16LE)."""
    if "WordDocument".encode("utf-16-le") in data:
        return "legacy .doc (Word 97-2003) is not supported; save it as DOCX"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "legacy .xls (Excel 97-2003) is not supported; save the notice as DOCX or PDF"
    if "PowerPoint Document".encode("utf-16-le") in data:
        return "legacy .ppt (PowerPoint 97-2003) is not supported; save it as PDF"
    return "legacy Office file (.doc/.wps, OLE format) is not supported; save it as DOCX"
