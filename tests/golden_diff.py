"""Show how the parser's output differs from a golden file, for review.

    python tests/golden_diff.py zhejiang-2024-notice          # unified diff on stdout
    python tests/golden_diff.py zhejiang-2024-notice --write  # write <case>.json.new beside it

The .new file is for reading; a golden file is only replaced by hand after reading every
changed line against the source.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from test_golden import GOLDEN, actual


def dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    case = argv[0]
    source = next(p for p in GOLDEN.iterdir() if p.stem == case and p.suffix != ".json")
    new = dump(actual(source))
    golden = source.with_suffix(".json")
    old = golden.read_text("utf-8") if golden.exists() else ""
    if "--write" in argv:
        Path(str(golden) + ".new").write_text(new, encoding="utf-8")
    sys.stdout.writelines(
        difflib.unified_diff(old.splitlines(True), new.splitlines(True), str(golden), "parser")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
