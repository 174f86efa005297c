"""Attributions inside running text: ``……1 万台。(牵头领导:李岩益,责任单位:省卫生健康委)``.

Livelihood paragraphs carry one attribution after one or several sentences, sometimes in the
middle of a sentence (``扩面300个,(责任单位:…)建成…``); some notices put the units inline at
the end of a task (``（牵头单位：市发改委；责任单位：市经信局）``) or in free words
(``（省发展改革委牵头，各地、各部门配合）``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luoshi.grammar.lines import LABEL_RE, LEADER_LABELS, UNIT_LABELS

OPENERS = "（("
CLOSERS = "）)"
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


def _matching_close(text: str, i: int) -> int | None:
    depth = 0
    for j in range(i, len(text)):
        ch = text[j]
        if ch in "（(〔":
            depth += 1
        elif ch in "）)〕":
            depth -= 1
            if depth == 0:
                return j
    return None


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


def bracket_depth(text: str, pos: int) -> int:
    """How many brackets are open at ``pos`` (（ ( 〔 against ） ) 〕)."""
    depth = 0
    for ch in text[:pos]:
        if ch in "（(〔":
            depth += 1
        elif ch in "）)〕":
            depth = max(0, depth - 1)
    return depth


def find_attributions(text: str) -> list[Attribution]:
    """Every bracketed group in ``text`` that opens with a unit or leader label."""
    out: list[Attribution] = []
    i = 0
    while i < len(text):
        if text[i] in OPENERS:
            j = _matching_close(text, i)
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
    if not t or t[-1] not in CLOSERS:
        return None
    # find the opener of the final bracket
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        if t[i] in CLOSERS:
            depth += 1
        elif t[i] in OPENERS:
            depth -= 1
            if depth == 0:
                content = t[i + 1 : -1].strip()
                m = _FREE_LEAD_RE.match(content)
                if not m:
                    return None
                leads = re.split(r"[、，,]", m.group("lead"))
                if all(UNIT_WORD_RE.search(x.strip()) for x in leads if x.strip()):
                    return i, content
                return None
    return None


__all__ = [
    "LEADER_LABELS",
    "UNIT_LABELS",
    "Attribution",
    "find_attributions",
    "free_text_units",
    "label_segments",
]
