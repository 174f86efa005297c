"""Checks over a parsed notice: what a careful reader would question.

- ``numbering_gap`` / ``numbering_repeat``: items numbered 3 then 5, or 6 twice. Numbering that
  runs on across sections (一 has 1–4, 二 starts at 5) is not a gap.
- ``leader_name_mismatch``: a leader named two ways in one document (the 2024 notice heads a
  section 庐山副省长 and names 卢山 in the livelihood part).
- ``stray_word``: a lower-case Latin word in Chinese text (“平台 and 专业化”).
"""

from __future__ import annotations

import re
from itertools import pairwise

from luoshi.model import Leader, Notice, Warning

LATIN_WORD_RE = re.compile(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])")


def run_all(notice: Notice, numbering_lists) -> list[Warning]:
    return [*numbering(numbering_lists), *leader_names(notice), *stray_words(notice)]


def numbering(parts: list[list[tuple[str | None, list[tuple[int, int]]]]]) -> list[Warning]:
    """Gaps and repeats in the numbers as the document wrote them.

    ``parts`` holds, per part, the numbered lists in order: ``(section heading, [(number,
    line), …])``. A list may start at 1 or run on from the previous list of the same part.
    """
    out: list[Warning] = []
    for lists in parts:
        prev_last: int | None = None
        for heading, numbers in lists:
            if not numbers:
                continue
            where = f"section “{heading}”" if heading else "the list"
            where_zh = f"“{heading}”" if heading else "本列表"
            first, first_line = numbers[0]
            if first != 1 and first != (prev_last or 0) + 1:
                out.append(
                    Warning(
                        "numbering_gap",
                        first_line,
                        f"{where} starts at item {first}",
                        f"{where_zh}从第{first}项开始编号",
                    )
                )
            for (a, _), (b, line) in pairwise(numbers):
                if b == a:
                    out.append(
                        Warning(
                            "numbering_repeat",
                            line,
                            f"item {b} is numbered twice in {where}",
                            f"{where_zh}中有两个第{b}项",
                        )
                    )
                elif b > a + 1:
                    missing = "、".join(str(n) for n in range(a + 1, b))
                    out.append(
                        Warning(
                            "numbering_gap",
                            line,
                            f"{where} goes from item {a} to {b} (no {missing})",
                            f"{where_zh}从第{a}项跳到第{b}项（缺第{missing}项）",
                        )
                    )
                elif b < a:
                    out.append(
                        Warning(
                            "numbering_gap",
                            line,
                            f"{where} goes back from item {a} to {b}",
                            f"{where_zh}从第{a}项退回到第{b}项",
                        )
                    )
            prev_last = numbers[-1][0]
    return out


def _one_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def leader_aliases(notice: Notice) -> dict[str, tuple[str, int | None, int]]:
    """Names that are probably another spelling of a section leader's: ``{"卢山": ("庐山",
    heading line, line of first use)}`` — same length, one character apart, never a heading name
    itself."""
    heading: dict[str, int | None] = {}
    for part in notice.parts:
        for section in part.sections:
            if section.leader:
                heading.setdefault(section.leader.name, section.line)
    out: dict[str, tuple[str, int | None, int]] = {}
    for _part, _section, task in notice.tasks():
        for name in task.leaders:
            if name in heading or name in out:
                continue
            for known, line in heading.items():
                if _one_apart(name, known):
                    out[name] = (known, line, task.line)
                    break
    return out


def leader_names(notice: Notice) -> list[Warning]:
    return [
        Warning(
            "leader_name_mismatch",
            used,
            f"leader named “{name}” here but “{known}” in the section heading at line {line}: "
            "probably one person named two ways",
            f"此处领导写作“{name}”，第{line}行的部分标题写作“{known}”：可能是同一人的两种写法",
        )
        for name, (known, line, used) in leader_aliases(notice).items()
    ]


def leaders_of(notice: Notice) -> tuple[Leader, ...]:
    """Every leader the notice names, section heads first, with the other spellings it uses."""
    aliases = leader_aliases(notice)
    titles: dict[str, str | None] = {}
    for part in notice.parts:
        for section in part.sections:
            if section.leader:
                titles.setdefault(section.leader.name, section.leader.title)
    for _part, _section, task in notice.tasks():
        for name in task.leaders:
            if name not in aliases:
                titles.setdefault(name, None)
    return tuple(
        Leader(name, title, tuple(a for a, (known, _, _) in aliases.items() if known == name))
        for name, title in titles.items()
    )


def stray_words(notice: Notice) -> list[Warning]:
    out: list[Warning] = []
    for _part, _section, task in notice.tasks():
        for m in LATIN_WORD_RE.finditer(task.text):
            ctx = task.text[max(0, m.start() - 6) : m.end() + 6]
            out.append(
                Warning(
                    "stray_word",
                    task.line,
                    f"non-Chinese word “{m.group(0)}” in the text: “…{ctx}…”",
                    f"正文中夹有外文单词“{m.group(0)}”：“…{ctx}…”",
                )
            )
    return out
