"""The ``luoshi`` command: a thin shell over the library.

Each command reads its files, calls one library function per file and prints. A file that cannot
be read or is not a notice prints ONE line on stderr (``luoshi: FILE: reason``); the other files
of a batch are still processed and the exit status is 2 at the end. Nothing is printed on stdout
for a bad file.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from luoshi.errors import LuoshiError
from luoshi.model import Notice, notice_to_dict
from luoshi.notice import parse_notice

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="luoshi (落实): read government work-report breakdown notices into data.",
)
EXIT_BAD_INPUT = 2
EXIT_WARNINGS = 1

Files = Annotated[
    list[Path], typer.Argument(help="notice files: text, Markdown, HTML, PDF or DOCX")
]


def _console() -> Console:
    """Rich output; a pipe gets wide lines rather than 80-column wrapping."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def _err(message: str) -> None:
    sys.stderr.write(f"luoshi: {message}\n")
    sys.stderr.flush()


def _parse_all(files: list[Path]) -> Iterator[tuple[Path, Notice | None]]:
    """Parse each file, reporting failures on stderr; a progress bar when stderr is a terminal."""
    show = sys.stderr.isatty() and len(files) > 1
    progress = Progress(console=Console(stderr=True), transient=True, disable=not show)
    with progress:
        job = progress.add_task("parsing", total=len(files))
        for path in files:
            try:
                notice = parse_notice(path)
            except LuoshiError as exc:
                _err(str(exc.with_path(str(path))))
                notice = None
            except OSError as exc:
                _err(f"{path}: cannot open: {exc.strerror or exc}")
                notice = None
            progress.advance(job)
            yield path, notice


def _json(notice: Notice) -> str:
    return json.dumps(notice_to_dict(notice), ensure_ascii=False, indent=2)


def _table(notice: Notice, console: Console) -> None:
    doc = notice.document
    console.print(f"[bold]{doc.title or notice.source.path}[/bold]  {doc.doc_number or ''}")
    for part in notice.parts:
        t = Table(title=part.title or part.kind, show_lines=False)
        for col in ("部分", "序号", "重点工作", "牵头领导", "牵头单位", "责任单位"):
            t.add_column(col)
        for section in part.sections:
            for task in section.tasks:
                leads = "、".join(u.name for u in task.units if u.role == "lead")
                others = "、".join(u.name for u in task.units if u.role != "lead")
                text = task.text if len(task.text) <= 60 else task.text[:58] + "…"
                t.add_row(
                    str(section.ordinal or ""),
                    str(task.number or ""),
                    text,
                    "、".join(task.leaders),
                    leads,
                    others,
                )
        console.print(t)
    _print_warnings(notice, console)


def _print_warnings(notice: Notice, console: Console) -> None:
    """One line per warning, ``path:line: code message`` (the form editors jump to)."""
    del console  # plain lines, never wrapped: editors and grep read them
    for w in notice.warnings:
        where = f"{notice.source.path}:{w.line}" if w.line else notice.source.path
        sys.stdout.write(f"{where}: {w.code} {w.message}\n")


@app.command()
def parse(
    files: Files,
    format: Annotated[str, typer.Option("--format", "-f", help="json or table")] = "json",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="write one .json per input here")
    ] = None,
) -> None:
    """Parse notices into the luoshi.breakdown.v1 JSON contract (or a table)."""
    if format not in ("json", "table"):
        _err(f"--format must be json or table, not {format!r}")
        raise typer.Exit(EXIT_BAD_INPUT)
    if out is None and format == "json" and len(files) > 1:
        _err("several files with --format json need --out DIR (one .json per input)")
        raise typer.Exit(EXIT_BAD_INPUT)
    failed = False
    console = _console()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for path, notice in _parse_all(files):
        if notice is None:
            failed = True
            continue
        if out is not None:
            target = out / (path.stem + ".json")
            target.write_text(_json(notice) + "\n", encoding="utf-8")
        elif format == "json":
            sys.stdout.write(_json(notice) + "\n")
        else:
            _table(notice, console)
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def check(files: Files) -> None:
    """Print the warnings of each notice; exit 1 when there are any, 2 for a bad file."""
    failed = False
    any_warnings = False
    console = _console()
    for _path, notice in _parse_all(files):
        if notice is None:
            failed = True
            continue
        any_warnings |= bool(notice.warnings)
        _print_warnings(notice, console)
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)
    if any_warnings:
        raise typer.Exit(EXIT_WARNINGS)


@app.command()
def summary(files: Files) -> None:
    """A summary per notice: leaders, tasks per part, units, warnings."""
    failed = False
    console = _console()
    for path, notice in _parse_all(files):
        if notice is None:
            failed = True
            continue
        summarize(notice, console, path)
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


def summarize(notice: Notice, console: Console, path: Path) -> None:
    doc = notice.document
    console.rule(f"[bold]{path.name}")
    console.print(f"{doc.title or '(no title)'}")
    console.print(
        f"文号 {doc.doc_number or '—'} · year {doc.year or '—'} · issuer {doc.issuer or '—'} · "
        f"signed {doc.signed_on or '—'} · printed {doc.printed_on or '—'}"
    )
    t = Table(show_header=True)
    t.add_column("part")
    t.add_column("period")
    t.add_column("sections", justify="right")
    t.add_column("tasks", justify="right")
    for part in notice.parts:
        n = sum(len(s.tasks) for s in part.sections)
        period = f"{part.period[0]}–{part.period[1]}" if part.period else "—"
        if part.period and part.period[0] == part.period[1]:
            period = str(part.period[0])
        t.add_row(part.title or part.kind, period, str(len(part.sections)), str(n))
    console.print(t)
    leaders: Counter[str] = Counter()
    units: Counter[str] = Counter()
    leads: Counter[str] = Counter()
    for _p, _s, task in notice.tasks():
        leaders.update(task.leaders)
        for u in task.units:
            key = u.canonical or u.name
            units[key] += 1
            if u.role == "lead":
                leads[key] += 1
    console.print("leaders: " + "，".join(f"{name} {n}" for name, n in leaders.most_common()))
    top = "，".join(f"{name} {n}（牵头 {leads[name]}）" for name, n in units.most_common(10))
    console.print(f"units: {len(units)} named; most tasks: {top}")
    codes = Counter(w.code for w in notice.warnings)
    console.print(
        f"warnings: {len(notice.warnings)}"
        + ("" if not codes else " (" + "，".join(f"{c} {n}" for c, n in codes.most_common()) + ")")
    )
    for w in notice.warnings:
        console.print(
            f"  line {w.line}: {w.code}: {w.message}" if w.line else f"  {w.code}: {w.message}"
        )


def main() -> None:  # pragma: no cover - the console script
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
