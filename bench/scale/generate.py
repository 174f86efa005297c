"""A country's worth of synthetic notices, tasks and reports, loaded straight into luoshi's tables.

    .venv/bin/python bench/scale/generate.py --tasks 1000000          # DATABASE_URL: PostgreSQL
    .venv/bin/python bench/scale/generate.py --tasks 100000           # no DATABASE_URL: SQLite

The shape copies the bundled sample notices (src/luoshi/samples): each issuer (31 provinces and
269 cities, interleaved so that any prefix mixes both) publishes one notice a year for ten years
(2017–2026); a notice has a key-tasks part with 7–9 leader sections and a livelihood part with
ten category sections; a task's text is two to four sentences taken from the real tasks; its
targets are real parsed targets (on ~40 % of tasks); its units (1–25, the first leads) are drawn
from the issuer's ~90–140 units with the frequency skew the sample notices show (发展改革委 and
财政厅 on a third of the tasks, so a province's 发展改革委 is on thousands of tasks across ten
years). Each document has twelve monthly periods; each task has twelve reports by its lead unit
(participants file September and October of this year, nine in ten of them; the rest of
their reports are what the filing benchmark writes), and tasks
with partners a consolidation at mid-year and year end with the office's review. Status and
light are drawn (not computed by the rules) so that the overview has realistic counts.

Everything derives from ``--seed``: the same arguments give the same rows. Ids are assigned
here; sequences are set afterwards. PostgreSQL: ``migrate``, then the foreign keys, unique
constraints and secondary indexes of the loaded tables are dropped, every table is filled by
its own ``COPY … FROM STDIN`` (psycopg 3, concurrently), the constraints and indexes are made
again (which validates the data), sequences are set and the tables VACUUM ANALYZEd. SQLite:
``migrate``, then executemany in one transaction with foreign keys checked at the end.

Users: ``office``, ``leader-<id>`` for each leader, ``unit-<registry id>`` for each unit, all with
the password ``bench-password`` (one PBKDF2 hash computed once and reused). History tables
(django-simple-history) are left empty. Prints one JSON line of counts and timings at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import json
import os
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

YEARS = list(range(2017, 2027))
TASKS_PER_NOTICE = 333  # 3,000 notices for 1,000,000 tasks
PASSWORD = "bench-password"

PROVINCES = [
    ("北京市", "京"), ("天津市", "津"), ("河北省", "冀"), ("山西省", "晋"), ("内蒙古自治区", "蒙"),
    ("辽宁省", "辽"), ("吉林省", "吉"), ("黑龙江省", "黑"), ("上海市", "沪"), ("江苏省", "苏"),
    ("浙江省", "浙"), ("安徽省", "皖"), ("福建省", "闽"), ("江西省", "赣"), ("山东省", "鲁"),
    ("河南省", "豫"), ("湖北省", "鄂"), ("湖南省", "湘"), ("广东省", "粤"), ("广西壮族自治区", "桂"),
    ("海南省", "琼"), ("重庆市", "渝"), ("四川省", "川"), ("贵州省", "黔"), ("云南省", "云"),
    ("西藏自治区", "藏"), ("陕西省", "陕"), ("甘肃省", "甘"), ("青海省", "青"),
    ("宁夏回族自治区", "宁"), ("新疆维吾尔自治区", "新"),
]  # fmt: skip
PLACE_CHARS = "安宁平阳江山德兴昌华南东庆泉源丰林河海清长新武金云台荆襄岳衡韶梅汕湛茂肇潮揭"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
LIVELIHOOD = [
    "医疗卫生方面", "教育助学方面", "养老帮困方面", "关爱儿童方面", "就业创业方面",
    "城乡宜居方面", "交通出行方面", "文化体育方面", "暖心服务方面", "除险保安方面",
]  # fmt: skip
COLLECTIVE = "各市、县（市、区）政府"


# -- the template: what the sample notices say -----------------------------------------------
class Template:
    """Sentences, targets and unit frequencies read from the bundled sample notices."""

    def __init__(self):
        import luoshi
        from luoshi import default_registry, parse_notice

        samples = Path(luoshi.__file__).parent / "samples"
        sentences, targets, freq = [], [], Counter()
        for path in sorted(samples.glob("*-notice*")):
            notice = parse_notice(path)
            for part in notice.parts:
                for section in part.sections:
                    for task in section.tasks:
                        for piece in task.text.replace("；", "。").split("。"):
                            piece = clean(piece)
                            if 8 <= len(piece) <= 90:
                                sentences.append(piece)
                        targets.extend(task.targets)
                        for unit in task.units:
                            if unit.unit_id:
                                freq[unit.unit_id] += 1
        self.sentences = sorted(set(sentences))
        self.targets = [
            t for t in targets if t.value is not None and not isinstance(t.value, tuple | list)
        ] + [t for t in targets if isinstance(t.value, tuple | list)]
        registry = default_registry()
        provincial = [
            u for u in registry.units(2024) if u.name.startswith("省") and len(u.name) > 2
        ]
        # the most frequent in the samples first: the skew of the real notices
        provincial.sort(key=lambda u: (-freq[u.id], u.id))
        self.unit_bases = [(u.id.removeprefix("zj-"), u.name[1:], u.kind or "") for u in provincial]


def clean(text: str) -> str:
    return " ".join(text.replace("\\", "").replace("\t", " ").split()).strip("，、 ")


# -- the sinks: PostgreSQL COPY or SQLite executemany ---------------------------------------------
TABLES = {
    "auth_user": "id password last_login is_superuser username first_name last_name email is_staff is_active date_joined",
    "documents_unit": "id registry_id name full_name kind valid_from valid_to",
    "documents_leader": "id region name title also_names",
    "accounts_profile": "id user_id role unit_id leader_id",
    "documents_document": "id title doc_number issuer year signed_on printed_on source_file original_name sha256 media_type parser_version period_kind imported_at imported_by_id reparsed_at",
    "documents_part": "id document_id index kind title period_start period_end line",
    "documents_section": "id part_id index ordinal heading leader_id leader_title category line",
    "documents_task": "id section_id index number text line deadlines deadline_text status light light_reason retired search_text",
    "documents_task_leaders": "id task_id leader_id",
    "documents_assignment": "id task_id index unit_id name_as_written also kind role canonical retired",
    "documents_target": "id task_id index text indicator op value value_high unit by measure hedge retired",
    "tracking_period": "id document_id label start end deadline",
    "tracking_progressreport": "id task_id unit_id period_id narrative percent problems support_needed next_steps state version submitted_at submitted_by_id return_reason updated_at updated_by_id",
    "tracking_consolidation": "id task_id period_id lead_unit_id narrative percent problems support_needed next_steps state version submitted_at submitted_by_id return_reason extended_deadline updated_at updated_by_id",
    "tracking_consolidation_includes": "id consolidation_id progressreport_id",
    "tracking_review": "id consolidation_id decision reason new_deadline by_id at",
}  # fmt: skip
TABLES = {name: cols.split() for name, cols in TABLES.items()}
# The supervision app's search index (one row of tokens per task), when the app is installed:
# the app indexes tasks when they are saved, and a load that bypasses the ORM writes the rows
# itself: tokens and the document's year. On PostgreSQL the database generates the column
# ``vector`` from the tokens during the COPY (supervision migration 0003; not in the model).
SEARCH_TABLE = "supervision_tasksearch"


def optional_tables() -> None:
    from django.apps import apps

    if apps.is_installed("luoshi_web.supervision"):
        TABLES[SEARCH_TABLE] = ["task_id", "tokens", "year"]


def check_columns():
    """Every NOT NULL column of the loaded tables is written (a migration that adds one fails
    here, not half-way through a load)."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table not in TABLES:
            continue
        have = {f.column for f in model._meta.concrete_fields}
        written = set(TABLES[table])
        missing = {f.column for f in model._meta.concrete_fields if not f.null} - written
        unknown = written - have
        if missing or unknown:
            raise SystemExit(f"generate: {table}: columns not written {missing}, unknown {unknown}")


class PostgresSink:
    """One connection and one open COPY per table, fed in chunks."""

    CHUNK = 1 << 20

    def __init__(self, url: str):
        import psycopg

        self.stack = contextlib.ExitStack()
        self.conns, self.copies, self.buffers, self.sizes = {}, {}, {}, {}
        self.counts = Counter()
        for table, cols in TABLES.items():
            conn = psycopg.connect(url, autocommit=False)
            conn.execute("SET synchronous_commit = off")
            conn.execute("SET TIME ZONE 'UTC'")
            cur = conn.cursor()
            quoted = ", ".join(f'"{c}"' for c in cols)
            self.copies[table] = self.stack.enter_context(
                cur.copy(f"COPY {table} ({quoted}) FROM STDIN")
            )
            self.conns[table] = conn
            self.buffers[table] = []
            self.sizes[table] = 0

    def add(self, table: str, row: tuple) -> None:
        line = "\t".join(
            "\\N" if v is None else ("t" if v is True else "f" if v is False else str(v))
            for v in row
        )
        buf = self.buffers[table]
        buf.append(line)
        self.counts[table] += 1
        if len(buf) >= 20000:
            self.flush(table)

    def flush(self, table: str) -> None:
        buf = self.buffers[table]
        if buf:
            self.copies[table].write("\n".join(buf) + "\n")
            buf.clear()

    def close(self) -> None:
        for table in TABLES:
            self.flush(table)
        self.stack.close()  # ends every COPY
        for conn in self.conns.values():
            conn.commit()
            conn.close()


class SqliteSink:
    def __init__(self, path):
        import sqlite3

        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = OFF")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA cache_size = -1000000")
        self.db.execute("BEGIN")
        self.buffers = {t: [] for t in TABLES}
        self.sql = {
            t: f"INSERT INTO {t} ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})"
            for t, cols in TABLES.items()
        }
        self.counts = Counter()

    def add(self, table: str, row: tuple) -> None:
        buf = self.buffers[table]
        buf.append(row)
        self.counts[table] += 1
        if len(buf) >= 50000:
            self.flush(table)

    def flush(self, table: str) -> None:
        if self.buffers[table]:
            self.db.executemany(self.sql[table], self.buffers[table])
            self.buffers[table].clear()

    def close(self) -> None:
        for table in TABLES:
            self.flush(table)
        self.db.execute("COMMIT")
        bad = self.db.execute("PRAGMA foreign_key_check").fetchmany(5)
        if bad:
            raise SystemExit(f"generate: foreign keys broken: {bad}")
        self.db.execute("ANALYZE")
        self.db.close()


# -- PostgreSQL: constraints off during the load, on again after ----------------------------------
def pg_drop_constraints(conn) -> list[str]:
    """Drop the FKs, unique constraints and secondary indexes of the loaded tables; return the
    DDL that makes them again (indexes, then uniques, then foreign keys)."""
    tables = list(TABLES)
    indexes = conn.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s) AND NOT x.indisprimary AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid
            AND c.contype IN ('p', 'u', 'x'))
        """,
        [tables],
    ).fetchall()
    constraints = conn.execute(
        """
        SELECT t.relname, c.conname, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        WHERE t.relname = ANY(%s) AND c.contype IN ('f', 'u') ORDER BY c.contype DESC
        """,
        [tables],
    ).fetchall()
    redo = [sql for _, sql in indexes]
    for table, name, definition, _ in constraints:
        redo.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for table, name, _, _kind in sorted(constraints, key=lambda c: c[3] != "f"):
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.commit()
    return redo


def pg_finish(conn, redo: list[str]) -> None:
    conn.execute("SET maintenance_work_mem = '2GB'")
    for sql in redo:
        conn.execute(sql)
        conn.commit()
    for table, cols in TABLES.items():
        if "id" not in cols:
            continue
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
        )
    conn.commit()
    conn.autocommit = True
    for table in TABLES:
        conn.execute(f"VACUUM (ANALYZE) {table}")
    conn.autocommit = False


# -- the data -----------------------------------------------------------------------------------
def issuers(count: int) -> list[tuple[str, str, str, bool]]:
    """(name, short name for doc numbers, region prefix of unit names, is_province); one province
    in ten, so that any prefix mixes provinces and cities."""
    rng = random.Random(7)
    cities, seen = [], {p for p, _ in PROVINCES}
    while len(cities) < 300:
        name = rng.choice(PLACE_CHARS) + rng.choice(PLACE_CHARS) + "市"
        if name[0] != name[1] and name not in seen:
            seen.add(name)
            cities.append(name)
    out, p, c = [], 0, 0
    for i in range(count):
        if i % 10 == 0 and p < len(PROVINCES):
            name, abbr = PROVINCES[p]
            p += 1
            out.append((name, abbr, name, True))
        else:
            name = cities[c]
            c += 1
            out.append((name, name[:2], name, False))
    return out


def split(total: int, parts: int, rng: random.Random, low: float, high: float) -> list[int]:
    """``total`` split into ``parts`` counts, each drawn between low and high of the mean."""
    weights = [rng.uniform(low, high) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [max(1, int(w * scale)) for w in weights]
    counts[-1] += total - sum(counts)
    return counts


UNITS_PER_TASK = [1] * 15 + [2] * 20 + [3] * 18 + [4] * 13 + [5] * 10 + [6] * 6 + [7] * 4 + [8] * 3 + [9] * 3 + list(range(10, 26))  # fmt: skip


def generate(sink, n_tasks: int, seed: int, today: date, pw_hash: str) -> dict:
    tpl = Template()
    tokenize = None
    if SEARCH_TABLE in TABLES:
        from luoshi_web.supervision.search import tokenize
    rng = random.Random(seed)
    n_notices = max(10, round(n_tasks / TASKS_PER_NOTICE / len(YEARS)) * len(YEARS))
    n_issuers = n_notices // len(YEARS)
    regions = issuers(n_issuers)
    per_notice = split(n_tasks, n_notices, rng, 0.45, 1.55)
    sentences = tpl.sentences
    narratives = [
        f"{rng.choice(sentences)}，已{rng.choice(['完成', '推进', '落实'])}{rng.choice(sentences)}"
        for _ in range(2000)
    ]
    joined = "2017-01-02 00:00:00"

    # users first: office, then leaders and units as they are made
    next_id = Counter()

    def new_id(table):
        next_id[table] += 1
        return next_id[table]

    office = new_id("auth_user")
    sink.add(
        "auth_user", (office, pw_hash, None, False, "office", "督查室", "", "", False, True, joined)
    )
    sink.add("accounts_profile", (new_id("accounts_profile"), office, "office", None, None))

    # units and leaders per issuer
    region_units, region_leaders, unit_user = [], [], {}
    for r_index, (name, _, prefix, is_province) in enumerate(regions):
        count = min(len(tpl.unit_bases), 140 if is_province else 90)
        written_prefix = prefix[-1] if prefix[-1] in "省市" else "区"
        units = []
        for slug, base, kind in tpl.unit_bases[:count]:
            uid = new_id("documents_unit")
            registry_id = f"r{r_index:03d}-{slug}"
            sink.add(
                "documents_unit", (uid, registry_id, prefix + base, prefix + base, kind, None, None)
            )
            user = new_id("auth_user")
            sink.add(
                "auth_user",
                (
                    user,
                    pw_hash,
                    None,
                    False,
                    f"unit-{registry_id}",
                    (prefix + base)[:150],
                    "",
                    "",
                    False,
                    True,
                    joined,
                ),
            )
            sink.add("accounts_profile", (new_id("accounts_profile"), user, "unit", uid, None))
            unit_user[uid] = user
            units.append((uid, written_prefix + base, prefix + base))
        weights = list(itertools.accumulate(1 / (i + 1) ** 0.9 for i in range(len(units))))
        region_units.append((units, weights))
        terms, taken = {}, set()
        for term in (0, 1):  # a government's term: 2017–2021, 2022–2026
            leaders = []
            for k in range(9):
                while True:
                    lname = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
                    if lname not in taken:
                        taken.add(lname)
                        break
                title = (
                    "省长"
                    if k == 0 and is_province
                    else "市长"
                    if k == 0
                    else "常务副省长"
                    if k == 1 and is_province
                    else "常务副市长"
                    if k == 1
                    else "副省长"
                    if is_province
                    else "副市长"
                )
                lid = new_id("documents_leader")
                sink.add("documents_leader", (lid, name, lname, title, "[]"))
                user = new_id("auth_user")
                sink.add(
                    "auth_user",
                    (
                        user,
                        pw_hash,
                        None,
                        False,
                        f"leader-{lid}",
                        lname,
                        "",
                        "",
                        False,
                        True,
                        joined,
                    ),
                )
                sink.add(
                    "accounts_profile", (new_id("accounts_profile"), user, "leader", None, lid)
                )
                leaders.append((lid, lname, title))
            terms[term] = leaders
        region_leaders.append(terms)

    # notices
    notice_no = 0
    counts = Counter()
    for r_index, (name, abbr, _, is_province) in enumerate(regions):
        units, weights = region_units[r_index]
        for year in YEARS:
            n = per_notice[notice_no]
            notice_no += 1
            leaders = region_leaders[r_index][0 if year <= 2021 else 1]
            doc = new_id("documents_document")
            number = rng.randint(1, 60)
            title = f"{name}人民政府办公{'厅' if is_province else '室'}关于印发{year}年政府工作报告重点工作责任分解的通知"
            sha = hashlib.sha256(f"{seed}:{doc}".encode()).hexdigest()
            signed = date(year, 2, rng.randint(1, 28)).isoformat()
            sink.add(
                "documents_document",
                (
                    doc,
                    title,
                    f"{abbr}政办发〔{year}〕{number}号",
                    f"{name}人民政府办公{'厅' if is_province else '室'}",
                    year,
                    signed,
                    signed,
                    f"documents/bench/{sha[:16]}.txt",
                    f"{year}年重点工作责任分解.txt",
                    sha,
                    "text/plain",
                    "bench",
                    "monthly",
                    f"{signed} 02:00:00",
                    None,
                    None,
                ),
            )
            periods = []
            for m in range(1, 13):
                pid = new_id("tracking_period")
                end = date(year, m, 28) + timedelta(days=4)
                end = end - timedelta(days=end.day)
                deadline = date(year + (m == 12), 1 if m == 12 else m + 1, 5)
                sink.add(
                    "tracking_period",
                    (
                        pid,
                        doc,
                        f"{year}-{m:02d}",
                        date(year, m, 1).isoformat(),
                        end.isoformat(),
                        deadline.isoformat(),
                    ),
                )
                periods.append((pid, m, deadline))
            per_item_leader = rng.random() < 0.2
            # parts and sections
            key = new_id("documents_part")
            sink.add(
                "documents_part", (key, doc, 0, "key_tasks", f"{year}年重点工作", year, year, 10)
            )
            live = new_id("documents_part")
            sink.add(
                "documents_part", (live, doc, 1, "livelihood", f"{year}年民生实事", year, year, 900)
            )
            n_live = min(n - 7, rng.randint(10, 25))
            n_sections = rng.randint(7, 9)
            sections = []
            for s in range(n_sections):
                sid = new_id("documents_section")
                lid, lname, ltitle = leaders[s]
                sink.add(
                    "documents_section",
                    (
                        sid,
                        key,
                        s,
                        s + 1,
                        f"{lname}{ltitle}牵头重点工作",
                        lid,
                        ltitle,
                        "",
                        12 + s * 50,
                    ),
                )
                sections.append((sid, lid, lname))
            live_sections = []
            for s, category in enumerate(LIVELIHOOD):
                sid = new_id("documents_section")
                sink.add(
                    "documents_section", (sid, live, s, s + 1, "", None, "", category, 900 + s * 10)
                )
                live_sections.append((sid, None, ""))
            key_counts = split(n - n_live, n_sections, rng, 0.3, 1.7)
            live_counts = split(n_live, len(LIVELIHOOD), rng, 0.5, 1.5)
            plan = [(sections[i], c) for i, c in enumerate(key_counts)] + [
                (live_sections[i], c) for i, c in enumerate(live_counts)
            ]
            number_in_part = 0
            line = 20
            current = year == today.year
            for s_i, ((sid, lid, lname), count) in enumerate(plan):
                if s_i == n_sections:
                    number_in_part = 0
                for t_index in range(count):
                    number_in_part += 1
                    line += rng.randint(1, 4)
                    task = new_id("documents_task")
                    text = "。".join(rng.sample(sentences, rng.randint(2, 4))) + "。"
                    k = rng.choice(UNITS_PER_TASK)
                    picked, seen = [], set()
                    while len(picked) < min(k, len(units)):
                        for u in rng.choices(units, cum_weights=weights, k=k):
                            if u[0] not in seen:
                                seen.add(u[0])
                                picked.append(u)
                    picked = picked[:k]
                    collective = rng.random() < 0.1
                    # status and light: drawn, with the shares the rules give in a typical year
                    x = rng.random()
                    if current:
                        status, light, reason = (
                            ("推进中", "green", "按时报送") if x < 0.65
                            else ("推进中", "yellow", "10月进展逾期报送") if x < 0.85
                            else ("滞后", "red", "10月进展逾期未报送")
                        )  # fmt: skip
                    else:
                        status, light, reason = (
                            ("已完成", "green", "已完成") if x < 0.8
                            else ("推进中", "yellow", "进度85%，落后时序进度（100%）") if x < 0.92
                            else ("滞后", "red", "进度60%，落后时序进度（100%）")
                        )  # fmt: skip
                    names = [u[1] for u in picked] + ([COLLECTIVE] if collective else [])
                    search = " ".join(
                        [text, *([lname] if per_item_leader and lname else []), *names]
                    )
                    sink.add(
                        "documents_task",
                        (
                            task,
                            sid,
                            t_index,
                            number_in_part,
                            text,
                            line,
                            "[]",
                            "",
                            status,
                            light,
                            reason,
                            False,
                            search,
                        ),
                    )
                    if tokenize is not None:
                        # supervision.search.searchable_text: the task's search text, the part's
                        # title (民生实事 for livelihood), the section's leader and category
                        extra = (
                            [f"{year}年重点工作", lname]
                            if s_i < n_sections
                            else [f"{year}年民生实事", "民生实事", LIVELIHOOD[s_i - n_sections]]
                        )
                        tokens = " ".join(tokenize(" ".join([search, *extra])))
                        sink.add(SEARCH_TABLE, (task, tokens, year))
                    if per_item_leader and lid:
                        sink.add(
                            "documents_task_leaders", (new_id("documents_task_leaders"), task, lid)
                        )
                    for a_index, (uid, written, canonical) in enumerate(picked):
                        sink.add(
                            "documents_assignment",
                            (
                                new_id("documents_assignment"),
                                task,
                                a_index,
                                uid,
                                written,
                                "[]",
                                "unit",
                                "lead" if a_index == 0 else "participant",
                                canonical,
                                False,
                            ),
                        )
                    if collective:
                        sink.add(
                            "documents_assignment",
                            (
                                new_id("documents_assignment"),
                                task,
                                len(picked),
                                None,
                                COLLECTIVE,
                                "[]",
                                "local_governments",
                                "participant",
                                "",
                                False,
                            ),
                        )
                    if rng.random() < 0.4:
                        for t_i, t in enumerate(
                            rng.sample(tpl.targets, 1 if rng.random() < 0.7 else 2)
                        ):
                            low, high = (
                                t.value if isinstance(t.value, tuple | list) else (t.value, None)
                            )[:2]
                            low, high = (None if v is None else str(v) for v in (low, high))
                            sink.add(
                                "documents_target",
                                (
                                    new_id("documents_target"),
                                    task,
                                    t_i,
                                    t.text[:500],
                                    t.indicator or "",
                                    t.op,
                                    low,
                                    high,
                                    t.unit or "",
                                    t.by or "",
                                    t.measure or "",
                                    t.hedge or "",
                                    False,
                                ),
                            )
                    # twelve reports of the lead unit
                    lead_uid = picked[0][0]
                    lead_user = unit_user[lead_uid]
                    finished = status == "已完成"
                    report_ids = {}
                    for pid, m, deadline in periods:
                        rid = new_id("tracking_progressreport")
                        report_ids[m] = rid
                        due = deadline < today
                        late = rng.random() < 0.08
                        at = deadline + timedelta(
                            days=rng.randint(1, 6) if late else -rng.randint(0, 6)
                        )
                        stamp = f"{at.isoformat()} 0{rng.randint(1, 9)}:{rng.randint(10, 59)}:00"
                        percent = (
                            100 if finished and m == 12 else min(100, m * 8 + rng.randint(-5, 5))
                        )
                        narrative = f"{m}月，{narratives[rng.randrange(2000)]}。"
                        if not due:
                            sink.add(
                                "tracking_progressreport",
                                (
                                    rid,
                                    task,
                                    lead_uid,
                                    pid,
                                    narrative,
                                    max(0, percent),
                                    "",
                                    "",
                                    "",
                                    "draft",
                                    1,
                                    None,
                                    None,
                                    "",
                                    stamp,
                                    lead_user,
                                ),
                            )
                        else:
                            state = "accepted" if not current or m <= 6 else "submitted"
                            sink.add(
                                "tracking_progressreport",
                                (
                                    rid,
                                    task,
                                    lead_uid,
                                    pid,
                                    narrative,
                                    max(0, percent),
                                    "",
                                    "",
                                    "",
                                    state,
                                    1,
                                    stamp,
                                    lead_user,
                                    "",
                                    stamp,
                                    lead_user,
                                ),
                            )
                    # this year's participants filed September and October (nine in ten did):
                    # the overview's overdue list is then what a real office sees
                    if current:
                        for pid, m, deadline in periods[8:10]:
                            for uid, _, _ in picked[1:]:
                                if rng.random() < 0.9:
                                    stamp = f"{(deadline - timedelta(days=rng.randint(0, 5))).isoformat()} 04:00:00"
                                    sink.add(
                                        "tracking_progressreport",
                                        (
                                            new_id("tracking_progressreport"),
                                            task,
                                            uid,
                                            pid,
                                            f"{m}月，{narratives[rng.randrange(2000)]}。",
                                            min(100, m * 8),
                                            "",
                                            "",
                                            "",
                                            "submitted",
                                            1,
                                            stamp,
                                            unit_user[uid],
                                            "",
                                            stamp,
                                            unit_user[uid],
                                        ),
                                    )
                    # the lead's consolidations at mid-year and year end, reviewed by the office
                    if len(picked) > 1:
                        for pid, m, deadline in periods:
                            if m not in (6, 12) or deadline >= today:
                                continue
                            cid = new_id("tracking_consolidation")
                            at = f"{deadline.isoformat()} 03:00:00"
                            sink.add(
                                "tracking_consolidation",
                                (
                                    cid,
                                    task,
                                    pid,
                                    lead_uid,
                                    f"汇总：{narratives[rng.randrange(2000)]}。",
                                    100 if finished and m == 12 else min(100, m * 8),
                                    "",
                                    "",
                                    "",
                                    "accepted",
                                    2,
                                    at,
                                    lead_user,
                                    "",
                                    None,
                                    at,
                                    office,
                                ),
                            )
                            sink.add(
                                "tracking_consolidation_includes",
                                (new_id("tracking_consolidation_includes"), cid, report_ids[m]),
                            )
                            if rng.random() < 0.05:
                                sink.add(
                                    "tracking_review",
                                    (
                                        new_id("tracking_review"),
                                        cid,
                                        "return",
                                        "请补充量化指标完成情况",
                                        None,
                                        office,
                                        f"{deadline.isoformat()} 05:00:00",
                                    ),
                                )
                            sink.add(
                                "tracking_review",
                                (
                                    new_id("tracking_review"),
                                    cid,
                                    "accept",
                                    "",
                                    None,
                                    office,
                                    f"{(deadline + timedelta(days=3)).isoformat()} 06:00:00",
                                ),
                            )
            counts["notices"] += 1
    counts["issuers"] = n_issuers
    return counts


def database_size() -> int:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            return cur.fetchone()[0]
    path = Path(connection.settings_dict["NAME"])
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--today", default=None, help="the day the data describe (default today)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi_web.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    today = date.fromisoformat(args.today) if args.today else date.today()
    timings = {}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    timings["migrate_s"] = round(time.perf_counter() - t0, 1)
    optional_tables()
    check_columns()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM documents_task")
        if cur.fetchone()[0]:
            raise SystemExit("generate: the database already has tasks; use an empty one")
    pw_hash = make_password(PASSWORD)

    t0 = time.perf_counter()
    if connection.vendor == "postgresql":
        import psycopg

        url = os.environ["DATABASE_URL"]
        connection.close()
        with psycopg.connect(url) as conn:
            redo = pg_drop_constraints(conn)
        sink = PostgresSink(url)
    else:
        path = connection.settings_dict["NAME"]
        connection.close()
        sink = SqliteSink(path)
    counts = generate(sink, args.tasks, args.seed, today, pw_hash)
    timings["generate_and_copy_s"] = round(time.perf_counter() - t0, 1)
    t1 = time.perf_counter()
    sink.close()
    timings["commit_s"] = round(time.perf_counter() - t1, 1)
    if connection.vendor == "postgresql":
        t1 = time.perf_counter()
        with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
            pg_finish(conn, redo)
        timings["constraints_indexes_vacuum_s"] = round(time.perf_counter() - t1, 1)
    timings["total_load_s"] = round(time.perf_counter() - t0, 1)
    result = {
        "vendor": connection.vendor,
        "seed": args.seed,
        "today": today.isoformat(),
        "rows": dict(sorted(sink.counts.items())),
        **counts,
        **timings,
        "database_bytes": database_size(),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
