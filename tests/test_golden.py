"""Golden pairs: ``tests/golden/<case>.txt`` (or .html/.md/.docx) beside ``<case>.json``.

Each expected JSON was written by reading the source line by line; it is the specification. When
the parser's output differs, read the diff (``python tests/golden_diff.py CASE``) — never
regenerate a golden file to make a test pass.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from luoshi import notice_to_dict, parse_notice

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(
    p for p in GOLDEN.iterdir() if p.suffix != ".json" and p.with_suffix(".json").exists()
)

# Known failures are listed here with the reason, never deleted from the golden directory.
KNOWN_FAILURES: dict[str, str] = {}


def actual(path: Path) -> dict:
    data = notice_to_dict(parse_notice(path))
    data["source"]["path"] = path.name  # the golden file must not depend on where the repo is
    return json.loads(json.dumps(data, ensure_ascii=False, sort_keys=True))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden(path: Path) -> None:
    if path.stem in KNOWN_FAILURES:
        pytest.xfail(KNOWN_FAILURES[path.stem])
    expected = json.loads(path.with_suffix(".json").read_text("utf-8"))
    assert actual(path) == expected


def test_every_seed_notice_has_a_golden_file() -> None:
    stems = {p.stem for p in CASES}
    assert {"zhejiang-2020-notice-webpage", "zhejiang-2024-notice", "zhejiang-2026-notice"} <= stems
