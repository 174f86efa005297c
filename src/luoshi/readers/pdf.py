"""PDF: one Line per printed line, page numbers removed, one blank line between pages.

What comes back for the 2026 notice printed by ``tests/forms.py``'s ``to_pdf`` (22 pages)::

    Line(1, "浙江省人民政府办公厅文件", page=1)
    Line(22, "责任单位：省财政厅、省委金融办（省地方金融局）、省审计厅、省国资委、人行浙江省分", page=1)
    Line(23, "行、浙江金融监管局、浙江证监局（除特别注明外，列第一位的为牵头或汇总单位，下同）", page=1)
    Line(34, "责任单位：省发展改革委、省农业农村厅", page=1)
    Line(35, "", page=None)                  # the page break, as in the seed text files
    Line(36, "4. 常住人口城镇化率达到 78% 左右。", page=2)

Lines wrap wherever the printer wrapped them, inside unit names too (人行浙江省分 / 行): joining
them is the grammar's work. The running page number (``— 3 —``, ``- 3 -``, ``－3－``, ``第3页``,
``3/20``, ``第 3 页 共 20 页``, a bare ``3``) is dropped when it is the first or last line of its
page or the highest or lowest text on it; a running header that is not a page number stays.

Two engines, for speed and for completeness. PDFium (pypdfium2) reads the text in reading
order with its line breaks, about fifteen times faster than pdfplumber (0.035 s against 0.64 s
for those 22 pages). But PDFium silently drops a text object holding a single glyph of a font
that is not embedded when the server lacks that font (STSong-Light; 仿宋_GB2312 in many office
PDFs): the 位 of 成员单位 alone on a paragraph's last line would vanish. Pages where that can
have happened are read again with pdfplumber (pdfminer), which takes the text from the content
stream whatever the font; pdfplumber also gets a second try at files PDFium refuses to open.
PyMuPDF is never used (AGPL).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable

from luoshi.errors import ReadError
from luoshi.model import Line, Source

NO_TEXT = "PDF has no text layer (scanned image?)"

_PAGE_NUMBER = re.compile(
    r"^(?:"
    r"[-—–－―~～_·•]+\s*\d{1,4}\s*[-—–－―~～_·•]+"  # — 3 —   - 3 -   －3－   —3—
    r"|\d{1,3}"  # a bare 3 (not 2026: a year ending a wrapped line)
    r"|第\s*\d{1,4}\s*页(?:\s*[,，、/]?\s*共\s*\d{1,4}\s*页)?"  # 第3页   第 3 页 共 20 页
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3/20
    r"|page\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r")$",
    re.IGNORECASE,
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# PDFium is not thread-safe: one document at a time per process (the web app reads uploads in
# worker threads).
_PDFIUM_LOCK = threading.Lock()


def is_page_number(text: str) -> bool:
    """True for a running page number: ``"— 3 —"``, ``"－3－"``, ``"第 3 页 共 20 页"``, ``"3/20"``,
    ``"3"``. False for ``"2026"`` or ``"3. 推进…"``."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def _clean(text: str) -> str:
    # PDFium marks generated hyphens and unknown glyphs with control characters and U+FFFE.
    return "".join(
        ch
        for ch in text
        if ch == "\t" or (unicodedata.category(ch) != "Cc" and ch not in "\ufffe\uffff")
    ).strip()


def page_lines(text: str, edge_texts: Iterable[str] = ()) -> list[str]:
    """The lines of one page's text, blank ones and the running page number removed.

    ``edge_texts`` are the texts printed highest and lowest on the page: a page number there is
    furniture even when the content stream draws it in the middle (some generators do).
    """
    lines = [c for c in (_clean(s) for s in _LINE_BREAK.split(text)) if c]
    edges = {_clean(t) for t in edge_texts}
    keep = []
    for i, line in enumerate(lines):
        at_edge = i == 0 or i == len(lines) - 1 or line in edges
        if at_edge and is_page_number(line):
            continue
        keep.append(line)
    return keep


def read_pdf(data: bytes, name: str) -> Source:
    """Read a PDF into a Source (``application/pdf``), lines carrying their 1-based page.

    Raises ReadError: ``"PDF is encrypted with a password"``, ``"damaged PDF: …"`` (truncated
    download, broken structure, a page that cannot be read), and :data:`NO_TEXT` when the pages
    hold no text (a scan). A PDF encrypted only against copying opens without a password and is
    read, with a note.
    """
    notes: list[str] = []
    try:
        with _PDFIUM_LOCK:
            pages, doubtful = _pages_with_pdfium(data, notes)
    except _PdfiumRefused as refused:
        reread = _pages_with_pdfplumber(data)
        if reread is None:
            raise ReadError(refused.reason, name) from None
        pages = [reread[i] for i in sorted(reread)]
        notes.append("read with pdfplumber (PDFium could not open the file)")
    except ReadError as error:
        raise error.with_path(name) from None
    else:
        if doubtful:
            reread = _pages_with_pdfplumber(data, doubtful) or {}
            for index, page in reread.items():
                pages[index] = page
            if reread:
                notes.append(
                    f"{len(reread)} page(s) read with pdfplumber: PDFium drops lone glyphs of "
                    "fonts that are not embedded"
                )
            else:
                notes.append(
                    f"{len(doubtful)} page(s) may miss single characters: fonts not embedded"
                )

    lines: list[Line] = []
    for number, page in enumerate(pages, start=1):
        if not page:
            continue
        if lines:
            lines.append(Line(len(lines) + 1, "", page=None))
        for text in page:
            lines.append(Line(len(lines) + 1, text, page=number))
    if not lines:
        raise ReadError(NO_TEXT, name)
    _reject_undecodable(lines, name)
    if not _has_eof_marker(data):
        notes.append("the PDF has no end-of-file marker (truncated download?); all pages read")
    return Source(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type="application/pdf",
        lines=tuple(lines),
        encoding=None,
        notes=tuple(notes),
    )


class _PdfiumRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _has_eof_marker(data: bytes) -> bool:
    # The spec puts %%EOF at the very end; tolerate trailing junk some servers append.
    return b"%%EOF" in data[-4096:]


def _pages_with_pdfium(data: bytes, notes: list[str]) -> tuple[list[list[str]], list[int]]:
    """``(pages, doubtful)``: every page's lines, and the 0-based pages PDFium may have read
    incompletely (see :func:`_has_dropped_glyphs`)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError("PDF is encrypted with a password") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError("PDF is encrypted with an unsupported security handler") from None
        if not _has_eof_marker(data):
            raise ReadError("damaged PDF: the file is truncated (no end-of-file marker)") from None
        raise _PdfiumRefused("damaged PDF: the file structure cannot be read") from None
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1:
            notes.append("PDF is encrypted against copying; opened without a password")
        if len(pdf) == 0:
            raise ReadError("damaged PDF: it has no pages")
        pages: list[list[str]] = []
        doubtful: list[int] = []
        for index in range(len(pdf)):
            try:
                page = pdf[index]
            except pdfium.PdfiumError:
                raise ReadError(f"damaged PDF: page {index + 1} cannot be read") from None
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                    edges = _edge_texts(textpage)
                finally:
                    textpage.close()
                if _has_dropped_glyphs(page.raw):
                    doubtful.append(index)
            finally:
                page.close()
            pages.append(page_lines(text, edges))
        return pages, doubtful
    finally:
        pdf.close()


def _has_dropped_glyphs(raw_page) -> bool:
    """True when the page has a text object of zero width.

    PDFium's text page skips such objects, and it gives a one-character text object zero width
    when it cannot load the glyph: a font that is not embedded (STSong-Light, or 仿宋_GB2312 in
    many office PDFs) on a server without that font. A paragraph's last line holding one
    character (the 位 of 成员单位) would silently vanish; these pages are read again with
    pdfplumber, which takes text from the content stream whatever the font.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    box = tuple(map(ctypes.byref, (left, bottom, right, top)))

    def walk(count, get) -> bool:
        for i in range(count):
            obj = get(i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                if pdfium_c.FPDFPageObj_GetBounds(obj, *box) and right.value - left.value < 0.01:
                    return True
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and walk(
                pdfium_c.FPDFFormObj_CountObjects(obj),
                lambda k, form=obj: pdfium_c.FPDFFormObj_GetObject(form, k),
            ):
                return True
        return False

    return walk(
        pdfium_c.FPDFPage_CountObjects(raw_page),
        lambda k: pdfium_c.FPDFPage_GetObject(raw_page, k),
    )


def _edge_texts(textpage) -> list[str]:
    """The texts of the highest and the lowest text run on the page (PDF y grows upwards)."""
    count = textpage.count_rects()
    if count <= 0:
        return []
    rects = [textpage.get_rect(i) for i in range(count)]  # (left, bottom, right, top)
    lowest = min(rects, key=lambda r: r[1])
    highest = max(rects, key=lambda r: r[3])
    return [textpage.get_text_bounded(*lowest), textpage.get_text_bounded(*highest)]


def _pages_with_pdfplumber(
    data: bytes, indices: Iterable[int] | None = None
) -> dict[int, list[str]] | None:
    """``{page index: lines}`` read by pdfplumber (pdfminer) for ``indices`` (all pages when
    None), or None when it cannot read the file either.

    pdfplumber orders lines top to bottom, so the first and last lines are the page's edges.
    """
    import io

    # pdfminer logs every repair it makes to a damaged file as a warning; the reason a file
    # cannot be read reaches the user as the ReadError, not as a screenful of log lines.
    pdfminer_log = logging.getLogger("pdfminer")
    level = pdfminer_log.level
    pdfminer_log.setLevel(logging.ERROR)
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            wanted = range(len(pdf.pages)) if indices is None else indices
            return {i: page_lines(pdf.pages[i].extract_text() or "") for i in wanted}
    except Exception:
        return None
    finally:
        pdfminer_log.setLevel(level)


def _reject_undecodable(lines: list[Line], name: str) -> None:
    """A PDF whose fonts have no Unicode map yields private-use or replacement characters:
    raise rather than hand the grammar gibberish."""
    chars = [ch for line in lines for ch in line.text if not ch.isspace()]
    if not chars:
        raise ReadError(NO_TEXT, name)
    bad = sum(
        1
        for ch in chars
        if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff" or unicodedata.category(ch) == "Cn"
    )
    if bad > 0.3 * len(chars):
        raise ReadError(
            "PDF text cannot be decoded (its fonts have no Unicode map); save it again as PDF "
            "with text, or as DOCX",
            name,
        )
