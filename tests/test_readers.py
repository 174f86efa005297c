"""The readers on real files of every form a notice is published in (built by tests/forms.py).

No mocks: each test writes a PDF, DOCX, web page or encoded text file and reads it back.
"""

from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

from luoshi.errors import ReadError
from luoshi.model import Line, Source
from luoshi.readers import read_bytes, read_source
from luoshi.readers.detect import sniff
from luoshi.readers.docx import MEDIA_TYPE as DOCX_TYPE
from luoshi.readers.normalize import NOTE_CONVERTED, detect_script, normalize_lines
from luoshi.readers.pdf import NO_TEXT, is_page_number

from forms import (
    TABLE_HEADER,
    paragraphs,
    table_notice_docx,
    table_notice_html,
    to_ascii_punct,
    to_docx,
    to_gb18030,
    to_html_page,
    to_pdf,
    to_traditional,
)

GOLDEN = Path(__file__).parent / "golden"
NOTICE_2020 = GOLDEN / "zhejiang-2020-notice-webpage.txt"  # seed 003, a scraped web page
NOTICE_2024 = GOLDEN / "zhejiang-2024-notice.txt"  # seed 000, from the PDF
NOTICE_2026 = GOLDEN / "zhejiang-2026-notice.txt"  # seed 002, from the PDF
SEED_NOTICES = (NOTICE_2024, NOTICE_2026, NOTICE_2020)

TABLE_ROWS_HTML = [
    ("1", "一般公共预算收入与经济增长同步。", ("王浩", 2, 1), "省财政厅", "", "2024年底"),
    (
        "2",
        "坚持政府过紧日子，严肃财经纪律。",
        "省政府办公厅",
        "省商务厅、省文化广电和旅游厅",
        "持续推进",
    ),
    (("二、徐文光常务副省长牵头重点工作", 1, 6),),
    ("3", "生产总值增长 5.5% 左右。", "徐文光", ("省发展改革委", 1, 2), "2024年底"),
]


def text_of(path: Path) -> str:
    return path.read_text("utf-8")


def squeeze(text: str) -> str:
    """Text without any whitespace: what must survive every form, whatever the line breaks."""
    return re.sub(r"\s+", "", text)


def collapsed(paragraph: str) -> str:
    return re.sub(r"\s+", " ", paragraph).strip()


def reason_of(data: bytes, name: str) -> str:
    with pytest.raises(ReadError) as caught:
        read_bytes(data, name)
    assert caught.value.path == name
    return caught.value.reason


def zip_bytes(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in files.items():
            archive.writestr(member, content)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def pdf_2026(tmp_path_factory) -> tuple[Path, Source]:
    path = to_pdf(text_of(NOTICE_2026), tmp_path_factory.mktemp("pdf") / "notice-2026.pdf")
    return path, read_source(path)


# --- plain text -----------------------------------------------------------------------------


def test_every_line_of_a_text_file_keeps_its_line_number():
    source = read_source(NOTICE_2024)
    physical = NOTICE_2024.read_bytes().decode("utf-8").split("\n")
    if physical[-1] == "":
        physical.pop()
    assert source.media_type == "text/plain"
    assert source.encoding == "utf-8"
    assert source.notes == ()
    assert [line.number for line in source.lines] == list(range(1, len(physical) + 1))
    assert [line.text for line in source.lines] == [s.rstrip() for s in physical]
    # Line 30 of the result is line 30 of the file, blank lines counted.
    assert source.lines[29].text == physical[29].rstrip()


def test_line_breaks_split_like_an_editor_and_only_trailing_space_goes():
    source = read_bytes("甲  \r\n  乙\r丙\n\n丁\t\n".encode(), "breaks.txt")
    assert [(line.number, line.text) for line in source.lines] == [
        (1, "甲"),
        (2, "  乙"),
        (3, "丙"),
        (4, ""),
        (5, "丁"),
    ]


def test_a_form_feed_does_not_start_a_new_line():
    source = read_bytes("第一页\f第二页\n".encode(), "ff.txt")
    assert len(source.lines) == 1


def test_utf8_byte_order_mark_is_stripped_and_named():
    source = read_bytes(b"\xef\xbb\xbf" + "浙江省人民政府办公厅文件\n".encode(), "bom.txt")
    assert source.encoding == "utf-8-sig"
    assert source.lines[0].text == "浙江省人民政府办公厅文件"


def test_gb18030_text_is_detected_and_named(tmp_path):
    path = to_gb18030(text_of(NOTICE_2026), tmp_path / "notice.txt")
    source = read_source(path)
    assert source.encoding == "gb18030"
    assert "decoded as GB18030" in source.notes
    assert source.text == read_source(NOTICE_2026).text


@pytest.mark.parametrize(
    ("codec", "encoding"),
    [("utf-16", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("utf-32", "utf-32-le")],
)
def test_utf16_and_utf32_with_byte_order_mark_are_decoded(codec, encoding):
    text = "责任单位：省财政厅\n省发展改革委\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    source = read_bytes(data, "wide.txt")
    assert source.encoding == encoding
    assert [line.text for line in source.lines] == ["责任单位：省财政厅", "省发展改革委"]


def test_utf16_without_byte_order_mark_is_recognised_by_its_nul_bytes():
    source = read_bytes("责任单位：省财政厅\r\n2024年\r\n".encode("utf-16-le"), "nobom.txt")
    assert source.encoding == "utf-16-le"
    assert source.lines[1].text == "2024年"


def test_utf8_with_one_damaged_byte_stays_utf8():
    line = "责任单位：省财政厅、省发展改革委\n".encode()
    data = line * 10 + b"\xff" + line * 10
    source = read_bytes(data, "damaged.txt")
    assert source.encoding == "utf-8"
    assert any("1 damaged" in note for note in source.notes)
    assert source.lines[-1].text == "责任单位：省财政厅、省发展改革委"


def test_big5_traditional_text_is_decoded_then_simplified():
    data = "責任單位：省財政廳\n省發展改革委員會\n".encode("big5")
    source = read_bytes(data, "big5.txt")
    assert source.encoding == "big5"
    assert [line.text for line in source.lines] == ["责任单位：省财政厅", "省发展改革委员会"]
    assert NOTE_CONVERTED in source.notes


@pytest.mark.parametrize(
    ("name", "text", "media_type"),
    [
        ("summary.md", "政府工作报告\n", "text/markdown"),
        ("summary.txt", "# 一、2023年工作回顾\n正文\n", "text/markdown"),
        ("notice.txt", "一、王浩省长牵头重点工作\n", "text/plain"),
    ],
)
def test_markdown_is_named_by_extension_or_headings(name, text, media_type):
    assert read_bytes(text.encode(), name).media_type == media_type


def test_sha256_is_of_the_raw_bytes_and_path_is_the_name_given():
    data = "浙政办发〔2024〕3号\n".encode("gb18030")
    source = read_bytes(data, "some/where/notice.txt")
    assert source.sha256 == __import__("hashlib").sha256(data).hexdigest()
    assert source.path == "some/where/notice.txt"


# --- normalisation --------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEED_NOTICES, ids=lambda p: p.stem)
def test_seed_notices_are_detected_simplified_and_left_unchanged(path):
    source = read_source(path)
    assert detect_script(line.text for line in source.lines) == "simplified"
    assert NOTE_CONVERTED not in source.notes
    physical = path.read_text("utf-8").split("\n")
    assert [line.text for line in source.lines] == [
        s.rstrip() for s in physical[: len(source.lines)]
    ]


def test_the_2020_page_keeps_its_traditional_menu_link():
    # 繁體中文 is the site's language switch: OpenCC t2s would rewrite it, detection must not.
    assert "繁體中文" in read_source(NOTICE_2020).text


@pytest.mark.parametrize("path", [NOTICE_2024, NOTICE_2026], ids=lambda p: p.stem)
def test_a_traditional_notice_is_detected_and_converted_back(tmp_path, path):
    original = text_of(path)
    traditional = to_traditional(original)
    assert traditional != original
    target = tmp_path / "traditional.txt"
    target.write_text(traditional, "utf-8")
    source = read_source(target)
    assert NOTE_CONVERTED in source.notes
    assert source.text == read_source(path).text


def test_conversion_keeps_line_numbers_and_converts_table_cells():
    lines = (
        Line(1, "責任單位：省發展改革委"),
        Line(2, "序號 | 牽頭單位", cells=("序號", "牽頭單位")),
    )
    converted, notes = normalize_lines(lines)
    assert notes == (NOTE_CONVERTED,)
    assert converted[1] == Line(2, "序号 | 牵头单位", cells=("序号", "牵头单位"))
    assert normalize_lines(converted) == (converted, ())


@pytest.mark.parametrize(
    ("texts", "script"),
    [
        (["責任單位：省發展改革委"], "traditional"),
        (["责任单位：省发展改革委"], "simplified"),
        (["乾坤"], "neither"),  # one character Traditional uses: not enough to convert
        (["2026 GDP"], "neither"),
        (["显著提升", "著力推进"], "simplified"),
    ],
)
def test_script_detection(texts, script):
    assert detect_script(texts) == script


def test_ascii_punctuation_is_kept_as_written():
    text = to_ascii_punct("责任单位：省财政厅、省发展改革委（省能源局）；\n")
    source = read_bytes(text.encode(), "ascii.txt")
    assert source.lines[0].text == "责任单位:省财政厅、省发展改革委(省能源局);"


@given(
    st.lists(st.text(alphabet="責任單位发展改革委乾著干後后麵面 ,：abc1", max_size=30), max_size=5)
)
def test_normalising_twice_changes_nothing(texts):
    lines = tuple(Line(i, t) for i, t in enumerate(texts, start=1))
    once, _ = normalize_lines(lines)
    twice, _ = normalize_lines(once)
    assert twice == once
    assert len(once) == len(lines)


# --- HTML -----------------------------------------------------------------------------------

FURNITURE = (
    "首页 | 政务公开",
    "当前位置",
    "政务公开 > 政策文件",
    "主办单位",
    "网站标识码",
    "ICP备",
    "公网安备",
    "版权所有",
    "相关文件",
    "立法工作计划",
    "打印本页",
    "关闭窗口",
    "分享到",
    "字号",
    "统计代码",
    "浏览器不支持",
    "ZHEJIANG",
)


def test_web_page_keeps_every_notice_paragraph_in_order_and_drops_the_furniture(tmp_path):
    text = text_of(NOTICE_2024)
    path = to_html_page(text, tmp_path / "page.html", title="浙政办发〔2024〕3号")
    source = read_source(path)
    assert source.media_type == "text/html"
    assert source.encoding == "gb18030"
    assert any("declares gb2312" in note for note in source.notes)
    texts = [line.text for line in source.lines]
    # The headline is inside the article block, so it comes first; then the notice itself.
    assert texts[0] == "浙政办发〔2024〕3号"
    assert texts[1:] == [collapsed(p) for p in paragraphs(text)]
    assert [line.number for line in source.lines] == list(range(1, len(texts) + 1))
    for furniture in FURNITURE:
        assert not any(furniture in t for t in texts), furniture


def test_web_page_named_txt_is_read_as_html(tmp_path):
    path = to_html_page("浙江省人民政府办公厅文件\n浙政办发〔2024〕3号\n", tmp_path / "page.txt")
    source = read_source(path)
    assert source.media_type == "text/html"
    assert [line.text for line in source.lines][-2:] == [
        "浙江省人民政府办公厅文件",
        "浙政办发〔2024〕3号",
    ]


def test_table_rows_become_cells_with_rowspan_and_colspan_repeated(tmp_path):
    path = table_notice_html(TABLE_ROWS_HTML, tmp_path / "table.html")
    rows = [line for line in read_source(path).lines if line.cells is not None]
    assert rows[0].cells == TABLE_HEADER
    assert rows[1].cells == (
        "1",
        "一般公共预算收入与经济增长同步。",
        "王浩",
        "省财政厅",
        "",
        "2024年底",
    )
    # 王浩 spans two rows: the second row gets him too, and keeps its full width.
    assert rows[2].cells == (
        "2",
        "坚持政府过紧日子，严肃财经纪律。",
        "王浩",
        "省政府办公厅",
        "省商务厅、省文化广电和旅游厅",
        "持续推进",
    )
    assert rows[3].cells == ("二、徐文光常务副省长牵头重点工作",) * 6
    assert rows[4].cells == (
        "3",
        "生产总值增长 5.5% 左右。",
        "徐文光",
        "省发展改革委",
        "省发展改革委",
        "2024年底",
    )
    assert rows[1].text == " | ".join(rows[1].cells)
    assert all(len(row.cells) == 6 for row in rows)


def page(body: str, charset: str = "utf-8") -> bytes:
    return (
        f'<html><head><meta charset="{charset}"><title>标题</title></head>'
        f'<body><div class="nav">首页 | 政务公开</div>{body}'
        f'<div class="footer">主办单位：浙江省人民政府办公厅</div></body></html>'
    ).encode()


def test_br_and_empty_paragraphs_give_at_most_one_blank_line():
    body = '<div class="content">甲<br>乙<br><br><br>丙<p>&nbsp;</p><p></p><p>丁</p></div>'
    source = read_bytes(page(body), "br.html")
    assert [line.text for line in source.lines] == ["甲", "乙", "", "丙", "", "丁"]


def test_source_line_breaks_inside_chinese_text_vanish_and_spaces_collapse():
    body = (
        '<div class="TRS_Editor"><p>\u3000\u3000责任单位：省发展\n    改革委、省经信厅</p>'
        "<p>年度计划投资&nbsp;&nbsp; 200 亿元，撬动\n社会资本</p></div>"
    )
    source = read_bytes(page(body), "ws.html")
    assert [line.text for line in source.lines] == [
        "责任单位：省发展改革委、省经信厅",
        "年度计划投资 200 亿元，撬动社会资本",
    ]


def test_the_article_keeps_its_own_header_while_the_site_header_goes():
    body = (
        '<div class="header"><span class="text">浙江省人民政府</span></div>'
        '<div class="top-nav"><a><span class="text">首页</span></a></div>'
        "<article><header><h1>浙江省人民政府办公厅关于印发2024年政府工作报告重点工作责任分解的通知</h1>"
        "</header><p>各市、县（市、区）人民政府，省政府直属各单位：</p>"
        "<p>《2024年政府工作报告重点工作责任分解》已经省政府同意，现印发给你们。</p></article>"
    )
    texts = [line.text for line in read_bytes(page(body), "header.html").lines]
    assert texts == [
        "浙江省人民政府办公厅关于印发2024年政府工作报告重点工作责任分解的通知",
        "各市、县（市、区）人民政府，省政府直属各单位：",
        "《2024年政府工作报告重点工作责任分解》已经省政府同意，现印发给你们。",
    ]


def test_preformatted_text_keeps_its_line_breaks():
    body = '<div class="content"><pre>一、王浩省长牵头重点工作\n  1. 一般公共预算收入与经济增长同步。\n</pre></div>'
    source = read_bytes(page(body), "pre.html")
    assert [line.text for line in source.lines] == [
        "一、王浩省长牵头重点工作",
        "1. 一般公共预算收入与经济增长同步。",
    ]


def test_a_page_declaring_gb2312_but_written_in_utf8_still_decodes():
    source = read_bytes(page('<div class="content"><p>省人力社保厅</p></div>', "gb2312"), "x.html")
    assert source.encoding == "utf-8"
    assert [line.text for line in source.lines] == ["省人力社保厅"]


def test_without_content_class_the_densest_block_wins():
    links = "".join(f'<li><a href="#">链接{i}相关新闻标题文字</a></li>' for i in range(30))
    body = (
        f"<div><ul>{links}</ul></div>"
        "<div><p>一、王浩省长牵头重点工作</p><p>1. 一般公共预算收入与经济增长同步。</p>"
        "<p>责任单位：省财政厅</p></div>"
    )
    source = read_bytes(page(body), "dense.html")
    assert [line.text for line in source.lines] == [
        "一、王浩省长牵头重点工作",
        "1. 一般公共预算收入与经济增长同步。",
        "责任单位：省财政厅",
    ]


def test_a_layout_table_around_the_article_is_not_read_as_rows():
    inner = "".join(f"<p>第{i}段正文内容，省发展改革委牵头。</p>" for i in range(20))
    body = f'<table><tr><td class="nav">首页</td></tr><tr><td>{inner}</td></tr></table>'
    source = read_bytes(page(body), "layout.html")
    assert all(line.cells is None for line in source.lines)
    assert len(source.lines) == 20


def test_traditional_web_page_is_converted(tmp_path):
    text = text_of(NOTICE_2024)
    path = to_html_page(to_traditional(text), tmp_path / "hk.html")
    source = read_source(path)
    assert NOTE_CONVERTED in source.notes
    assert [line.text for line in source.lines][1:] == [collapsed(p) for p in paragraphs(text)]


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_keeps_all_text_and_drops_page_numbers(pdf_2026):
    _, source = pdf_2026
    assert source.media_type == "application/pdf"
    assert squeeze(source.text) == squeeze("".join(paragraphs(text_of(NOTICE_2026))))
    assert not any(re.fullmatch(r"— \d+ —", line.text) for line in source.lines)


def test_pdf_lines_carry_their_page_and_pages_are_separated_by_one_blank_line(pdf_2026):
    _, source = pdf_2026
    lines = source.lines
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))
    pages = [line.page for line in lines if line.text]
    assert pages[0] == 1 and pages == sorted(pages)
    assert max(pages) >= 18  # the 2026 notice is about 20 pages
    blanks = [i for i, line in enumerate(lines) if not line.text]
    assert len(blanks) == max(pages) - 1
    for i in blanks:
        assert lines[i].page is None
        assert lines[i + 1].page == lines[i - 1].page + 1
    assert all(line.page is not None for line in lines if line.text)


def test_pdf_wraps_unit_names_across_lines_as_printed(pdf_2026):
    # The grammar joins wrapped lines; the reader must not: one Line per printed line.
    _, source = pdf_2026
    assert len([line for line in source.lines if line.text]) > len(paragraphs(text_of(NOTICE_2026)))


def test_a_lone_character_on_the_last_line_of_a_paragraph_survives(tmp_path):
    # PDFium drops a one-glyph text object when the font is not embedded (STSong-Light here);
    # the 位 of 成员单位 on a line of its own must still be read.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "lone.pdf"
    pdf = canvas.Canvas(str(path))
    text = pdf.beginText(72, 700)
    text.setFont("STSong-Light", 12)
    text.textLine("责任单位：省应急管理厅，省安全生产委员会其他成员单")
    text.textLine("位")
    pdf.drawText(text)
    pdf.save()
    source = read_source(path)
    assert [line.text for line in source.lines] == [
        "责任单位：省应急管理厅，省安全生产委员会其他成员单",
        "位",
    ]


@pytest.mark.parametrize(
    "text",
    ["— 3 —", "- 3 -", "－3－", "—3—", "第3页", "第 3 页 共 20 页", "3/20", "3", "12"],
)
def test_running_page_numbers_are_recognised(text):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["2026", "3. 推进", "第三条", "—— 责任单位", "1.5%"])
def test_text_that_merely_holds_a_number_is_not_a_page_number(text):
    assert not is_page_number(text)


def test_pdf_saved_as_txt_is_read_as_pdf(pdf_2026, tmp_path):
    path, source = pdf_2026
    renamed = tmp_path / "notice.txt"
    renamed.write_bytes(path.read_bytes())
    assert read_source(renamed).media_type == "application/pdf"
    assert read_source(renamed).lines == source.lines


def test_pdf_encrypted_only_against_copying_is_read(tmp_path):
    path = to_pdf(
        "浙江省人民政府办公厅文件\n浙政办发〔2024〕3号\n", tmp_path / "e.pdf", owner_password="o"
    )
    source = read_source(path)
    assert [line.text for line in source.lines] == [
        "浙江省人民政府办公厅文件",
        "浙政办发〔2024〕3号",
    ]
    assert any("encrypted" in note for note in source.notes)


def test_pdf_needing_a_password_is_refused(tmp_path):
    path = to_pdf(
        "浙江省人民政府办公厅文件\n", tmp_path / "p.pdf", user_password="u", owner_password="o"
    )
    with pytest.raises(ReadError, match="encrypted with a password"):
        read_source(path)


def test_pdf_without_text_layer_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 72, 400, 600, fill=1)  # a page that is all picture
    pdf.showPage()
    pdf.save()
    assert reason_of(path.read_bytes(), "scan.pdf") == NO_TEXT


# --- DOCX -----------------------------------------------------------------------------------


def test_docx_gives_one_line_per_paragraph_in_order(tmp_path):
    text = text_of(NOTICE_2024)
    source = read_source(to_docx(text, tmp_path / "notice.docx"))
    assert source.media_type == DOCX_TYPE
    assert [line.text for line in source.lines] == paragraphs(text)
    assert [line.number for line in source.lines] == list(range(1, len(source.lines) + 1))


def test_docx_table_comes_in_document_order_with_merged_cells(tmp_path):
    body = [
        ("1", "一般公共预算收入与经济增长同步。", "王浩", "省财政厅", "", "2024年底"),
        ("2", "坚持政府过紧日子。", "", "省政府办公厅", "省商务厅", "持续推进"),
        ("二、徐文光常务副省长牵头重点工作",),
        ("3", "生产总值增长 5.5% 左右。", "徐文光", "省发展改革委", "", "2024年底"),
    ]
    path = table_notice_docx(
        body,
        tmp_path / "table.docx",
        # 王浩 down two rows; the section heading across the table; 牵头+责任 merged.
        merges=[(1, 2, 2, 2), (3, 0, 3, 5), (4, 3, 4, 4)],
        after="浙江省人民政府办公厅",
    )
    lines = read_source(path).lines
    assert lines[0] == Line(1, "2024年政府工作报告重点工作责任分解")
    assert lines[1].cells == TABLE_HEADER
    assert lines[2].cells == (
        "1",
        "一般公共预算收入与经济增长同步。",
        "王浩",
        "省财政厅",
        "",
        "2024年底",
    )
    assert lines[3].cells == (
        "2",
        "坚持政府过紧日子。",
        "王浩",
        "省政府办公厅",
        "省商务厅",
        "持续推进",
    )
    assert lines[4].cells == ("二、徐文光常务副省长牵头重点工作",)
    assert lines[5].cells == ("3", "生产总值增长 5.5% 左右。", "徐文光", "省发展改革委", "2024年底")
    assert lines[5].text == "3 | 生产总值增长 5.5% 左右。 | 徐文光 | 省发展改革委 | 2024年底"
    assert lines[6] == Line(7, "浙江省人民政府办公厅")


def test_docx_manual_line_breaks_split_a_paragraph(tmp_path):
    from docx import Document

    doc = Document()
    run = doc.add_paragraph().add_run("浙江省人民政府办公厅")
    run.add_break()
    run.add_text("2024年2月2日")
    doc.add_paragraph("")
    doc.add_paragraph("")
    doc.add_paragraph("（此件公开发布）")
    path = tmp_path / "br.docx"
    doc.save(str(path))
    assert [line.text for line in read_source(path).lines] == [
        "浙江省人民政府办公厅",
        "2024年2月2日",
        "",
        "（此件公开发布）",
    ]


def test_docx_nested_table_is_flattened_into_its_cell(tmp_path):
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "责任单位"
    inner = table.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "省财政厅"
    inner.cell(0, 1).text = "省发展改革委"
    path = tmp_path / "nested.docx"
    doc.save(str(path))
    (line,) = read_source(path).lines
    assert line.cells == ("责任单位", "省财政厅 省发展改革委")


def test_docx_text_in_tracked_insertions_and_content_controls_is_read(tmp_path):
    from docx import Document
    from docx.oxml.ns import qn
    from lxml import etree

    doc = Document()
    paragraph = doc.add_paragraph("责任单位：省财政厅")
    run = paragraph.add_run("、省发展改革委")
    insertion = etree.SubElement(paragraph._p, qn("w:ins"))
    insertion.append(run._r)  # the run now sits inside a tracked insertion
    sdt = etree.SubElement(doc.element.body, qn("w:sdt"))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    content.append(doc.add_paragraph("浙政办发〔2024〕3号")._p)
    doc.element.body.append(doc.element.body.find(qn("w:sectPr")))
    path = tmp_path / "tracked.docx"
    doc.save(str(path))
    assert [line.text for line in read_source(path).lines] == [
        "责任单位：省财政厅、省发展改革委",
        "浙政办发〔2024〕3号",
    ]


def test_docx_named_bin_is_read_as_docx(tmp_path):
    path = to_docx("浙江省人民政府办公厅文件\n", tmp_path / "upload.bin")
    assert read_source(path).media_type == DOCX_TYPE


def test_traditional_docx_table_is_converted_cell_by_cell(tmp_path):
    path = table_notice_docx(
        [("1", to_traditional("推进数字政府建设"), "", to_traditional("省数据局"), "", "")],
        tmp_path / "hk.docx",
        title=to_traditional("责任分解"),
        header=tuple(to_traditional(h) for h in TABLE_HEADER),
    )
    source = read_source(path)
    assert NOTE_CONVERTED in source.notes
    assert source.lines[0].text == "责任分解"
    assert source.lines[1].cells == TABLE_HEADER
    assert source.lines[2].cells[1] == "推进数字政府建设"
    assert source.lines[2].cells[3] == "省数据局"


# --- what cannot be read --------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> bytes:
    text = text_of(NOTICE_2024)[:4000]
    return to_pdf(text, tmp_path_factory.mktemp("bad") / "n.pdf").read_bytes()


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> bytes:
    return to_docx(text_of(NOTICE_2024), tmp_path_factory.mktemp("bad") / "n.docx").read_bytes()


def test_empty_file():
    assert reason_of(b"", "empty.txt") == "empty file"


def test_blank_file():
    assert reason_of(b" \r\n\n\t\n", "blank.txt").startswith("no text")


def test_random_binary():
    data = random.Random(3).randbytes(5000)
    assert reason_of(data, "notice.txt").startswith("binary file, not a document")


def test_png_is_named():
    data = b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(500)
    assert reason_of(data, "notice.pdf") == "binary file, not a document (looks like PNG image)"


def test_truncated_pdf(sample_pdf):
    reason = reason_of(sample_pdf[: len(sample_pdf) // 2], "half.pdf")
    assert reason.startswith("damaged PDF")
    assert "truncated" in reason


def test_pdf_with_a_broken_structure(sample_pdf):
    data = sample_pdf[:200] + b"\x00garbage" * 50 + sample_pdf[-200:]
    assert reason_of(data, "broken.pdf").startswith("damaged PDF")


def test_truncated_docx(sample_docx):
    reason = reason_of(sample_docx[: len(sample_docx) // 2], "half.docx")
    assert reason.startswith("damaged DOCX")


def test_docx_with_garbage_document_xml():
    data = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document><<"})
    assert reason_of(data, "garbage.docx").startswith("damaged DOCX")


def test_docx_without_document_xml():
    data = zip_bytes({"[Content_Types].xml": "<Types/>", "word/styles.xml": "<w:styles/>"})
    assert reason_of(data, "x.docx") == "damaged DOCX: word/document.xml is missing"


def test_zip_that_is_not_a_document_says_what_it_holds():
    reason = reason_of(zip_bytes({"a.txt": "甲", "b.csv": "1,2"}), "upload.docx")
    assert reason == "ZIP archive, not a document (contains 2 files: a.txt, b.csv)"


def test_xlsx_is_named():
    data = zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    assert reason_of(data, "tasks.xlsx").startswith("Excel workbook (XLSX) is not supported")


def test_legacy_word_doc_is_named():
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 1000
        + "WordDocument".encode("utf-16-le")
        + b"\x00" * 200
    )
    assert reason_of(data, "notice.doc") == (
        "legacy .doc (Word 97-2003) is not supported; save it as DOCX"
    )


def test_undecodable_bytes():
    data = bytes(range(0x80, 0x100)) * 8
    assert reason_of(data, "notice.txt") == "cannot decode text: not UTF-8, UTF-16 or GB18030"


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="file not found"):
        read_source(tmp_path / "nowhere.pdf")


def test_directory(tmp_path):
    with pytest.raises(ReadError, match="directory"):
        read_source(tmp_path)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html></html>", "html"),
        (b"<?xml version='1.0'?>\n<!-- x -->\n<html>", "html"),
        ("<div>责任单位</div>".encode(), "html"),
        ("浙江省人民政府办公厅文件\n说明：<div>不是网页</div>\n".encode(), "text"),
    ],
)
def test_format_is_sniffed_from_content(data, kind):
    assert sniff(data, "whatever.bin") == kind


# --- whatever the bytes ---------------------------------------------------------------------

PREFIXES = [
    b"",
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"<html><body>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    "责任单位：".encode("gb18030"),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), data=st.binary(max_size=3000))
def test_any_bytes_give_a_source_or_a_read_error(prefix, data):
    try:
        source = read_bytes(prefix + data, "fuzz")
    except ReadError as error:
        assert error.reason and "\n" not in error.reason
    else:
        assert isinstance(source, Source)
        assert [line.number for line in source.lines] == list(range(1, len(source.lines) + 1))
