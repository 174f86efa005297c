"""Properties of the notice parser on arbitrary input."""

from __future__ import annotations

import contextlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi import LuoshiError, ParseError, ReadError, parse_notice_text

GOLDEN = Path(__file__).parent / "golden"
SEED_LINES = (GOLDEN / "zhejiang-2024-notice.txt").read_text("utf-8").splitlines() + (
    GOLDEN / "zhejiang-2020-notice-webpage.txt"
).read_text("utf-8").splitlines()

# Text built from pieces of real notices, shuffled and cut: headings, clauses, attributions and
# numbers in the wrong places, unbalanced brackets, stray labels.
FRAGMENTS = st.one_of(
    st.sampled_from(SEED_LINES),
    st.sampled_from(SEED_LINES).map(lambda s: s[: len(s) // 2]),
    st.sampled_from(
        [
            "责任单位：",
            "牵头单位:",
            "（牵头领导：",
            "）",
            "(",
            "一、",
            "1. ",
            "十方面民生实事责任分解",
            "抄送：",
            "2024年2月2日印发",
            "| 序号 | 重点工作 | 牵头单位 |",
            "\t",
        ]
    ),
    st.text(max_size=40),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=40))
def test_the_parser_raises_nothing_but_its_own_parse_error(lines):
    text = "\n".join(lines)
    try:
        notice = parse_notice_text(text)
    except ParseError:
        return
    except ReadError as exc:  # empty, or not text at all (NUL bytes, say): the reader says so
        assert exc.reason and "\n" not in str(exc)
        return
    # what it returns is a notice with at least one task that names units
    assert any(t.units for _, _, t in notice.tasks())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_raises_only_luoshi_errors(text):
    with contextlib.suppress(LuoshiError):
        parse_notice_text(text)
