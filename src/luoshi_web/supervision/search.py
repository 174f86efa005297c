"""Full-text search over tasks that finds Chinese words.

Chinese has no spaces, so the text is cut into overlapping pairs of characters (CJK bigrams)
and ASCII words, and a query is cut the same way: ``实际使用外资`` → ``实际 际使 使用 用外 外资``.
A query term matches a task when all its tokens stand next to each other in the task's tokens
(a phrase), which is the same as the term appearing in the text; terms separated by spaces must
all match (AND). A run of one CJK character between punctuation is not indexed, so a query
needs at least two characters.

The tokens of each task (its text, the leaders and units the notice names, the section's leader
and category, the part's title) are a ``TaskSearch`` row, written when a task is saved (``signals``) and filled in
for any task without one before each search. The database does the matching and ranking:

==========  ================================================================================
SQLite      an FTS5 table ``supervision_taskfts`` (tokenizer unicode61, external content kept
            in step with ``supervision_tasksearch`` by triggers); ``MATCH '"实际 际使" AND …'``,
            ranked by bm25
PostgreSQL  a GIN index on ``to_tsvector('simple', tokens)``; ``phraseto_tsquery('simple', …)``
            per term joined with ``&&``, ranked by ts_rank
other       ``tokens LIKE '%实际 际使%'`` per term, unranked
==========  ================================================================================

Results are only ever the tasks ``permissions.visible_tasks(user)`` gives.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from luoshi_web.accounts import permissions
from luoshi_web.documents.models import Task
from luoshi_web.supervision.models import TaskSearch

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
PIECE_RE = re.compile(rf"([{CJK}]+)|([0-9a-z]+)")
FTS_TABLE = "supervision_taskfts"
PAGE_SIZE = 20
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


def index_task(task: Task) -> None:
    """Write the task's tokens (a no-op when they did not change)."""
    tokens = " ".join(tokenize(searchable_text(task)))
    row = TaskSearch.objects.filter(task=task.pk).first()
    if row is None:
        TaskSearch.objects.create(task_id=task.pk, tokens=tokens)
    elif row.tokens != tokens:
        row.tokens = tokens
        row.save(update_fields=["tokens"])


def _missing():
    return Task.objects.filter(~Exists(TaskSearch.objects.filter(task=OuterRef("pk"))))


def index_missing(batch: int = 500) -> int:
    """Index every task that has no entry yet (tasks loaded without signals: a restore, a bulk
    load); returns how many."""
    count = 0
    while True:
        tasks = list(_missing().select_related("section__leader", "section__part")[:batch])
        if not tasks:
            return count
        TaskSearch.objects.bulk_create(
            TaskSearch(task_id=t.pk, tokens=" ".join(tokenize(searchable_text(t)))) for t in tasks
        )
        count += len(tasks)


def rebuild_index() -> int:
    """Write every task's tokens again (and, on SQLite, rebuild the FTS5 table from them)."""
    TaskSearch.objects.all().delete()
    count = index_missing()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return count


# -- matching -------------------------------------------------------------------------------------
def _match_sql(terms: list[list[str]]) -> tuple[tuple[str, list], tuple[str, list]]:
    """``((ids_sql, params), (scored_sql, params))``: the ids of the matching tasks, and
    (id, score) pairs where a higher score is a better match."""
    vendor = connection.vendor
    if vendor == "sqlite":
        # Tokens are CJK pairs or [0-9a-z]+: nothing in them needs escaping inside "…".
        match = " AND ".join('"' + " ".join(t) + '"' for t in terms)
        where = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        return (f"SELECT rowid {where}", [match]), (
            f"SELECT rowid, -bm25({FTS_TABLE}) {where}",
            [match],
        )
    if vendor == "postgresql":
        query = " && ".join(["phraseto_tsquery('simple', %s)"] * len(terms))
        vector = "to_tsvector('simple'::regconfig, tokens)"
        where = f"FROM supervision_tasksearch WHERE {vector} @@ ({query})"
        params = [" ".join(t) for t in terms]
        scored = f"SELECT task_id, ts_rank({vector}, ({query})) {where}"
        return (f"SELECT task_id {where}", params), (scored, params + params)
    where = " AND ".join(["tokens LIKE %s"] * len(terms))
    params = ["%" + " ".join(t) + "%" for t in terms]
    sql = f"SELECT task_id FROM supervision_tasksearch WHERE {where}"
    scored = f"SELECT task_id, 0 FROM supervision_tasksearch WHERE {where}"
    return (sql, params), (scored, params)


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
    index_missing()
    (ids_sql, ids_params), (scored_sql, scored_params) = _match_sql(terms)
    years = dict(
        permissions.visible_tasks(user)
        .filter(pk__in=RawSQL(ids_sql, ids_params))
        .values_list("pk", "section__part__document__year")
    )
    with connection.cursor() as cursor:
        cursor.execute(scored_sql, scored_params)
        scores = {row[0]: float(row[1] or 0) for row in cursor.fetchall() if row[0] in years}
    # best match first; among equals the newer document, then the notice's order
    ranked = sorted(scores, key=lambda pk: (-round(scores[pk], 6), -years[pk], pk))
    outcome.total = len(ranked)
    page = Paginator(ranked, page_size).get_page(page_number)
    outcome.page = page
    tasks = (
        Task.objects.select_related("section__part__document", "section__leader")
        .prefetch_related("assignments__unit", "leaders")
        .in_bulk(list(page.object_list))
    )
    needles = [p for term in normalize(query).split() for p in pieces(term)]
    for pk in page.object_list:
        task = tasks[pk]
        names = [a.name_as_written for a in task.assignments.all() if not a.retired]
        leaders = [x.name for x in task.leaders.all()]
        if task.section.leader_id and task.section.leader.name not in leaders:
            leaders.insert(0, task.section.leader.name)
        outcome.hits.append(
            Hit(
                task=task,
                score=scores[pk],
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
