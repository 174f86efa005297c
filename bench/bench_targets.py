"""Target grammar benchmark: `python bench/bench_targets.py`.

Reads the task texts of the sample notices (src/luoshi/samples/*-notice*) once, then times
`find_targets` over all of them RUNS times (default 20) and prints one Markdown line: texts,
targets found, the median time of a pass and targets extracted per second. Then the same for
`luoshi evaluate` of the 2024 notice against the 2025 work report (in-process, documents parsed
once) and for parsing plus evaluating from the files.
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
from luoshi.evaluate import evaluate  # noqa: E402
from luoshi.report import parse_report  # noqa: E402
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

    evaluate_bench()


def median_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def evaluate_bench() -> None:
    samples = ROOT / "src" / "luoshi" / "samples"
    notice_path = samples / "zhejiang-2024-notice.txt"
    report_path = samples / "zhejiang-2025-work-report-excerpt.txt"
    notice, report = parse_notice(notice_path), parse_report(report_path)
    n = len(evaluate(notice, report).verdicts)
    judged = median_ms(lambda: evaluate(notice, report), RUNS)
    whole = median_ms(lambda: evaluate(parse_notice(notice_path), parse_report(report_path)), RUNS)
    print(
        f"| evaluate | 2024 notice against the 2025 report, {n} targets | median {judged:.1f} ms "
        f"(parsed documents), {whole:.1f} ms (from the files) of {RUNS} runs | |"
    )


if __name__ == "__main__":
    main()
