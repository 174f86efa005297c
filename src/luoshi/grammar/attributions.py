"""Attributions inside running text: ``……1 万台。(牵头领导:李岩益,责任单位:省卫生健康委)``.

Livelihood paragraphs carry one attribution after one or several sentences, sometimes in the
middle of a sentence (``扩面300个,(责任单位:…)建成…``); some notices put the units inline at
the end of a task (``（牵头单位：市发改委；责任单位：市经信局）``) or in free words
(``（省发展改革委牵头，各地、各部门配合）``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.grammar.brackets import bracket_depth, matching_close, trailing_bracket
from luoshi.grammar.lines import LABEL_RE, LEADER_LABELS, UNIT_LABELS

OPENERS = "（("  # an attribution opens with a parenthesis (〔〕 only hold second names)
_FREE_LEAD_RE = re.compile(
    r"^(?P<lead>.+?)(?P<mark>牵头负责|牵头|负责)(?:\s*[，,；;]\s*(?P<partners>.+?)(?:配合|参与|协助|协同))?$"
)
UNIT_WORD_RE = re.compile(
    r"(委|厅|局|办|部|会|院|室|政府|公司|集团|中心|队|行|所|站|社|联|校|大学|实验室|小组|单位|部门|各地|法院|检察院|海关|总站)$"
)


@dataclass(frozen=True)
class Attribution:
    start: int  # offset of the opening bracket in the scanned text
    end: int  # offset just after the closing bracket
    segments: tuple[tuple[str, str], ...]  # ((label, value), …) in order


def label_segments(content: str) -> tuple[tuple[str, str], ...]:
    """``牵头领导:李岩益,责任单位:省卫生健康委`` → ``(("牵头领导","李岩益"),("责任单位","省卫生健康委"))``.

    Text before the first label is ignored only when it is empty; otherwise () is returned.
    """
    matches = [m for m in LABEL_RE.finditer(content) if bracket_depth(content, m.start()) == 0]
    if not matches or content[: matches[0].start()].strip(" ，,；;\u3000"):
        return ()
    out = []
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(content)
        value = content[m.end() : end].strip(" ，,；;。\u3000")
        out.append((m.group("label"), value))
    return tuple(out)


def find_attributions(text: str) -> list[Attribution]:
    """Every bracketed group in ``text`` that opens with a unit or leader label."""
    out: list[Attribution] = []
    i = 0
    while i < len(text):
        if text[i] in OPENERS:
            j = matching_close(text, i)
            if j is None:
                # An attribution cut off by the end of an excerpt: read to the end.
                segs = label_segments(text[i + 1 :])
                if segs:
                    out.append(Attribution(i, len(text), segs))
                break
            segs = label_segments(text[i + 1 : j])
            if segs:
                out.append(Attribution(i, j + 1, segs))
                i = j + 1
                continue
        i += 1
    return out


def free_text_units(text: str) -> tuple[int, str] | None:
    """A trailing ``（省发展改革委牵头，各地、各部门配合）``: ``(offset, content)`` or None.

    Only when every entry before 牵头/负责 looks like a unit name, so ``（暂名）`` or a
    parenthesis of ordinary words is never taken for units.
    """
    t = text.rstrip("。 \u3000")
    split = trailing_bracket(t)
    if split is None:
        return None
    content = split[1].strip()
    m = _FREE_LEAD_RE.match(content)
    if not m:
        return None
    leads = [x.strip() for x in re.split(r"[、，,]", m.group("lead")) if x.strip()]
    if all(UNIT_WORD_RE.search(x) for x in leads):
        return len(split[0]), content
    return None


__all__ = [
    "LEADER_LABELS",
    "UNIT_LABELS",
    "Attribution",
    "bracket_depth",
    "find_attributions",
    "free_text_units",
    "label_segments",
]
