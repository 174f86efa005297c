"""Word documents (DOCX): paragraphs and tables in document order.

python-docx opens the package; the body is then walked as XML, because its ``Paragraph.text``
skips text that matters in government files: tracked insertions (``w:ins``), content controls
(``w:sdt``) that templates wrap around the 文号 and date, and smart tags. What comes back::

    Line(1, "浙江省人民政府办公厅关于印发…的通知")
    Line(2, "序号 | 重点工作 | 牵头领导 | 牵头单位 | 责任单位 | 完成时限",
         cells=("序号", "重点工作", "牵头领导", "牵头单位", "责任单位", "完成时限"))
    Line(3, "1 | 一般公共预算收入与经济增长同步。 | 王浩 | 省财政厅 |  | 2024年底",
         cells=("1", "一般公共预算收入与经济增长同步。", "王浩", "省财政厅", "", "2024年底"))

- A paragraph is one Line; manual line breaks (``w:br``, ``w:cr``) split it into several. Text is
  as in Word (leading indentation kept, trailing spaces dropped); runs of empty paragraphs
  become one blank line, and none lead or trail.
- A table row is one Line with ``cells``: a horizontally merged cell (``gridSpan``) is one
  cell, not repeated; a vertically merged cell (``vMerge``) repeats the text of the cell above
  in every row it covers; a nested table's text is flattened into its cell.
- Text boxes become lines after the paragraph that anchors them; deleted text (tracked changes)
  and the fallback copy of drawings (``mc:Fallback``) are skipped.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

from lxml import etree

from luoshi.errors import ReadError
from luoshi.model import Line, Source

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = map(_w, ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_CUSTOM_XML, _SMART_TAG = _w("customXml"), _w("smartTag")
_T, _TAB, _PTAB, _BR, _CR = map(_w, ("t", "tab", "ptab", "br", "cr"))
_NB_HYPHEN, _TXBX = _w("noBreakHyphen"), _w("txbxContent")
_VAL = _w("val")
# Subtrees that hold no visible text of the paragraph: properties, deleted text, field codes,
# and the fallback copy of every drawing (its text box text duplicates the mc:Choice one).
_SKIP = frozenset(
    {
        _w("pPr"),
        _w("rPr"),
        _w("del"),
        _w("moveFrom"),
        _w("instrText"),
        _w("delText"),
        _w("delInstrText"),
        f"{{{MC}}}Fallback",
    }
)
# Wrappers whose children are paragraphs, tables, rows or cells as if they stood in their place.
_WRAPPERS = frozenset({_SDT_CONTENT, _CUSTOM_XML, _SMART_TAG, _w("ins"), _w("moveTo")})


def _children(el):
    """The child elements of ``el``, looking through sdt/customXml wrappers."""
    for child in el:
        if child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content)
        elif child.tag in _WRAPPERS:
            yield from _children(child)
        else:
            yield child


def paragraph_lines(p) -> tuple[list[str], list]:
    """``(lines, text_box_paragraphs)`` of a ``w:p``: its text split at manual line breaks,
    trailing whitespace dropped, and the ``w:p`` elements of any text boxes in it."""
    parts: list[str] = []
    boxes: list = []
    _collect(p, parts, boxes)
    return [s.rstrip() for s in "".join(parts).split("\n")], boxes


def _collect(el, parts: list[str], boxes: list) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag in (_TAB, _PTAB):
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NB_HYPHEN:
            parts.append("-")
        elif tag == _TXBX:
            boxes.extend(c for c in _children(child) if c.tag == _P)
        else:
            _collect(child, parts, boxes)


def _cell_text(tc) -> str:
    """All text of a cell on one line: its paragraphs and nested tables joined by spaces."""
    pieces: list[str] = []
    for child in _children(tc):
        if child.tag == _P:
            lines, boxes = paragraph_lines(child)
            pieces.extend(lines)
            for box in boxes:
                pieces.extend(paragraph_lines(box)[0])
        elif child.tag == _TBL:
            pieces.extend(" ".join(cells) for cells in table_rows(child))
    return " ".join(s.strip() for s in pieces if s.strip())


def _int_attr(el, path: str, default: int) -> int:
    found = el.find(path)
    if found is None:
        return default
    try:
        return max(1, int(found.get(_VAL, default)))
    except ValueError:
        return default


def table_rows(tbl) -> list[tuple[str, ...]]:
    """The rows of a ``w:tbl`` as tuples of cell texts, merged cells resolved.

    A cell spanning two grid columns (``gridSpan=2``) is one cell; a ``vMerge`` continuation
    takes the text of the cell above it (the restart cell); a legacy ``hMerge`` continuation is
    part of the cell before it. Rows whose cells are all empty are left out.
    """
    rows: list[tuple[str, ...]] = []
    above: dict[int, str] = {}  # grid column -> text of the cell last seen there
    for tr in (c for c in _children(tbl) if c.tag == _TR):
        col = _int_attr(tr, f"{_w('trPr')}/{_w('gridBefore')}", 0)
        cells: list[str] = []
        for tc in (c for c in _children(tr) if c.tag == _TC):
            props = tc.find(_w("tcPr"))
            span = _int_attr(props, _w("gridSpan"), 1) if props is not None else 1
            v_merge = props.find(_w("vMerge")) if props is not None else None
            h_merge = props.find(_w("hMerge")) if props is not None else None
            if v_merge is not None and v_merge.get(_VAL, "continue") == "continue":
                text = above.get(col, "")
            else:
                text = _cell_text(tc)
            for c in range(col, col + span):
                above[c] = text
            col += span
            if h_merge is not None and h_merge.get(_VAL, "continue") == "continue" and cells:
                continue
            cells.append(text)
        if any(cells):
            rows.append(tuple(cells))
    return rows


def body_lines(body) -> list[tuple[str, tuple[str, ...] | None]]:
    """``(text, cells)`` for every line of a document body, in document order."""
    out: list[tuple[str, tuple[str, ...] | None]] = []
    for child in _children(body):
        if child.tag == _P:
            lines, boxes = paragraph_lines(child)
            out.extend((s, None) for s in lines)
            for box in boxes:
                out.extend((s, None) for s in paragraph_lines(box)[0] if s.strip())
        elif child.tag == _TBL:
            out.extend((" | ".join(cells), cells) for cells in table_rows(child))
    return out


def _open_body(data: bytes):
    """The ``w:body`` element, via python-docx; straight from the ZIP for the variants
    python-docx refuses by content type (.docm with macros, .dotx templates)."""
    import docx

    try:
        return docx.Document(io.BytesIO(data)).element.body
    except ValueError as error:
        if "content type" not in str(error):
            raise
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml, parser)
    body = root.find(_w("body"))
    if body is None:
        raise ReadError("damaged DOCX: the document has no body")
    return body


def read_docx(data: bytes, name: str) -> Source:
    """Read a DOCX file into a Source (see the module docstring for the lines).

    Raises ReadError("damaged DOCX: …") for a file that is not a valid Word package (not a ZIP,
    truncated, word/document.xml missing or not XML) and ReadError("DOCX contains no text") for
    an empty document.
    """
    try:
        body = _open_body(data)
        rows = body_lines(body)
    except ReadError as error:
        raise error.with_path(name) from None
    except KeyError:
        raise ReadError("damaged DOCX: word/document.xml is missing", name) from None
    except etree.XMLSyntaxError:
        raise ReadError("damaged DOCX: word/document.xml is not well-formed XML", name) from None
    except Exception:  # python-docx, zipfile and lxml raise a dozen kinds for a broken package
        raise ReadError("damaged DOCX: not a valid Word file", name) from None

    lines: list[Line] = []
    for text, cells in rows:
        if not text.strip() and cells is None:
            if not lines or not lines[-1].text.strip():
                continue  # no blank line first, and never two in a row
            text = ""
        lines.append(Line(len(lines) + 1, text, cells=cells))
    while lines and not lines[-1].text.strip():
        lines.pop()
    if not lines:
        raise ReadError("DOCX contains no text", name)
    return Source(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=MEDIA_TYPE,
        lines=tuple(lines),
        encoding=None,
        notes=(),
    )
