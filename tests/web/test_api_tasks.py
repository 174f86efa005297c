"""``GET /api/tasks`` and ``/api/tasks/{id}``: what a task carries, who sees which tasks, the
filters (document, year, leader, unit and role, status, light, q) and the pagination."""

from __future__ import annotations

import pytest
from test_api_support import Caller

from luoshi_web.accounts import permissions
from luoshi_web.documents.importing import import_notice
from luoshi_web.documents.models import Leader, Task

from conftest import NOTICE_2026

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {t["id"] for t in response.json()["items"]}


def every(caller, **params) -> set[int]:
    """The ids of all the pages."""
    found, page = set(), 1
    while True:
        body = caller.get("/api/tasks", {**params, "page": page, "page_size": 200}).json()
        found |= {t["id"] for t in body["items"]}
        if page >= body["pages"]:
            return found
        page += 1


def test_a_task_carries_its_document_section_leaders_units_and_targets(people, task):
    body = Caller(people.office).get(f"/api/tasks/{task.pk}").json()
    assert body["id"] == task.pk
    assert body["number"] == 3
    assert body["text"].startswith("积极争取并高效用好地方政府专项债券")
    assert body["document"]["year"] == 2024
    assert body["part"] == {"index": 0, "kind": "key_tasks", "title": body["part"]["title"]}
    assert body["section"]["leader"] == "王浩"
    roles = {(u["registry_id"], u["role"]) for u in body["units"]}
    assert {("zj-finance", "lead"), ("zj-drc", "participant")} <= roles
    assert all(u["name"] for u in body["units"])
    assert body["status"] == task.status and body["light"] == task.light
    assert body["may"] == {
        "role": None,
        "file": False,
        "consolidate": False,
        "review": True,
        "remind": True,
        "instruct": False,
    }
    assert isinstance(body["history"], list)


def test_targets_are_numbers_with_their_meaning(people, document):
    task = Task.objects.filter(section__part__document=document, targets__isnull=False).first()
    body = Caller(people.office).get(f"/api/tasks/{task.pk}").json()
    target = body["targets"][0]
    row = task.targets.get(pk=target["id"])
    assert target["text"] == row.text
    assert target["op"] == row.op
    assert target["value"] == (float(row.value) if row.value is not None else None)
    assert set(target) >= {"indicator", "unit", "by", "measure"}


def test_the_lead_unit_reads_what_it_may_do(people, task):
    body = Caller(people.lead_unit).get(f"/api/tasks/{task.pk}").json()
    assert body["may"]["role"] == "lead"
    assert body["may"]["file"] and body["may"]["consolidate"]
    assert not body["may"]["review"]


@pytest.mark.parametrize(
    "role", ["office", "leader", "other_leader", "lead_unit", "participant", "outsider"]
)
def test_each_role_lists_exactly_the_tasks_it_may_see(people, role):
    user = getattr(people, role)
    expected = set(permissions.visible_tasks(user).values_list("pk", flat=True))
    assert expected
    assert every(Caller(user)) == expected


def test_filters_by_document_and_year_among_the_documents_one_sees(people, document):
    newer = import_notice(NOTICE_2026, None)
    office = Caller(people.office)
    assert {d["id"] for d in office.get("/api/documents").json()} == {document.pk, newer.pk}
    of_2026 = set(Task.objects.filter(section__part__document=newer).values_list("pk", flat=True))
    of_2024 = set(
        Task.objects.filter(section__part__document=document).values_list("pk", flat=True)
    )
    assert every(office, document=newer.pk) == of_2026
    assert every(office, year=2026) == of_2026
    assert every(office, year=2024) == of_2024
    assert every(office, year=2025) == set()
    first = office.get("/api/tasks").json()["items"][0]
    assert first["document"]["year"] == 2026  # the newest year first

    # a leader sees a document only when they see one of its tasks
    leader = Caller(people.leader)
    sees_2026 = permissions.visible_tasks(people.leader).filter(section__part__document=newer)
    listed = {d["id"] for d in leader.get("/api/documents").json()}
    assert (newer.pk in listed) == sees_2026.exists()
    detail = leader.get(f"/api/documents/{newer.pk}")
    assert detail.status_code == (200 if sees_2026.exists() else 404)
    assert every(leader, document=newer.pk) == set(sees_2026.values_list("pk", flat=True))


def test_filters_by_leader_name_or_id(people, task):
    office = Caller(people.office)
    wang = Leader.objects.get(name="王浩")
    by_name = every(office, leader="王浩")
    assert task.pk in by_name
    assert by_name == every(office, leader=str(wang.pk))
    assert by_name == set(permissions.visible_tasks(people.leader).values_list("pk", flat=True))
    assert every(office, leader="没有这个人") == set()


def test_filters_by_unit_and_role(people, task):
    office = Caller(people.office)
    finance = people.lead_unit.profile.unit
    on_it = every(office, unit="zj-finance")
    assert task.pk in on_it
    assert on_it == every(office, unit=finance.name) == every(office, unit=str(finance.pk))
    assert on_it == set(permissions.visible_tasks(people.lead_unit).values_list("pk", flat=True))
    leading = every(office, unit="zj-finance", role="lead")
    helping = every(office, unit="zj-finance", role="participant")
    assert task.pk in leading and task.pk not in helping
    assert leading | helping == on_it
    assert task.pk in every(office, unit="zj-drc", role="participant")


def test_filters_by_status_light_and_words(people, task, document):
    office = Caller(people.office)
    Task.objects.filter(pk=task.pk).update(light="red", status="滞后")
    assert task.pk in every(office, light="red")
    assert task.pk not in every(office, light="green")
    assert task.pk in every(office, status="滞后")
    assert all(Task.objects.get(pk=pk).status == "未启动" for pk in every(office, status="未启动"))
    found = every(office, q="专项债券")
    assert task.pk in found
    assert all("专项债券" in Task.objects.get(pk=pk).search_text for pk in found)
    combined = every(office, q="专项债券", unit="zj-finance", light="red", year=2024)
    assert combined == {task.pk}


def test_a_unit_filtering_for_another_units_tasks_sees_only_its_own(people):
    outsider = Caller(people.outsider)
    mine = set(permissions.visible_tasks(people.outsider).values_list("pk", flat=True))
    assert every(outsider, unit="zj-finance") <= mine


def test_pages_of_tasks(people):
    office = Caller(people.office)
    whole = office.get("/api/tasks", {"page_size": 200}).json()
    first = office.get("/api/tasks", {"page_size": 5}).json()
    second = office.get("/api/tasks", {"page_size": 5, "page": 2}).json()
    assert first["count"] == second["count"] == whole["count"] == Task.objects.count()
    assert first["pages"] == -(-whole["count"] // 5)
    order = [t["id"] for t in whole["items"]]
    assert [t["id"] for t in first["items"]] == order[:5]
    assert [t["id"] for t in second["items"]] == order[5:10]
    assert office.get("/api/tasks").json()["page_size"] == 50
    beyond = office.get("/api/tasks", {"page": 10_000}).json()
    assert beyond["items"] == [] and beyond["count"] == whole["count"]


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 201},
        {"page_size": 0},
        {"page": 0},
        {"light": "blue"},
        {"status": "done"},
        {"year": "last"},
        {"q": "专项\x00债券"},
    ],
    ids=str,
)
def test_a_bad_query_is_a_422_saying_where(people, params):
    response = Caller(people.office).get("/api/tasks", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["errors"][0]["loc"][-1] == next(iter(params))


def test_units_leaders_documents_and_periods(people, document, task):
    unit = Caller(people.participant)
    units = unit.get("/api/units", {"q": "财政"}).json()
    assert "zj-finance" in {u["registry_id"] for u in units["items"]}
    finance = people.lead_unit.profile.unit
    assert unit.get(f"/api/units/{finance.pk}").json()["name"] == finance.name
    assert unit.get("/api/units/999999999").status_code == 404
    assert "王浩" in {x["name"] for x in unit.get("/api/leaders").json()}
    documents = unit.get("/api/documents").json()
    assert [d["id"] for d in documents] == [document.pk]
    assert (
        documents[0]["task_count"] == Task.objects.filter(section__part__document=document).count()
    )
    detail = unit.get(f"/api/documents/{document.pk}").json()
    assert (
        sum(s["task_count"] for p in detail["parts"] for s in p["sections"])
        == (documents[0]["task_count"])
    )
    assert all({"code", "line", "message", "message_zh"} <= set(w) for w in detail["warnings"])
    periods = unit.get("/api/periods", {"document": document.pk}).json()
    assert [p["label"] for p in periods][:3] == ["2024-01", "2024-02", "2024-03"]
    assert periods[2]["deadline"] == "2024-04-05"


def test_units_by_year_follow_the_registry(people):
    office = Caller(people.office)
    for year in (2020, 2026):
        for u in office.get("/api/units", {"year": year, "page_size": 200}).json()["items"]:
            assert (u["valid_from"] or 0) <= year <= (u["valid_to"] or 9999)
