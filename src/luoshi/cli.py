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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from luoshi.coverage import coverage as target_coverage
from luoshi.coverage import coverage_to_dict
from luoshi.documents import parse_document
from luoshi.errors import LuoshiError, UnknownUnitError
from luoshi.evaluate import Evaluation, evaluation_to_dict
from luoshi.evaluate import evaluate as evaluate_targets
from luoshi.export import evaluation_xlsx
from luoshi.model import Notice, json_number, notice_to_dict
from luoshi.notice import parse_notice
from luoshi.registry import Link, Registry, RegistryUnit, default_registry
from luoshi.report import Report, report_to_dict
from luoshi.units_view import (
    UnitDiff,
    UnitTask,
    diff_notices,
    find_unit_tasks,
    registry_unit_to_dict,
    unit_diff_to_dict,
    unit_task_to_dict,
)

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


def _parse_all(
    files: list[Path], parse: Callable[[Path], Any] = parse_notice
) -> Iterator[tuple[Path, Any]]:
    """Parse each file with ``parse``, reporting failures on stderr (one line each); a progress
    bar on stderr when it is a terminal. Yields ``(path, parsed or None)``."""
    show = sys.stderr.isatty() and len(files) > 1
    progress = Progress(console=Console(stderr=True), transient=True, disable=not show)
    with progress:
        job = progress.add_task("parsing", total=len(files))
        for path in files:
            try:
                parsed = parse(path)
            except LuoshiError as exc:
                _err(str(exc.with_path(str(path))))
                parsed = None
            except OSError as exc:
                _err(f"{path}: cannot open: {exc.strerror or exc}")
                parsed = None
            progress.advance(job)
            yield path, parsed


def _json(doc: Notice | Report) -> str:
    data = report_to_dict(doc) if isinstance(doc, Report) else notice_to_dict(doc)
    return json.dumps(data, ensure_ascii=False, indent=2)


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
    """One line per warning, ``path:line: code message`` (the form editors jump to).

    The message is the Chinese one: the people who check a notice read Chinese, and the code
    beside it stays the same in every language for grep (the English is in ``parse``'s JSON)."""
    del console  # plain lines, never wrapped: editors and grep read them
    for w in notice.warnings:
        where = f"{notice.source.path}:{w.line}" if w.line else notice.source.path
        sys.stdout.write(f"{where}: {w.code} {w.message_zh}\n")


@app.command()
def parse(
    files: Files,
    format: Annotated[str, typer.Option("--format", "-f", help="json or table")] = "json",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="write one .json per input here")
    ] = None,
) -> None:
    """Parse notices (luoshi.breakdown.v1) and work reports (luoshi.report.v1) into JSON or a table."""
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
    for path, doc in _parse_all(files, parse_document):
        if doc is None:
            failed = True
            continue
        if out is not None:
            target = out / (path.stem + ".json")
            target.write_text(_json(doc) + "\n", encoding="utf-8")
        elif format == "json":
            sys.stdout.write(_json(doc) + "\n")
        elif isinstance(doc, Report):
            _report_table(doc, console)
        else:
            _table(doc, console)
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def check(files: Files) -> None:
    """Print the warnings of each notice or report; exit 1 when there are any, 2 for a bad file."""
    failed = False
    any_warnings = False
    console = _console()
    for _path, doc in _parse_all(files, parse_document):
        if doc is None:
            failed = True
            continue
        any_warnings |= bool(doc.warnings)
        _print_warnings(doc, console)
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)
    if any_warnings:
        raise typer.Exit(EXIT_WARNINGS)


@app.command()
def summary(files: Files) -> None:
    """A summary per document: leaders, tasks per part, units, warnings (results and targets of
    a work report)."""
    failed = False
    console = _console()
    for path, doc in _parse_all(files, parse_document):
        if doc is None:
            failed = True
            continue
        if isinstance(doc, Report):
            summarize_report(doc, console, path)
        else:
            summarize(doc, console, path)
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
            f"  line {w.line}: {w.code}: {w.message_zh}"
            if w.line
            else f"  {w.code}: {w.message_zh}"
        )


def summarize_report(report: Report, console: Console, path: Path) -> None:
    doc = report.document
    console.rule(f"[bold]{escape(path.name)}")
    kind = "excerpt" if doc.excerpt else "summary" if doc.summary else "whole"
    console.print(
        f"{doc.title or '政府工作报告'} · {doc.region or '—'} · {doc.year or '—'} ({kind})"
    )
    sections = Counter(s.kind for s in report.sections)
    console.print("sections: " + "，".join(f"{k} {n}" for k, n in sections.items()))
    main = sum(1 for t in report.targets if t.main)
    console.print(
        f"results: {len(report.results)} · targets: {len(report.targets)} ({main} 主要预期目标) · "
        f"livelihood items: {len(report.livelihood)} · warnings: {len(report.warnings)}"
    )
    for w in report.warnings:
        console.print(
            f"  line {w.line}: {w.code}: {w.message_zh}"
            if w.line
            else f"  {w.code}: {w.message_zh}"
        )


def _report_table(report: Report, console: Console) -> None:
    t = Table(title=f"{report.document.year} 政府工作报告 — results", show_lines=False)
    for col in ("行", "指标", "口径", "数值", "年份", "原文"):
        t.add_column(col)
    for r in report.results:
        t.add_row(
            str(r.line),
            escape(r.indicator or ""),
            r.measure,
            escape(f"{json_number(r.value)}{r.unit or ''}") + (" (预计)" if r.estimate else ""),
            str(r.year or ""),
            escape(r.text if len(r.text) <= 40 else r.text[:38] + "…"),
        )
    console.print(t)
    t = Table(title="targets", show_lines=False)
    for col in ("行", "指标", "目标", "主要", "原文"):
        t.add_column(col)
    for rt in report.targets:
        g = rt.target
        t.add_row(
            str(rt.line),
            escape(g.indicator or ""),
            escape(f"{g.op} {json_number(g.value)}{g.unit or ''}"),
            "✓" if rt.main else "",
            escape(g.text if len(g.text) <= 40 else g.text[:38] + "…"),
        )
    console.print(t)


VERDICT_ZH = {"met": "完成", "not_met": "未完成", "unknown": "无法判定"}


@app.command()
def evaluate(
    plan: Annotated[
        Path, typer.Argument(help="a breakdown notice, or a work report (its targets)")
    ],
    report: Annotated[Path, typer.Argument(help="the next year's work report")],
    format: Annotated[str, typer.Option("--format", "-f", help="table, json or xlsx")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write the file here")] = None,
) -> None:
    """Judge each target of PLAN against the results REPORT gives (luoshi.evaluation.v1)."""
    if format not in ("table", "json", "xlsx"):
        _err(f"--format must be table, json or xlsx, not {format!r}")
        raise typer.Exit(EXIT_BAD_INPUT)
    if format == "xlsx" and out is None and sys.stdout.isatty():
        _err("--format xlsx writes a workbook: give --out FILE.xlsx (or redirect stdout)")
        raise typer.Exit(EXIT_BAD_INPUT)
    docs = dict(_parse_all([plan, report], parse_document))
    if docs.get(plan) is None or docs.get(report) is None:
        raise typer.Exit(EXIT_BAD_INPUT)
    if not isinstance(docs[report], Report):
        _err(f"{report}: not a government work report: REPORT must be the next year's work report")
        raise typer.Exit(EXIT_BAD_INPUT)
    result = evaluate_targets(docs[plan], docs[report])
    if format == "json":
        text = json.dumps(evaluation_to_dict(result), ensure_ascii=False, indent=2) + "\n"
        _write(text.encode("utf-8"), out)
    elif format == "xlsx":
        _write(evaluation_xlsx(result), out)
    else:
        _verdict_table(result, _console())


def _write(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.write_bytes(data)


def _verdict_table(result: Evaluation, console: Console) -> None:
    counts = Counter(v.verdict for v in result.verdicts)
    t = Table(
        title=f"{result.plan_year}年目标完成情况（依据{result.report_year}年政府工作报告）",
        caption="完成 {met} · 未完成 {not_met} · 无法判定 {unknown}".format(
            met=counts["met"], not_met=counts["not_met"], unknown=counts["unknown"]
        ),
    )
    for col in ("序号", "任务", "目标", "结果", "判定", "依据"):
        t.add_column(col)
    for i, v in enumerate(result.verdicts, 1):
        task = v.plan.task
        where = f"{task.part}-{task.section}-{task.number or ''}" if task else ""
        t.add_row(
            str(i),
            where,
            escape(v.plan.target.text),
            escape(v.result.text) if v.result else "",
            VERDICT_ZH[v.verdict],
            escape(v.why),
        )
    console.print(t)


@app.command()
def coverage(
    report: Annotated[Path, typer.Argument(help="a work report")],
    notice: Annotated[Path, typer.Argument(help="the breakdown notice of the same year")],
    format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
) -> None:
    """Each target of REPORT with the NOTICE task that assigns it; the targets left unassigned."""
    if format not in ("table", "json"):
        _err(f"--format must be table or json, not {format!r}")
        raise typer.Exit(EXIT_BAD_INPUT)
    docs = dict(_parse_all([report, notice], parse_document))
    if docs.get(report) is None or docs.get(notice) is None:
        raise typer.Exit(EXIT_BAD_INPUT)
    if not isinstance(docs[report], Report) or isinstance(docs[notice], Report):
        _err("coverage takes a work report first and then a breakdown notice")
        raise typer.Exit(EXIT_BAD_INPUT)
    c = target_coverage(docs[report], docs[notice])
    if format == "json":
        sys.stdout.write(json.dumps(coverage_to_dict(c), ensure_ascii=False, indent=2) + "\n")
        return
    t = Table(
        title=f"{c.year}年政府工作报告目标的责任分解", caption=f"unassigned: {len(c.unassigned)}"
    )
    for col in ("行", "目标", "任务", "牵头单位", "匹配"):
        t.add_column(col)
    for a in c.assignments:
        g = a.target.target
        if not a.tasks:
            t.add_row(str(a.target.line or ""), escape(g.text), "—", "", "unassigned")
        for ref, _target, leads, how in a.tasks:
            t.add_row(
                str(a.target.line or ""),
                escape(g.text),
                f"{ref.part}-{ref.section}-{ref.number or ''}",
                escape("、".join(leads)),
                how,
            )
    _console().print(t)


# -- luoshi units ------------------------------------------------------------------------------
units_app = typer.Typer(
    no_args_is_help=False,
    help="The unit registry, and units across notices: `units`, `units show`, `units diff`.",
)
app.add_typer(units_app, name="units")

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table or json")]


def _check_format(format: str) -> None:
    if format not in ("json", "table"):
        _err(f"--format must be json or table, not {format!r}")
        raise typer.Exit(EXIT_BAD_INPUT)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _years(unit: RegistryUnit) -> str:
    if unit.valid_from is None and unit.valid_to is None:
        return "—"
    return f"{unit.valid_from or ''}–{unit.valid_to or ''}"


def _links(unit: RegistryUnit, registry: Registry) -> str:
    def one(arrow: str, link: Link) -> str:
        when = f" {link.year}" if link.year else ""
        return f"{arrow} {registry.get(link.id).name}{when}{'?' if link.assumed else ''}"

    return "; ".join(
        [one("←", lk) for lk in unit.predecessors] + [one("→", lk) for lk in unit.successors]
    )


@units_app.callback(invoke_without_command=True)
def units(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="only the records that apply this year")
    ] = None,
    format: Annotated[
        str | None, typer.Option("--format", "-f", help="table or json  [default: table]")
    ] = None,
) -> None:
    """List the unit registry: id, name, kind, years, spellings, second names and links."""
    if ctx.invoked_subcommand is not None:
        if year is not None or format is not None:
            # `units --format json show …` would otherwise be a silent table
            _err(f"--year and --format go after `units {ctx.invoked_subcommand}`, not before")
            raise typer.Exit(EXIT_BAD_INPUT)
        return
    format = format or "table"
    _check_format(format)
    registry = default_registry()
    records = registry.units(year)
    if format == "json":
        _print_json([registry_unit_to_dict(u, registry) for u in records])
        return
    t = Table(title=f"unit registry{f' ({year})' if year else ''}: {len(records)} records")
    for col in ("id", "name", "kind", "years", "other spellings", "also", "links"):
        t.add_column(col)
    for u in records:
        t.add_row(
            u.id,
            escape(u.name),
            u.kind,
            _years(u),
            escape("、".join(s for s in u.spellings if s != u.name)),
            escape("、".join(u.also)),
            escape(_links(u, registry)),
        )
    console = _console()
    console.print(t)
    console.print("links: ← replaced, → replaced by, with the year; ? = assumed")


@units_app.command("show")
def units_show(
    name: Annotated[str, typer.Argument(help="the unit, under any of its names: 省发展改革委")],
    files: Files,
    format: FormatOption = "table",
) -> None:
    """Every task and livelihood item in the notices that the unit leads or joins."""
    _check_format(format)
    notices = [notice for _path, notice in _parse_all(files) if notice is not None]
    failed = len(notices) < len(files)
    try:
        tasks = find_unit_tasks(notices, name)
    except UnknownUnitError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if format == "json":
        _print_json([unit_task_to_dict(t) for t in tasks])
    else:
        _unit_tasks_table(name, tasks, _console())
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


def _unit_tasks_table(name: str, tasks: list[UnitTask], console: Console) -> None:
    t = Table(title=escape(f"{name}: {len(tasks)} tasks"))
    for col in ("year", "document", "part", "section", "no.", "role", "as written", "task"):
        t.add_column(col)
    for task in tasks:
        written = task.name_as_written + (f"（{'、'.join(task.also)}）" if task.also else "")
        text = task.text if len(task.text) <= 60 else task.text[:58] + "…"
        t.add_row(
            str(task.year or "—"),
            escape(Path(task.path).name),
            escape(f"{task.part} {task.part_title or task.part_kind}"),
            str(task.section),
            str(task.number or ""),
            task.role,
            escape(written),
            escape(text),
        )
    console.print(t)
    per_year: dict[int | None, list[int]] = {}
    for task in tasks:
        counts = per_year.setdefault(task.year, [0, 0])
        counts[0 if task.role == "lead" else 1] += 1
    console.print(
        f"{len(tasks)} tasks: "
        + " · ".join(f"{y or '—'} {a + b} (lead {a}, joins {b})" for y, (a, b) in per_year.items())
    )


@units_app.command("diff")
def units_diff(
    old: Annotated[Path, typer.Argument(help="the earlier notice")],
    new: Annotated[Path, typer.Argument(help="the later notice")],
    format: FormatOption = "table",
) -> None:
    """Units that appear, disappear or were renamed between two notices, and each one's load."""
    _check_format(format)
    notices = [notice for _path, notice in _parse_all([old, new])]
    if notices[0] is None or notices[1] is None:
        raise typer.Exit(EXIT_BAD_INPUT)
    diff = diff_notices(notices[0], notices[1])
    if format == "json":
        _print_json(unit_diff_to_dict(diff))
    else:
        _unit_diff_table(diff, _console())


def _unit_diff_table(diff: UnitDiff, console: Console) -> None:
    old, new = diff.old, diff.new
    for word, ref in (("old", old), ("new", new)):
        console.print(
            f"[bold]{word}[/bold] {ref.year or '—'} {escape(ref.document)} ({escape(ref.path)})"
        )
    for title, section in (("units", diff.units), ("groups", diff.groups)):
        console.rule(f"[bold]{title}")
        t = Table(title=f"renamed: {len(section.renamed)}")
        for col in ("old", "new", "year", "link"):
            t.add_column(col)
        for r in section.renamed:
            notes = ["assumed" if r.assumed else "stated"]
            if r.via:
                notes.append("via " + "、".join(r.via))
            if r.merged_with:
                notes.append("merged with " + "、".join(r.merged_with))
            if r.split_into:
                notes.append("also became " + "、".join(r.split_into))
            t.add_row(
                escape(r.old.written), escape(r.new.written), str(r.year or "—"), "; ".join(notes)
            )
        console.print(t)
        for word, found in (("appeared", section.appeared), ("disappeared", section.disappeared)):
            names = "、".join(u.written for u in found) or "—"
            console.print(f"{word} ({len(found)}): {escape(names)}")
        t = Table(title=f"load: tasks led and joined, old → new ({len(section.load)})")
        for col in ("unit", "led", "±", "joined", "±"):
            t.add_column(col, justify="left" if col == "unit" else "right")
        for c in section.load:
            name = c.name
            if c.old and {u.id for u in c.old} != {u.id for u in c.new}:
                # a rename or merger (a spelling change of one record keeps the new spelling)
                name = "、".join(u.written for u in c.old) + " → " + (c.name if c.new else "—")
            t.add_row(
                escape(name),
                f"{c.old_led} → {c.new_led}",
                _delta(c.new_led - c.old_led),
                f"{c.old_joined} → {c.new_joined}",
                _delta(c.new_joined - c.old_joined),
            )
        console.print(t)


def _delta(n: int) -> str:
    return f"{n:+d}" if n else ""


def main() -> None:  # pragma: no cover - the console script
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
