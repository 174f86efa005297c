"""The document head: issuer, 文号, title, addressees, signature and date.

``浙江省人民政府办公厅文件`` → issuer 浙江省人民政府办公厅; ``浙政办发〔2024〕3号`` → doc number;
the line with 关于…的通知 (joined when a PDF wraps it) → title; the date under the issuer's
name → signed_on. Lines of the head that are none of these are the preamble.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from luoshi.grammar.lines import Token
from luoshi.model import DocumentHead

DOC_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fff]{1,10}\s*[〔\[［【（(]\s*(?P<year>\d{4})\s*[〕\]］】）)]\s*\d{1,4}\s*号"
)
ISSUER_FILE_RE = re.compile(r"^(?P<issuer>[\u4e00-\u9fff]{2,30}?)\s*文\s*件$")
SIGNATURE_RE = re.compile(r"^[\u4e00-\u9fff]{2,30}(办公厅|人民政府|办公室|政府)$")
TITLE_HINT_RE = re.compile(r"关于|通知|责任分解|任务分解")
YEAR_RE = re.compile(r"(\d{4})\s*年")
REPORT_YEAR_RE = re.compile(r"(\d{4})\s*年(?:度)?(?:省|市|区|县)?政府工作报告")


def parse_head(
    tokens: list[tuple[Token, int]], warn: Callable[[str, int | None, str, str], None]
) -> DocumentHead:
    issuer = doc_number = title = signed_on = addressees = None
    year = None
    texts = [(t, n) for t, n in tokens]
    i = 0
    while i < len(texts):
        tok, _n = texts[i]
        s = tok.text
        if issuer is None and (m := ISSUER_FILE_RE.match(s)):
            issuer = m.group("issuer")
        elif doc_number is None and (m := DOC_NUMBER_RE.fullmatch(s.replace(" ", ""))):
            doc_number = s.replace(" ", "")
            year = year or int(m.group("year"))
        elif (
            (title is None or ("分解" not in title and "分解" in s))
            and TITLE_HINT_RE.search(s)
            and len(s) <= 80
            and not s.endswith("。")
        ):
            # A PDF wraps a long title over two or three lines: join until it ends.
            parts = [s]
            j = i
            while (
                not re.search(r"(通知|分解|方案|意见)$", parts[-1])
                and j + 1 < len(texts)
                and j - i < 2
            ):
                nxt = texts[j + 1][0]
                if nxt.kind != "text" or len(nxt.text) > 40 or nxt.text.endswith(("：", ":")):
                    break
                parts.append(nxt.text)
                j += 1
            if re.search(r"(通知|分解|方案|意见)$", parts[-1]):
                title = "".join(parts)
                i = j
        elif (
            addressees is None
            and s.endswith(("：", ":"))
            and len(s) <= 80
            and not TITLE_HINT_RE.search(s)
        ):
            addressees = s.rstrip("：:")
        elif tok.kind == "date" and signed_on is None:
            signed_on = tok.data["date"]
        elif tok.kind == "text" and SIGNATURE_RE.match(s):
            issuer = issuer or s
        i += 1
    if title and (m := YEAR_RE.search(title)):
        year = int(m.group(1))
    elif year is None:
        # 近日，省政府办公厅印发2020年政府工作报告重点工作责任分解的通知 — the year in the preamble
        for tok, _ in texts:
            if m := REPORT_YEAR_RE.search(tok.text):
                year = int(m.group(1))
                break
    return DocumentHead(
        issuer=issuer,
        doc_number=doc_number,
        title=title,
        year=year,
        signed_on=signed_on,
        addressees=addressees,
    )
