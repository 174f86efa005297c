"""Full-text search over tasks that finds Chinese words.

Chinese has no spaces, so the text is cut into overlapping pairs of characters (CJK bigrams)
and ASCII words, and a query is cut the same way: ``实际使用外资`` → ``实际 际使 使用 用外 外资``.
A query term matches a task when all its tokens stand next to each other in the task's tokens
(a phrase), which is the same as the term appearing in the text; terms separated by spaces must
all match (AND). A run of one CJK character between punctuation is not indexed, so a query
needs at least two characters.

The tokens of each task (its text, the leaders and units the notice names, the section's leader
and category, the part's title) and its document's year are a ``TaskSearch`` row, kept in step
by every write of what they come from (``signals``: a task, section, part, leader or document
saved; a raw load when it commits), never by a search; ``luoshi-web searchindex`` fills in rows
that a load bypassing the ORM left out, ``--rebuild`` writes them all again. The database does
the matching and ranking:

==========  ================================================================================
SQLite      an FTS5 table ``supervision_taskfts`` (tokenizer unicode61, external content kept
            in step with ``supervision_tasksearch`` by triggers); ``MATCH '"实际 际使" AND …'``,
            ranked by bm25
PostgreSQL  the column ``vector``, ``to_tsvector('simple', tokens)`` generated and stored by the
            database (migration 0003), with a GIN index; ``phraseto_tsquery('simple', …)`` per
            term joined with ``&&``, ranked by ts_rank of the stored vector
other       ``tokens LIKE '%实际 际使%'`` per term, unranked
==========  ================================================================================

Order and cost. Best match first, then the newer document (``TaskSearch.year``, so no match is
joined to its section, part and document), then the task id. Every match is ranked, not only a
first few: a phrase is checked against each candidate's stored positions anyway, and scoring it
there adds little (bench/scale, 200,000 tasks, the 5,982 with 数字经济: 18 ms ranked, 14 ms in
year order), while ranking only some would put better matches on page 3 behind worse ones on
page 1. One query returns the page and the number of matches (``count(*) OVER ()``); then the
page's 20 tasks are read whole. The office, who may read every task, searches the matches alone;
on PostgreSQL a user whose tasks the planner expects to be few (a unit: 2,600 at most) has those
tasks checked one by one instead of every match in the country (see ``_Ranked``).

Results are only ever the tasks ``permissions.visible_tasks(user)`` gives.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from luoshi_web.accounts import permissions
from luoshi_web.documents.models import Task
from luoshi_web.supervision.models import TaskSearch

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
PIECE_RE = re.compile(rf"([{CJK}]+)|([0-9a-z]+)")
FTS_TABLE = "supervision_taskfts"
SEARCH_TABLE = TaskSearch._meta.db_table
VECTOR = "vector"  # PostgreSQL: to_tsvector('simple', tokens), stored (migration 0003)
PAGE_SIZE = 20
MAX_PAGE = 100_000  # a page number beyond is counted first (no OFFSET past a bigint)
FEW_VISIBLE = 10_000  # PostgreSQL: a user's tasks checked one by one up to this many
MIN_CHARS = 2


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def pieces(text: str) -> list[str]:
    """The CJK runs of two or more characters and the ASCII words of ``text``, in order."""
    out = []
    for m in PIECE_RE.finditer(normalize(text)):
        cjk, word = m.groups()
        if cjk is not None:
            if len(cjk) >= MIN_CHARS:
                out.append(cjk)
        else:
            out.append(word)
    return out


def tokenize(text: str) -> list[str]:
    """``实际使用外资200亿美元`` → ``['实际', '际使', '使用', '用外', '外资', '200', '亿美', '美元']``."""
    tokens: list[str] = []
    for piece in pieces(text):
        if PIECE_RE.fullmatch(piece).group(1) is not None:
            tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
        else:
            tokens.append(piece)
    return tokens


def query_terms(query: str) -> list[list[str]]:
    """The query's terms (split on spaces), each as its tokens; terms with none are dropped."""
    return [tokens for term in normalize(query).split() if (tokens := tokenize(term))]


# -- the index ------------------------------------------------------------------------------------
INDEX_BATCH = 500


def searchable_text(task: Task) -> str:
    """What a task is found by: its text with the leaders and units the notice names
    (``Task.search_text``), the section's leader (and their other spellings) and category, and
    the part's title (民生实事 for every livelihood project)."""
    parts = [task.search_text or task.text]
    section = task.section
    part = section.part
    parts.append(part.title)
    if part.kind == "livelihood":
        parts.append("民生实事")
    if section.leader_id is not None:
        parts.append(section.leader.name)
        parts.extend(section.leader.also_names or ())
    if section.category:
        parts.append(section.category)
    return " ".join(parts)


def _batches(tasks: QuerySet[Task]):
    """``tasks`` with their section, part, document and leader, ``INDEX_BATCH`` at a time in id
    order (each batch one query from where the last ended: a million tasks are read once)."""
    rows = tasks.order_by("pk").select_related("section__leader", "section__part__document")
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:INDEX_BATCH]):
        yield batch
        last = batch[-1].pk


def index_tasks(tasks: QuerySet[Task]) -> int:
    """Write the row of each of ``tasks`` (read from the database with their section, part,
    document and leader) that is missing or differs; returns how many rows were written, 0 when
    every one was up to date."""
    written = 0
    for batch in _batches(tasks):
        fresh = {
            t.pk: (" ".join(tokenize(searchable_text(t))), t.section.part.document.year)
            for t in batch
        }
        stored = {
            pk: (tokens, year)
            for pk, tokens, year in TaskSearch.objects.filter(task__in=list(fresh)).values_list(
                "task_id", "tokens", "year"
            )
        }
        new, retokened, redated = [], [], []
        for pk, (tokens, year) in fresh.items():
            row = TaskSearch(task_id=pk, tokens=tokens, year=year)
            if pk not in stored:
                new.append(row)
            elif stored[pk][0] != tokens:
                retokened.append(row)
            elif stored[pk][1] != year:
                redated.append(row)
        TaskSearch.objects.bulk_create(new)
        TaskSearch.objects.bulk_update(retokened, ["tokens", "year"])
        # the year alone when only it changed: SQLite's FTS5 trigger follows writes of tokens
        TaskSearch.objects.bulk_update(redated, ["year"])
        written += len(new) + len(retokened) + len(redated)
    return written


def index_task(task: Task) -> int:
    """:func:`index_tasks` of one task (1 when its row was written, 0 when it was up to date)."""
    return index_tasks(Task.objects.filter(pk=task.pk))


def index_missing() -> int:
    """Index every task that has no row, or a row without its year (tasks loaded without the
    ORM's signals: a bulk load, a restore of an older backup); returns how many. It reads every
    task: for ``luoshi-web searchindex`` and the end of a raw load, never for a search."""
    complete = TaskSearch.objects.filter(task=OuterRef("pk"), year__isnull=False)
    return index_tasks(Task.objects.filter(~Exists(complete)))


def rebuild_index() -> int:
    """Write every task's row again (and, on SQLite, rebuild the FTS5 table from them)."""
    TaskSearch.objects.all().delete()
    count = index_tasks(Task.objects.all())
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return count


# -- matching -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Match:
    """The SQL that finds the tasks matching every term: ``FROM {source} WHERE {where}``, the
    task id as ``{key}``, the ``TaskSearch`` row as ``s``, and ``{score}`` (higher is better,
    rounded so that near-equal scores tie and the newer document decides)."""

    source: str
    key: str
    where: str
    params: list
    score: str
    score_params: list
    restrict_key: str = ""  # the task id in ``key IN (the user's tasks)``, when not ``key``


def _match(terms: list[list[str]]) -> _Match:
    vendor = connection.vendor
    if vendor == "sqlite":
        # Tokens are CJK pairs or [0-9a-z]+: nothing in them needs escaping inside "…".
        match = " AND ".join('"' + " ".join(t) + '"' for t in terms)
        return _Match(
            source=f"{FTS_TABLE} JOIN {SEARCH_TABLE} s ON s.task_id = {FTS_TABLE}.rowid",
            key=f"{FTS_TABLE}.rowid",
            where=f"{FTS_TABLE} MATCH %s",
            params=[match],
            score=f"round(-bm25({FTS_TABLE}), 6)",
            score_params=[],
            # unary + : the user's tasks are checked as FTS5 yields matches. A plain rowid IN
            # (…) is handed to FTS5, which then runs the whole phrase query once per task of
            # the user (bench/scale, a unit on 2,000 tasks: 130 ms instead of 2 ms)
            restrict_key=f"+{FTS_TABLE}.rowid",
        )
    phrases = [" ".join(t) for t in terms]
    if vendor == "postgresql":
        query = " && ".join(["phraseto_tsquery('simple'::regconfig, %s)"] * len(terms))
        return _Match(
            source=f"{SEARCH_TABLE} s",
            key="s.task_id",
            where=f"s.{VECTOR} @@ ({query})",
            params=phrases,
            score=f"round(ts_rank(s.{VECTOR}, ({query}))::numeric, 6)",
            score_params=phrases,
        )
    return _Match(
        source=f"{SEARCH_TABLE} s",
        key="s.task_id",
        where=" AND ".join(["s.tokens LIKE %s"] * len(terms)),
        params=["%" + p + "%" for p in phrases],
        score="0",
        score_params=[],
    )


def _planned_rows(sql: str, params) -> float:
    """How many rows PostgreSQL's planner expects ``sql`` to return (planned, not run)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]


class _Ranked:
    """The matches among the tasks a user may read, as a :class:`Paginator` wants them: a slice
    is one page of ``(task id, score)``, best first, then the newer document, then the task id;
    ``count()`` the number of matches.

    ``fetch(start, size)`` reads a page and the count in one query (``count(*) OVER ()``: the
    database finds and scores every match once either way), so a page costs one query; only a
    page past the end needs a separate count (the paginator then asks for the last page)."""

    def __init__(self, match: _Match, visible: QuerySet[Task]):
        self.match = match
        self.source, self.source_params = match.source, []
        self.restrict, self.restrict_params = "", []
        self.fence = ""
        postgres = connection.vendor == "postgresql"
        if postgres:
            # OFFSET 0 keeps the matches a subquery of their own: flattened, the window would
            # hold every match's vector (1.5 KB) until ts_rank (bench/scale: 35 → 20 ms for
            # 6,000 matches at 200,000 tasks)
            self.fence = " OFFSET 0"
        # The office may read every task: nothing to add, no semi-join with the task table.
        if visible.query.has_filters():
            sql, params = visible.order_by().values("pk").query.sql_with_params()
            if postgres and _planned_rows(sql, params) <= FEW_VISIBLE:
                # Start from the user's tasks (a unit's: 2,600 at most, found by an index) and
                # check each one's vector, rather than from every match in the country (30,000
                # for a common word at 1,000,000 tasks) checked against the user's tasks. The
                # planner cannot choose: it takes a phrase's bigrams for independent words and
                # expects a few dozen matches. The fence keeps it from turning round. A set it
                # expects to be large (a leader's: an OR across a join) is left to it.
                self.source = (
                    f"(SELECT task_id, year, {VECTOR} FROM {SEARCH_TABLE} "
                    f"WHERE task_id IN ({sql}) OFFSET 0) s"
                )
                self.source_params = list(params)
            else:
                key = match.restrict_key or match.key
                self.restrict, self.restrict_params = f" AND {key} IN ({sql})", list(params)
        self.total: int | None = None
        self.pages: dict[int, list[tuple[int, float]]] = {}

    def _from(self) -> tuple[str, list]:
        m = self.match
        return (
            f"FROM {self.source} WHERE {m.where}{self.restrict}",
            [*self.source_params, *m.params, *self.restrict_params],
        )

    def fetch(self, start: int, size: int) -> None:
        m = self.match
        matches, params = self._from()
        # the matches in a subquery: SQLite's bm25() may not stand beside a window function
        sql = (
            f"SELECT task_id, score, count(*) OVER () FROM ("
            f"SELECT {m.key} AS task_id, {m.score} AS score, s.year AS year {matches}"
            f"{self.fence}) matches ORDER BY score DESC, year DESC, task_id LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*m.score_params, *params, size, start])
            rows = cursor.fetchall()
        if rows:
            self.total = rows[0][2]
            self.pages[start] = [(pk, float(score or 0)) for pk, score, _ in rows]

    def count(self) -> int:
        if self.total is None:
            matches, params = self._from()
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) {matches}", params)
                self.total = cursor.fetchone()[0]
        return self.total

    def __getitem__(self, page: slice) -> list[tuple[int, float]]:
        start, stop = page.start or 0, page.stop
        if stop <= start:
            return []
        if start not in self.pages:
            self.fetch(start, stop - start)
        return self.pages.get(start, [])[: stop - start]


@dataclass
class Hit:
    task: Task
    score: float
    snippet: SafeString
    also: SafeString  # matches in the leaders and units, highlighted


@dataclass
class Outcome:
    query: str
    terms: list[list[str]] = field(default_factory=list)
    message: str = ""  # why nothing was searched (an empty or one-character query)
    total: int = 0
    page: Page | None = None
    hits: list[Hit] = field(default_factory=list)


def search(user, query: str, page_number=1, page_size: int = PAGE_SIZE) -> Outcome:
    """The tasks ``user`` may read that match ``query``, best first, one page of them."""
    query = (query or "").strip()[:200]
    outcome = Outcome(query=query)
    if not query:
        return outcome
    terms = query_terms(query)
    if not terms:
        outcome.message = f"请输入至少 {MIN_CHARS} 个字（单个汉字无法检索）"
        return outcome
    outcome.terms = terms
    visible = permissions.visible_tasks(user)
    if visible.query.is_empty():
        return outcome
    ranked = _Ranked(_match(terms), visible)
    try:
        number = max(1, int(page_number))
    except (TypeError, ValueError):
        number = 1
    if number <= MAX_PAGE:  # the page and the count in one query
        ranked.fetch((number - 1) * page_size, page_size)
    page = Paginator(ranked, page_size).get_page(number)  # past the end: the last page
    outcome.total = page.paginator.count
    outcome.page = page
    scores = dict(page.object_list)
    tasks = (
        Task.objects.select_related("section__part__document", "section__leader")
        .prefetch_related("assignments__unit", "leaders")
        .in_bulk(list(scores))
    )
    needles = [p for term in normalize(query).split() for p in pieces(term)]
    for pk, score in page.object_list:
        task = tasks[pk]
        names = [a.name_as_written for a in task.assignments.all() if not a.retired]
        leaders = [x.name for x in task.leaders.all()]
        if task.section.leader_id and task.section.leader.name not in leaders:
            leaders.insert(0, task.section.leader.name)
        outcome.hits.append(
            Hit(
                task=task,
                score=score,
                snippet=highlight(task.text, needles, width=160),
                also=highlight(" · ".join(leaders + names), needles),
            )
        )
    return outcome


def highlight(text: str, needles: list[str], width: int | None = None) -> SafeString:
    """``text`` escaped, each occurrence of a needle in ``<mark>``; with ``width``, cut to about
    that many characters around the first occurrence (… where cut)."""
    text = text or ""
    wanted = sorted({n for n in needles if n}, key=len, reverse=True)
    if not wanted:
        spans = []
    else:
        pattern = re.compile("|".join(re.escape(n) for n in wanted), re.IGNORECASE)
        spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - width // 4, len(text) - width))
        end = start + width
    out, pos = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    # every piece was escaped above
    return mark_safe(prefix + "".join(out) + suffix)
