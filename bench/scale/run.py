"""Proof at scale: generate a country's worth of data, serve it with gunicorn on 127.0.0.1, load
it with a bounded closed-loop client, and capture the query plans behind the figures.

    .venv/bin/python bench/scale/run.py                         # PostgreSQL, 1,000,000 tasks
    .venv/bin/python bench/scale/run.py --db sqlite --tasks 100000

Everything lives in a temporary directory (the data directory, the SQLite file or the
PostgreSQL cluster of ``cluster.py``) that is removed at the end (``--keep`` keeps it and
prints where). Results: ``bench/scale/results/<db>-<tasks>.json`` and a Markdown table on stdout;
query plans: ``bench/scale/plans/<db>-<scenario>.txt``.

Scenarios (each: 5 s warm-up, then ``--duration`` seconds, at 1 client for the latency and at
``--clients`` clients for the rate):

=====================  =====================================================================
task-list-heavy        GET / as one of the 5 units with the most tasks (thousands)
task-list-typical      GET / as one of 20 units around the median
task-list-office       GET / as the office (every task)
overview               the supervision overview as the office, ``?doc=`` one of this year's
                       documents (when the app has one; else the ORM aggregation it needs,
                       timed in-process)
search                 the supervision search as the office (when the app has one), else the
                       task list's ?q= search
search-unit            the same as the unit with the most tasks
filing-api             a participant unit files a new report: ``POST /api/tasks/{id}/reports``
                       with a bearer token (when the REST API exists), each request a (task,
                       period) that has no report of that unit yet
filing-form            the same through the page's form (session + CSRF)
=====================  =====================================================================
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

import load  # noqa: E402
from cluster import Cluster, free_port  # noqa: E402

SEARCH_TERMS = [
    "数字经济",
    "乡村振兴",
    "营商环境",
    "专项债券",
    "共同富裕",
    "碳达峰",
    "高速公路",
    "养老服务",
]


def log(msg: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem),
        "python": platform.python_version(),
    }


# -- other work on the machine -----------------------------------------------------------------
def _ticks() -> tuple[int, dict[int, tuple[int, int]]]:
    """Busy CPU ticks of the machine, and (ppid, utime + stime) of every process."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    busy = sum(int(x) for i, x in enumerate(fields) if i not in (3, 4))  # idle, iowait
    procs = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            rest = stat.rsplit(")", 1)[1].split()
            procs[int(d.name)] = (int(rest[1]), int(rest[11]) + int(rest[12]))
    return busy, procs


def _mine(procs: dict, roots: set[int]) -> set[int]:
    mine = set(roots)
    changed = True
    while changed:
        changed = False
        for pid, (ppid, _) in procs.items():
            if ppid in mine and pid not in mine:
                mine.add(pid)
                changed = True
    return mine


class OtherLoad:
    """How many cores processes other than this benchmark (its server, its PostgreSQL) used
    while a scenario ran: the figures are only as good as the machine was quiet."""

    def __init__(self, roots: set[int]):
        self.roots = roots
        self.t0 = time.perf_counter()
        self.busy0, self.procs0 = _ticks()

    def cores(self, groups: dict[str, set[int]] | None = None) -> float:
        busy1, procs1 = _ticks()
        mine = _mine(procs1, self.roots)

        def used(pids) -> int:
            return sum(procs1[p][1] - self.procs0.get(p, (0, 0))[1] for p in pids if p in procs1)

        mine_ticks = used(mine)
        hz = os.sysconf("SC_CLK_TCK")
        seconds = time.perf_counter() - self.t0
        self.own_seconds = mine_ticks / hz
        self.split = {
            name: used(_mine(procs1, roots)) / hz for name, roots in (groups or {}).items()
        }
        return round(max(0, (busy1 - self.busy0) - mine_ticks) / hz / seconds, 2)


def postmaster_pid(cluster) -> int | None:
    try:
        return int((cluster.data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, AttributeError):
        return None


# -- the server -----------------------------------------------------------------------------------
def start_server(env: dict, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    cmd = [
        sys.executable, "-m", "gunicorn", "luoshi_web.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    if threads > 1:
        cmd += ["--threads", str(threads), "--worker-class", "gthread"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    import http.client

    for _ in range(300):
        time.sleep(0.2)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            continue
    proc.terminate()
    raise SystemExit("scale: gunicorn did not answer")


# -- what the clients do --------------------------------------------------------------------------
def session_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


CSRF = "".join(random.Random(1).choices(string.ascii_letters + string.digits, k=32))


def headers_for(user) -> dict:
    return {
        "Cookie": f"sessionid={session_for(user)}; csrftoken={CSRF}",
        "Host": "127.0.0.1",
        "Referer": "http://127.0.0.1/",
    }


def find_url(*words: str) -> str | None:
    """The path of the supervision app's URL ``words[0]`` (``supervision:overview``), else of a
    URL without arguments whose name contains each word."""
    from django.urls import NoReverseMatch, get_resolver, reverse

    try:
        return reverse(f"supervision:{words[0]}")
    except NoReverseMatch:
        pass

    names = sorted(
        n for n in get_resolver().reverse_dict if isinstance(n, str) and all(w in n for w in words)
    )
    for name in names:
        try:
            return reverse(name)
        except Exception:
            continue
    for ns, (_, resolver) in get_resolver().namespace_dict.items():
        for n in sorted(k for k in resolver.reverse_dict if isinstance(k, str)):
            if all(w in f"{ns}:{n}" for w in words):
                try:
                    return reverse(f"{ns}:{n}")
                except Exception:
                    continue
    return None


def prepare(seed: int) -> dict:
    """Users, sessions and request pools, from the generated database."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from luoshi_web.accounts.models import Profile
    from luoshi_web.documents.models import Assignment, Document, Target

    rng = random.Random(seed)
    User = get_user_model()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT unit_id, count(*) FROM documents_assignment WHERE unit_id IS NOT NULL "
            "AND NOT retired GROUP BY unit_id ORDER BY 2 DESC, 1"
        )
        counts = cur.fetchall()
    heavy = counts[:5]
    mid = len(counts) // 2
    typical = counts[mid - 10 : mid + 10]
    unit_users = {
        p.unit_id: p.user
        for p in Profile.objects.filter(unit_id__in=[u for u, _ in heavy + typical]).select_related(
            "user"
        )
    }
    office = User.objects.get(username="office")
    out = {
        "heavy": [(unit_users[u], n) for u, n in heavy],
        "typical": [(unit_users[u], n) for u, n in typical],
        "office": office,
        "office_headers": headers_for(office),
    }
    out["heavy_headers"] = [headers_for(u) for u, _ in out["heavy"]]
    out["typical_headers"] = [headers_for(u) for u, _ in out["typical"]]
    # the leader with the most tasks in the sections they lead (a provincial governor)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT s.leader_id, count(*) FROM documents_task t JOIN documents_section s "
            "ON s.id = t.section_id WHERE s.leader_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 "
            "LIMIT 1"
        )
        leader_id, leader_tasks = cur.fetchone()
    leader = Profile.objects.select_related("user").get(role="leader", leader_id=leader_id)
    out["leader"] = (leader.user, leader_tasks)
    out["leader_headers"] = [headers_for(leader.user)]

    # filing: participants of this year's documents, each (task, period) once
    year = Document.objects.order_by("-year").values_list("year", flat=True).first()
    rows = list(
        Assignment.objects.filter(
            task__section__part__document__year=year,
            role=Assignment.PARTICIPANT,
            unit__isnull=False,
            retired=False,
        )
        .order_by("id")
        .values_list("task_id", "unit_id", "task__section__part__document_id")[:200_000]
    )
    rng.shuffle(rows)
    rows = rows[:4000]
    units = sorted({u for _, u, _ in rows})
    profiles = {
        p.unit_id: p.user
        for p in Profile.objects.filter(unit_id__in=units, role="unit").select_related("user")
    }
    unit_headers = {u: headers_for(profiles[u]) for u in units}
    docs = {d for _, _, d in rows}
    from luoshi_web.tracking.models import Period

    periods = {}
    for pid, doc, label in Period.objects.filter(document_id__in=docs).values_list(
        "id", "document_id", "label"
    ):
        if not label.endswith(("-09", "-10")):  # the generator filed those for participants
            periods.setdefault(doc, []).append((pid, label))
    tokens = {}
    try:
        from luoshi_web.api.actions import issue_token
    except ImportError:
        issue_token = None
    if issue_token is not None:
        for u in units:
            tokens[u] = issue_token(profiles[u])[0]
    targets = {}
    for tid, task in Target.objects.filter(task_id__in={t for t, _, _ in rows}).values_list(
        "id", "task_id"
    ):
        targets.setdefault(task, []).append(tid)
    from luoshi_web.tracking.models import ProgressReport

    taken = set(  # filed by an earlier run on a kept database (--reuse)
        ProgressReport.objects.filter(task_id__in={t for t, _, _ in rows}).values_list(
            "task_id", "unit_id", "period_id"
        )
    )
    pool, api_pool = [], []
    for n, (task, unit, doc) in enumerate(rows):
        if tokens and n % 2:  # half of the pairs for the REST API
            for pid, label in periods[doc]:
                if (task, unit, pid) in taken:
                    continue
                values = {str(t): rng.randint(1, 100) for t in targets.get(task, [])}
                body = json.dumps(
                    {"period": label, "narrative": "本月按计划推进，完成阶段性工作。",
                     "percent": rng.randint(10, 90), "values": values,
                     "next_steps": "继续推进。", "version": 0, "submit": True},
                    ensure_ascii=False,
                ).encode()  # fmt: skip
                headers = {
                    "Host": "127.0.0.1",
                    "Authorization": f"Bearer {tokens[unit]}",
                    "Content-Type": "application/json",
                }
                api_pool.append(("POST", f"/api/tasks/{task}/reports", headers, body))
            continue
        for pid, _ in periods[doc]:
            if (task, unit, pid) in taken:
                continue
            fields = {
                "csrfmiddlewaretoken": CSRF,
                "narrative": "本月按计划推进，完成阶段性工作。",
                "percent": str(rng.randint(10, 90)),
                "problems": "",
                "support_needed": "",
                "next_steps": "继续推进。",
                "version": "0",
                "submit": "1",
            }
            for tid in targets.get(task, []):
                fields[f"target_{tid}"] = str(rng.randint(1, 100))
            body = urllib.parse.urlencode(fields).encode()
            headers = {
                **unit_headers[unit],
                "Content-Type": "application/x-www-form-urlencoded",
            }
            pool.append(("POST", f"/tasks/{task}/report/{pid}/", headers, body))
    rng.shuffle(pool)
    rng.shuffle(api_pool)
    out["filing_pool"] = pool
    out["api_pool"] = api_pool
    out["filing_units"] = len(units)
    out["current_documents"] = list(
        Document.objects.filter(year=year).order_by("id").values_list("id", flat=True)
    )
    out["overview_url"] = find_url("overview")
    out["search_url"] = find_url("search")
    return out


def scenarios(fx: dict) -> dict:
    """name → (make_request(thread) factory, description)."""
    rng = random.Random(5)

    def pages(headers_list):
        def make(_):
            headers = rng.choice(headers_list)
            page = 1 if rng.random() < 0.8 else rng.randint(2, 3)
            return load.Request("GET", "/" if page == 1 else f"/?page={page}", headers)

        return make

    def office_list(_):
        return load.Request("GET", "/", fx["office_headers"])

    def overview(_):
        doc = rng.choice(fx["current_documents"])
        return load.Request("GET", f"{fx['overview_url']}?doc={doc}", fx["office_headers"])

    def search(headers):
        def make(_):
            term = urllib.parse.quote(rng.choice(SEARCH_TERMS))
            base = fx["search_url"]
            path = f"{base}?q={term}" if base else f"/?q={term}"
            return load.Request("GET", path, headers)

        return make

    def popper(pool, expect):
        def make(_):
            try:
                method, path, headers, body = pool.pop()
            except IndexError:
                return None
            return load.Request(method, path, headers, body, expect=expect)

        return make

    out = {
        "task-list-heavy": (pages(fx["heavy_headers"]), "a unit's task list, units with the most tasks"),
        "task-list-typical": (pages(fx["typical_headers"]), "a unit's task list, units around the median"),
        "task-list-leader": (
            pages(fx["leader_headers"]),
            "a leader's task list, the leader of the most tasks",
        ),
        "task-list-office": (office_list, "the office's task list (every task)"),
    }  # fmt: skip
    if fx["overview_url"]:
        out["overview"] = (
            overview,
            f"the office overview ({fx['overview_url']}?doc=), one of this year's documents",
        )
    out["search"] = (
        search(fx["office_headers"]),
        f"search as the office ({fx['search_url'] or '/?q='}), {len(SEARCH_TERMS)} terms",
    )
    out["search-unit"] = (
        search(fx["heavy_headers"][0]),
        "the same search as the unit with the most tasks",
    )
    if fx["api_pool"]:
        tokens = [headers for _, _, headers, _ in fx["api_pool"][:200]]

        def me(_):
            return load.Request("GET", "/api/me", rng.choice(tokens))

        out["api-me"] = (me, "the floor: GET /api/me, a bearer token and nothing else")
        out["filing-api"] = (
            popper(fx["api_pool"], (201,)),
            "a participant files a new monthly report: POST /api/tasks/{id}/reports, bearer token",
        )
    out["filing-form"] = (
        popper(fx["filing_pool"], (302,)),
        "a participant files a new monthly report: the page's form (session + CSRF)",
    )
    return out


# -- query plans ----------------------------------------------------------------------------------
def capture_plans(fx: dict, scenario_list: dict, vendor: str, out_dir: Path) -> dict:
    """Run one request of each scenario in-process, keep its SQL with the time of each query, and
    EXPLAIN (ANALYZE, BUFFERS) the slowest SELECTs. Returns per scenario: queries, total ms,
    and the slowest query's plan summary."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out_dir.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name, (make, _) in scenario_list.items():
        req = make(0)
        if req is None:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        cookie = dict(
            part.strip().split("=", 1)
            for part in req.headers.get("Cookie", "").split(";")
            if "=" in part
        )
        for k, v in cookie.items():
            client.cookies[k] = v
        client.get("/login/")  # warm the process
        with transaction.atomic():
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                extra = {}
                if "Authorization" in req.headers:
                    extra["HTTP_AUTHORIZATION"] = req.headers["Authorization"]
                if req.method == "GET":
                    response = client.get(req.path, **extra)
                else:
                    response = client.post(
                        req.path,
                        data=req.body,
                        content_type=req.headers["Content-Type"],
                        **extra,
                    )
                total = (time.perf_counter() - t0) * 1000
            queries = [(float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries]
            lines = [
                f"# {name}: {req.method} {req.path} → {response.status_code}",
                f"# {len(queries)} queries, {sum(t for t, _ in queries):.1f} ms in the database, "
                f"{total:.1f} ms in all (in-process, one request, query times as Django "
                "records them: whole milliseconds)",
                "",
            ]
            slowest = sorted(
                (q for q in queries if q[1].lstrip().upper().startswith("SELECT")),
                key=lambda q: -q[0],
            )[:3]
            for t, sql in slowest:
                with connection.cursor() as cur:
                    if vendor == "postgresql":
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    else:
                        cur.execute("EXPLAIN QUERY PLAN " + sql)
                    plan = "\n".join(" | ".join(str(c) for c in row) for row in cur.fetchall())
                lines += [f"-- plan of a {t:.0f} ms query:", sql[:3000], "", plan, ""]
            lines.append("-- every query, in order (the first 60):")
            for t, sql in queries[:60]:
                lines.append(f"-- {t:5.0f} ms  {sql[:300]}")
            if len(queries) > 60:
                rest = queries[60:]
                lines.append(
                    f"-- … {len(rest)} more, {sum(t for t, _ in rest):.0f} ms: "
                    + "; ".join(sorted({sql[:60] for _, sql in rest})[:5])
                )
            transaction.set_rollback(True)  # the filing request leaves no report behind
        text = "\n".join(lines)
        if len(text) > 48_000:
            text = text[:48_000] + "\n… (cut at 48 KB)\n"
        (out_dir / f"{vendor}-{name}.txt").write_text(text)
        summary[name] = {
            "queries": len(queries),
            "db_ms": round(sum(t for t, _ in queries), 1),
            "status": response.status_code,
        }
    return summary


def orm_overview(vendor: str) -> dict:
    """The aggregation an office overview needs, timed in-process (until the supervision app
    has a page to load): light counts overall, by leader and by lead unit for one document."""
    from django.db.models import Count

    from luoshi_web.documents.models import Assignment, Document, Task

    doc = Document.objects.order_by("-year", "-id").first()
    queries = {
        "lights overall": lambda: list(Task.objects.values("light").annotate(n=Count("id"))),
        "lights by document (all)": lambda: list(
            Task.objects.values("section__part__document", "light").annotate(n=Count("id"))
        ),
        "lights by leader, one document": lambda: list(
            Task.objects.filter(section__part__document=doc)
            .values("section__leader", "light")
            .annotate(n=Count("id"))
        ),
        "lights by lead unit, one document": lambda: list(
            Assignment.objects.filter(task__section__part__document=doc, role="lead")
            .values("unit", "task__light")
            .annotate(n=Count("id"))
        ),
    }
    out = {}
    for name, fn in queries.items():
        fn()
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = round(sorted(times)[len(times) // 2], 1)
    return out


# -- the run --------------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--tasks", type=int, default=None)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    # as `luoshi-web serve` runs it: one worker a core (4 on 2 cores cost a third more CPU a
    # filing — each request found a process whose caches another had cooled)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--keep", action="store_true", help="keep the database and print where")
    parser.add_argument("--reuse", default="", help="a directory --keep left: skip generating")
    args = parser.parse_args(argv)
    tasks = args.tasks or (1_000_000 if args.db == "postgres" else 100_000)

    base = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="luoshi-scale-"))
    env = {
        **os.environ,
        "LUOSHI_DATA_DIR": str(base / "data"),
        "SECRET_KEY": "scale-benchmark-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "luoshi_web.settings",
    }
    env.pop("LUOSHI_DEBUG", None)
    env.pop("DATABASE_URL", None)
    cluster = None
    server = None
    result = {"db": args.db, "tasks": tasks, "machine": machine()}
    try:
        if args.db == "postgres":
            if args.reuse:
                state = json.loads((base / "cluster.json").read_text())
                cluster = Cluster.__new__(Cluster)
                cluster.__dict__.update(
                    bin=Path(state["bin"]), work=Path(state["work"]),
                    data=Path(state["work"]) / "data", port=state["port"],
                    as_root=os.geteuid() == 0,
                )  # fmt: skip
                cluster._run(cluster.bin / "pg_ctl", "-D", cluster.data, "-l", cluster.work / "server.log", "-w", "start", stdout=subprocess.DEVNULL)  # fmt: skip
            else:
                cluster = Cluster(base)
                cluster.start()
                (base / "cluster.json").write_text(
                    json.dumps({"bin": str(cluster.bin), "work": str(cluster.work), "port": cluster.port})
                )  # fmt: skip
            env["DATABASE_URL"] = cluster.url
            result["postgres"] = cluster.version()
        if not args.reuse:
            log(f"generating {tasks:,} tasks into {args.db} under {base}")
            gen = subprocess.run(
                [sys.executable, str(HERE / "generate.py"), "--tasks", str(tasks)],
                env=env, cwd=ROOT, check=True, capture_output=True, text=True,
            )  # fmt: skip
            result["load"] = json.loads(gen.stdout.strip().splitlines()[-1])
            (base / "load.json").write_text(json.dumps(result["load"]))
            log(f"loaded in {result['load']['total_load_s']} s: {result['load']['database_bytes'] / 2**30:.2f} GiB")  # fmt: skip
        else:
            result["load"] = json.loads((base / "load.json").read_text())
        if cluster is not None:
            cluster.durable()
            log("fsync on, checkpoint taken")

        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        fx = prepare(seed=11)
        result["users"] = {
            "heavy_units_tasks": [n for _, n in fx["heavy"]],
            "typical_units_tasks": [n for _, n in fx["typical"]],
            "leader_tasks": fx["leader"][1],
            "filing_units": fx["filing_units"],
            "filing_pool": len(fx["filing_pool"]),
            "api_pool": len(fx["api_pool"]),
        }
        all_scenarios = scenarios(fx)
        wanted = [s for s in args.only.split(",") if s] or list(all_scenarios)
        chosen = {k: v for k, v in all_scenarios.items() if k in wanted}
        if not fx["overview_url"]:
            result["orm_overview_ms"] = orm_overview(connection.vendor)
            log(f"ORM overview aggregation: {result['orm_overview_ms']}")
        connection.close()

        server, port = start_server(env, args.workers, args.threads)
        result["server"] = {"workers": args.workers, "threads": args.threads}
        log(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}")
        result["scenarios"] = {}
        for name, (make, what) in chosen.items():
            for clients in (1, args.clients):
                roots = {os.getpid()} | ({postmaster_pid(cluster)} if cluster else set())
                other = OtherLoad(roots)
                r = load.run(
                    "127.0.0.1", port, make, concurrency=clients,
                    duration=args.duration, warmup=args.warmup,
                )  # fmt: skip
                r["what"] = what
                # other processes on the machine (a test run…) take cores from the server
                groups = {"server": {server.pid}, "client": {os.getpid()}}
                if cluster is not None:
                    groups["database"] = {postmaster_pid(cluster)}
                r["other_cores"] = other.cores(groups)
                # the CPU was counted over the warm-up and the window: shared by every request
                # answered in both (the window's alone made it a quarter too high)
                answered = r["answered"]
                if answered:
                    # the client process's own threads only (its children are the server)
                    client = other.split["client"] - other.split["server"]
                    r["cpu_ms_split"] = {
                        "server": round(other.split["server"] * 1000 / answered, 1),
                        "database": round(other.split.get("database", 0) * 1000 / answered, 1),
                        "client": round(client * 1000 / answered, 1),
                    }
                # the CPU of the server, the database and this client per request: 2 cores
                # serve at most about 2,000 / cpu_ms requests a second (the kernel's part of
                # the connections is not counted)
                r["cpu_ms_per_request"] = (
                    round(other.own_seconds * 1000 / answered, 1) if answered else None
                )
                result["scenarios"][f"{name}@{clients}"] = r
                log(f"{name} × {clients}: p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
                    f"{r['rps']} req/s, errors {r['errors']} {r['first_errors'][:1]}, "
                    f"other processes {r['other_cores']} cores")  # fmt: skip
        server.terminate()
        server.wait(30)
        server = None
        log("capturing query plans")
        result["plans"] = capture_plans(fx, chosen, connection.vendor, HERE / "plans")
        connection.close()
    finally:
        if server is not None:
            server.terminate()
        if args.keep:
            if cluster is not None:
                cluster._run(cluster.bin / "pg_ctl", "-D", cluster.data, "-m", "fast", "-w", "stop", stdout=subprocess.DEVNULL)  # fmt: skip
            log(f"kept: {base} (rerun with --reuse {base})")
        else:
            if cluster is not None:
                cluster.stop()
            shutil.rmtree(base, ignore_errors=True)
    out = HERE / "results" / f"{args.db}-{tasks}.json"
    out.parent.mkdir(exist_ok=True)
    if args.only and out.exists():  # a partial run updates the scenarios it ran
        earlier = json.loads(out.read_text())
        for key in ("scenarios", "plans"):
            result[key] = {**earlier.get(key, {}), **result.get(key, {})}
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n")
    print(table(result))
    return 0


def table(result: dict) -> str:
    lines = [
        f"{result['db']} · {result['tasks']:,} tasks · load {result['load']['total_load_s']} s · "
        f"{result['load']['database_bytes'] / 2**30:.2f} GiB",
        "",
        "| scenario | clients | p50 | p95 | p99 | req/s | CPU ms/req | errors | other load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, r in result.get("scenarios", {}).items():
        name, clients = key.rsplit("@", 1)
        lines.append(
            f"| {name} | {clients} | {r['p50_ms']} ms | {r['p95_ms']} ms | {r['p99_ms']} ms "
            f"| {r['rps']} | {r.get('cpu_ms_per_request')} | {r['errors']} "
            f"| {r.get('other_cores')} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
