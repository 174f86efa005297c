"""Full-text search over tasks that finds Chinese words: CJK bigrams and ASCII words matched as
phrases, on SQLite (FTS5) and on PostgreSQL (tsvector 'simple' with a GIN index); results only
among the tasks the user may read, ranked, paginated and highlighted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from luoshi_web.accounts import permissions
from luoshi_web.documents.models import Task
from luoshi_web.supervision.models import TaskSearch
from luoshi_web.supervision.search import (
    highlight,
    index_missing,
    query_terms,
    rebuild_index,
    search,
    tokenize,
)


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
def test_a_changed_task_is_found_by_its_new_text_and_a_missing_entry_is_filled_in(
    people, lushan_14
):
    lushan_14.search_text = lushan_14.text + " 量子计算"
    lushan_14.save()
    assert [h.task for h in search(people.office, "量子计算").hits] == [lushan_14]
    TaskSearch.objects.filter(task=lushan_14).delete()
    assert [h.task for h in search(people.office, "量子计算").hits] == [lushan_14]
    assert index_missing() == 0


@pytestmark_db
def test_a_status_change_does_not_reindex(people, lushan_14):
    from django.test.utils import CaptureQueriesContext

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
                "WHERE to_tsvector('simple'::regconfig, tokens) @@ phraseto_tsquery('simple', %s)",
                ["外资"],
            )
        assert cursor.fetchone()[0] == search(people.office, "外资").total
