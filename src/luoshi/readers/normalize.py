"""The one normalisation every reader applies: Traditional Chinese to Simplified.

Notices are written in Simplified Chinese, and the unit registry spells units that way; a notice
reposted by a Hong Kong or Taiwan site, or a page viewed through a site's 繁體中文 switch, must
still match 省发展改革委. Nothing else is touched: full-width and ASCII punctuation stay as
written (the grammar accepts both), and so does every character of a Simplified text.

Why detection comes first: OpenCC's t2s also rewrites characters that are legitimate in
Simplified text (著 in 显著, 乾 in 乾坤, the 繁體中文 link in a page's navigation), so
converting unconditionally would alter real notices. A text is converted only when its Han
characters that *only* Traditional uses clearly outnumber the ones only Simplified uses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Literal

from luoshi.model import Line

Script = Literal["traditional", "simplified", "neither"]

NOTE_CONVERTED = "converted from Traditional Chinese"

# Traditional-only characters must outnumber Simplified-only ones by this factor. A Simplified
# notice has thousands of Simplified-only characters (发, 经, 责) and a handful of "Traditional"
# ones (著, 乾, 體 in a menu); a Traditional one has the reverse.
_DOMINANCE = 3
# ...and be a clear share of all Han characters (a Traditional text runs at 20-35%), and more
# than one: a lone 乾 in 乾坤 decides nothing.
_MIN_SHARE = 0.05
_MIN_TRADITIONAL = 2


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


@lru_cache(maxsize=65536)
def _changes(ch: str) -> tuple[bool, bool]:
    """``(traditional_only, simplified_only)`` for one Han character: 發 → (True, False),
    发 → (False, True), 中 → (False, False)."""
    return _t2s().convert(ch) != ch, _s2t().convert(ch) != ch


def _is_han(ch: str) -> bool:
    return (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3400" <= ch <= "\u4dbf"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003134f"
    )


def detect_script(texts: Iterable[str]) -> Script:
    """Which script the Han characters of ``texts`` are written in.

    ``["責任單位：省發展改革委"]`` → ``"traditional"``; ``["责任单位：省发展改革委"]`` →
    ``"simplified"``; ``["2026", "中国"]`` (nothing that differs) → ``"neither"``. Mixed texts
    without a clear majority are ``"neither"``: when in doubt, leave the text alone.
    """
    every: Counter[str] = Counter()
    for text in texts:
        every.update(text)  # counting every character in C, then keeping the Han ones, is fast
    counts = Counter({ch: n for ch, n in every.items() if _is_han(ch)})
    traditional = simplified = 0
    for ch, n in counts.items():
        trad_only, simp_only = _changes(ch)
        traditional += n * trad_only
        simplified += n * simp_only
    han = sum(counts.values())
    if (
        traditional >= _MIN_TRADITIONAL
        and traditional >= _DOMINANCE * simplified
        and traditional >= _MIN_SHARE * han
    ):
        return "traditional"
    if simplified and simplified >= _DOMINANCE * traditional:
        return "simplified"
    return "neither"


def to_simplified(text: str) -> str:
    """``text`` converted by OpenCC t2s (phrase-aware): 責任單位 → 责任单位. Unconditional: call
    it only on text :func:`detect_script` found Traditional."""
    return _t2s().convert(text)


def normalize_lines(lines: Iterable[Line]) -> tuple[tuple[Line, ...], tuple[str, ...]]:
    """The lines in Simplified Chinese, and the notes saying what changed.

    Detection looks at the whole document (cells included); a Traditional document has every
    line and cell converted and gets the note ``"converted from Traditional Chinese"``; any other
    document comes back unchanged with no notes. Line numbers, pages and the number of lines are
    never changed. Idempotent: normalising the result again changes nothing.
    """
    lines = tuple(lines)
    if detect_script(line.text for line in lines) != "traditional":
        return lines, ()
    converted = []
    for line in lines:
        if line.cells is not None:
            cells = tuple(to_simplified(c) for c in line.cells)
            converted.append(replace(line, text=" | ".join(cells), cells=cells))
        else:
            converted.append(replace(line, text=to_simplified(line.text)))
    return tuple(converted), (NOTE_CONVERTED,)
