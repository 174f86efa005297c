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

from luoshi.model import Notice, Warning

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
            first, first_line = numbers[0]
            if first != 1 and first != (prev_last or 0) + 1:
                out.append(Warning("numbering_gap", first_line, f"{where} starts at item {first}"))
            for (a, _), (b, line) in pairwise(numbers):
                if b == a:
                    out.append(
                        Warning("numbering_repeat", line, f"item {b} is numbered twice in {where}")
                    )
                elif b > a + 1:
                    missing = "、".join(str(n) for n in range(a + 1, b))
                    out.append(
                        Warning(
                            "numbering_gap",
                            line,
                            f"{where} goes from item {a} to {b} (no {missing})",
                        )
                    )
                elif b < a:
                    out.append(
                        Warning("numbering_gap", line, f"{where} goes back from item {a} to {b}")
                    )
            prev_last = numbers[-1][0]
    return out


def _one_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def leader_names(notice: Notice) -> list[Warning]:
    heading: dict[str, int | None] = {}
    for part in notice.parts:
        for section in part.sections:
            if section.leader:
                heading.setdefault(section.leader.name, section.line)
    out: list[Warning] = []
    seen: set[tuple[str, str]] = set()
    for part in notice.parts:
        for section in part.sections:
            for task in section.tasks:
                for name in task.leaders:
                    if name in heading:
                        continue
                    for known, line in heading.items():
                        if _one_apart(name, known) and (name, known) not in seen:
                            seen.add((name, known))
                            out.append(
                                Warning(
                                    "leader_name_mismatch",
                                    task.line,
                                    f"leader named “{name}” here but “{known}” in the section "
                                    f"heading at line {line}: probably one person named two ways",
                                )
                            )
    return out


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
                )
            )
    return out
