"""Target grammar benchmark: `python bench/bench_targets.py`.

Reads the task texts of the sample notices (src/luoshi/samples/*-notice*) once, then times
`find_targets` over all of them RUNS times (default 20) and prints one Markdown line: texts,
targets found, the median time of a pass and targets extracted per second.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from luoshi import parse_notice  # noqa: E402
from luoshi.targets import find_targets  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
SAMPLES = sorted((ROOT / "src" / "luoshi" / "samples").glob("*-notice*"))


def task_texts() -> list[tuple[str, int | None]]:
    texts = []
    for path in SAMPLES:
        notice = parse_notice(path)
        texts.extend((task.text, notice.document.year) for _, _, task in notice.tasks())
    return texts


def one_pass(texts: list[tuple[str, int | None]]) -> int:
    return sum(len(find_targets(text, year)) for text, year in texts)


def main() -> None:
    texts = task_texts()
    found = one_pass(texts)  # warm: data loaded, patterns compiled, as in a long-running process
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        one_pass(texts)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    chars = sum(len(t) for t, _ in texts)
    print(
        f"| find_targets | {len(SAMPLES)} notices, {len(texts)} task texts, {chars} chars "
        f"| {found} targets | median {median * 1000:.1f} ms of {RUNS} runs "
        f"| {found / median:,.0f} targets/s |"
    )


if __name__ == "__main__":
    main()
