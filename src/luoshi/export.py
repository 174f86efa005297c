"""Files for people who will not log in: the verdicts as an Excel workbook.

``evaluation_xlsx(evaluation)`` → the bytes of an .xlsx with one row per target: 序号, 任务, 量化指标,
报告结果, 判定, 依据 — frozen header, filters, the verdict coloured (green met, red not met, grey
unknown), Chinese text readable in LibreOffice and Excel alike.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from luoshi.evaluate import Evaluation

VERDICT_ZH = {"met": "完成", "not_met": "未完成", "unknown": "无法判定"}
VERDICT_FILL = {
    "met": PatternFill("solid", fgColor="C6EFCE"),
    "not_met": PatternFill("solid", fgColor="FFC7CE"),
    "unknown": PatternFill("solid", fgColor="EDEDED"),
}
COLUMNS = (
    ("序号", 6),
    ("任务", 48),
    ("量化指标", 36),
    ("报告结果", 36),
    ("判定", 10),
    ("依据", 48),
)


def evaluation_xlsx(evaluation: Evaluation) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{evaluation.plan_year or ''}目标完成情况"[:31]
    ws.append([name for name, _ in COLUMNS])
    for i, (_, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(row=1, column=i).font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, v in enumerate(evaluation.verdicts, 1):
        task = v.plan.task
        task_text = ""
        if task:
            where = f"第{task.part}部分第{task.section}节" + (
                f"第{task.number}项" if task.number else ""
            )
            task_text = f"{where}：{task.text}"
        ws.append(
            [
                n,
                task_text,
                v.plan.target.text,
                v.result.text if v.result else "",
                VERDICT_ZH[v.verdict],
                v.why,
            ]
        )
        for col in range(1, len(COLUMNS) + 1):
            ws.cell(row=n + 1, column=col).alignment = wrap
        ws.cell(row=n + 1, column=5).fill = VERDICT_FILL[v.verdict]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(evaluation.verdicts) + 1}"
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
