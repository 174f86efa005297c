"""Turn a notice text into the other forms it is published in, for tests and the benchmark.

Every function writes a real file (PDF, DOCX, GB18030 text, a government web page) or returns
the converted text, so the readers are tested on the bytes they will meet, not on mocks::

    text = Path("tests/golden/zhejiang-2026-notice.txt").read_text("utf-8")
    to_pdf(text, tmp_path / "notice.pdf")          # A4, STSong-Light, running page numbers
    to_html_page(text, tmp_path / "notice.html", title="浙政办发〔2026〕4号")

The table helpers take rows of the six-column layout some notices are published in::

    序号 | 重点工作 | 牵头领导 | 牵头单位 | 责任单位 | 完成时限
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

TABLE_HEADER = ("序号", "重点工作", "牵头领导", "牵头单位", "责任单位", "完成时限")

PathLike = str | os.PathLike


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of ``text``, stripped: one published paragraph each.

    The seed texts indent some lines with spaces or U+3000 (the 2020 web page); a published
    paragraph carries its indent as layout, not as characters.
    """
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- PDF ------------------------------------------------------------------------------------


def to_pdf(
    text: str,
    path: PathLike,
    *,
    font_size: float = 10.5,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> Path:
    """Write ``text`` as an A4 PDF the way a government office prints a notice.

    One paragraph per non-blank line, wrapped at the page width (Chinese wraps at any character,
    so a unit name such as 省发展改革委 may be split across two lines — on purpose, the grammar
    must join them), flowing across pages, with ``— N —`` centred at the foot of every page.
    The font is the CID font STSong-Light, which every PDF viewer (and pdfium) maps to Unicode
    without an embedded font. The 2026 notice comes out at about 20 pages.

    With ``owner_password`` the PDF is encrypted against copying and printing; with
    ``user_password`` as well, it cannot be opened without that password.
    """
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    style = ParagraphStyle(
        "notice",
        fontName=font,
        fontSize=font_size,
        leading=font_size * 1.5,
        alignment=TA_LEFT,
        wordWrap="CJK",
        spaceAfter=font_size * 0.3,
    )

    def page_number(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 10.5)
        canvas.drawCentredString(A4[0] / 2, 1.5 * cm, f"— {doc.page} —")
        canvas.restoreState()

    path = Path(path)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=2.8 * cm,
        rightMargin=2.6 * cm,
        topMargin=3.7 * cm,
        bottomMargin=3.5 * cm,
        title="notice",
        # A fixed date keeps the bytes of a fixture the same from run to run.
        invariant=True,
        encrypt=_encryption(user_password, owner_password),
    )
    story = [Paragraph(html.escape(p, quote=False), style) for p in paragraphs(text)]
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return path


def _encryption(user_password: str | None, owner_password: str | None):
    if user_password is None and owner_password is None:
        return None
    from reportlab.lib.pdfencrypt import StandardEncryption

    return StandardEncryption(
        user_password or "",
        ownerPassword=owner_password or user_password,
        canPrint=0,
        canCopy=0,
        canModify=0,
        canAnnotate=0,
        strength=128,
    )


# --- DOCX -----------------------------------------------------------------------------------


def to_docx(text: str, path: PathLike) -> Path:
    """Write ``text`` as a Word document: one paragraph per non-blank line."""
    from docx import Document

    doc = Document()
    for p in paragraphs(text):
        doc.add_paragraph(p)
    path = Path(path)
    doc.save(str(path))
    return path


def table_notice_docx(
    rows: Iterable[Sequence[str]],
    path: PathLike,
    *,
    title: str = "2024年政府工作报告重点工作责任分解",
    merges: Iterable[tuple[int, int, int, int]] = (),
    after: str | None = None,
    header: Sequence[str] = TABLE_HEADER,
) -> Path:
    """Write a notice laid out as a table: a title paragraph, then the table.

    ``rows`` are the body rows under the header 序号 | 重点工作 | 牵头领导 | 牵头单位 | 责任单位 |
    完成时限 (shorter rows are padded with ""). ``merges`` are ``(row, col, row2, col2)`` cell
    ranges over the whole table (header is row 0), merged the way Word merges them: a
    horizontal merge becomes one wide cell (gridSpan), a vertical merge keeps the top cell's
    text and continues below it (vMerge). ``after``, if given, is a paragraph after the table;
    ``header`` replaces the header row (a Traditional one, say).
    """
    from docx import Document

    body = [list(r) + [""] * (len(header) - len(r)) for r in rows]
    doc = Document()
    doc.add_paragraph(title)
    table = doc.add_table(rows=1 + len(body), cols=len(header))
    for r, values in enumerate([list(header), *body]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    for r1, c1, r2, c2 in merges:
        # python-docx's merge joins the texts of all merged cells; keep only the top-left one.
        keep = table.cell(r1, c1).text
        merged = table.cell(r1, c1).merge(table.cell(r2, c2))
        merged.text = keep
    if after is not None:
        doc.add_paragraph(after)
    path = Path(path)
    doc.save(str(path))
    return path


# --- text encodings -------------------------------------------------------------------------


def to_gb18030(text: str, path: PathLike) -> Path:
    """Write ``text`` unchanged, encoded as GB18030 (what many Chinese Windows tools save)."""
    path = Path(path)
    path.write_bytes(text.encode("gb18030"))
    return path


def to_traditional(text: str) -> str:
    """``text`` in Traditional characters (OpenCC s2t): 责任单位 → 責任單位."""
    from opencc import OpenCC

    return OpenCC("s2t").convert(text)


def to_ascii_punct(text: str) -> str:
    """``text`` with full-width ``：，（）；`` written as ASCII ``:,();``."""
    return text.translate(str.maketrans("：，（）；", ":,();"))


# --- HTML -----------------------------------------------------------------------------------

_NAV = "首页 | 政务公开 | 政策文件 | 政务服务 | 互动交流 | 数据开放"
_SIDEBAR = (
    "关于2023年全省国民经济和社会发展计划执行情况的报告",
    "浙江省人民政府2024年立法工作计划",
    "省政府召开常务会议 部署下阶段重点工作",
)
_FOOTER = (
    "主办单位：浙江省人民政府办公厅 网站标识码 3300000001 浙ICP备05006204号 "
    "浙公网安备 33010302000032号"
)


def _page(title: str, content: str) -> str:
    """A government site page around ``content`` (already HTML), with all its furniture."""
    links = "\n".join(f'      <li><a href="#">{html.escape(s)}</a></li>' for s in _SIDEBAR)
    t = html.escape(title)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
  "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
  <meta charset="gb2312">
  <title>{t}_浙江省人民政府门户网站</title>
  <style>.nav {{ color: #fff; }} p {{ text-indent: 2em; }}</style>
  <script type="text/javascript">var _hmt = _hmt || []; document.write("统计代码");</script>
</head>
<body>
  <div class="header"><img src="logo.png" alt="浙江省人民政府"> 浙江省人民政府 ZHEJIANG</div>
  <div class="nav">{_NAV}</div>
  <div class="main-wrap">
    <div class="position">当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>
    <div class="left-column">
      <div class="article">
        <h1 class="article-title">{t}</h1>
        <div class="article-info">发布日期：2024-02-05 来源：省政府办公厅
          字号：[ 大 中 小 ]</div>
        <div class="article-content">
{content}
        </div>
        <div class="article-tools">【打印本页】 【关闭窗口】</div>
        <div class="bdsharebuttonbox">分享到：微信 微博 QQ空间</div>
      </div>
    </div>
    <div class="sidebar">
      <h3>相关文件</h3>
      <ul>
{links}
      </ul>
    </div>
  </div>
  <div class="footer">
    <p>{_FOOTER}</p>
    <p>版权所有 © 浙江省人民政府办公厅</p>
  </div>
  <noscript>您的浏览器不支持脚本</noscript>
</body>
</html>
"""


def to_html_page(text: str, path: PathLike, title: str = "浙江省人民政府办公厅通知") -> Path:
    """Write ``text`` as a provincial government web page, GB18030 bytes under ``gb2312``.

    The notice sits in ``<div class="article-content">``, one ``<p>`` per non-blank line, among
    the furniture a real site has: a top nav bar, the breadcrumb 当前位置：首页 > 政务公开 >
    政策文件, the headline and 字号 line, print/close/share tools, a sidebar of related files,
    and the footer 主办单位…网站标识码…浙ICP备…. Non-breaking spaces indent each paragraph,
    as the sites' editors do.
    """
    body = "\n".join(
        f"          <p>&nbsp;&nbsp;{html.escape(p, quote=False)}</p>" for p in paragraphs(text)
    )
    path = Path(path)
    path.write_bytes(_page(title, body).encode("gb18030"))
    return path


def table_notice_html(
    rows: Iterable[Sequence[str | tuple[str, int, int]]],
    path: PathLike,
    *,
    title: str = "2024年政府工作报告重点工作责任分解",
) -> Path:
    """Write a web page carrying a notice laid out as a table, under a title paragraph.

    Each cell of ``rows`` is a string, or ``(text, rowspan, colspan)`` for a spanning cell; the
    cells a span covers are simply left out of the following rows, as in hand-written HTML.
    The header row 序号 | 重点工作 | … | 完成时限 comes first, in ``<th>`` cells.
    """
    out = [f"          <p>{html.escape(title)}</p>", '          <table border="1">']
    out.append("            <tr>" + "".join(f"<th>{h}</th>" for h in TABLE_HEADER) + "</tr>")
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, tuple):
                value, rowspan, colspan = cell
                cells.append(
                    f'<td rowspan="{rowspan}" colspan="{colspan}">{html.escape(value)}</td>'
                )
            else:
                cells.append(f"<td>{html.escape(cell)}</td>")
        out.append("            <tr>" + "".join(cells) + "</tr>")
    out.append("          </table>")
    path = Path(path)
    path.write_bytes(_page(title, "\n".join(out)).encode("gb18030"))
    return path
