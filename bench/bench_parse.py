"""Parse benchmark: `make bench`.

For each sample notice (text) and its PDF and DOCX forms (made with tests/forms.py, as the tests
make them): the median in-process parse time over RUNS runs, throughput in MB/s of input, and
the peak RSS of a fresh process that imports luoshi and parses the file once. Results are printed
as a Markdown table (paste it into the README) and written to bench/out/parse.json.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from luoshi import parse_notice  # noqa: E402

from forms import to_docx, to_pdf  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
SAMPLES = ROOT / "src" / "luoshi" / "samples"
NOTICES = [
    "zhejiang-2024-notice.txt",
    "zhejiang-2026-notice.txt",
    "zhejiang-2020-notice-webpage.txt",
]

# VmHWM, not getrusage: Linux carries ru_maxrss over fork and exec, so a child would report
# the benchmark's own peak; the high-water mark of /proc/self/status belongs to the new image.
RSS_CHILD = """
import sys
from luoshi import parse_notice
parse_notice(sys.argv[1])
print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))
"""


def median_seconds(path: Path, runs: int) -> float:
    parse_notice(
        path
    )  # warm caches (registry, phrase tables) once, as a long-running process would
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        parse_notice(path)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_rss_mb(path: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", RSS_CHILD, str(path)], check=True, capture_output=True, text=True
    ).stdout
    return int(out.strip()) / 1024  # VmHWM is in KiB


def pdf_pages(path: Path) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases: list[tuple[str, Path, str]] = []
        for name in NOTICES:
            src = SAMPLES / name
            text = src.read_text("utf-8")
            stem = Path(name).stem
            pdf = Path(tmp) / f"{stem}.pdf"
            docx = Path(tmp) / f"{stem}.docx"
            to_pdf(text, pdf)
            to_docx(text, docx)
            cases += [(stem, src, "text"), (stem, pdf, "pdf"), (stem, docx, "docx")]
        for stem, path, form in cases:
            size = path.stat().st_size
            med = median_seconds(path, RUNS if form == "text" else max(10, RUNS // 5))
            extra = f"{pdf_pages(path)} pages" if form == "pdf" else ""
            rows.append(
                {
                    "notice": stem,
                    "form": form,
                    "bytes": size,
                    "median_ms": round(med * 1000, 2),
                    "mb_per_s": round(size / med / 1e6, 2),
                    "peak_rss_mb": round(peak_rss_mb(path), 1),
                    "note": extra,
                }
            )
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"machine: {machine}; runs: {RUNS} (text), {max(10, RUNS // 5)} (pdf, docx)\n")
    print("| notice | form | size | median parse | throughput | peak RSS | |")
    print("|---|---|---:|---:|---:|---:|---|")
    for r in rows:
        print(
            f"| {r['notice']} | {r['form']} | {r['bytes'] / 1024:.0f} KB | {r['median_ms']:.1f} ms | "
            f"{r['mb_per_s']:.2f} MB/s | {r['peak_rss_mb']:.0f} MB | {r['note']} |"
        )
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "parse.json").write_text(
        json.dumps({"machine": machine, "rows": rows}, ensure_ascii=False, indent=2)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
