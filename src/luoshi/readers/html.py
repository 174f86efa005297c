"""Web pages: decode, drop the site's furniture, keep the notice.

A notice reposted on a government site sits among navigation bars, a breadcrumb
(当前位置：首页 > 政务公开 > …), font-size and print buttons, related links and a footer
(主办单位…网站标识码…ICP备…). What comes back is only the main content block, as lines:

- every block element (p, div, li, h1-h6, …) and ``<br>`` ends a line; runs of whitespace
  (``&nbsp;``, U+3000 indents included) collapse to one space, and a line break in the HTML
  source between two Chinese characters disappears, as browsers render it (CSS Text 3 segment
  breaks), so 省发展\\n改革委 stays one unit name;
- every ``<tr>`` of a data table is one Line with ``cells``, ``rowspan``/``colspan`` repeated
  into every covered cell so each row has the table's full width;
- lines are numbered 1, 2, 3 … over what is kept; an empty ``<p>`` or a double ``<br>`` is a
  blank line, never two in a row.

The page ``<title>`` is not added: a headline appears only when it is inside the content block.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from luoshi.errors import ReadError
from luoshi.model import Line, Source
from luoshi.readers.text import decode_text

# --- decoding -------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([a-z0-9_\-:.]+)", re.IGNORECASE)
# Labels pages declare, read the way browsers read them (WHATWG Encoding): every GB label means
# GBK, and GB18030 is its superset, so a page saying gb2312 but using a GBK-only character
# (镕, 堃 in names) still decodes.
_LABELS = {
    **dict.fromkeys(
        (
            "gb2312",
            "gbk",
            "x-gbk",
            "gb_2312-80",
            "gb_2312",
            "cp936",
            "windows-936",
            "chinese",
            "csgb2312",
            "csiso58gb231280",
            "iso-ir-58",
            "gb18030",
            "euc-cn",
        ),
        "gb18030",
    ),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5", "cp950"), "big5hkscs"),
    **dict.fromkeys(
        ("iso-8859-1", "latin1", "latin-1", "ascii", "us-ascii", "windows-1252"), "cp1252"
    ),
    **dict.fromkeys(("utf8", "utf-8", "unicode-1-1-utf-8"), "utf-8"),
}
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def declared_charset(data: bytes) -> str | None:
    """The Python codec for the charset a page declares in its first 4 KB, or None.

    ``<meta charset="gb2312">`` → ``"gb18030"``; ``content="text/html; charset=UTF-8"`` →
    ``"utf-8"``; an unknown label → None.
    """
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower()
    if label in _LABELS:
        return _LABELS[label]
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """``(text, encoding, notes)`` for a page: BOM, then the declared charset, then detection.

    Sites often declare one charset and serve another (a template saying gb2312 around UTF-8
    text), so a declared charset is used only if it decodes the bytes strictly; otherwise
    strict UTF-8 and GB18030 are tried, then the text reader's detection.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), codec, (f"decoded as {codec} (BOM)",)
            except UnicodeDecodeError:
                break
    declared = declared_charset(data)
    if declared:
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            note = (
                ()
                if declared == "utf-8"
                else (f"decoded as {declared.upper()} (the page declares {_label(data)})",)
            )
            return text, declared, note
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        notes = () if codec == "utf-8" else ("decoded as GB18030",)
        if declared:
            notes += (f"the page declares {_label(data)} but is not; read as {codec}",)
        return text, codec, notes
    try:
        return decode_text(data)
    except ReadError:
        if not declared:
            raise
    # Declared, and nothing decodes it cleanly: a few damaged bytes should not lose the page.
    return (
        data.decode(declared, "replace"),
        declared,
        (f"decoded as {declared.upper()}; some bytes were damaged and replaced",),
    )


def _label(data: bytes) -> str:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else "?"


# --- what is furniture, what is content -----------------------------------------------------

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "select",
    "button",
    "input",
    "textarea",
    "option",
    "map",
    "audio",
    "video",
    "head",
    "title",
    "meta",
    "link",
)
_FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "header", "menu"})
# Furniture tokens of class/id values: substrings for unmistakable words, whole words for short
# ones (a "side" word, not the "side" in "inside"). Chinese sites also use pinyin: dqwz 当前位置,
# xglj 相关链接, fenxiang 分享.
_FURNITURE_SUBSTR = (
    "nav",
    "menu",
    "breadcrumb",
    "crumb",
    "footer",
    "sidebar",
    "share",
    "copyright",
    "dqwz",
    "toolbar",
    "fontsize",
    "fenxiang",
    "banner",
    "header",
)
_FURNITURE_WORDS = frozenset(
    {
        "foot",
        "side",
        "position",
        "location",
        "print",
        "tool",
        "tools",
        "related",
        "links",
        "friend",
        "search",
        "login",
        "xglj",
        "head",
        "top",
        "ads",
        "advert",
        "weizhi",
        "bottom",
        "qrcode",
        "ewm",
    }
)
# Inside an article these mean its own headline block, not the site's: never drop them there.
_SOFT_FURNITURE = frozenset({"header", "head", "top"})
_CONTENT_SUBSTR = ("content", "article", "detail", "zoom", "trs_editor", "trseditor", "zhengwen")
_CONTENT_WORDS = frozenset(
    {
        "con",
        "text",
        "main",
        "zw",
        "body",
        "post",
        "entry",
        "trs",
        "editor",
        "wenzhang",
        "nr",
        "cont",
    }
)

_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "center",
        "hr",
        "header",
        "footer",
        "nav",
        "aside",
        "figure",
        "figcaption",
        "caption",
        "address",
        "form",
        "fieldset",
        "legend",
        "td",
        "th",
        "body",
        "html",
        "details",
        "summary",
    }
)
# A paragraph gives its text to the element around it when the content block is chosen.
_PARAGRAPH_TAGS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dd",
        "dt",
        "pre",
        "blockquote",
        "figcaption",
        "caption",
    }
)

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _tokens(el) -> tuple[str, str]:
    """The class and id of ``el`` as ``(joined lowercase, space-separated words)``:
    ``class="TRS_Editor mainNav"`` → ``("trs_editor mainnav", " trs editor main nav ")``."""
    raw = " ".join(v for v in (el.get("class"), el.get("id")) if v)
    words = _NON_ALNUM.sub(" ", _CAMEL.sub(" ", raw).lower())
    return raw.lower(), f" {words} "


def _matches(el, substrings, words) -> str | None:
    raw, spaced = _tokens(el)
    if not raw:
        return None
    for s in substrings:
        if s in raw:
            return s
    for w in words:
        if f" {w} " in spaced:
            return w
    return None


def _is_content_ish(el) -> bool:
    return (
        el.tag in ("article", "main") or _matches(el, _CONTENT_SUBSTR, _CONTENT_WORDS) is not None
    )


def _han_count(el) -> int:
    return len(_HAN.findall(el.text_content()))


def _holds_article(el) -> bool:
    """True when ``el`` contains an article with real text: an ``<article>``/``<main>`` or a
    content/article/TRS_Editor block of 50 Chinese characters or more (a ``<span class="text">``
    in a menu does not count)."""
    for d in el.iterdescendants(tag=etree.Element):
        if (d.tag in ("article", "main") or _matches(d, _CONTENT_SUBSTR, ())) and (
            _han_count(d) >= 50
        ):
            return True
    return False


def _remove_furniture(body) -> None:
    """Drop navigation, headers, footers, sidebars, share and print tools from ``body``.

    An element that looks like furniture is kept when it holds the page's text (a
    ``<div id="top-wrap">`` around everything) or contains an article; a header inside an
    article is the article's headline and is kept too.
    """
    total = max(1, _han_count(body))
    doomed = []
    for el in body.iter(tag=etree.Element):
        if not isinstance(el.tag, str) or el is body:
            continue
        word = (
            el.tag
            if el.tag in _FURNITURE_TAGS
            else _matches(el, _FURNITURE_SUBSTR, _FURNITURE_WORDS)
        )
        if not word:
            continue
        if word in _SOFT_FURNITURE and any(_is_content_ish(a) for a in el.iterancestors()):
            continue
        if _han_count(el) > 0.5 * total or _holds_article(el):
            continue
        doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _score_blocks(body) -> dict:
    """Chinese characters of running text credited to the element that holds the paragraphs.

    Text of a ``<p>`` (or a div with no block children) counts for its parent; text directly in
    a div counts for that div; table cells count for the element around the table; link text
    does not count (lists of links are navigation, not prose).
    """
    scores: dict = {}
    layout: dict = {}  # table -> is it a layout table (cached: asked once per cell)
    for el in body.iter(tag=etree.Element):
        if not isinstance(el.tag, str):
            continue
        pieces = [el.text] + [c.tail for c in el]
        n = sum(len(_HAN.findall(p)) for p in pieces if p)
        if not n:
            continue
        if any(a.tag == "a" for a in _self_and_ancestors(el, 3)):
            continue
        holder = _holder(el, layout)
        if holder is not None:
            scores[holder] = scores.get(holder, 0.0) + n
    return scores


def _self_and_ancestors(el, depth: int):
    yield el
    for i, a in enumerate(el.iterancestors()):
        if i >= depth:
            break
        yield a


def _holder(el, layout: dict):
    """The element a piece of text in ``el`` is credited to (see :func:`_score_blocks`); a cell
    of a layout table is a block of its own."""
    block = el
    while block is not None and block.tag not in _BLOCK_TAGS:
        block = block.getparent()
    if block is None:
        return None
    if block.tag in ("td", "th"):
        table = next(block.iterancestors("table"), None)
        if table is None or table.getparent() is None:
            return block
        if table not in layout:
            layout[table] = _is_layout_table(table)
        return block if layout[table] else table.getparent()
    if block.tag in _PARAGRAPH_TAGS or (block.tag == "div" and not _has_block_child(block)):
        parent = block.getparent()
        return parent if parent is not None else block
    return block


def _has_block_child(el) -> bool:
    return any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS and c.tag != "br" for c in el)


def find_main_block(body):
    """The element holding the page's main text (see the module docstring).

    The element credited with the most running text wins (content-like class/id or
    ``<article>``/``<main>`` get half as much again); then the choice widens to an enclosing
    article or content element when that adds little text, so a headline ``<h1>`` just above
    ``<div class="TRS_Editor">`` comes along.
    """
    scores = _score_blocks(body)
    if not scores:
        return body
    best = max(scores, key=lambda el: scores[el] * (1.5 if _is_content_ish(el) else 1.0))
    chosen = best
    base = _han_count(best)
    for ancestor in best.iterancestors():
        if ancestor is body or ancestor.tag in ("body", "html"):
            break
        if _han_count(ancestor) > 1.25 * base + 200:
            break
        if _is_content_ish(ancestor):
            chosen = ancestor
    return chosen


# --- lines out of the content block ---------------------------------------------------------

_WIDE = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SEGMENT_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t]*[\r\n][ \t\r\n]*(?=[{_WIDE}])")
_SPACES = re.compile(r"\s+")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_MAX_SPAN = 100

# Lines that are site furniture wherever they appear (short lines only: a long line is text).
_FURNITURE_LINE_MAX = 120
_FURNITURE_LINES = re.compile(
    r"^(当前位置|您的位置|您现在的位置|您当前的位置|您所在的位置|现在的位置|所在位置)\s*[:：]"
    r"|^首页\s*(>|＞|》|»|/)"
    r"|字号\s*[:：]?\s*[【\[(（]?\s*大\s*[|｜]?\s*中\s*[|｜]?\s*小"
    r"|^分享到"
    r"|主办单位\s*[:：]|承办单位\s*[:：]|网站标识码|ICP\s*备|公网安备|版权所有|copyright|©"
    r"|^(扫一扫|用手机扫描|手机扫码)"
    r"|^(上一篇|下一篇)\s*[:：]"
    r"|浏览次数\s*[:：]|访问次数\s*[:：]|阅读次数\s*[:：]|点击数\s*[:：]",
    re.IGNORECASE,
)
_TOOL_WORDS = re.compile(
    r"打印本页|打印|关闭窗口|关闭本页|关闭|收藏本页|收藏|返回顶部|纠错|保存|"
    r"加入收藏|设为首页|[大中小]|默认"
)


def _is_furniture_line(text: str) -> bool:
    """True for a breadcrumb, 字号 switch, print/close tools, footer or similar line."""
    if len(text) > _FURNITURE_LINE_MAX:
        return False
    if _FURNITURE_LINES.search(text):
        return True
    # 【打印本页】 【关闭窗口】: tool words and brackets and nothing else.
    rest = _TOOL_WORDS.sub("", text)
    return rest != text and not re.sub(r"[\s【】\[\]|｜()（）:：,，、/]", "", rest)


def clean_inline(raw: str) -> str:
    """One line of rendered text: segment breaks between Chinese characters removed, other
    whitespace runs collapsed to one space, ends stripped. ``"  省发展\\n  改革委&nbsp; "``
    (after entity decoding) → ``"省发展改革委"``."""
    return _SPACES.sub(" ", _SEGMENT_BREAK.sub("", raw)).strip()


@dataclass
class _Out:
    """Lines being built: ``(text, cells)`` pairs, text None for a blank line."""

    rows: list[tuple[str | None, tuple[str, ...] | None]] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)

    def add(self, text: str | None) -> None:
        if text:
            self.buffer.append(text)

    def flush(self) -> None:
        text = clean_inline("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.rows.append((text, None))

    def blank(self) -> None:
        self.flush()
        self.rows.append((None, None))

    def row(self, cells: tuple[str, ...]) -> None:
        self.flush()
        self.rows.append((" | ".join(cells), cells))


def _walk(el, out: _Out, *, flatten_tables: bool = False) -> None:
    tag = el.tag
    if tag == "br":
        if not clean_inline("".join(out.buffer)):
            out.blank()  # a second <br> in a row: an empty line
        else:
            out.flush()
        return
    if tag == "table":
        out.flush()
        if flatten_tables or _is_layout_table(el):
            _walk_children(el, out, flatten_tables=flatten_tables, block=True)
        else:
            _emit_table(el, out)
        return
    if tag == "pre" and not flatten_tables:
        # Preformatted text keeps its own line breaks (a text file published as a page).
        out.flush()
        for raw in el.text_content().splitlines():
            out.add(raw)
            out.flush()
        return
    block = tag in _BLOCK_TAGS
    if block:
        out.flush()
        if tag == "p" and not clean_inline(el.text_content()) and el.find(".//img") is None:
            out.blank()  # <p>&nbsp;</p>: the editor's blank line
            return
    _walk_children(el, out, flatten_tables=flatten_tables, block=block)


def _walk_children(el, out: _Out, *, flatten_tables: bool, block: bool) -> None:
    out.add(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _walk(child, out, flatten_tables=flatten_tables)
        out.add(child.tail)
    if block:
        out.flush()


def _rows_of(table) -> Iterator:
    """The ``<tr>`` of ``table`` itself (directly or in thead/tbody/tfoot), not of nested
    tables."""
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if tr.tag == "tr")


def _cells_of(tr) -> list:
    return [c for c in tr if c.tag in ("td", "th")]


def _is_layout_table(table) -> bool:
    """A table used to place page parts (old sites put the whole article in one): one column,
    a nested table, ``role=presentation``, or a cell holding many paragraphs."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    if table.find(".//table") is not None:
        return True
    rows = list(_rows_of(table))
    if not rows or max(len(_cells_of(tr)) for tr in rows) <= 1:
        return True
    for tr in rows:
        for cell in _cells_of(tr):
            if len(cell.findall(".//p")) + len(cell.findall(".//br")) > 12:
                return True
    return False


def _span(cell, attr: str, default_max: int) -> int:
    try:
        value = int((cell.get(attr) or "1").strip())
    except ValueError:
        return 1
    if value <= 0:
        return default_max  # rowspan="0": to the end of the table
    return min(value, default_max)


def _cell_text(cell) -> str:
    inner = _Out()
    _walk_children(cell, inner, flatten_tables=True, block=True)
    return " ".join(text for text, _ in inner.rows if text)


def _emit_table(table, out: _Out) -> None:
    """One Line per row with cells; spans repeated into every cell they cover."""
    caption = table.find("caption")
    if caption is not None:
        out.add(caption.text_content())
        out.flush()
    rows = list(_rows_of(table))
    grid: dict[tuple[int, int], str] = {}
    width = 0
    for r, tr in enumerate(rows):
        col = 0
        for cell in _cells_of(tr):
            while (r, col) in grid:
                col += 1
            text = _cell_text(cell)
            rowspan = _span(cell, "rowspan", len(rows) - r)
            colspan = _span(cell, "colspan", _MAX_SPAN)
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, col + dc)] = text
            col += colspan
            width = max(width, col)
    for r in range(len(rows)):
        cells = tuple(grid.get((r, c), "") for c in range(width))
        if any(cells):
            out.row(cells)


# --- the reader -----------------------------------------------------------------------------


def extract_lines(text: str) -> tuple[list[tuple[str | None, tuple[str, ...] | None]], str]:
    """``(rows, where)``: the content block's lines (text None = blank) and a description of
    the block chosen (``div.article-content``). Raises ReadError for a page without text."""
    # lxml refuses control characters in text nodes; browsers show nothing for them either.
    text = _NOT_XML.sub(" ", text)
    try:
        # Parsed from UTF-8 bytes so an XML declaration naming another encoding is harmless.
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except etree.ParserError:
        raise ReadError("no text found in the HTML page") from None
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    body = root.find("body")
    if body is None:
        body = root
    _remove_furniture(body)
    block = find_main_block(body)
    out = _Out()
    _walk(block, out)
    out.flush()
    rows = [
        row
        for row in out.rows
        if row[0] is None or row[1] is not None or not _is_furniture_line(row[0])
    ]
    return rows, _describe(block)


def _describe(el) -> str:
    desc = el.tag
    if el.get("id"):
        desc += "#" + el.get("id").strip()
    if el.get("class"):
        desc += "." + ".".join(el.get("class").split())
    return desc


def read_html(data: bytes, name: str) -> Source:
    """Read a web page into a Source holding its main content as lines (``text/html``).

    Raises ReadError when no charset decodes it or the content block has no text.
    """
    try:
        text, encoding, notes = decode_html(data)
        rows, where = extract_lines(text)
    except ReadError as error:
        raise error.with_path(name) from None
    lines: list[Line] = []
    for row_text, cells in rows:
        if row_text is None:
            if not lines or not lines[-1].text:
                continue  # no blank line first, and never two in a row
            lines.append(Line(len(lines) + 1, ""))
        else:
            lines.append(Line(len(lines) + 1, row_text, cells=cells))
    while lines and not lines[-1].text:
        lines.pop()
    if not lines:
        raise ReadError("no text found in the HTML page", name)
    return Source(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type="text/html",
        lines=tuple(lines),
        encoding=encoding,
        notes=(*notes, f"main content: <{where}>"),
    )
