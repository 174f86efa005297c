"""Full-text search over tasks that finds Chinese words: CJK bigrams and ASCII words matched as
phrases, on SQLite (FTS5) and on PostgreSQL (tsvector 'simple' with a GIN index); results only
among the tasks the user may read, ranked, paginated and highlighted."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import luoshi
from luoshi_web.accounts import permissions
from luoshi_web.documents import importing
from luoshi_web.documents.importing import import_notice
from luoshi_web.documents.models import Task
from luoshi_web.supervision import search as search_module
from luoshi_web.supervision.models import TaskSearch
from luoshi_web.supervision.search import (
    highlight,
    index_missing,
    query_terms,
    rebuild_index,
    search,
    searchable_text,
    tokenize,
)

from conftest import NOTICE_2024, NOTICE_2026


def test_chinese_is_cut_into_overlapping_pairs_and_ascii_into_words():
    assert tokenize("实际使用外资200亿美元") == [
        "实际",
        "际使",
        "使用",
        "用外",
        "外资",
        "200",
        "亿美",
        "美元",
    ]
    assert tokenize("推进5G基站建设") == ["推进", "5g", "基站", "站建", "建设"]
    assert tokenize("ＡＩ＋制造") == ["ai", "制造"]  # full-width letters read as ASCII
    assert tokenize("、省，") == []  # one character between punctuation is no token


def test_a_query_is_cut_the_same_way_one_term_per_space():
    assert query_terms(" 外资  庐山 ") == [["外资"], ["庐山"]]
    assert query_terms("外") == []
    assert query_terms("") == []


def test_highlighting_escapes_the_text_and_marks_the_words():
    out = highlight("<b>外资</b>与外资", ["外资"])
    assert str(out) == "&lt;b&gt;<mark>外资</mark>&lt;/b&gt;与<mark>外资</mark>"
    cut = highlight("甲" * 100 + "外资" + "乙" * 100, ["外资"], width=40)
    assert str(cut).startswith("…") and str(cut).endswith("…") and "<mark>外资</mark>" in str(cut)


pytestmark_db = pytest.mark.django_db


@pytest.fixture
def lushan_14(document):
    return Task.objects.get(
        section__part__document=document, section__leader__name="庐山", number=14
    )


@pytestmark_db
def test_it_finds_foreign_investment_in_lushans_task_14(people, lushan_14):
    outcome = search(people.office, "外资")
    assert lushan_14 in [h.task for h in outcome.hits]
    outcome = search(people.office, "实际使用外资")
    assert [h.task for h in outcome.hits][:1] == [lushan_14]
    assert "<mark>实际使用外资</mark>" in str(outcome.hits[0].snippet)


@pytestmark_db
def test_all_words_of_a_query_must_match(people, lushan_14):
    both = search(people.office, "外资 庐山")
    assert [h.task for h in both.hits] == [lushan_14]
    assert search(people.office, "外资 不存在的词语").total == 0


@pytestmark_db
def test_a_phrase_matches_only_its_characters_in_order(people):
    # 实际 and 外资 both occur in task 14, but not as 实际外资
    assert search(people.office, "实际外资").total == 0


@pytestmark_db
def test_it_finds_the_livelihood_projects(people, document):
    livelihood = Task.objects.filter(
        section__part__document=document, section__part__kind="livelihood"
    )
    outcome = search(people.office, "民生实事", page_size=1000)
    assert {h.task.pk for h in outcome.hits} >= set(livelihood.values_list("pk", flat=True))
    assert livelihood.exists()


@pytestmark_db
def test_it_finds_tasks_by_unit_and_leader(people):
    finance = search(people.office, "省财政厅", page_size=1000)
    assert finance.total > 0
    assert all(
        h.task.assignments.filter(name_as_written__contains="财政厅").exists()
        or "财政厅" in h.task.text
        for h in finance.hits
    )
    assert (
        "<mark>省财政厅</mark>" in str(finance.hits[0].also)
        or "财政厅" in finance.hits[0].task.text
    )


@pytestmark_db
@pytest.mark.parametrize("role", ["leader", "other_leader", "lead_unit", "participant", "outsider"])
def test_it_never_shows_a_task_the_user_may_not_read(people, role):
    user = getattr(people, role)
    visible = set(permissions.visible_tasks(user).values_list("pk", flat=True))
    for query in ("外资", "发展", "民生实事", "推进"):
        outcome = search(user, query, page_size=1000)
        assert {h.task.pk for h in outcome.hits} <= visible, query
        assert outcome.total == len(outcome.hits)


@pytestmark_db
def test_a_unit_does_not_find_the_foreign_investment_task_it_is_not_on(people, lushan_14):
    assert not permissions.can_view_task(people.lead_unit, lushan_14)
    assert lushan_14 not in [h.task for h in search(people.lead_unit, "实际使用外资").hits]


@pytestmark_db
def test_an_empty_or_one_character_query_is_answered_without_searching(people, client_for):
    assert search(people.office, "").total == 0 and not search(people.office, "").message
    one = search(people.office, "外")
    assert one.total == 0 and "至少 2 个字" in one.message
    page = client_for(people.office).get(reverse("supervision:search"), {"q": "外"})
    assert page.status_code == 200
    assert 'data-test="search-message"' in page.content.decode()


@pytestmark_db
def test_the_search_page_paginates_and_answers_htmx_with_the_results_only(people, client_for):
    client = client_for(people.office)
    first = client.get(reverse("supervision:search"), {"q": "推进"})
    outcome = first.context["outcome"]
    assert outcome.total > 20 and len(outcome.hits) == 20
    second = client.get(reverse("supervision:search"), {"q": "推进", "page": 2})
    assert not {h.task.pk for h in outcome.hits} & {
        h.task.pk for h in second.context["outcome"].hits
    }
    part = client.get(reverse("supervision:search"), {"q": "推进"}, HTTP_HX_REQUEST="true")
    assert part.content.decode().startswith('<div id="search-results"')
    assert 'data-test="search-next"' in part.content.decode()


@pytestmark_db
def test_results_are_ranked_best_first(people):
    outcome = search(people.office, "外资", page_size=1000)
    scores = [h.score for h in outcome.hits]
    assert scores == sorted(scores, reverse=True)


@pytestmark_db
def test_a_changed_task_is_found_by_its_new_text_and_no_longer_by_its_old(people, lushan_14):
    lushan_14.search_text = lushan_14.text + " 量子计算"
    lushan_14.save()
    assert [h.task for h in search(people.office, "量子计算").hits] == [lushan_14]
    lushan_14.search_text = lushan_14.text
    lushan_14.save(update_fields=["search_text"])
    assert search(people.office, "量子计算").total == 0


@pytestmark_db
def test_a_search_never_looks_for_unindexed_tasks(people, monkeypatch):
    def scan(*args, **kwargs):
        raise AssertionError("a search scanned for unindexed tasks")

    monkeypatch.setattr(search_module, "index_missing", scan)
    with CaptureQueriesContext(connection) as queries:
        outcome = search(people.office, "外资")
    assert outcome.total > 0
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "NOT EXISTS" not in sql and "NOT (EXISTS" not in sql


@pytestmark_db
def test_a_notice_imported_is_found_at_once_and_newer_documents_come_first_among_equals(
    people, monkeypatch
):
    monkeypatch.setattr(search_module, "index_missing", None)  # must not be needed
    document = import_notice(NOTICE_2026, people.office)
    tasks = Task.objects.filter(section__part__document=document)
    assert TaskSearch.objects.filter(task__in=tasks).count() == tasks.count() > 0
    indexed = {t.pk: t.tokens for t in TaskSearch.objects.filter(task__in=tasks)}
    assert all(indexed[t.pk] == " ".join(tokenize(searchable_text(t))) for t in tasks)
    outcome = search(people.office, "推进", page_size=1000)
    found = [(h.score, h.task.section.part.document.year) for h in outcome.hits]
    assert {year for _, year in found} == {2024, 2026}
    # best first; among equal scores the newer notice, then the task id
    assert found == sorted(found, key=lambda f: (-f[0], -f[1]))
    assert outcome.total == len(outcome.hits)


@pytestmark_db
def test_a_reparse_indexes_changed_text_and_keeps_a_retired_task_findable(people, document, task):
    text = NOTICE_2024.read_text(encoding="utf-8")
    item = "3. 积极争取并高效用好地方政府专项债券，充分发挥其对重大项目建设的拉动作用。\n\n责任单位：省财政厅、省发展改革委\n"
    assert item in text
    changed = "千方百计稳外贸优外资"
    assert changed in text
    edited = text.replace(item, "", 1).replace(changed, "千方百计稳外贸优量子计算", 1)
    importing.reparse(document, people.office, notice=luoshi.parse_notice_text(edited))
    task.refresh_from_db()
    assert task.retired
    # the retired task is still visible to the office, so still found (marked as retired)
    assert task in [h.task for h in search(people.office, "拉动作用").hits]
    assert search(people.office, "优量子计算").total == 1
    assert search(people.office, "稳外贸优外资").total == 0
    # and back again: the stored file brings the old text back
    importing.reparse(document, people.office)
    assert search(people.office, "优量子计算").total == 0
    assert search(people.office, "稳外贸优外资").total == 1


@pytestmark_db
def test_a_leaders_other_spelling_a_category_a_part_title_and_a_year_are_followed(
    people, lushan_14
):
    leader = lushan_14.section.leader
    assert search(people.office, "山庐山").total == 0
    leader.also_names = [*leader.also_names, "山庐山"]
    leader.save(update_fields=["also_names"])
    found = search(people.office, "山庐山", page_size=1000)
    assert lushan_14 in [h.task for h in found.hits]
    assert found.total == Task.objects.filter(section__leader=leader).count()

    section = lushan_14.section
    section.category = "量子科技"
    section.save()
    assert lushan_14 in [h.task for h in search(people.office, "量子科技").hits]

    part = section.part
    part.title = "二〇二四年攻坚行动"
    part.save(update_fields=["title"])
    found = search(people.office, "攻坚行动", page_size=1000)
    assert found.total == Task.objects.filter(section__part=part).count()

    document = part.document
    document.year = 2025
    document.save()
    rows = TaskSearch.objects.filter(task__section__part__document=document)
    assert set(rows.values_list("year", flat=True)) == {2025}

    with CaptureQueriesContext(connection) as queries:
        leader.title = "副省长（代）"
        leader.save(update_fields=["title"])  # not in the tokens: nothing read or written
    assert not [q for q in queries.captured_queries if "supervision_tasksearch" in q["sql"]]


@pytestmark_db
def test_tasks_loaded_raw_are_indexed_once_when_the_load_commits(
    people, lushan_14, task, django_capture_on_commit_callbacks
):
    TaskSearch.objects.filter(task__in=[lushan_14, task]).delete()
    # loaddata saves each row raw, all in one transaction
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for row in (lushan_14, task):
            row.save_base(raw=True)
        assert not TaskSearch.objects.filter(task__in=[lushan_14, task]).exists()
    assert len(callbacks) == 1
    assert TaskSearch.objects.filter(task__in=[lushan_14, task]).count() == 2
    assert lushan_14 in [h.task for h in search(people.office, "实际使用外资").hits]


@pytestmark_db
def test_the_repair_command_fills_in_a_missing_row_and_a_missing_year(people, lushan_14, task):
    TaskSearch.objects.filter(task=lushan_14).delete()
    TaskSearch.objects.filter(task=task).update(year=None)  # a backup made before the year
    assert search(people.office, "实际使用外资").total == 0  # the search does not repair
    out = io.StringIO()
    call_command("searchindex", stdout=out)
    assert out.getvalue().strip() == "indexed 2 task(s)"
    assert TaskSearch.objects.get(task=task).year == 2024
    assert index_missing() == 0
    assert [h.task for h in search(people.office, "实际使用外资").hits][:1] == [lushan_14]


@pytestmark_db
def test_a_unit_counts_and_pages_only_its_own_matches(people):
    unit = people.participant
    visible = set(permissions.visible_tasks(unit).values_list("pk", flat=True))
    everyone = search(people.office, "推进", page_size=1000)
    mine = {h.task.pk for h in everyone.hits} & visible
    outcome = search(unit, "推进", page_size=5)
    assert outcome.total == len(mine) > 5
    pages = [search(unit, "推进", page_number=n, page_size=5) for n in range(1, 100)]
    seen = [h.task.pk for p in pages[: pages[0].page.paginator.num_pages] for h in p.hits]
    assert sorted(seen) == sorted(mine)
    last = pages[0].page.paginator.num_pages
    assert pages[-1].page.number == last  # past the end: the last page
    for nonsense in ("x", "-3", "9" * 40):
        assert search(unit, "推进", page_number=nonsense, page_size=5).page.number in (1, last)


@pytestmark_db
def test_a_status_change_does_not_reindex(people, lushan_14):
    lushan_14.light = "yellow"
    with CaptureQueriesContext(connection) as queries:
        lushan_14.save(update_fields=["light"])
    assert not [q for q in queries.captured_queries if "supervision_tasksearch" in q["sql"]]


@pytestmark_db
def test_the_index_is_rebuilt_from_scratch(people, lushan_14):
    count = rebuild_index()
    assert count == Task.objects.count() == TaskSearch.objects.count()
    assert lushan_14 in [h.task for h in search(people.office, "实际使用外资").hits]


@pytestmark_db
def test_the_database_does_the_matching(people):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM supervision_taskfts WHERE supervision_taskfts MATCH %s",
                ['"外资"'],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM supervision_tasksearch "
                "WHERE vector @@ phraseto_tsquery('simple', %s)",
                ["外资"],
            )
        assert cursor.fetchone()[0] == search(people.office, "外资").total


@pytestmark_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored tsvector is PostgreSQL's")
def test_postgresql_searches_the_stored_vector_through_its_gin_index(people, lushan_14):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT is_generated, generation_expression FROM information_schema.columns "
            "WHERE table_name = 'supervision_tasksearch' AND column_name = 'vector'"
        )
        generated, expression = cursor.fetchone()
        assert generated == "ALWAYS" and "to_tsvector" in expression
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'supervision_tasksearch' "
            "AND indexdef ILIKE '%%gin%%'"
        )
        assert [r[0] for r in cursor.fetchall()] == [
            "CREATE INDEX supervision_tasksearch_vector ON public.supervision_tasksearch "
            "USING gin (vector)"
        ]
    with CaptureQueriesContext(connection) as queries:
        outcome = search(people.office, "实际使用外资")
    assert outcome.hits[0].task == lushan_14
    matching = [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]
    assert len(matching) == 1  # the page and the count in one query
    assert all("s.vector @@" in sql and "to_tsvector" not in sql for sql in matching)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few hundred rows: the index anyway
        cursor.execute("EXPLAIN " + matching[0].replace("%", "%%"))
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "supervision_tasksearch_vector" in plan and "to_tsvector" not in plan
    # a unit's search starts from the unit's tasks (few, by an index), the office's from the
    # matches
    with CaptureQueriesContext(connection) as queries:
        assert search(people.lead_unit, "推进").total > 0
    (unit_sql,) = [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]
    assert "FROM (SELECT task_id, year, vector FROM supervision_tasksearch WHERE task_id IN (" in (
        unit_sql
    )
    assert "FROM supervision_tasksearch s WHERE" in matching[0]
    # the database keeps the vector in step with the tokens
    TaskSearch.objects.filter(task=lushan_14).update(tokens="量子 子计 计算")
    assert [h.task for h in search(people.office, "量子计算").hits] == [lushan_14]
