"""Brackets in notice text: （…） and (…) are used alike, 〔…〕 holds second names.

Unit lists nest them (``省委宣传部（省文明办、省新闻出版局）``), attributions wrap them
(``(牵头领导:李岩益,责任单位:省卫生健康委〔省中医药管理局〕)``), and a full-width opener may be
closed by a half-width closer in copied text, so every function here treats the kinds alike.
"""

from __future__ import annotations

OPENERS = "（(〔"
CLOSERS = "）)〕"


def bracket_depth(text: str, pos: int) -> int:
    """How many brackets are open at ``pos``: ``bracket_depth("(牵头领导:李岩益,", 9)`` → 1."""
    depth = 0
    for ch in text[:pos]:
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
    return depth


def matching_close(text: str, i: int) -> int | None:
    """The index of the bracket that closes the one opened at ``i``; None when it never closes."""
    depth = 0
    for j in range(i, len(text)):
        ch = text[j]
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth -= 1
            if depth == 0:
                return j
    return None


def trailing_bracket(text: str) -> tuple[str, str] | None:
    """Split a final bracket off: ``省委金融办（省地方金融局）`` → ``("省委金融办", "省地方金融局")``.

    None when ``text`` does not end with a closer, or the bracket is the whole text.
    """
    if not text or text[-1] not in CLOSERS:
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch in CLOSERS:
            depth += 1
        elif ch in OPENERS:
            depth -= 1
            if depth == 0:
                return (text[:i], text[i + 1 : -1]) if i else None
    return None
