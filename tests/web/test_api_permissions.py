"""The permission matrix of the API: every endpoint × every role → the status it answers.

The roles are the shared fixture's (tests/web/conftest.py): the office, the leader of the task's
section (王浩), a leader of another section (徐文光), the lead unit (省财政厅), the participant
unit (省发展改革委), a unit not on the task (省商务厅), and anonymous. The task is 2024, 王浩's
section, task 3. Each role calls with a token of its own; anonymous with none.

404 where the caller may not see the object (it does not exist for them); 403 where they see it
but may not act; 401 without credentials. A section exists for whoever sees one of its tasks:
省商务厅 is not on task 3 but is on another task of 王浩's section, so it is refused (403) an
instruction on the section rather than told there is none.
"""

from __future__ import annotations

import pytest
from test_api_support import Caller, report_body

from luoshi_web.tracking import actions
from luoshi_web.tracking.models import Consolidation, ProgressReport

from conftest import NOTICE_2026, PASSWORD

pytestmark = pytest.mark.django_db

ROLES = ("office", "leader", "other_leader", "lead_unit", "participant", "outsider", "anonymous")

# endpoint                                           office leader other  lead  part. outs. anon
MATRIX = {
    "POST /api/auth/token":                            (200, 200, 200, 200, 200, 200, 401),
    "DELETE /api/auth/token":                          (204, 204, 204, 204, 204, 204, 401),
    "GET /api/me":                                     (200, 200, 200, 200, 200, 200, 401),
    "GET /api/tasks":                                  (200, 200, 200, 200, 200, 200, 401),
    "GET /api/tasks/{task}":                           (200, 200, 404, 200, 200, 404, 401),
    "GET /api/tasks/{task}/reports":                   (200, 200, 404, 200, 200, 404, 401),
    "POST /api/tasks/{task}/reports":                  (403, 403, 404, 201, 201, 404, 401),
    "GET /api/reports/{filed}":                        (200, 200, 404, 200, 200, 404, 401),
    "POST /api/reports/{draft}/submit":                (403, 403, 404, 403, 200, 404, 401),
    "POST /api/reports/{draft}/attachments":           (403, 403, 404, 403, 200, 404, 401),
    "POST /api/reports/{filed}/return":                (200, 403, 404, 200, 403, 404, 401),
    "GET /api/tasks/{task}/consolidations":            (200, 200, 404, 200, 200, 404, 401),
    "POST /api/tasks/{task}/consolidations":           (403, 403, 404, 201, 403, 404, 401),
    "GET /api/consolidations/{consolidation}":         (200, 200, 404, 200, 200, 404, 401),
    "POST /api/consolidations/{consolidation}/review": (201, 403, 404, 403, 403, 404, 401),
    "POST /api/tasks/{task}/reminders":                (201, 403, 404, 403, 403, 404, 401),
    "POST /api/tasks/{task}/instructions":             (403, 201, 404, 403, 403, 404, 401),
    "POST /api/sections/{section}/instructions":       (403, 201, 404, 403, 403, 403, 401),
    "GET /api/units":                                  (200, 200, 200, 200, 200, 200, 401),
    "GET /api/units/{unit}":                           (200, 200, 200, 200, 200, 200, 401),
    "GET /api/leaders":                                (200, 200, 200, 200, 200, 200, 401),
    "GET /api/documents":                              (200, 200, 200, 200, 200, 200, 401),
    "GET /api/documents/{document}":                   (200, 200, 200, 200, 200, 200, 401),
    "GET /api/periods":                                (200, 200, 200, 200, 200, 200, 401),
    "GET /api/documents/{document}/ledger.xlsx":       (200, 200, 200, 200, 200, 200, 401),
    "GET /api/documents/{document}/ledger.csv":        (200, 200, 200, 200, 200, 200, 401),
    "GET /api/documents/{document}/ledger.json":       (200, 200, 200, 200, 200, 200, 401),
    "GET /api/documents/{document}/bulletin.docx":     (200, 200, 200, 200, 200, 200, 401),
    "POST /api/documents?confirm=false":               (200, 403, 403, 403, 403, 403, 401),
    "GET /api/openapi.json":                           (200, 200, 200, 200, 200, 200, 200),
    "GET /api/docs":                                   (200, 200, 200, 200, 200, 200, 200),
}  # fmt: skip

# What each call sends (the path's {names} are filled from the world below).
BODIES = {
    "POST /api/auth/token": None,  # the role's own credentials, see credentials()
    "POST /api/tasks/{task}/reports": report_body(period="2024-04"),
    "POST /api/reports/{draft}/submit": {},
    "POST /api/reports/{filed}/return": {"reason": "数据口径不一致，请核实"},
    "POST /api/tasks/{task}/consolidations": report_body(period="2024-04", narrative="汇总"),
    "POST /api/consolidations/{consolidation}/review": {
        "decision": "return",
        "reason": "请补充专项债券发行数据",
    },
    "POST /api/tasks/{task}/reminders": {"unit": "{participant_unit}", "message": "请尽快报送"},
    "POST /api/tasks/{task}/instructions": {"text": "抓紧推进，确保按期完成"},
    "POST /api/sections/{section}/instructions": {"text": "各项工作要抓紧"},
}

CASES = [
    pytest.param(endpoint, role, status, id=f"{endpoint} as {role}: {status}")
    for endpoint, statuses in MATRIX.items()
    for role, status in zip(ROLES, statuses, strict=True)
]


@pytest.fixture
def world(people, task, period, document, data):
    """The objects the matrix's paths name: the participant's draft (2024-02) and filed report
    (2024-03), the lead unit's consolidation of 2024-03 submitted to the office."""
    february = document.periods.get(label="2024-02")
    draft = actions.file_report(people.participant, task, february, data(), 0)
    filed = actions.file_report(people.participant, task, period, data(), 0, submit=True)
    consolidation = actions.consolidate(
        people.lead_unit, task, period, data(narrative="汇总"), 0, include=[filed], submit=True
    )
    return {
        "task": task.pk,
        "draft": draft.pk,
        "filed": filed.pk,
        "consolidation": consolidation.pk,
        "section": task.section_id,
        "unit": people.lead_unit.profile.unit_id,
        "participant_unit": people.participant.profile.unit_id,
        "document": document.pk,
    }


def fill(value, world):
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in world:
            return world[value[1:-1]]
        return value.format(**world)
    if isinstance(value, dict):
        return {k: fill(v, world) for k, v in value.items()}
    return value


def credentials(people, role):
    if role == "anonymous":
        return {"username": "office", "password": "not-the-password"}
    return {"username": getattr(people, role).username, "password": PASSWORD}


@pytest.mark.parametrize(("endpoint", "role", "expected"), CASES)
def test_each_role_gets_from_each_endpoint_what_the_matrix_says(
    people, world, endpoint, role, expected
):
    caller = Caller(getattr(people, role))
    method, url = endpoint.split(" ", 1)
    url = fill(url, world)
    if endpoint == "POST /api/auth/token":
        response = caller.post(url, credentials(people, role))
    elif endpoint.startswith("POST /api/documents") or endpoint.endswith("/attachments"):
        with NOTICE_2026.open("rb") as fh:
            response = caller.upload(url, {"file": fh})
    elif method == "POST":
        response = caller.post(url, fill(BODIES[endpoint], world))
    elif method == "DELETE":
        response = caller.delete(url)
    else:
        response = caller.get(url)
    assert response.status_code == expected, response.content.decode()[:500]
    if expected >= 400 and "json" in response.get("Content-Type", ""):
        body = response.json()
        assert body["detail"] and body["code"], body


def test_the_matrix_covers_every_endpoint_of_the_api():
    from luoshi_web.api.main import api

    schema = api.get_openapi_schema()
    documented = {
        f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops
    }
    covered = set()
    for endpoint in MATRIX:
        method, url = endpoint.split(" ", 1)
        path = url.split("?")[0]
        for name in ("task", "draft", "filed", "consolidation", "section", "unit", "document"):
            path = path.replace("{" + name + "}", "{" + f"{name}_id" + "}")
        for alias in ("draft_id", "filed_id"):
            path = path.replace("{" + alias + "}", "{report_id}")
        covered.add(f"{method} {path}")
    assert documented - covered == set()


def test_a_unit_cannot_change_another_units_report(people, world):
    """The lead unit sees its partner's report but may not submit it (403); a unit not on the
    task does not even see it (404); the report is unchanged."""
    before = ProgressReport.objects.get(pk=world["draft"])
    assert Caller(people.lead_unit).post(f"/api/reports/{before.pk}/submit").status_code == 403
    assert Caller(people.outsider).post(f"/api/reports/{before.pk}/submit").status_code == 404
    after = ProgressReport.objects.get(pk=before.pk)
    assert (after.state, after.version) == (before.state, before.version)


def test_a_unit_not_on_the_task_learns_nothing_about_it(people, world):
    outsider = Caller(people.outsider)
    missing = outsider.get("/api/tasks/999999999")
    hidden = outsider.get(f"/api/tasks/{world['task']}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "没有这项任务", "code": "not_found"}
    listed = {t["id"] for t in outsider.get("/api/tasks", {"page_size": 200}).json()["items"]}
    assert world["task"] not in listed


def test_a_refused_review_changes_nothing(people, world):
    consolidation = Consolidation.objects.get(pk=world["consolidation"])
    response = Caller(people.lead_unit).post(
        f"/api/consolidations/{consolidation.pk}/review", {"decision": "accept"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    consolidation.refresh_from_db()
    assert consolidation.state == "submitted"
